"""Background work of the portal: mail to citizens about their registrations and the meetings they follow
(run by `manage.py worker`)."""

from __future__ import annotations

from django.tasks import task

from kezdesu.portal.services import registration_mail_send, subscription_mail_send


@task()
def send_registration_mail(*, registration_id: int, kind: str) -> bool:
    return registration_mail_send(registration_id=registration_id, kind=kind)


@task()
def send_subscription_mail(*, subscription_id: int, kind: str, events: list) -> bool:
    return subscription_mail_send(subscription_id=subscription_id, kind=kind, events=events)
