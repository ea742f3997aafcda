"""The resolution's rules as pure functions: today is passed in, nothing reads the clock or the DB.

Clause 1.1: each non-exempt body's first head meets the population at least once per quarter, in
agreement with the akimat. Clause 1.4: the quarterly information is due on the 10th day of the month
after the quarter. Clauses 3.1 and 3.3: the half-year schedule and results are due on 15 June and
15 December. Deadlines on a day off move to the next working day (the calendar decides).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kezdesu.core.calendar import WorkingCalendar

AT_RISK_DAYS = 21  # "under 3 weeks left and nothing agreed"

HELD_STATES = frozenset({"held", "reported"})
AGREED_STATES = frozenset({"agreed", "announced"})


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse '2026-Q3'; raises ValueError otherwise."""
        year, _, q = text.upper().partition("-Q")
        quarter = cls(int(year), int(q))
        if not 1 <= quarter.number <= 4:
            raise ValueError(text)
        return quarter

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def quarters_of(year: int) -> list[Quarter]:
    return [Quarter(year, n) for n in range(1, 5)]


@dataclass(frozen=True)
class BodyFact:
    slug: str
    exempt: bool
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class MeetingFact:
    id: int
    body: str
    day: dt.date            # the local date the meeting is (or was) held
    status: str
    agreed: bool            # the akimat agreed it (directly or by accepting its counter-proposal)
    first_head: bool        # held by the body's first head, not a deputy
    acting: bool            # the first head was acting
    kind: str = "scheduled"


@dataclass(frozen=True)
class MeetingVerdict:
    id: int
    counted: bool
    reason: str  # "counted" or why not


@dataclass(frozen=True)
class QuarterStatus:
    body: str
    quarter: Quarter
    status: str  # exempt | met | planned | pending | at_risk | missed | not_applicable
    counted: tuple[int, ...]
    not_counted: tuple[MeetingVerdict, ...]
    planned: tuple[int, ...]
    report_deadline: dt.date
    report_status: str  # not_due | due | on_time | late | missing | exempt


def meeting_verdict(m: MeetingFact, *, in_force: dt.date, acting_counts: bool) -> MeetingVerdict:
    """Say whether one meeting counts toward its quarter's quota, and why not if it does not."""
    if m.status in ("cancelled",):
        reason = "cancelled"
    elif m.status in ("draft", "proposed", "returned", "declined", "postponed"):
        reason = "not_agreed" if m.status != "draft" else "draft"
    elif m.status in AGREED_STATES:
        reason = "not_yet_held"
    elif not m.agreed:
        reason = "not_agreed"
    elif not m.first_head:
        reason = "not_first_head"
    elif m.acting and not acting_counts:
        reason = "acting_head"
    elif m.day < in_force:
        reason = "before_in_force"
    else:
        reason = "counted"
    return MeetingVerdict(m.id, reason == "counted", reason)


def report_deadline(quarter: Quarter, calendar: WorkingCalendar) -> dt.date:
    """Clause 1.4: the 10th of the month after the quarter, moved to the next working day."""
    return calendar.deadline(quarter.next().start.replace(day=10))


def report_status(*, quarter: Quarter, today: dt.date, deadline: dt.date, submitted_on: dt.date | None,
                  exempt: bool = False) -> str:
    if submitted_on is not None:
        return "on_time" if submitted_on <= deadline else "late"
    if exempt:
        return "exempt"
    if today <= quarter.end:
        return "not_due"
    return "due" if today <= deadline else "missing"


