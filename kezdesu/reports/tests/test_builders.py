"""The numbers of each report, built from data made through the services."""

import datetime as dt
from types import SimpleNamespace

import pytest

from kezdesu.compliance.rules import Quarter
from kezdesu.core.actors import SYSTEM
from kezdesu.registry.models import Body, Region
from kezdesu.reports import selectors
from kezdesu.reports.builders import HalfYear, build_annex, quarterly_from_snapshot, to_snapshot
from kezdesu.reports.tests.factories import PROMISE

pytestmark = pytest.mark.django_db
Q3 = Quarter(2026, 3)


def test_quarterly_figures(q3):
    data = selectors.quarterly_data(user=SYSTEM, body=q3.health, quarter=Q3, today=dt.date(2026, 10, 5))
    assert [m.day for m in data.meetings] == [dt.date(2026, 8, 12), dt.date(2026, 9, 2), dt.date(2026, 9, 21)]
    assert (len(data.meetings), data.attendance_total, data.online_total) == (3, 335, 1200)
    assert [(m.first_head, m.counted, m.not_counted_reason) for m in data.meetings] == [
        (True, True, ""), (False, False, "not_first_head"), (True, True, "")]
    assert data.counted_total == 2 and data.first_head_total == 2
    assert [m.kind for m in data.unscheduled] == ["unscheduled"]


def test_quarterly_questions_commitments_and_status(q3):
    data = selectors.quarterly_data(user=SYSTEM, body=q3.health, quarter=Q3, today=dt.date(2026, 10, 5))
    q = data.questions
    assert (q.raised, q.on_the_spot, q.under_control, q.portal, q.portal_answered) == (4, 2, 2, 1, 1)
    assert [m.questions_raised for m in data.meetings] == [3, 1, 0]
    assert [c.text for c in data.commitments] == [PROMISE, "Жедел жәрдем көлігін сатып алу"]
    assert [(c.responsible.kk, c.responsible_is_akimat) for c in data.commitments] == [
        ("Денсаулық сақтау министрлігі", False), ("Абай облысы", True)]
    assert data.commitment_totals.total == 2 and data.commitment_totals.overdue == 1  # due 30.09, still open
    assert ("https://news.example.kz/health-1" in [link for _m, link in data.media_links])
    assert data.compliance_status == "met"
    assert data.report_deadline == dt.date(2026, 10, 12)  # 10 October 2026 is a Saturday
    assert data.report_status == "due" and data.is_draft
    assert data.alerts == ()


def test_report_status_follows_the_calendar(q3):
    def status(today):
        return selectors.quarterly_data(user=SYSTEM, body=q3.health, quarter=Q3, today=today).report_status

    assert status(dt.date(2026, 9, 15)) == "not_due"
    assert status(dt.date(2026, 10, 12)) == "due"
    assert status(dt.date(2026, 10, 13)) == "missing"


def test_a_snapshot_gives_back_the_same_report(q3):
    data = selectors.quarterly_data(user=SYSTEM, body=q3.health, quarter=Q3, today=dt.date(2026, 10, 5))
    assert quarterly_from_snapshot(to_snapshot(data)) == data
    assert quarterly_from_snapshot({}) is None
    assert quarterly_from_snapshot({"schema": 0}) is None


def test_half_year_compliance_and_coverage(q3):
    data = selectors.half_year_data(user=SYSTEM, half=HalfYear(2026, 2), today=dt.date(2026, 12, 20))
    by_slug = {b.slug: b for b in data.bodies}
    health = by_slug["health"]
    assert [(c.quarter, c.status) for c in health.cells] == [("2026-Q3", "met"), ("2026-Q4", "at_risk")]
    assert (health.meetings_held, health.by_first_head, health.attendance, health.regions) == (3, 2, 335, 3)
    assert by_slug["energy"].cells[0].status == "missed"
    assert by_slug["defence"].exempt and by_slug["defence"].cells[0].status == "exempt"
    assert len(data.bound_bodies) == Body.objects.valid_during(dt.date(2026, 7, 1), dt.date(2026, 12, 31)).filter(
        exempt=False).count()
    assert data.compliant_bodies == 0
    assert {r.slug for r in data.covered} == {"turkistan", "abai", "kyzylorda"}
    assert len(data.not_covered) == Region.objects.count() - 3
    assert (data.meetings_total, data.counted_total, data.attendance_total) == (3, 2, 335)
    assert data.questions.raised == 4 and data.commitments.total == 2
    assert data.deadline == dt.date(2026, 12, 15)
    assert data.alert_counts.raised == 0


