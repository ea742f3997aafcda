"""The moderator's and the body's work on citizens' questions, walked in a real browser with screenshots."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kezdesu.core.testing.browser import DESKTOP, PHONE, axe_violations, login, open_page, overflow, submit
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.questions.models import Question
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.models import Body, Region
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOSY = "Көршім Асан Серікұлы, телефоны +7 701 555 12 34, ауладағы суды ұрлап жатыр. Кім тексереді?"
TABLET = {"width": 768, "height": 1024}
REDACTED = "Көршім ауладағы суды ұрлап жатыр. Кім тексереді?"
ANSWER = "Ауыз су құбыры 2027 жылдың көктемінде тартылады; жұмыс кестесі әкімдіктің сайтында."


@pytest.fixture
def meetings(reference):
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    soon = timezone.now() + dt.timedelta(days=6)
    return (MeetingFactory(body=health, region=Region.objects.get(slug="turkistan"), status=Meeting.Status.ANNOUNCED,
                           starts_at=soon),
            MeetingFactory(body=energy, region=Region.objects.get(slug="abai"), status=Meeting.Status.ANNOUNCED,
                           starts_at=soon + dt.timedelta(days=2)))


def test_moderator_filters_redacts_and_rejects_in_bulk(browser, live_server, meetings, screenshot_dir):
    health_meeting, energy_meeting = meetings
    nosy = QuestionFactory(meeting=health_meeting, text=NOSY)
    spam = [QuestionFactory(meeting=energy_meeting, text=f"Жарнама: арзан несие, тегін сыйлық №{i}") for i in (1, 2)]
    base, queue = live_server.url, reverse("questions:moderation")

    page = open_page(browser, base)
    login(page, base, staff(Role.MODERATOR), next_url=queue)
    page.goto(f"{base}{reverse('dashboards:home')}")  # the staff entry leads the moderator to the queue
    assert page.url == f"{base}{queue}"
    assert page.inner_text("header .topnav b.count").split()[0] == "3"
    assert page.locator(f'header a[href="{reverse("meetings:list")}"]').count() == 0
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshot_dir / "questions-moderation-kk.png"), full_page=True)
    page.set_viewport_size(TABLET)
    assert overflow(page) == 0
    page.screenshot(path=str(screenshot_dir / "questions-moderation-kk-768.png"), full_page=True)
    page.set_viewport_size(DESKTOP)

    _redact_and_publish(page, base, health_meeting, nosy, screenshot_dir)
    _reject_in_bulk(page, base, spam, screenshot_dir)

    # The citizen's tracking pages: the published text is the redacted one; a rejected text is not shown.
    citizen = open_page(browser, base, lang="ru", viewport=PHONE)
    citizen.goto(f"{base}{reverse('portal:track', args=[nosy.tracking_code])}")
    assert REDACTED in citizen.inner_text("main") and "555" not in citizen.content()
    citizen.goto(f"{base}{reverse('portal:track', args=[spam[0].tracking_code])}")
    main = citizen.inner_text("main")
    assert "Жарнама, сұрақ емес" in main and "несие" not in main
    assert overflow(citizen) == 0 and axe_violations(citizen) == []
    citizen.screenshot(path=str(screenshot_dir / "portal-track-rejected-ru-phone.png"), full_page=True)


def _redact_and_publish(page, base, meeting, question, screenshot_dir):
    """Only the meeting's question is listed; its text is edited before publishing and the count drops."""
    queue = reverse("questions:moderation")
    page.select_option("#id_meeting", str(meeting.pk))
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**{queue}?meeting={meeting.pk}")
    assert page.locator("ol.queue > li").count() == 1
    item = page.locator(f"#q-{question.pk}")
    item.locator("summary").click()
    item.locator("textarea").fill(REDACTED)
    page.screenshot(path=str(screenshot_dir / "questions-moderation-redact-kk.png"), full_page=True)
    item.locator("form[action$='/publish/'] button").click()
    page.locator(f"#q-{question.pk} .st-published").wait_for()
    page.wait_for_function("() => document.querySelector('header .topnav b.count').innerText.startsWith('2')")
    question.refresh_from_db()
    assert (question.status, question.text) == ("published", REDACTED)


def _bulk_reject(page, questions, *, confirm: bool):
    for question in questions:
        page.check(f"#pick-{question.pk}")
    page.select_option("#id_decision", "reject")
    page.fill("#id_reason", "Жарнама, сұрақ емес")
    if confirm:
        page.check("#id_confirm")
    submit(page, "#bulk button[type=submit]")


