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
from dataclasses import dataclass, replace

from kezdesu.core.calendar import WorkingCalendar, within
from kezdesu.core.parsing import year_in_range
from kezdesu.meetings.states import Status

AT_RISK_DAYS = 21  # "under 3 weeks left and nothing agreed"



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
class Readings:
    """The open readings of the resolution, each a setting (see docs/decisions/0013–0016).

    `acting_counts`: a meeting held by an acting first head counts. `online_counts`: a meeting held
    online only counts. `unscheduled_counts`: an unscheduled meeting (clause 1.3) also counts toward
    the quarter. `min_days_in_office`: days a body (or its line) must be in office within a quarter
    for the quarter to be owed; 0 means "owed if in office on the quarter's last day".
    """

    acting_counts: bool = True
    online_counts: bool = False
    unscheduled_counts: bool = True
    min_days_in_office: int = 0

    def as_dict(self) -> dict[str, bool | int]:
        return {"ACTING_HEAD_COUNTS": self.acting_counts, "ONLINE_MEETINGS_COUNT": self.online_counts,
                "UNSCHEDULED_COUNT_FOR_QUARTER": self.unscheduled_counts,
                "QUARTER_MIN_DAYS_IN_OFFICE": self.min_days_in_office}


@dataclass(frozen=True)
class BodyFact:
    slug: str
    exempt: bool
    valid_from: dt.date
    valid_to: dt.date | None
    predecessor: str | None = None  # the body this one renames or succeeds (clause 1: one line of bodies)

    def valid_on(self, day: dt.date) -> bool:
        return within(day, self.valid_from, self.valid_to)

    def valid_during(self, start: dt.date, end: dt.date) -> bool:
        return self.valid_from <= end and (self.valid_to is None or self.valid_to >= start)


@dataclass(frozen=True)
class MeetingFact:
    """One meeting as seen by one hosting body: the main body, or a co-host of a joint meeting."""

    id: int
    body: str
    day: dt.date            # the local (Asia/Almaty) date the meeting is (or was) held
    status: str
    agreed: bool            # the akimat agreed it (directly or by its counter-proposal being accepted)
    first_head: bool        # held (for this body) by its first head, not a deputy
    acting: bool            # the first head was acting
    kind: str = "scheduled"
    starts_at: dt.datetime | None = None   # aware; compared with `agreed_at` to the second
    agreed_at: dt.datetime | None = None
    in_office: bool = True  # the head was in office on `day`
    format: str = "in_person"
    cohost: bool = False    # this body co-hosts another body's meeting
    agreed_in_region: bool = True  # the agreeing akimat is the one of the meeting's region


@dataclass(frozen=True)
class MeetingVerdict:
    id: int
    counted: bool
    reason: str  # "counted" or why not


@dataclass(frozen=True)
class QuarterStatus:
    body: str
    quarter: Quarter
    status: str  # exempt | met | planned | pending | at_risk | missed | not_applicable | not_owed
    counted: tuple[int, ...]
    not_counted: tuple[MeetingVerdict, ...]
    planned: tuple[int, ...]
    report_deadline: dt.date
    report_status: str  # not_due | due | on_time | late | missing | exempt | not_owed
    line: tuple[str, ...] = ()     # the bodies whose meetings count for this row, predecessors first
    joint: tuple[int, ...] = ()    # meetings of the quarter this body co-hosts


def _to_second(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=0)


def _agreement_reason(m: MeetingFact) -> str | None:
    """Why the meeting's state or its akimat agreement keeps it from counting, or None."""
    if m.status == Status.CANCELLED:
        return "cancelled"
    if m.status == Status.DRAFT:
        return "draft"
    if m.status in Status.UNAGREED_STATES:
        return "not_agreed"
    if m.status in Status.AGREED_STATES:
        return "not_yet_held"
    if not m.agreed:
        return "not_agreed"
    if not m.agreed_in_region:
        return "agreed_by_other_region"
    if m.agreed_at is not None and m.starts_at is not None and _to_second(m.agreed_at) > _to_second(m.starts_at):
        return "agreed_after_start"
    return None


