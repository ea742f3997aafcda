"""The staff back office in a real browser, in the three languages, with screenshots kept."""

import datetime as dt

import pytest

from kezdesu.dashboards.demo import DEMO_PASSWORD
from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {"kk": "Басқару панелі", "ru": "Панель управления", "en": "Dashboard"}


def login(page, base, username, password, lang):
    page.goto(f"{base}/accounts/login/")
    if lang != "kk":
        page.select_option("#lang-select", lang)
        page.click(".langswitch button")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_akimat_agrees_a_meeting_in_the_browser(chromium, live_server, reference, screenshot_dir, lang):
    health, turkistan = Body.objects.get(slug="health"), Region.objects.get(slug="turkistan")
    meeting = MeetingFactory(body=health, head=HeadFactory(body=health), region=turkistan, status="proposed",
                             starts_at=at(dt.date(2030, 5, 14)))
    akimat = staff(Role.AKIMAT_COORDINATOR, region=turkistan)
    akimat.set_password(DEMO_PASSWORD)
    akimat.save()
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    login(page, live_server.url, akimat.username, DEMO_PASSWORD, lang)
    assert HEADINGS[lang] in page.inner_text("h1")
    page.screenshot(path=screenshot_dir / f"staff-dashboard-{lang}.png", full_page=True)
    page.goto(f"{live_server.url}/staff/meetings/{meeting.pk}/")
    page.screenshot(path=screenshot_dir / f"staff-meeting-{lang}.png", full_page=True)
    page.click("form.action button >> nth=0")  # the first action for the akimat is "agree"
    page.wait_for_selector(".msg--success")
    meeting.refresh_from_db()
    assert meeting.status == "agreed"
    assert page.locator(".checklist li").count() == 6
    page.close()


def test_pages_have_no_console_errors_or_blocked_resources(chromium, live_server, reference):
    user = staff(Role.AUTHORIZED_ANALYST)
    user.set_password(DEMO_PASSWORD)
    user.save()
    page = chromium.new_page()
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    # A request the browser itself aborts because the next navigation started (e.g. the favicon) is no fault.
    page.on("requestfailed", lambda req: problems.append(req.url) if "ERR_ABORTED" not in (req.failure or "") else None)
    login(page, live_server.url, user.username, DEMO_PASSWORD, "kk")
    for path in ("/staff/", "/staff/meetings/", "/staff/tension/", "/staff/plans/", "/staff/registry/"):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
    assert problems == []
    page.close()
