"""The briefing pack in a real browser: from the staff meeting page, make the pack, follow the job, download."""

import io

import pytest
from pypdf import PdfReader

from kezdesu.core.models import AuditEvent
from kezdesu.core.testing.browser import axe_violations, login, open_page
from kezdesu.reports.models import BriefingPack
from kezdesu.reports.tests.factories import PROMISE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_make_the_pack_on_demand_and_download_it(browser, live_server, briefing, screenshot_dir):
    page = open_page(browser, live_server.url, lang="ru")
    login(page, live_server.url, briefing.coordinator)
    page.goto(f"{live_server.url}/staff/meetings/{briefing.meeting.pk}/")
    page.click("#briefing-link")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#briefing-status [data-status=done]", timeout=60_000)
    page.screenshot(path=screenshot_dir / "reports-briefing-ready-ru.png", full_page=True)
    assert BriefingPack.objects.filter(meeting=briefing.meeting).count() == 4

    with page.expect_download() as download:
        page.click("#briefing-status a[data-file=ru-pdf]")
    content = download.value.path().read_bytes()
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    assert "Открытые обязательства органа в регионе" in text and PROMISE in text
    assert AuditEvent.objects.filter(action="briefing.download", actor=briefing.coordinator).count() == 1

    page.goto(f"{live_server.url}/staff/reports/briefing/{briefing.meeting.pk}/")
    page.screenshot(path=screenshot_dir / "reports-briefing-page-ru.png", full_page=True)
    assert page.locator("#briefing-files a[download]").count() == 4
    assert axe_violations(page) == []
    assert page.problems == []
    page.context.close()
