"""Notifications: an in-app notice plus an email, sent at most once per user and key.

The notice is written in the caller's transaction; the mail leaves only after that transaction commits,
from a background task, so a slow or unreachable mail server never fails or rolls back the change that
caused it. A send that fails is kept and tried again by `send_pending_mail` (run by a timer).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.functional import lazy

from kezdesu.core.models import Notification

logger = logging.getLogger("kezdesu.mail")

# Sent by the services when something citizens may follow by e-mail changed: `kind` is "schedule" (a
# meeting's date, place or status; `pk` of the meeting), "answer" (a question's answer; `pk` of the
# question) or "commitment" (progress of a commitment; `pk` of the commitment). The portal's follow-up
# (`follow_change_collect` in kezdesu/portal/services.py) listens and mails subscribers after the commit.
followed_change = Signal()


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
                notice = Notification.objects.create(user=user, key=key, subject=subject_text[:300], body=body_text,
                                                     url=url, mail_wanted=bool(user.email))
        except IntegrityError:
            continue  # a concurrent run notified this user for this key already
        if notice.mail_wanted:
            transaction.on_commit(lambda pk=notice.pk: _enqueue_mail(pk), robust=True)
        sent += 1
    return sent


def per_reader(render: Callable[[], str]):
    """Text that `notify` renders once per recipient, in that recipient's language: names of bodies and regions
    (`str(meeting)`, `alert`) and translated words inside an f-string become the reader's, not the writer's."""
    return lazy(render, str)()


def _enqueue_mail(notification_id: int) -> None:
    from kezdesu.core.tasks import send_notification_mail

    send_notification_mail.enqueue(notification_id=notification_id)


def absolute_url(path: str) -> str:
    """A link for mail: paths of this site become absolute under SITE_URL."""
    if not path or "://" in path:
        return path
    return settings.KEZDESU["SITE_URL"] + "/" + path.lstrip("/")


def notification_mail_send(*, notification_id: int) -> bool:
    """Send the mail of one notice if it is still due; returns True when it went out.

    A mail server that refuses or cannot be reached counts one attempt and keeps the notice due.
    """
    notice = Notification.objects.select_related("user").filter(
        pk=notification_id, mail_wanted=True, emailed=False).first()
    if notice is None or not notice.user.email:
        return False
    if notice.mail_attempts >= settings.KEZDESU["EMAIL_MAX_ATTEMPTS"]:
        return False
    link = absolute_url(notice.url)
    try:
        send_mail(notice.subject, notice.body + (f"\n\n{link}" if link else ""), None, [notice.user.email])
    except (smtplib.SMTPException, OSError) as exc:
        # Only the error's class and code go to the log and the row: the message may quote the address.
        reason = f"{type(exc).__name__} {getattr(exc, 'smtp_code', '') or getattr(exc, 'errno', '') or ''}".strip()
        Notification.objects.filter(pk=notice.pk).update(mail_attempts=F("mail_attempts") + 1, mail_error=reason)
        logger.warning("mail for notification %s not sent: %s", notice.pk, reason)
        return False
    Notification.objects.filter(pk=notice.pk).update(emailed=True, emailed_at=timezone.now(),
                                                     mail_attempts=F("mail_attempts") + 1, mail_error="")
    return True


def pending_mail_enqueue() -> int:
    """Queue again every notice whose mail is still due and has attempts left; returns how many."""
    from kezdesu.core.tasks import send_notification_mail

    # A notice never tried yet gets a few minutes for the task its own commit queued.
    recent = timezone.now() - dt.timedelta(minutes=5)
    due = Notification.objects.filter(mail_wanted=True, emailed=False,
                                      mail_attempts__lt=settings.KEZDESU["EMAIL_MAX_ATTEMPTS"]) \
        .filter(Q(mail_attempts__gt=0) | Q(created_at__lt=recent))
    count = 0
    for pk in due.values_list("pk", flat=True).iterator():
        send_notification_mail.enqueue(notification_id=pk)
        count += 1
    return count
