"""What people ask most, walked in a real browser: an akimat filters by meeting; a citizen sees the themes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kezdesu.core.testing.browser import PHONE, axe_violations, login, open_page, overflow, submit
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.models import Body, Region
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATER = ["Ауылымызда ауыз су жоқ, су құбыры қашан тартылады?", "Су құбыры тартылды, бірақ ауыз су келмейді.",
         "Ауыз су сапасы нашар, су құбыры ескі.", "Ауыз су құбыры біздің көшеге де керек, су жоқ."]
ROADS = ["Когда отремонтируют дорогу до нашего села?", "Дорога в селе разбита, когда будет ремонт дороги?",
         "Ремонт дороги на улице Абая обещали три года назад."]
SCHOOL = ["Когда построят новую школу в микрорайоне?", "В школе не хватает мест, новую школу обещали."]


def test_akimat_reads_the_themes_of_a_meeting_and_a_citizen_sees_them(browser, live_server, reference,
                                                                       screenshot_dir):
    region = Region.objects.get(slug="turkistan")
    soon = timezone.now() + dt.timedelta(days=6)
    meeting = MeetingFactory(body=Body.objects.get(slug="health"), region=region, status=Meeting.Status.ANNOUNCED,
                             starts_at=soon)
    other = MeetingFactory(body=Body.objects.get(slug="energy"), region=region, status=Meeting.Status.ANNOUNCED,
                           starts_at=soon + dt.timedelta(days=1))
    for text in WATER + ROADS:
        QuestionFactory(meeting=meeting, text=text, status="published")
    for text in SCHOOL:
        QuestionFactory(meeting=other, text=text, status="published")
    base, url = live_server.url, reverse("questions:themes")

    _akimat_filters_by_meeting(browser, base, url, region, meeting, screenshot_dir)
    _citizen_sees_the_themes(browser, base, meeting, screenshot_dir)


def _akimat_filters_by_meeting(browser, base, url, region, meeting, screenshot_dir) -> None:
    page = open_page(browser, base, lang="ru")
    login(page, base, staff(Role.AKIMAT_COORDINATOR, region=region), next_url=url)
    assert page.url.startswith(f"{base}{url}")
    assert page.inner_text("h1") == "О чём спрашивают чаще всего"
    assert "Опубликованных вопросов: 9." in page.inner_text("[role=status]")
    today = timezone.localdate()
    assert page.input_value("#id_start") == (today - dt.timedelta(days=90)).isoformat()
    assert page.input_value("#id_end") == today.isoformat()
    page.select_option("#id_meeting", str(meeting.pk))
    submit(page, "form.filters button[type=submit]")
    status = page.inner_text("[role=status]")
    assert "Опубликованных вопросов: 7. Тем: 2." in status
    labels = page.locator(".themes__label").all_inner_texts()
    assert "су" in labels[0].split(" ")[0].split(",") or "су," in labels[0]
    assert labels[0].endswith("4 вопроса") and labels[1].endswith("3 вопроса")
    assert SCHOOL[0] not in page.content()
    assert axe_violations(page) == []
    assert page.problems == []
    page.screenshot(path=str(screenshot_dir / "questions-themes-ru.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert overflow(page) == 0
    page.screenshot(path=str(screenshot_dir / "questions-themes-ru-phone.png"), full_page=True)



def _citizen_sees_the_themes(browser, base, meeting, screenshot_dir) -> None:
    citizen = open_page(browser, base, lang="kk", viewport=PHONE)
    citizen.goto(f"{base}/kk/meetings/{meeting.pk}/")  # the language is in the address
    summary = citizen.locator(".themes-summary li").all_inner_texts()
    assert len(summary) == 2
    assert summary[0].endswith("4 сұрақ")
    assert axe_violations(citizen) == []
    assert overflow(citizen) == 0
    citizen.screenshot(path=str(screenshot_dir / "portal-meeting-themes-kk-phone.png"), full_page=True)
