"""Mail after commit: a mail server outage never fails a transition, and the mail is sent later."""

import io
import socket

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from kezdesu.core.models import Notification
from kezdesu.meetings.models import Status
from kezdesu.meetings.tests.test_lifecycle import draft, move, world  # noqa: F401 — `world` is a fixture

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_transitions_succeed_while_the_mail_server_is_down_and_the_mail_follows_later(
        world, django_capture_on_commit_callbacks):  # noqa: F811 — the fixture imported above
    down = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                        "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2}}}
    m = draft(world)
    with override_settings(MAILERS=down), django_capture_on_commit_callbacks(execute=True):
        move(world, m, Status.PROPOSED)
        move(world, m, Status.AGREED, who="akimat")
        move(world, m, Status.ANNOUNCED, who="akimat")
    assert m.status == Status.ANNOUNCED
    due = Notification.objects.filter(mail_wanted=True)
    assert due.count() >= 2 and not due.filter(emailed=True).exists() and len(mail.outbox) == 0
    assert set(due.values_list("mail_attempts", flat=True)) == {1}
    assert all(e.startswith("ConnectionRefusedError") for e in due.values_list("mail_error", flat=True))

    # The mail server is back: the housekeeping timer's command sends what is due, once.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_pending_mail", stdout=io.StringIO())
    assert not due.filter(emailed=False).exists() and len(mail.outbox) == due.count()
    assert all(f"{settings.KEZDESU['SITE_URL']}/staff/" in message.body for message in mail.outbox)
    call_command("send_pending_mail", stdout=io.StringIO())
    assert len(mail.outbox) == due.count()


@override_settings(KEZDESU={**settings.KEZDESU, "EMAIL_MAX_ATTEMPTS": 2})
def test_a_mail_is_given_up_after_its_attempts(world):  # noqa: F811
    down = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                        "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2}}}
    from kezdesu.core.notifications import notification_mail_send, notify

    notify(users=[world["akimat"]], key="test:1", subject="s", body="b", url="/staff/")
    notice = Notification.objects.get(key="test:1")
    with override_settings(MAILERS=down):
        assert [notification_mail_send(notification_id=notice.pk) for _ in range(3)] == [False, False, False]
    notice.refresh_from_db()
    assert (notice.mail_attempts, notice.emailed) == (2, False)
    assert notification_mail_send(notification_id=notice.pk) is False and len(mail.outbox) == 0