def test_half_year_of_another_period_is_empty(q3):
    data = selectors.half_year_data(user=SYSTEM, half=HalfYear(2026, 1), today=dt.date(2026, 7, 1))
    assert data.meetings_total == 0 and not data.covered


def test_annex_numbers_rows_by_week(reference):
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    abai, turkistan = Region.objects.get(slug="abai"), Region.objects.get(slug="turkistan")
    plan = SimpleNamespace(status="approved", decree_number="123", decree_date=dt.date(2026, 12, 20))
    data = build_annex(half=HalfYear(2027, 1), plan=plan, generated_on=dt.date(2026, 12, 21), items=[
        (energy, abai, dt.date(2027, 2, 3)),      # a Wednesday: printed as its week
        (health, turkistan, dt.date(2027, 1, 11)),
    ])
    assert [(line.number, line.body.kk, line.week_start, line.week_end) for line in data.lines] == [
        (1, "Денсаулық сақтау министрлігі", dt.date(2027, 1, 11), dt.date(2027, 1, 15)),
        (2, "Энергетика министрлігі", dt.date(2027, 2, 1), dt.date(2027, 2, 5)),
    ]
    assert (data.decree_number, data.decree_date, data.period) == ("123", dt.date(2026, 12, 20), "2027-H1")


@pytest.mark.parametrize(("text", "ok"), [("2026-H2", True), ("2026-h1", True), ("2026-H3", False),
                                          ("2026-Q2", False), ("26-H1", False)])
def test_half_year_parsing(text, ok):
    if ok:
        assert str(HalfYear.parse(text)) == text.upper()
    else:
        with pytest.raises(ValueError):
            HalfYear.parse(text)
    assert HalfYear(2026, 1).quarters == (Quarter(2026, 1), Quarter(2026, 2))


def test_tension_obligations_and_their_answers(q3, alert):
    data = selectors.quarterly_data(user=SYSTEM, body=q3.health, quarter=Q3, today=dt.date(2026, 10, 5))
    [line] = data.alerts
    assert (line.region.kk, line.level, line.deadline, line.meeting_day, line.fulfilled) == (
        "Қызылорда облысы", "mandatory", dt.date(2026, 9, 24), dt.date(2026, 9, 21), True)
    other = selectors.quarterly_data(user=SYSTEM, body=q3.energy, quarter=Q3, today=dt.date(2026, 10, 5))
    assert other.alerts == ()
    half = selectors.half_year_data(user=SYSTEM, half=HalfYear(2026, 2), today=dt.date(2026, 12, 20))
    assert (half.alert_counts.raised, half.alert_counts.mandatory, len(half.alerts)) == (1, 1, 1)


def test_a_coordinator_sees_only_their_bodys_figures(q3, alert):
    # Even handed another body, the scoped querysets give a coordinator nothing of it.
    assert selectors.quarterly_data(user=q3.energy_coordinator, body=q3.health, quarter=Q3,
                                    today=dt.date(2026, 10, 5)) is None
    assert selectors.quarterly_body(q3.energy_coordinator, "health") is None
    assert selectors.quarterly_body(q3.coordinator, "health") == q3.health
    assert selectors.quarterly_body(q3.analyst, "energy") == q3.energy
    assert selectors.quarterly_body(q3.akimat, "health") is None
