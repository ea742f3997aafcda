"""The reports pages in a real browser: submit the quarterly information, read the inbox and the
half-year results, with no console error (the CSP blocks inline styles and scripts)."""

import pytest

from kezdesu.compliance.models import QuarterlyReport
from kezdesu.core.testing.browser import login, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_then_receive_in_the_browser(browser, live_server, q3, screenshot_dir):
    page = open_page(browser, live_server.url)
    login(page, live_server.url, q3.coordinator)
    page.goto(f"{live_server.url}/staff/reports/")
    page.click("text=2026-Q3")
    page.screenshot(path=screenshot_dir / "reports-quarterly-draft-kk.png", full_page=True)
    assert "ЖОБА" in page.inner_text("article")
    page.fill("#id_comment", "Кездесулер жоспар бойынша өтті")
    page.click("form.form button[type=submit]")
    page.wait_for_selector(".msg--success")
    assert QuarterlyReport.objects.get(body=q3.health, year=2026, quarter=3).status == "submitted"
    page.context.clear_cookies()

    login(page, live_server.url, q3.analyst)
    page.goto(f"{live_server.url}/staff/reports/?period=2026-Q3")
    page.screenshot(path=screenshot_dir / "reports-inbox-kk.png", full_page=True)
    assert page.locator("table.data tbody tr").count() >= 15
    page.goto(f"{live_server.url}/staff/reports/half-year/2026-H2/")
    page.screenshot(path=screenshot_dir / "reports-half-year-kk.png", full_page=True)
    assert page.locator("figure svg rect").count() > 20
    assert page.problems == []
    page.context.close()
