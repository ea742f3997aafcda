def membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"membership": None, "unread_notifications": 0}
    from kezdesu.core.models import Notification

    return {"membership": user.membership,
            "unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