def quarter_status(*, body: BodyFact, quarter: Quarter, meetings: Sequence[MeetingFact], today: dt.date,
                   calendar: WorkingCalendar, in_force: dt.date, acting_counts: bool,
                   submitted_on: dt.date | None = None) -> QuarterStatus:
    """The compliance status of one body in one quarter, with the verdict on each of its meetings."""
    verdicts = [meeting_verdict(m, in_force=in_force, acting_counts=acting_counts) for m in meetings]
    counted = tuple(m.id for m, v in zip(meetings, verdicts, strict=True) if v.counted and m.day <= today)
    planned = tuple(m.id for m in meetings
                    if m.status in AGREED_STATES and m.first_head and m.day >= today)
    deadline = report_deadline(quarter, calendar)
    if quarter.end < in_force:
        status = "not_applicable"
    elif body.exempt:
        status = "exempt"
    elif counted:
        status = "met"
    elif today > quarter.end:
        status = "missed"
    elif planned:
        status = "planned"
    elif (quarter.end - today).days + 1 < AT_RISK_DAYS:  # days left, today included
        status = "at_risk"
    else:
        status = "pending"
    return QuarterStatus(
        body=body.slug, quarter=quarter, status=status, counted=counted,
        not_counted=tuple(v for v in verdicts if not v.counted), planned=planned, report_deadline=deadline,
        report_status=report_status(quarter=quarter, today=today, deadline=deadline, submitted_on=submitted_on,
                                    exempt=body.exempt)
        if owed(period_end=quarter.end, nominal_deadline=quarter.end, in_force=in_force) else "not_applicable",
    )


def compliance_matrix(*, bodies: Iterable[BodyFact], meetings: Iterable[MeetingFact], quarters: Sequence[Quarter],
                      today: dt.date, calendar: WorkingCalendar, in_force: dt.date, acting_counts: bool,
                      submissions: dict[tuple[str, Quarter], dt.date] | None = None) -> list[QuarterStatus]:
    """Statuses for every body valid in each quarter, ordered by body then quarter."""
    by_key: dict[tuple[str, Quarter], list[MeetingFact]] = defaultdict(list)
    for m in meetings:
        by_key[(m.body, Quarter.of(m.day))].append(m)
    submissions = submissions or {}
    out = []
    for body in sorted(bodies, key=lambda b: b.slug):
        for q in quarters:
            if body.valid_from > q.end or (body.valid_to is not None and body.valid_to < q.start):
                continue
            out.append(quarter_status(body=body, quarter=q, meetings=by_key.get((body.slug, q), ()), today=today,
                                      calendar=calendar, in_force=in_force, acting_counts=acting_counts,
                                      submitted_on=submissions.get((body.slug, q))))
    return out


def half_year_deadline(year: int, half: int, calendar: WorkingCalendar) -> dt.date:
    """Clauses 3.1 and 3.3: drafts and results are due on 15 June (H1) and 15 December (H2)."""
    return calendar.deadline(dt.date(year, 6 if half == 1 else 12, 15))


def plan_deadline(year: int, half: int, calendar: WorkingCalendar) -> dt.date:
    """Clause 3.1: the draft schedule for a half-year is due before the half starts:
    15 December of the previous year for January–June, 15 June for July–December."""
    return calendar.deadline(dt.date(year - 1, 12, 15) if half == 1 else dt.date(year, 6, 15))


# --- entry into force (clause 4), half-year items (clauses 3.1, 3.3), unscheduled meetings (clause 1.3) ---

def owed(*, period_end: dt.date, nominal_deadline: dt.date, in_force: dt.date) -> bool:
    """Clause 4: nothing is owed for a period that ended before the act was in force, nor for a
    deadline that passed before it (the draft schedule of 2024-H1 was due on 15 December 2023)."""
    return period_end >= in_force and nominal_deadline >= in_force


def half_year_bounds(year: int, half: int) -> tuple[dt.date, dt.date]:
    return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1 else (dt.date(year, 7, 1), dt.date(year, 12, 31))


def half_year_nominal_deadline(year: int, half: int, item: str) -> dt.date:
    """The date the resolution names: the draft schedule (item "schedule", cl. 3.1) of a half-year is due
    before 15 December of the year before (H1) or 15 June (H2); its results (item "results", cl. 3.3)
    before 15 June (H1) or 15 December (H2)."""
    if item == "schedule":
        return dt.date(year - 1, 12, 15) if half == 1 else dt.date(year, 6, 15)
    if item == "results":
        return dt.date(year, 6, 15) if half == 1 else dt.date(year, 12, 15)
    raise ValueError(item)


