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
from kezdesu.core.parsing import year_in_range

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
        """Parse '2026-Q3'; raises ValueError otherwise (also for a year outside the system's range)."""
        year, _, q = text.upper().partition("-Q")
        quarter = cls(int(year), int(q))
        if not 1 <= quarter.number <= 4 or not year_in_range(quarter.year):
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
                                    exempt=body.exempt),
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
