from django.conf import settings


def signed_in_user(request):
    """The signed-in user, or None; without a session cookie the session is not read at all, which keeps
    public pages free of `Vary: Cookie` (they can then be cached for everybody)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def membership(request):
    user = signed_in_user(request)
    if user is None:
        return {"membership": None, "unread_notifications": 0}
    from kezdesu.core.models import Notification

    return {"membership": user.membership,
            "unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