def _holding_reason(m: MeetingFact, *, in_force: dt.date, readings: Readings) -> str | None:
    """Why who held the meeting, how or when keeps it from counting, or None."""
    rules = (
        (not m.in_office, "head_not_in_office"), (not m.first_head, "not_first_head"),
        (m.acting and not readings.acting_counts, "acting_head"),
        (m.format == "online" and not readings.online_counts, "online_only"),
        (m.kind == "unscheduled" and not readings.unscheduled_counts, "unscheduled"),
        (m.day < in_force, "before_in_force"),
    )
    return next((reason for holds, reason in rules if holds), None)


def meeting_verdict(m: MeetingFact, *, in_force: dt.date, readings: Readings) -> MeetingVerdict:
    """Say whether one meeting counts toward its quarter's quota, and why not if it does not."""
    reason = _agreement_reason(m) or _holding_reason(m, in_force=in_force, readings=readings) or "counted"
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


def _quota_status(*, quarter: Quarter, today: dt.date, in_force: dt.date, exempt: bool, owed: bool,
                  counted: bool, planned: bool) -> str:
    """The quota status of a quarter: the first of these that holds."""
    days_left = (quarter.end - today).days + 1  # today included
    rules = (
        (quarter.end < in_force, "not_applicable"), (exempt, "exempt"), (not owed, "not_owed"), (counted, "met"),
        (today > quarter.end, "missed"), (planned, "planned"), (days_left < AT_RISK_DAYS, "at_risk"),
    )
    return next((status for holds, status in rules if holds), "pending")


def _quarter_report_status(*, quarter: Quarter, today: dt.date, deadline: dt.date, in_force: dt.date,
                           exempt: bool, owed: bool, submitted_on: dt.date | None) -> str:
    if not owed_under_act(period_end=quarter.end, nominal_deadline=quarter.end, in_force=in_force):
        return "not_applicable"
    if owed or exempt or submitted_on is not None:
        return report_status(quarter=quarter, today=today, deadline=deadline, submitted_on=submitted_on,
                             exempt=exempt)
    return "not_owed"


def quarter_status(*, body: BodyFact, quarter: Quarter, meetings: Sequence[MeetingFact], today: dt.date,
                   calendar: WorkingCalendar, in_force: dt.date, readings: Readings,
                   submitted_on: dt.date | None = None, line: Sequence[str] = (), owed: bool = True
                   ) -> QuarterStatus:
    """The compliance status of one body (or line of bodies) in one quarter, with the verdict on each
    meeting. `meetings` are those of every body in `line`; `owed` is False when the line was in office
    for too little of the quarter (see `quarter_owed`)."""
    verdicts = [meeting_verdict(m, in_force=in_force, readings=readings) for m in meetings]
    counted = tuple(dict.fromkeys(m.id for m, v in zip(meetings, verdicts, strict=True)
                                  if v.counted and m.day <= today))
    planned = tuple(dict.fromkeys(
        m.id for m in meetings if m.status in Status.AGREED_STATES and m.day >= today
        and meeting_verdict(replace(m, status=Status.HELD), in_force=in_force, readings=readings).counted))
    deadline = report_deadline(quarter, calendar)
    status = _quota_status(quarter=quarter, today=today, in_force=in_force, exempt=body.exempt, owed=owed,
                           counted=bool(counted), planned=bool(planned))
    reported = _quarter_report_status(quarter=quarter, today=today, deadline=deadline, in_force=in_force,
                                      exempt=body.exempt, owed=owed, submitted_on=submitted_on)
    return QuarterStatus(
        body=body.slug, quarter=quarter, status=status, counted=counted,
        not_counted=tuple(v for v in verdicts if not v.counted), planned=planned, report_deadline=deadline,
        report_status=reported, line=tuple(line) or (body.slug,),
        joint=tuple(dict.fromkeys(m.id for m in meetings if m.cohost)),
    )


def body_lines(bodies: Iterable[BodyFact]) -> list[tuple[BodyFact, ...]]:
    """Group bodies into lines of succession (a renamed or reorganised body and its successors),
    each ordered from the oldest to the newest. A body whose predecessor is not among `bodies` starts
    a line of its own."""
    by_slug = {b.slug: b for b in bodies}
    successor = {b.predecessor: b for b in by_slug.values() if b.predecessor in by_slug}
    lines = []
    for root in sorted(by_slug.values(), key=lambda b: b.slug):
        if root.predecessor in by_slug:
            continue
        line, seen = [root], {root.slug}
        while line[-1].slug in successor and successor[line[-1].slug].slug not in seen:
            line.append(successor[line[-1].slug])
            seen.add(line[-1].slug)
        lines.append(tuple(line))
    return lines


