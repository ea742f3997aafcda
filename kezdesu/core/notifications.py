"""Notifications: an in-app notice plus an email, sent at most once per user and key."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation

from kezdesu.core.models import Notification


def notify(*, users: Iterable, key: str, subject, body="", url: str = "") -> int:
    """Notify each user once for `key` (in the user's language); returns how many were new.

    `subject` and `body` may be lazy translations: they are rendered per recipient.
    """
    sent = 0
    for user in users:
        if not getattr(user, "pk", None) or not user.is_active:
            continue
        if Notification.objects.filter(user=user, key=key).exists():
            continue
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            subject_text, body_text = str(subject), str(body)
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, key=key, subject=subject_text[:300], body=body_text,
                                            url=url)
        except IntegrityError:
            continue  # a concurrent run notified this user for this key already
        if user.email:
            send_mail(subject_text[:300], body_text + (f"\n\n{url}" if url else ""), None, [user.email])
            Notification.objects.filter(user=user, key=key).update(emailed=True)
        sent += 1
    return sent