def _reject_in_bulk(page, base, spam, screenshot_dir):
    """Both adverts are rejected at once, but only once the confirmation box is ticked."""
    page.goto(f"{base}{reverse('questions:moderation')}")
    ids = [q.pk for q in spam]
    _bulk_reject(page, spam, confirm=False)
    # Refused: the message stands beside the unticked box, and the reason typed is kept.
    assert page.locator("#bulk .errorlist").count() == 1
    assert page.input_value("#id_reason") != ""
    assert set(Question.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"received"}
    _bulk_reject(page, spam, confirm=True)
    assert page.locator(".msg--success").count() == 1
    assert set(Question.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"rejected"}
    assert page.inner_text("header .topnav b.count").split()[0] == "0"
    page.screenshot(path=str(screenshot_dir / "questions-moderation-done-kk.png"), full_page=True)


def test_body_answers_in_writing_and_refers_and_the_citizen_reads_it(browser, live_server, meetings, screenshot_dir):
    health_meeting, energy_meeting = meetings
    Meeting.objects.filter(pk=health_meeting.pk).update(status=Meeting.Status.HELD,
                                                        starts_at=timezone.now() - dt.timedelta(days=1))
    asked = QuestionFactory(meeting=health_meeting, status="published", published_at=timezone.now(),
                            text="Ауылдық амбулаторияға су қашан тартылады?")
    misplaced = QuestionFactory(meeting=health_meeting, status="published", published_at=timezone.now(),
                                text="Ауылға баратын жол қашан жөнделеді?")
    foreign = QuestionFactory(meeting=energy_meeting, status="published", text="Жылу тарифі неге өсті?")
    coordinator = staff(Role.BODY_COORDINATOR, body=health_meeting.body)
    base, answers = live_server.url, reverse("questions:answers")

    page = open_page(browser, base)
    login(page, base, coordinator)
    page.click(f'header a[href="{answers}"]')
    page.wait_for_url(f"{base}{answers}")
    main = page.inner_text("main")
    assert asked.text in main and misplaced.text in main and foreign.text not in main
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshot_dir / "questions-answers-kk.png"), full_page=True)

    page.click(f'a[href="{reverse("questions:answer", args=[asked.pk])}"]')
    page.check("input[name=mode][value=in_writing]")
    page.fill("#id_answer", ANSWER)
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshot_dir / "questions-answer-form-kk.png"), full_page=True)
    page.set_viewport_size(TABLET)
    assert overflow(page) == 0
    page.set_viewport_size(DESKTOP)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}{answers}?meeting={health_meeting.pk}")
    assert page.locator(".msg--success").count() == 1

    # A referral needs the body: without it the form says so next to the field.
    page.goto(f"{base}{reverse('questions:answer', args=[misplaced.pk])}")
    page.check("input[name=mode][value=referred]")
    page.fill("#id_answer", "Жол жөндеу Көлік министрлігінің құзыретінде; сұрақ соларға жіберілді.")
    submit(page)
    assert page.locator("#id_referred_to_error").count() == 1
    transport = Body.objects.get(slug="transport")
    page.select_option("#id_referred_to", str(transport.pk))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}{answers}?meeting={health_meeting.pk}")
    misplaced.refresh_from_db()
    assert (misplaced.status, misplaced.referred_to) == ("referred", transport)

    # Another body's question is not there for this coordinator.
    response = page.goto(f"{base}{reverse('questions:answer', args=[foreign.pk])}")
    assert response.status == 404

    # The citizen reads the answer on the tracking page and, once the meeting is reported, on its page.
    Meeting.objects.filter(pk=health_meeting.pk).update(status=Meeting.Status.REPORTED)
    citizen = open_page(browser, base, viewport=PHONE)
    citizen.goto(f"{base}{reverse('portal:track', args=[asked.tracking_code])}")
    main = citizen.inner_text("main")
    assert ANSWER in main and "Жазбаша жауап берілді" in main and "Answered in writing" not in main
    assert overflow(citizen) == 0
    citizen.screenshot(path=str(screenshot_dir / "portal-track-answered-kk-phone.png"), full_page=True)
    citizen.goto(f"{base}{reverse('portal:meeting', args=[health_meeting.pk])}")
    main = citizen.inner_text("main")
    assert ANSWER in main and transport.short_name in main
    citizen.screenshot(path=str(screenshot_dir / "portal-meeting-answers-kk-phone.png"), full_page=True)
