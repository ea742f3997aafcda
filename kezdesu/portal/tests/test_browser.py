"""The portal in a real browser: a citizen's question from the form to the answer, accessibility
checked with axe-core, and screenshots of the main pages in the three languages."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kezdesu.core.testing.browser import axe_violations, login, open_page
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.services import commitment_create, commitment_update, meeting_record_results, meeting_transition
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory, MeetingResultFactory
from kezdesu.questions.models import Question
from kezdesu.questions.services import question_transition
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.models import Body, Region
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Ауылдық емханаға дәрігер қашан келеді? Қазір дәрігер аптасына бір рет қана келеді."
ANSWER = "Жаңа дәрігер 2027 жылдың ақпанынан бастап тұрақты жұмыс істейді."
PROMISE = "Ауылдық емханаға екі дәрігер мен бір фельдшер тарту"


@pytest.fixture
def health(reference):
    return Body.objects.get(slug="health")


def test_question_from_the_form_to_the_answer(browser, live_server, health, screenshot_dir):
    region = Region.objects.get(slug="turkistan")
    meeting = MeetingFactory(body=health, region=region, status=Meeting.Status.ANNOUNCED, capacity=50,
                             starts_at=timezone.now() + dt.timedelta(days=5), topics="Ауылдық медицина")
    coordinator = staff(Role.BODY_COORDINATOR, body=health)
    moderator = staff(Role.MODERATOR)

    # A citizen asks a question in advance.
    citizen = open_page(browser, live_server.url)
    citizen.goto(f"{live_server.url}/kk/meetings/{meeting.pk}/")
    citizen.click(f'a[href="/kk/meetings/{meeting.pk}/ask/"]')
    citizen.fill("#id_text", QUESTION)
    assert citizen.input_value("#id_region") == str(region.pk)
    citizen.fill("#id_author_name", "Дана Ахметова")
    citizen.fill("#id_author_contact", "+7 701 555 12 34")
    citizen.click("form.form button[type=submit]")
    citizen.wait_for_url(re.compile(r"/kk/track/Q-[A-Z0-9]{8}/$"))
    code = citizen.inner_text(".code").strip()
    citizen.screenshot(path=str(screenshot_dir / "portal-track-received-kk.png"), full_page=True)
    question = Question.objects.get(tracking_code=code)
    assert question.status == Question.Status.RECEIVED and question.author_contact == "+77015551234"

    # A moderator signs in and publishes it (HTMX swaps the item in place).
    mod = open_page(browser, live_server.url)
    login(mod, live_server.url, moderator, next_url=reverse("questions:moderation"))
    item = mod.locator(f"#q-{question.pk}")
    mod.screenshot(path=str(screenshot_dir / "portal-moderation-kk.png"), full_page=True)
    assert axe_violations(mod) == []
    assert QUESTION in item.inner_text() and "Дана" not in mod.content()
    item.locator("form[action$='/publish/'] button").click()
    mod.locator(f"#q-{question.pk} .st-published").wait_for()
    assert mod.url == f'{live_server.url}{reverse("questions:moderation")}'  # no page load: HTMX replaced the item
    citizen.goto(f"{live_server.url}/kk/meetings/{meeting.pk}/")
    assert QUESTION in citizen.inner_text("main")

    # The meeting takes place; the body answers and promises (through the services, as staff pages do).
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3))
    meeting = meeting_transition(actor=coordinator, meeting=Meeting.objects.get(pk=meeting.pk), target="held")
    question_transition(actor=coordinator, question=question, target=Question.Status.ANSWERED, answer=ANSWER)
    meeting_record_results(actor=coordinator, meeting=meeting, attendance=164, speakers=11,
                           summary="Тұрғындар медицина мен жолдар туралы сұрады.")
    promise = commitment_create(actor=coordinator, meeting=meeting, text=PROMISE, deadline=dt.date(2027, 3, 1),
                                responsible_body=health)
    commitment_update(actor=coordinator, commitment=promise, expected_version=promise.version, progress=30)

    citizen.goto(f"{live_server.url}/kk/meetings/{meeting.pk}/")
    main = citizen.inner_text("main")
    assert ANSWER in main and PROMISE in main and "164" in main
    assert citizen.locator(".bar > i.w30").count() == 1
    page_html = citizen.content()  # the contact in neither form (row ids may hold any digits)
    assert "Дана" not in page_html and "555 12 34" not in page_html and "5551234" not in page_html
    citizen.screenshot(path=str(screenshot_dir / "portal-meeting-answered-kk.png"), full_page=True)
    citizen.goto(f"{live_server.url}/kk/track/{code}/")
    assert ANSWER in citizen.inner_text("main")
    assert citizen.csp_errors == [] and mod.csp_errors == []


@pytest.fixture
def showcase(health):
    """A portal with something on every page: meetings ahead, one held with answers and commitments."""
    now = timezone.now()
    regions = list(Region.objects.order_by("kato_code")[:6])
    bodies = [health, *Body.objects.filter(slug__in=["energy", "education", "agriculture", "transport"])]
    for i, (body, region) in enumerate(zip(bodies, regions, strict=False)):
        MeetingFactory(body=body, region=region, status=Meeting.Status.ANNOUNCED,
                       starts_at=(now + dt.timedelta(days=4 + 6 * i)).replace(hour=5, minute=0),
                       format=["in_person", "hybrid"][i % 2], capacity=120 if i % 2 else None,
                       settlement=region.centre_kk, venue="Облыстық мәдениет үйі",
                       topics="Ауылдық медицина, жолдар, ауыз су")
    held = MeetingFactory(body=Body.objects.get(slug="energy"), region=regions[1], status=Meeting.Status.REPORTED,
                          starts_at=(now - dt.timedelta(days=20)).replace(hour=6, minute=0),
                          settlement=regions[1].centre_kk,
                          venue="Облыстық мәдениет үйі", topics="Жылу беру маусымына дайындық",
                          stream_url="https://video.example.kz/live/energy")
    MeetingResultFactory(meeting=held, attendance=240, speakers=14, online_viewers=5300,
                         summary="Тұрғындар жылу, электр қуатының тарифтері және жолдар туралы сұрады.")
    QuestionFactory(meeting=held, region=held.region, status=Question.Status.ANSWERED,
                    text="Біздің ауданда жылу қашан қосылады?", answer="Жылу беру маусымы 1 қазанда басталады.")
    QuestionFactory(meeting=held, region=held.region, status=Question.Status.PUBLISHED, origin="meeting",
                    text="Электр қуатының тарифі неге өсті?")
    CommitmentFactory(meeting=held, text="Қазандықты жөндеуді аяқтау", progress=70, status="in_progress",
                      deadline=dt.date(2027, 1, 15))
    CommitmentFactory(meeting=held, text="Жаңа трансформатор орнату", progress=100, status="done",
                      deadline=dt.date(2026, 10, 1))
    return held


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_main_pages_are_accessible_and_photographed(browser, live_server, showcase, lang, screenshot_dir):
    page = open_page(browser, live_server.url, lang=lang)
    upcoming = Meeting.objects.filter(status=Meeting.Status.ANNOUNCED).order_by("starts_at").first()
    pages = {
        "home": f"/{lang}/",
        "meetings": f"/{lang}/meetings/",
        "meeting-held": f"/{lang}/meetings/{showcase.pk}/",
        "meeting-upcoming": f"/{lang}/meetings/{upcoming.pk}/",
        "ask": f"/{lang}/meetings/{upcoming.pk}/ask/",
        "commitments": f"/{lang}/commitments/",
    }
    problems = {}
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == lang
        page.screenshot(path=str(screenshot_dir / f"portal-{name}-{lang}.png"), full_page=True)
        if violations := axe_violations(page):
            problems[path] = violations
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
    assert page.csp_errors == []
