"""Half-year work walked in a real browser, with screenshots: the Government's viewer opens the decree
annex from the approved plan; the analyst follows every schedule annex link of the results page and sends
the results to the Office of the Government after confirming, and the status turns to "on time"."""

import datetime as dt

import pytest

from kezdesu.core.testing.browser import DESKTOP, axe_violations, login, open_page
from kezdesu.planning.models import Plan, PlanItem
from kezdesu.registry.models import Body, Region
from kezdesu.reports.models import HalfYearSubmission
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved(reference):
    plan = Plan.objects.create(year=2026, half=2, status=Plan.Status.APPROVED, decree_number="512",
                               decree_date=dt.date(2026, 6, 20))
    PlanItem.objects.create(plan=plan, body=Body.objects.get(slug="health"), region=Region.objects.get(slug="abai"),
                            week_start=dt.date(2026, 9, 14))
    return plan


def test_the_government_opens_the_decree_annex_from_the_approved_plan(browser, live_server, approved,
                                                                     screenshot_dir):
    base = live_server.url
    page = open_page(browser, base, lang="ru", viewport=DESKTOP)
    login(page, base, staff(Role.GOVERNMENT_VIEWER), next_url=f"/staff/plans/{approved.pk}/")
    page.click("#plan-annex a")
    page.wait_for_url(f"{base}/staff/reports/annex/2026-H2/")
    assert "№ 512, 20.06.2026" in page.inner_text("main")
    page.screenshot(path=screenshot_dir / "planning-annex-government-ru.png", full_page=True)
    assert axe_violations(page) == []
    assert page.problems == []
    page.context.close()


def test_the_analyst_follows_the_annex_links_and_sends_the_results(browser, live_server, approved, screenshot_dir):
    base = live_server.url
    page = open_page(browser, base, lang="en", viewport=DESKTOP)
    login(page, base, staff(Role.AUTHORIZED_ANALYST), next_url="/staff/reports/half-year/2026-H2/")
    links = page.eval_on_selector_all("#annex a", "links => links.map(a => a.getAttribute('href'))")
    assert len(links) == 7
    for link in links:
        assert page.request.get(f"{base}{link}").status == 200, link
    assert page.inner_text('[data-item="results-2026-H2"]') == "due"
    page.fill("#id_comment", "Жарты жылдың қорытындысы")
    page.click("#send-results button[type=submit]")
    page.wait_for_selector("#confirm-dialog[open]")
    page.screenshot(path=screenshot_dir / "reports-send-results-confirm-en.png")
    page.click("#confirm-dialog [data-confirm-ok]")
    page.wait_for_selector(".msg--success")
    assert HalfYearSubmission.objects.get(year=2026, half=2).status == "submitted"
    assert page.inner_text('[data-item="results-2026-H2"]') == "on time"
    page.screenshot(path=screenshot_dir / "reports-results-sent-en.png", full_page=True)
    assert page.problems == [] and page.csp_errors == []
    page.context.close()
