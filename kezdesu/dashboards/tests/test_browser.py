"""The staff back office in a real browser, in the three languages, with screenshots kept."""

import datetime as dt

import pytest

from kezdesu.core.testing.browser import login, open_page
from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {"kk": "Басқару панелі", "ru": "Панель управления", "en": "Dashboard"}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_akimat_agrees_a_meeting_in_the_browser(browser, live_server, reference, screenshot_dir, lang):
    health, turkistan = Body.objects.get(slug="health"), Region.objects.get(slug="turkistan")
    meeting = MeetingFactory(body=health, head=HeadFactory(body=health), region=turkistan, status="proposed",
                             starts_at=at(dt.date(2030, 5, 14)))
    akimat = staff(Role.AKIMAT_COORDINATOR, region=turkistan)
    page = open_page(browser, live_server.url, lang=lang)
    login(page, live_server.url, akimat)
    assert HEADINGS[lang] in page.inner_text("h1")
    page.screenshot(path=screenshot_dir / f"staff-dashboard-{lang}.png", full_page=True)
    page.goto(f"{live_server.url}/staff/meetings/{meeting.pk}/")
    page.screenshot(path=screenshot_dir / f"staff-meeting-{lang}.png", full_page=True)
    page.click("form.action button >> nth=0")  # the first action for the akimat is "agree"
    page.wait_for_selector(".msg--success")
    meeting.refresh_from_db()
    assert meeting.status == "agreed"
    assert page.locator(".checklist tbody tr").count() == 6
    page.context.close()


def test_pages_have_no_console_errors_or_blocked_resources(browser, live_server, reference):
    user = staff(Role.AUTHORIZED_ANALYST)
    page = open_page(browser, live_server.url)
    login(page, live_server.url, user)
    for path in ("/staff/", "/staff/meetings/", "/staff/tension/", "/staff/plans/", "/staff/registry/"):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
    assert page.problems == []
    page.context.close()