def line_owner(line: Sequence[BodyFact], deadline: dt.date) -> BodyFact:
    """The body of a line that owes a quarter's report: the one in office on the report deadline, or,
    if the line ended before it, the last one in office."""
    started = [b for b in line if b.valid_from <= deadline] or list(line[:1])
    return next((b for b in reversed(started) if b.valid_on(deadline)), started[-1])


def days_in_office(line: Sequence[BodyFact], quarter: Quarter) -> int:
    """Days of `quarter` on which some body of the line was in office."""
    days = set()
    for b in line:
        start = max(b.valid_from, quarter.start)
        end = min(b.valid_to or quarter.end, quarter.end)
        days.update(start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    return len(days)


def quarter_owed(line: Sequence[BodyFact], quarter: Quarter, min_days_in_office: int) -> bool:
    """Whether a line of bodies owes `quarter` (docs/decisions/0016): with 0 days, if one of its bodies
    is in office on the quarter's last day; otherwise, if it is in office at least that many days."""
    if min_days_in_office <= 0:
        return any(b.valid_on(quarter.end) for b in line)
    return days_in_office(line, quarter) >= min_days_in_office


def compliance_matrix(*, bodies: Iterable[BodyFact], meetings: Iterable[MeetingFact], quarters: Sequence[Quarter],
                      today: dt.date, calendar: WorkingCalendar, in_force: dt.date, readings: Readings,
                      submissions: dict[tuple[str, Quarter], dt.date] | None = None) -> list[QuarterStatus]:
    """Statuses for every line of bodies in office in each quarter, ordered by body then quarter.

    A successor inherits its predecessor's quarter: one row per line and quarter, owed by the body in
    office on the report deadline, met by a counted meeting of any body of the line.
    """
    by_key: dict[tuple[str, Quarter], list[MeetingFact]] = defaultdict(list)
    for m in meetings:
        by_key[(m.body, Quarter.of(m.day))].append(m)
    submissions = submissions or {}
    out = []
    for line in body_lines(bodies):
        for q in quarters:
            members = [b for b in line if b.valid_during(q.start, q.end)]
            if not members:
                continue
            deadline = report_deadline(q, calendar)
            owner = line_owner(line, deadline)
            if not owner.valid_during(q.start, deadline):
                owner = members[-1]
            slugs = tuple(dict.fromkeys([*(b.slug for b in members), owner.slug]))
            submitted = [submissions[(s, q)] for s in slugs if (s, q) in submissions]
            out.append(quarter_status(
                body=owner, quarter=q, meetings=[m for s in slugs for m in by_key.get((s, q), ())], today=today,
                calendar=calendar, in_force=in_force, readings=readings,
                submitted_on=min(submitted) if submitted else None, line=slugs,
                owed=quarter_owed(members, q, readings.min_days_in_office)))
    return sorted(out, key=lambda r: (r.body, r.quarter))


def half_year_deadline(year: int, half: int, calendar: WorkingCalendar) -> dt.date:
    """Clauses 3.1 and 3.3: drafts and results are due on 15 June (H1) and 15 December (H2)."""
    return calendar.deadline(dt.date(year, 6 if half == 1 else 12, 15))


def plan_deadline(year: int, half: int, calendar: WorkingCalendar) -> dt.date:
    """Clause 3.1: the draft schedule for a half-year is due before the half starts:
    15 December of the previous year for January–June, 15 June for July–December."""
    return calendar.deadline(dt.date(year - 1, 12, 15) if half == 1 else dt.date(year, 6, 15))


# --- entry into force (clause 4), half-year items (clauses 3.1, 3.3), unscheduled meetings (clause 1.3) ---

def owed_under_act(*, period_end: dt.date, nominal_deadline: dt.date, in_force: dt.date) -> bool:
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
    if not owed_under_act(period_end=end, nominal_deadline=nominal, in_force=in_force):
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
        (agreed_at is not None and status not in {Status.DRAFT, *Status.UNAGREED_STATES}, "not_agreed"),
        (agreed_at is None or agreed_at <= starts_at, "agreed_after_start"),
        (first_head, "not_first_head"), (not acting or acting_counts, "acting_head"),
        (status in Status.HELD_STATES, "not_yet_held"),
    )
    return next((reason for ok, reason in checks if not ok), "answers")
