from django.conf import settings


def membership(request):
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # Signed in only with a session; not reading it keeps public pages free of `Vary: Cookie`.
        return {"membership": None, "unread_notifications": 0}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"membership": None, "unread_notifications": 0}
    from kezdesu.core.models import Notification

    return {"membership": user.membership,
            "unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