def half_year_item_deadline(nominal: dt.date, *, inclusive: bool, calendar: WorkingCalendar) -> dt.date:
    """The last day that is "before 15 June/December": the 15th itself when the reading is inclusive,
    the 14th otherwise; a day off moves it to the next working day like every other deadline."""
    return calendar.deadline(nominal if inclusive else nominal - dt.timedelta(days=1))


def half_year_item_status(*, today: dt.date, opens_on: dt.date, deadline: dt.date,
                          done_on: dt.date | None) -> str:
    """not_due (before `opens_on`) / due / on_time / late / missing, like the quarterly reports."""
    if done_on is not None:
        return "on_time" if done_on <= deadline else "late"
    if today < opens_on:
        return "not_due"
    return "due" if today <= deadline else "missing"


@dataclass(frozen=True)
class HalfYearItem:
    year: int
    half: int
    item: str               # schedule | results
    owed: bool
    nominal_deadline: dt.date
    deadline: dt.date | None  # None when nothing is owed (before entry into force)
    status: str             # not_applicable | not_due | due | on_time | late | missing
    done_on: dt.date | None
    inclusive: bool         # the reading of "before the 15th" the deadline was computed with


def half_year_item(*, year: int, half: int, item: str, today: dt.date, done_on: dt.date | None,
                   calendar: WorkingCalendar, in_force: dt.date, inclusive: bool) -> HalfYearItem:
    """The status of the draft schedule or of the results of one half-year as of `today`.

    The schedule is due from the start of the preceding half-year; the results from the start of their
    own half-year (they are due before it ends)."""
    nominal = half_year_nominal_deadline(year, half, item)
    start, end = half_year_bounds(year, half)
    if not owed(period_end=end, nominal_deadline=nominal, in_force=in_force):
        return HalfYearItem(year, half, item, False, nominal, None, "not_applicable", done_on, inclusive)
    deadline = half_year_item_deadline(nominal, inclusive=inclusive, calendar=calendar)
    opens_on = start if item == "results" else half_year_bounds(*((year - 1, 2) if half == 1 else (year, 1)))[0]
    status = half_year_item_status(today=today, opens_on=opens_on, deadline=deadline, done_on=done_on)
    return HalfYearItem(year, half, item, True, nominal, deadline, status, done_on, inclusive)


def obligation_deadline(opened_on: dt.date, *, days: int, calendar: WorkingCalendar) -> dt.date:
    """Clause 1.3: `days` after the alert opened; a day off moves it to the next working day."""
    return calendar.deadline(opened_on + dt.timedelta(days=days))


def unscheduled_verdict(*, kind: str, status: str, same_body: bool, same_region: bool, first_head: bool,
                        acting: bool, acting_counts: bool, agreed_at: dt.datetime | None, starts_at: dt.datetime,
                        day: dt.date, opened_on: dt.date, deadline: dt.date) -> str:
    """Whether one meeting fulfils an obligation of clause 1.3: "answers", or the first reason it does not.

    It must be an unscheduled meeting of the obliged body in the alert's region, held by the first head
    (an acting one only when `acting_counts`), agreed with the akimat before it started (to the second),
    on a local `day` from the alert's opening to the deadline, and held."""
    checks = (
        (same_body, "other_body"), (same_region, "other_region"), (kind == "unscheduled", "not_unscheduled"),
        (opened_on <= day, "before_alert"), (day <= deadline, "after_deadline"),
        (agreed_at is not None and status not in ("draft", "proposed", "returned", "declined"), "not_agreed"),
        (agreed_at is None or agreed_at <= starts_at, "agreed_after_start"),
        (first_head, "not_first_head"), (not acting or acting_counts, "acting_head"),
        (status in HELD_STATES, "not_yet_held"),
    )
    return next((reason for ok, reason in checks if not ok), "answers")
