"""Clauses 3.1 and 3.3 in the pages: every schedule annex link works, the approved plan links its decree
annex, and the half-year results are sent from a page that shows the half-year's statuses."""

import datetime as dt
import re

import pytest

from kezdesu.planning.models import Plan, PlanItem
from kezdesu.registry.models import Body, Region
from kezdesu.reports.models import HalfYearSubmission
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def english(client, user):
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def plan(year, half, status, **fields) -> Plan:
    p = Plan.objects.create(year=year, half=half, status=status, **fields)
    PlanItem.objects.create(plan=p, body=Body.objects.get(slug="health"), region=Region.objects.get(slug="abai"),
                            week_start=dt.date(year, 7 if half == 2 else 1, 13 if half == 2 else 12))
    return p


def annex_links(page: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'href="(/staff/reports/annex/[^"]+)"', page)]


def test_without_an_agreed_schedule_the_results_page_offers_no_annex(client, reference):
    plan(2026, 2, Plan.Status.DRAFT)
    english(client, staff(Role.AUTHORIZED_ANALYST))
    page = client.get("/staff/reports/half-year/2026-H2/").content.decode()
    assert annex_links(page) == []
    assert "No schedule of this half-year has been agreed by the bodies yet" in page
    assert client.get("/staff/reports/annex/2026-H2/").status_code == 404


def test_every_annex_link_of_the_results_page_works(client, reference):
    plan(2026, 2, Plan.Status.DRAFT, version=2)  # a newer draft does not replace the approved annex
    approved = plan(2026, 2, Plan.Status.APPROVED, decree_number="512", decree_date=dt.date(2026, 6, 20))
    english(client, staff(Role.GOVERNMENT_VIEWER))
    page = client.get("/staff/reports/half-year/2026-H2/").content.decode()
    links = annex_links(page)
    assert "/staff/reports/annex/2026-H2/" in links and len(links) == 7  # the page and 3 formats × 2 languages
    for link in links:
        assert client.get(link).status_code == 200, link
    annex = client.get("/staff/reports/annex/2026-H2/").content.decode()
    assert "№ 512, 20.06.2026" in annex and f"/staff/plans/{approved.pk}/" in annex


def test_the_approved_plan_links_its_decree_annex_and_a_draft_does_not(client, reference):
    draft = plan(2027, 1, Plan.Status.DRAFT)
    approved = plan(2026, 2, Plan.Status.APPROVED, decree_number="512", decree_date=dt.date(2026, 6, 20))
    coordinator = staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="health"))
    english(client, coordinator)
    page = client.get(f"/staff/plans/{approved.pk}/").content.decode()
    assert 'href="/staff/reports/annex/2026-H2/"' in page and "Annex to decree № 512" in page
    assert client.get("/staff/reports/annex/2026-H2/").status_code == 200  # the bodies read the annex too
    assert "/staff/reports/annex/" not in client.get(f"/staff/plans/{draft.pk}/").content.decode()
    client.force_login(staff(Role.MODERATOR))
    assert client.get("/staff/reports/annex/2026-H2/").status_code == 403


def test_results_are_sent_after_confirming_and_the_status_follows(client, reference):
    analyst = staff(Role.AUTHORIZED_ANALYST)
    english(client, analyst)
    page = client.get("/staff/reports/half-year/2026-H2/").content.decode()
    assert re.search(r'data-item="results-2026-H2">due<', page)
    assert 'data-confirm="The figures as of now are frozen' in page
    asked = client.post("/staff/reports/half-year/2026-H2/", {"comment": "Қорытынды"}).content.decode()
    assert "Send the results of 2026-H2 to the Office of the Government?" in asked
    assert 'name="confirmed" value="true"' in asked and 'name="comment" value="Қорытынды"' in asked
    assert not HalfYearSubmission.objects.filter(status="submitted").exists()
    client.post("/staff/reports/half-year/2026-H2/", {"comment": "Қорытынды", "confirmed": "true"})
    assert HalfYearSubmission.objects.get(year=2026, half=2).status == "submitted"
    page = client.get("/staff/reports/half-year/2026-H2/").content.decode()
    assert re.search(r'data-item="results-2026-H2">on time<', page)
    assert 'id="send-results"' not in page


def test_submitting_a_plan_asks_first(client, reference):
    agreed = plan(2027, 1, Plan.Status.AGREED)
    english(client, staff(Role.AUTHORIZED_ANALYST))
    asked = client.post(f"/staff/plans/{agreed.pk}/action/", {"action": "submit"})
    assert asked.status_code == 200 and "Submit the schedule 2027-H1 to the Government?" in asked.content.decode()
    agreed.refresh_from_db()
    assert agreed.status == Plan.Status.AGREED
    client.post(f"/staff/plans/{agreed.pk}/action/", {"action": "submit", "confirmed": "true"})
    agreed.refresh_from_db()
    assert agreed.status == Plan.Status.SUBMITTED
