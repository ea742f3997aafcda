"""How the staff pages look in a real browser: the header on one line at 1280 px in every language, usable at
768 px, axe-clean, the plan grid with region names, the maps, and only letters the installed fonts can draw."""

import datetime as dt
import json
from functools import cache
from pathlib import Path

import pytest
from django.urls import reverse

from kezdesu.core.testing.browser import DESKTOP, axe_violations, login, open_page, overflow
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory, MeetingResultFactory, at
from kezdesu.planning.models import PlanItem
from kezdesu.planning.services import plan_create
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.tension.services import tension_scan
from kezdesu.tension.tests.factories import AS_OF
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture
def office(cells):
    """A year of work: held meetings in several regions, an alert that requires a meeting, a plan."""
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    today = dt.date.today()
    for body, slug, days in ((health, "turkistan", 40), (health, "abai", 80), (energy, "abai", 20)):
        meeting = MeetingFactory(body=body, head=HeadFactory(body=body), region=Region.objects.get(slug=slug),
                                 status="reported", starts_at=at(today - dt.timedelta(days=days)))
        MeetingResultFactory(meeting=meeting, attendance=120)
        CommitmentFactory(meeting=meeting, text="Ауруханаға жаңа жабдық сатып алу", progress=30,
                          deadline=today + dt.timedelta(days=60))
    upcoming = MeetingFactory(body=health, head=HeadFactory(body=health), region=Region.objects.get(slug="zhambyl"),
                              status="proposed", starts_at=at(today + dt.timedelta(days=30)))
    tension_scan(as_of=AS_OF)
    analyst = staff(Role.AUTHORIZED_ANALYST)
    plan = plan_create(actor=analyst, year=today.year + 1, half=1)
    monday = dt.date(today.year + 1, 1, 11)
    monday -= dt.timedelta(days=monday.weekday())
    for i, (body, slug) in enumerate([(health, "north-kazakhstan"), (energy, "almaty-region"), (health, "abai")]):
        PlanItem.objects.create(plan=plan, body=body, region=Region.objects.get(slug=slug),
                                week_start=monday + dt.timedelta(weeks=3 * i), pinned=i == 1)
    return {"analyst": analyst, "plan": plan, "meeting": upcoming, "health": health}


def _staff_pages(office) -> dict[str, str]:
    return {
        "dashboard": reverse("dashboards:home"),
        "meetings": reverse("meetings:list"),
        "meeting": reverse("meetings:detail", args=[office["meeting"].pk]),
        "tension": reverse("tension:overview"),
        "plans": reverse("planning:list"),
        "plan": reverse("planning:detail", args=[office["plan"].pk]),
        "reports": reverse("reports:index"),
        "registry": reverse("dashboards:registry"),
        "audit": reverse("dashboards:audit"),
        "notifications": reverse("dashboards:notifications"),
    }


def _header_user(office, role: str):
    """Each role sees its own sections in the header; the body coordinator has the most."""
    if role == Role.AUTHORIZED_ANALYST:
        return office["analyst"]
    if role == Role.BODY_COORDINATOR:
        return staff(role, body=office["health"])
    if role == Role.AKIMAT_COORDINATOR:
        return staff(role, region=Region.objects.get(slug="turkistan"))
    return staff(role)


