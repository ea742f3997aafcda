"""Clauses 3.1, 3.3 and 4: the half-year schedule and results deadlines and statuses, the reading of
"before the 15th", entry into force, and the half-year items in `compliance --json`. Dates pinned."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from kezdesu.compliance.rules import (
    BodyFact,
    Quarter,
    Readings,
    half_year_item,
    obligation_deadline,
    owed_under_act,
    quarter_status,
    unscheduled_verdict,
)
from kezdesu.core.calendar import WorkingCalendar

D = dt.date
CAL = WorkingCalendar()
IN_FORCE = D(2024, 1, 18)


def item(year, half, what, *, today, done_on=None, inclusive=True):
    return half_year_item(year=year, half=half, item=what, today=today, done_on=done_on, calendar=CAL,
                          in_force=IN_FORCE, inclusive=inclusive)


def test_nothing_is_owed_for_the_2024_h1_draft_due_before_entry_into_force():
    schedule = item(2024, 1, "schedule", today=D(2024, 3, 1))
    assert (schedule.owed, schedule.deadline, schedule.status) == (False, None, "not_applicable")
    assert schedule.nominal_deadline == D(2023, 12, 15)
    results = item(2024, 1, "results", today=D(2024, 7, 1))
    assert (results.owed, results.status) == (True, "missing")
    assert not owed_under_act(period_end=D(2023, 12, 31), nominal_deadline=D(2024, 1, 10), in_force=IN_FORCE)


def test_a_quarter_before_entry_into_force_has_no_missing_report():
    status = quarter_status(body=BodyFact("health", False, D(2023, 1, 1), None), quarter=Quarter(2023, 4),
                            meetings=(), today=D(2024, 6, 1), calendar=CAL, in_force=IN_FORCE, readings=Readings())
    assert (status.status, status.report_status) == ("not_applicable", "not_applicable")
    first = quarter_status(body=BodyFact("health", False, D(2023, 1, 1), None), quarter=Quarter(2024, 1),
                           meetings=(), today=D(2024, 6, 1), calendar=CAL, in_force=IN_FORCE, readings=Readings())
    assert first.report_status == "missing"


def test_a_15th_on_a_saturday_moves_to_monday_when_the_15th_counts():
    # 15 June 2024 is a Saturday.
    assert item(2024, 1, "results", today=D(2024, 6, 1)).deadline == D(2024, 6, 17)
    assert item(2024, 1, "results", today=D(2024, 6, 1), inclusive=False).deadline == D(2024, 6, 14)
    assert item(2024, 1, "results", today=D(2024, 6, 17), done_on=D(2024, 6, 17)).status == "on_time"
    assert item(2024, 1, "results", today=D(2024, 6, 17), done_on=D(2024, 6, 17), inclusive=False).status == "late"


@pytest.mark.parametrize(("inclusive", "on_the_15th"), [(True, "on_time"), (False, "late")])
def test_the_15th_itself_depends_on_the_reading(inclusive, on_the_15th):
    # 15 December 2026 is a Tuesday; the 14th a Monday.
    results = item(2026, 2, "results", today=D(2026, 12, 20), done_on=D(2026, 12, 15), inclusive=inclusive)
    assert results.status == on_the_15th and results.inclusive is inclusive
    schedule = item(2027, 1, "schedule", today=D(2026, 12, 20), done_on=D(2026, 12, 14), inclusive=inclusive)
    assert schedule.status == "on_time"


@pytest.mark.parametrize(("today", "expected"), [
    (D(2026, 6, 30), "not_due"),     # the schedule for 2027-H1 opens with 2026-H2
    (D(2026, 7, 1), "due"),
    (D(2026, 12, 15), "due"),
    (D(2026, 12, 16), "missing"),
])
def test_schedule_status_through_the_year(today, expected):
    assert item(2027, 1, "schedule", today=today).status == expected


def test_the_obligation_deadline_follows_the_working_calendar():
    assert obligation_deadline(D(2026, 11, 25), days=17, calendar=CAL) == D(2026, 12, 14)  # Sat 12 → Mon 14
    assert obligation_deadline(D(2026, 11, 25), days=17, calendar=WorkingCalendar(move_deadlines=False)) == D(
        2026, 12, 12)


def test_agreement_to_the_second():
    start = dt.datetime(2026, 11, 10, 11, 0, tzinfo=dt.UTC)
    common = {"kind": "unscheduled", "status": "held", "same_body": True, "same_region": True, "first_head": True,
              "acting": False, "acting_counts": True, "starts_at": start, "day": D(2026, 11, 10),
              "opened_on": D(2026, 11, 2), "deadline": D(2026, 11, 16)}
    assert unscheduled_verdict(agreed_at=start, **common) == "answers"
    assert unscheduled_verdict(agreed_at=start + dt.timedelta(seconds=1), **common) == "agreed_after_start"


@pytest.mark.django_db
def test_compliance_json_lists_obligations_and_half_year_items(reference, settings):
    from kezdesu.meetings.tests.factories import at
    from kezdesu.planning.models import Plan
    from kezdesu.registry.models import Body, Region, Sector
    from kezdesu.tension.models import Obligation, TensionAlert

    settings.KEZDESU = {**settings.KEZDESU, "HALF_YEAR_DEADLINE_INCLUSIVE": False}
    alert = TensionAlert.objects.create(
        fingerprint="x", region=Region.objects.get(slug="mangystau"), sector=Sector.objects.get(slug="jobs-wages"),
        level="mandatory", peak_level="mandatory", score=5, week_start=D(2026, 10, 26), opened_on=D(2026, 11, 2))
    Obligation.objects.create(alert=alert, body=Body.objects.get(slug="labour-social"), deadline=D(2026, 11, 16))
    Plan.objects.create(year=2026, half=2, submitted_at=at(D(2026, 6, 15)))
    out = io.StringIO()
    call_command("compliance", "--year", "2026", "--as-of", "2026-11-20", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) >= {"quarters", "tension_obligations", "tension_unbound_alerts", "half_years", "readings"}
    [ob] = data["tension_obligations"]
    assert (ob["body"], ob["region"], ob["deadline"], ob["status"], ob["overdue"]) == (
        "labour-social", "mangystau", "2026-11-16", "open", True)
    by_key = {(h["half_year"], h["item"]): h for h in data["half_years"]}
    schedule = by_key[("2026-H2", "schedule")]
    assert (schedule["deadline"], schedule["done_on"], schedule["status"], schedule["reading"]) == (
        "2026-06-15", "2026-06-15", "on_time", "15th_exclusive")  # the 14th is a Sunday: Monday 15th is the last day
    assert by_key[("2026-H2", "results")]["status"] == "due"
    assert data["readings"]["HALF_YEAR_DEADLINE_INCLUSIVE"]["value"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/staff/", "/staff/plans/"])
def test_half_year_statuses_and_their_reading_are_on_the_plans_page_and_the_dashboard(reference, client, url):
    from kezdesu.compliance.half_years import reading_label
    from kezdesu.users.models import Role
    from kezdesu.users.tests.factories import staff

    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    page = client.get(url).content.decode()
    assert 'id="half-year-deadlines"' in page
    assert reading_label() in page
    assert 'data-item="results-' in page and 'data-item="schedule-' in page
