"""The counting rules of issue 10 on hand-made facts, dates pinned: agreement before the start to the
second, the head on the day, lines of renamed bodies, joint meetings and the open readings."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kezdesu.compliance.rules import (
    BodyFact,
    MeetingFact,
    Quarter,
    Readings,
    compliance_matrix,
    meeting_verdict,
    quarter_owed,
)
from kezdesu.core.calendar import WorkingCalendar

D = dt.date
ALMATY = ZoneInfo("Asia/Almaty")
CAL = WorkingCalendar()
IN_FORCE = D(2024, 1, 18)
START = dt.datetime(2026, 8, 12, 11, 0, 0, tzinfo=ALMATY)
AUG_12 = D(2026, 8, 12)
NOV_1_2025 = D(2025, 11, 1)


def held(i=1, body="health", day=AUG_12, **kw):
    return MeetingFact(**{"id": i, "body": body, "day": day, "status": "held", "agreed": True, "first_head": True,
                          "acting": False, **kw})


def verdict(m, **readings):
    return meeting_verdict(m, in_force=IN_FORCE, readings=Readings(**readings)).reason


@pytest.mark.parametrize(("agreed_at", "reason"), [
    (START - dt.timedelta(seconds=1), "counted"),
    (START, "counted"),                                   # the same second is not after the start
    (START + dt.timedelta(microseconds=999_999), "counted"),  # still within the start's second
    (START + dt.timedelta(seconds=1), "agreed_after_start"),
    (START + dt.timedelta(days=3), "agreed_after_start"),
])
def test_agreement_must_come_before_the_start_to_the_second(agreed_at, reason):
    assert verdict(held(starts_at=START, agreed_at=agreed_at)) == reason


def test_agreement_is_compared_as_instants_not_local_clock_times():
    # 10:30 in UTC is 15:30 in Almaty: after an 11:00 Almaty start although "10:30" < "11:00".
    agreed = dt.datetime(2026, 8, 12, 10, 30, tzinfo=dt.UTC)
    assert verdict(held(starts_at=START, agreed_at=agreed)) == "agreed_after_start"
    assert verdict(held(starts_at=START, agreed_at=dt.datetime(2026, 8, 12, 4, 59, 59, tzinfo=dt.UTC))) == "counted"


def test_agreement_by_another_regions_akimat_does_not_count():
    assert verdict(held(agreed_in_region=False)) == "agreed_by_other_region"


def test_a_head_not_in_office_that_day_does_not_count():
    assert verdict(held(in_office=False)) == "head_not_in_office"


@pytest.mark.parametrize(("fact", "readings", "reason"), [
    (held(format="online"), {}, "online_only"),
    (held(format="online"), {"online_counts": True}, "counted"),
    (held(format="hybrid"), {}, "counted"),
    (held(kind="unscheduled"), {}, "counted"),
    (held(kind="unscheduled"), {"unscheduled_counts": False}, "unscheduled"),
    (held(acting=True), {}, "counted"),
    (held(acting=True), {"acting_counts": False}, "acting_head"),
])
def test_each_open_reading_changes_only_its_own_figure(fact, readings, reason):
    assert verdict(fact, **readings) == reason


def test_planned_meetings_follow_the_readings_too():
    online = MeetingFact(1, "health", D(2026, 9, 20), "agreed", True, True, False, format="online")
    body = BodyFact("health", False, D(2024, 1, 1), None)
    kw = {"bodies": [body], "meetings": [online], "quarters": [Quarter(2026, 3)], "today": D(2026, 9, 1),
          "calendar": CAL, "in_force": IN_FORCE}
    assert compliance_matrix(**kw, readings=Readings())[0].status == "pending"
    assert compliance_matrix(**kw, readings=Readings(online_counts=True))[0].status == "planned"


# --- a renaming on the 17th, the successor from the 18th ----------------------------------------------------

OLD = BodyFact("digital-development", False, D(2024, 1, 1), D(2025, 9, 17))
NEW = BodyFact("ai-digital-development", False, D(2025, 9, 18), None, predecessor="digital-development")
Q3_2025 = Quarter(2025, 3)


def matrix(meetings, today=NOV_1_2025, quarters=(Q3_2025,), bodies=(OLD, NEW), submissions=None, **readings):
    return compliance_matrix(bodies=list(bodies), meetings=meetings, quarters=list(quarters), today=today,
                             calendar=CAL, in_force=IN_FORCE, readings=Readings(**readings),
                             submissions=submissions)


def test_one_obligation_for_the_line_met_by_the_predecessor():
    rows = matrix([held(1, "digital-development", D(2025, 9, 17))])
    assert [(r.body, r.status, r.counted, r.line) for r in rows] == [
        ("ai-digital-development", "met", (1,), ("digital-development", "ai-digital-development"))]


def test_one_obligation_for_the_line_met_by_the_successor_on_its_first_day():
    rows = matrix([held(2, "ai-digital-development", D(2025, 9, 18))])
    assert [(r.body, r.status, r.counted) for r in rows] == [("ai-digital-development", "met", (2,))]


def test_the_line_misses_the_quarter_once_not_twice():
    rows = matrix([])
    assert [(r.body, r.status, r.report_status) for r in rows] == [("ai-digital-development", "missed", "missing")]


def test_the_report_is_owed_by_the_body_in_office_on_the_deadline():
    # Renamed after the quarter but before the 10 October deadline: the successor reports for Q3.
    old = BodyFact("old", False, D(2024, 1, 1), D(2025, 10, 3))
    new = BodyFact("new", False, D(2025, 10, 4), None, predecessor="old")
    rows = matrix([held(3, "old", D(2025, 8, 1))], bodies=(old, new))
    assert [(r.body, str(r.quarter), r.status, r.line) for r in rows] == [("new", "2025-Q3", "met", ("old", "new"))]


def test_a_report_submitted_by_the_predecessor_counts_for_the_line():
    rows = matrix([], submissions={("digital-development", Q3_2025): D(2025, 10, 9)})
    assert rows[0].report_status == "on_time"


def test_an_abolished_body_owes_no_quarter_it_left_by_default():
    gone = BodyFact("gone", False, D(2024, 1, 1), D(2026, 8, 20))
    rows = matrix([], bodies=(gone,), quarters=(Quarter(2026, 3),), today=D(2026, 11, 1))
    assert [(r.status, r.report_status) for r in rows] == [("not_owed", "not_owed")]


@pytest.mark.parametrize(("valid_from", "min_days", "owed"), [
    (D(2026, 9, 30), 0, True),    # in office on the last day
    (D(2026, 9, 30), 1, True),
    (D(2026, 9, 30), 2, False),
    (D(2026, 9, 1), 30, True),    # 1–30 September: 30 days
    (D(2026, 9, 2), 30, False),
])
def test_a_body_created_mid_quarter_follows_the_minimum_days_setting(valid_from, min_days, owed):
    body = BodyFact("new", False, valid_from, None)
    assert quarter_owed([body], Quarter(2026, 3), min_days) is owed
    row = matrix([], bodies=(body,), quarters=(Quarter(2026, 3),), today=D(2026, 11, 1),
                 min_days_in_office=min_days)[0]
    assert row.status == ("missed" if owed else "not_owed")


def test_a_renaming_keeps_the_line_in_office_every_day():
    assert quarter_owed([OLD, NEW], Q3_2025, 92)


# --- joint meetings -----------------------------------------------------------------------------------------


def test_a_joint_meeting_counts_for_each_co_host_on_its_own_head():
    health = BodyFact("health", False, D(2024, 1, 1), None)
    energy = BodyFact("energy", False, D(2024, 1, 1), None)
    water = BodyFact("water", False, D(2024, 1, 1), None)
    facts = [held(7, "health"), held(7, "energy", cohost=True),
             held(7, "water", cohost=True, first_head=False)]  # water sent a deputy
    rows = {r.body: r for r in matrix(facts, bodies=(health, energy, water), quarters=(Quarter(2026, 3),),
                                      today=D(2026, 11, 1))}
    assert (rows["health"].status, rows["health"].joint) == ("met", ())
    assert (rows["energy"].status, rows["energy"].counted, rows["energy"].joint) == ("met", (7,), (7,))
    assert rows["water"].status == "missed"
    assert [(v.id, v.reason) for v in rows["water"].not_counted] == [(7, "not_first_head")]


def test_quarters_are_cut_at_almaty_midnight():
    # 01:00 in Almaty on 1 October is 30 September in UTC: the meeting belongs to Q4 (the fact's day is local).
    starts = dt.datetime(2026, 10, 1, 1, 0, tzinfo=ALMATY)
    assert starts.astimezone(dt.UTC).date() == D(2026, 9, 30)
    fact = held(9, day=starts.date(), starts_at=starts, agreed_at=starts - dt.timedelta(days=5))
    body = BodyFact("health", False, D(2024, 1, 1), None)
    rows = matrix([fact], bodies=(body,), quarters=(Quarter(2026, 3), Quarter(2026, 4)), today=D(2027, 1, 20))
    assert [(str(r.quarter), r.status) for r in rows] == [("2026-Q3", "missed"), ("2026-Q4", "met")]