@pytest.mark.parametrize("role", [Role.AUTHORIZED_ANALYST, Role.BODY_COORDINATOR, Role.AKIMAT_COORDINATOR,
                                  Role.MODERATOR])
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_staff_header_is_one_line_at_1280(browser, live_server, office, lang, role, screenshot_dir):
    page = open_page(browser, live_server.url, lang=lang, viewport=DESKTOP)
    # A moderator's staff entry is the moderation queue.
    login(page, live_server.url, _header_user(office, role),
          next_url=reverse("questions:moderation") if role == Role.MODERATOR else reverse("dashboards:home"))
    page.screenshot(path=str(screenshot_dir / f"staff-header-{role}-{lang}.png"),
                    clip={"x": 0, "y": 0, "width": 1280, "height": 120})
    tops = page.eval_on_selector_all(".topbar__row > *", "els => els.map(e => e.getBoundingClientRect().top)")
    heights = page.eval_on_selector_all(".topbar__row > *", "els => els.map(e => e.getBoundingClientRect().height)")
    # One line: every part of the header starts on the first row and none of them wraps to a second line.
    assert max(tops) - min(tops) < 20, tops
    assert max(heights) < 60, heights
    assert page.locator(".topnav a").count() >= (1 if role == Role.MODERATOR else 4)
    page.context.close()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_staff_pages_fit_a_tablet_and_pass_axe(browser, live_server, office, lang, screenshot_dir):
    page = open_page(browser, live_server.url, lang=lang, viewport=TABLET)
    login(page, live_server.url, office["analyst"])
    wide, problems = {}, {}
    for name, path in _staff_pages(office).items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.screenshot(path=str(screenshot_dir / f"tablet-staff-{name}-{lang}.png"), full_page=True)
        if (extra := overflow(page)) > 0:
            wide[path] = extra
        if violations := axe_violations(page):
            problems[path] = violations
    assert wide == {}
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
    page.context.close()


def test_plan_grid_names_regions_and_scrolls_in_its_own_box(browser, live_server, office, screenshot_dir):
    page = open_page(browser, live_server.url, lang="ru", viewport=DESKTOP)
    login(page, live_server.url, office["analyst"], next_url=reverse("planning:detail", args=[office["plan"].pk]))
    cells = page.locator(".plan-grid td.hit summary").all_inner_texts()
    assert sorted(c.strip() for c in cells) == ["Абай", "Алматинская ✓", "Северо-Казахстанская"]
    box = page.locator(".plan-grid").evaluate("t => [t.parentElement.clientWidth, t.parentElement.scrollWidth]")
    assert overflow(page) == 0 and box[0] <= DESKTOP["width"]
    page.screenshot(path=str(screenshot_dir / "staff-plan-grid-ru.png"), full_page=True)
    page.context.close()


def test_dashboard_and_tension_maps(browser, live_server, office, screenshot_dir):
    page = open_page(browser, live_server.url, lang="en", viewport=DESKTOP)
    login(page, live_server.url, office["analyst"])
    abai = page.locator('.regionmap g[aria-label^="Abai Region"]')
    assert abai.get_attribute("aria-label") == "Abai Region: visited by 2 bodies"
    assert abai.locator(".tile__value").text_content() == "2"
    page.select_option("#map-body", office["health"].slug)
    page.click("#map-body ~ button")
    page.wait_for_url("**map_body=health**")
    assert page.locator('.regionmap g[aria-label="Turkistan Region: 1 meeting held"]').count() == 1
    assert page.locator('.regionmap g[aria-label="Zhambyl Region: 0 meetings held"]').count() == 1
    page.screenshot(path=str(screenshot_dir / "staff-dashboard-map-en.png"), full_page=True)

    page.goto(live_server.url + reverse("tension:overview"))
    mangystau = page.locator('.regionmap svg a[href*="/alerts/"]')
    assert mangystau.count() >= 1
    assert page.get_by_role("link", name="Mangystau Region: Unscheduled meeting required").count() == 1
    assert page.locator('.regionmap g[aria-label="Akmola Region: no open alert"]').count() == 1
    page.screenshot(path=str(screenshot_dir / "staff-tension-map-en.png"), full_page=True)
    page.context.close()


@cache
def _drawable() -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(FONT)).charToGlyph)


@pytest.mark.skipif(not FONT.exists(), reason="needs the fonts of `scripts/system-deps fonts`")
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_letter_on_the_pages_has_a_glyph(browser, live_server, office, lang):
    """DejaVu Sans is the font the stylesheet falls back to on Debian; a letter it lacks shows as an empty box."""
    page = open_page(browser, live_server.url, lang=lang, viewport=DESKTOP)
    login(page, live_server.url, office["analyst"])
    missing = {}
    for path in _staff_pages(office).values():
        page.goto(live_server.url + path)
        text = page.evaluate("() => document.body.innerText + document.title")
        if chars := {c for c in text if not c.isspace() and ord(c) not in _drawable()}:
            missing[path] = "".join(sorted(chars))
    assert missing == {}
    page.context.close()
