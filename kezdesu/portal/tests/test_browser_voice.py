"""A citizen on a phone, in Russian, supports a question and follows the meeting, confirming both from the mail."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from kezdesu.core.testing.browser import PHONE, axe_violations, open_page, overflow, submit
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.services import meeting_transition
from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.portal.models import Subscription
from kezdesu.questions.models import Question
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.models import Body, Region
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ADDRESS = "dana@example.kz"


def _link(pattern: str) -> str:
    sent = [m for m in mail.outbox if m.to == [ADDRESS]]
    return re.search(pattern, sent[-1].body).group(0)


def _fits(page) -> None:
    """No serious accessibility violation and no sideways scrolling on the phone."""
    assert axe_violations(page) == []
    assert overflow(page) == 0


def test_support_and_follow_on_a_phone_in_russian(browser, live_server, reference, screenshot_dir):
    meeting = MeetingFactory(body=Body.objects.get(slug="health"), region=Region.objects.get(slug="turkistan"),
                             status=Meeting.Status.ANNOUNCED, starts_at=timezone.now() + dt.timedelta(days=6))
    quiet = QuestionFactory(meeting=meeting, status=Question.Status.PUBLISHED, published_at=timezone.now(),
                            text="Когда в селе откроют новую амбулаторию?")
    question = QuestionFactory(meeting=meeting, status=Question.Status.PUBLISHED, published_at=timezone.now(),
                               text="Когда в нашем селе появится питьевая вода?")
    base = live_server.url
    page = open_page(browser, base, lang="ru", viewport=PHONE)
    page.goto(f"{base}/ru/meetings/{meeting.pk}/")
    _fits(page)
    page.screenshot(path=str(screenshot_dir / "portal-support-meeting-ru-phone.png"), full_page=True)
    _support(page, base, meeting, question, screenshot_dir)
    articles = page.locator("article.qa")
    assert articles.first.get_attribute("id") == f"q-{question.pk}"  # the supported question comes first
    assert "1 человек поддерживает этот вопрос" in articles.first.inner_text()
    assert f"q-{quiet.pk}" == articles.nth(1).get_attribute("id")
    _follow(page, base, meeting, screenshot_dir)
    _postponed_then_unsubscribed(page, base, meeting, screenshot_dir)
    assert page.problems == []


def _support(page, base, meeting, question, screenshot_dir) -> None:
    """The question's link opens the form on a page of its own, then the link from the mail and its button;
    ends back on the meeting page."""
    page.click(f"#q-{question.pk} a.support-link")
    page.wait_for_url(f"{base}/ru/meetings/{meeting.pk}/questions/{question.pk}/support/")
    assert "Когда в нашем селе появится питьевая вода?" in page.content()
    _fits(page)
    page.screenshot(path=str(screenshot_dir / "portal-support-form-ru-phone.png"), full_page=True)
    page.fill("#id_email", ADDRESS)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/ru/meetings/{meeting.pk}/support/sent/")
    assert "Проверьте почту" in page.content()
    page.goto(base + _link(r"/ru/support/[\w-]+/"))
    assert Question.objects.get(pk=question.pk).support_count == 0  # opening the link counts nothing
    _fits(page)
    page.screenshot(path=str(screenshot_dir / "portal-support-confirm-ru-phone.png"), full_page=True)
    submit(page)
    assert "Спасибо: ваша поддержка учтена." in page.content()
    assert Question.objects.get(pk=question.pk).support_count == 1
    page.goto(f"{base}/ru/meetings/{meeting.pk}/")


def _follow(page, base, meeting, screenshot_dir) -> None:
    """The link in "Take part" opens the form, then the link from the mail and its button."""
    page.click("text=Следить за этой встречей")
    page.wait_for_url(f"{base}/ru/follow/?meeting={meeting.pk}")
    _fits(page)
    page.fill("#id_email", ADDRESS)
    page.click("form.follow-form button[type=submit]")
    page.wait_for_url(f"{base}/ru/follow/sent/")
    page.goto(base + _link(r"/ru/follow/\d+/confirm/[0-9a-f]+/"))
    assert Subscription.objects.get().status == "pending"
    _fits(page)
    submit(page)
    assert "Спасибо: вы будете получать новости" in page.content()
    assert Subscription.objects.get().status == "active"
    page.screenshot(path=str(screenshot_dir / "portal-follow-confirmed-ru-phone.png"), full_page=True)


def _postponed_then_unsubscribed(page, base, meeting, screenshot_dir) -> None:
    """The meeting is postponed: the follower is told, in Russian, with a link to unsubscribe."""
    meeting_transition(actor=staff(Role.BODY_COORDINATOR, body=meeting.body), meeting=meeting,
                       target=Meeting.Status.POSTPONED, comment="Ремонт зала")
    news = [m for m in mail.outbox if m.to == [ADDRESS]][-1]
    assert news.subject == "Новости встреч, на которые вы подписаны" and "Ремонт зала" in news.body
    page.goto(base + _link(r"/ru/follow/\d+/unsubscribe/[0-9a-f]+/"))
    _fits(page)
    submit(page)
    assert "ваш адрес удалён" in page.content() and not Subscription.objects.exists()
    page.screenshot(path=str(screenshot_dir / "portal-unsubscribed-ru-phone.png"), full_page=True)
