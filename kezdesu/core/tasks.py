"""Tasks of the shared kernel: outgoing mail."""

from __future__ import annotations

from django.tasks import task

from kezdesu.core.notifications import notification_mail_send


@task()
def send_notification_mail(*, notification_id: int) -> bool:
    return notification_mail_send(notification_id=notification_id)
