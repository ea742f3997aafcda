"""The tension work walked in a real browser, with screenshots: the authorized body scans, reads the
appeals behind an alert, dismisses it with a reason after confirming, imports a file and downloads its
rejected rows and the template; a body's coordinator reads the alert on a phone without the appeals' text."""

from pathlib import Path

import pytest

from kezdesu.core.testing.browser import DESKTOP, PHONE, axe_violations, login, open_page, overflow
from kezdesu.registry.models import Body
from kezdesu.tension.models import TensionAlert
from kezdesu.tension.services import tension_scan
from kezdesu.tension.tests.factories import AS_OF
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_FILE = ("external_id,received_on,region,sector,kind\n"
            "B-1,2026-11-02,astana,health,complaint\n"
            "B-2,someday,astana,health,complaint\n"
            "B-3,2026-11-03,atlantis,health,complaint\n")


def test_the_analyst_scans_reads_dismisses_and_imports(browser, live_server, cells, screenshot_dir, tmp_path):
    tension_scan(as_of=AS_OF)
    alert = TensionAlert.objects.get(region__slug="mangystau")
    base = live_server.url
    page = open_page(browser, base, lang="en", viewport=DESKTOP)
    login(page, base, staff(Role.AUTHORIZED_ANALYST), next_url="/staff/tension/")

    page.click(f'a[href="/staff/tension/alerts/{alert.pk}/"]')
    page.click("text=appeals behind this alert")
    page.wait_for_selector("#appeals")
    assert page.locator("#appeals tbody tr").count() == 50
    assert "аштық жариялады" in page.inner_text("#appeals")
    page.screenshot(path=screenshot_dir / "tension-appeals-en.png", full_page=True)
    assert axe_violations(page) == []
    page.click("a[rel=next]")
    page.wait_for_url("**page=2")

    page.goto(f"{base}/staff/tension/alerts/{alert.pk}/")
    page.fill("#id_dismissed_reason", "Бір өтініш бірнеше рет жүктелген")
    page.click("#alert-review form:first-child button[type=submit]")
    page.wait_for_selector("#confirm-dialog[open]")
    page.screenshot(path=screenshot_dir / "tension-dismiss-confirm-en.png")
    page.click("#confirm-dialog [data-confirm-ok]")
    page.wait_for_selector(".msg--success")
    assert page.inner_text("#alert-status") == "Dismissed as a false alarm"
    page.screenshot(path=screenshot_dir / "tension-dismissed-en.png", full_page=True)
    alert.refresh_from_db()
    assert (alert.status, alert.evidence["closure"]) == ("closed", "dismissed")

    upload = tmp_path / "appeals.csv"
    upload.write_text(BAD_FILE, encoding="utf-8")
    page.goto(f"{base}/staff/tension/import/")
    with page.expect_download() as template:
        page.click("text=Download a CSV template")
    assert template.value.suggested_filename == "appeals-template.csv"
    page.set_input_files("#id_file", str(upload))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#batch-outcome")
    assert page.inner_text("#batch-outcome").startswith(
        "Of 3 rows, 1 were imported, 0 were already imported before and left as they were, and 2 were rejected")
    page.screenshot(path=screenshot_dir / "tension-import-outcome-en.png", full_page=True)
    with page.expect_download() as rejected:
        page.click("text=Download the rejected rows (CSV)")
    lines = Path(rejected.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("line,code,reason") and len(lines) == 3

    page.goto(f"{base}/staff/tension/")
    page.click("text=Scan now")
    page.wait_for_selector('[data-status="done"]')
    assert "The scan is finished" in page.inner_text("#scan-status")
    page.screenshot(path=screenshot_dir / "tension-scan-done-en.png", full_page=True)
    assert axe_violations(page) == []

    assert page.problems == [] and page.csp_errors == []
    page.context.close()


def test_a_body_coordinator_reads_the_alert_on_a_phone(browser, live_server, cells, screenshot_dir):
    tension_scan(as_of=AS_OF)
    alert = TensionAlert.objects.get(region__slug="mangystau")
    base = live_server.url
    page = open_page(browser, base, lang="ru", viewport=PHONE)
    login(page, base, staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="labour-social")),
          next_url=f"/staff/tension/alerts/{alert.pk}/")
    assert page.locator("#alert-review").count() == 0  # ending an alert is the authorized body's
    page.screenshot(path=screenshot_dir / "tension-alert-body-ru-phone.png", full_page=True)
    page.click(f'a[href="/staff/tension/alerts/{alert.pk}/appeals/"]')
    page.wait_for_selector("#appeals")
    assert "аштық" not in page.inner_text("#appeals")  # the appeals' text is not for a body
    assert overflow(page) == 0
    page.screenshot(path=screenshot_dir / "tension-appeals-body-ru-phone.png", full_page=True)
    assert page.problems == []
    page.context.close()
