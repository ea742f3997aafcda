"""The numbers of every report as frozen dataclasses; no layout, no language choice.

Each `build_*` takes querysets the caller has already scoped (see `selectors.py`) and facts computed by
the compliance rules (statuses, deadlines, today) and returns a dataclass that the renderers lay out.
Names of bodies, regions and people are kept in every language (`Names`) so one built report renders
in Kazakh and in Russian. `to_snapshot` and `quarterly_from_snapshot` turn a quarterly report into
JSON and back: a submitted report is stored and re-rendered exactly as it was submitted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from kezdesu.compliance.rules import Quarter, QuarterStatus, Readings
from kezdesu.core.parsing import year_in_range
from kezdesu.meetings.states import Status

SNAPSHOT_SCHEMA = 1
# Official names repeat "of the Republic of Kazakhstan"; tables and charts drop it.
_REPUBLIC = {
    "kk": re.compile(r"^Қазақстан Республикасы(ның)?\s+"),
    "ru": re.compile(r"\s+Республики Казахстан$"),
    "en": re.compile(r"\s+of the Republic of Kazakhstan$"),
}


@dataclass(frozen=True)
class Names:
    """One name in Kazakh, Russian and English; `get` falls back to Kazakh."""

    kk: str
    ru: str
    en: str = ""

    def get(self, lang: str) -> str:
        return getattr(self, lang, "") or self.kk


def names_of(obj, prefix: str = "name") -> Names:
    """Returns the trilingual `<prefix>_kk/_ru/_en` fields of `obj` as Names."""
    return Names(*(getattr(obj, f"{prefix}_{lang}", "") or "" for lang in ("kk", "ru", "en")))


def body_short_names(body) -> Names:
    """Returns the body's short names, or its official names without "of the Republic of Kazakhstan"."""
    return Names(*((getattr(body, f"short_{lang}", "") or _REPUBLIC[lang].sub("", getattr(body, f"name_{lang}", "")))
                   for lang in ("kk", "ru", "en")))


@dataclass(frozen=True, order=True)
class HalfYear:
    """A calendar half-year: 1 = January–June, 2 = July–December."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        """Parses '2026-H2'; raises ValueError otherwise (also for a year outside the system's range)."""
        match = re.fullmatch(r"(\d{4})-H([12])", text.strip().upper())
        if match is None or not year_in_range(int(match.group(1))):
            raise ValueError(text)
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def quarters(self) -> tuple[Quarter, Quarter]:
        first = 2 * self.number - 1
        return Quarter(self.year, first), Quarter(self.year, first + 1)

    @property
    def start(self) -> dt.date:
        return self.quarters[0].start

    @property
    def end(self) -> dt.date:
        return self.quarters[1].end

    def previous(self) -> HalfYear:
        return HalfYear(self.year - 1, 2) if self.number == 1 else HalfYear(self.year, 1)

    def __str__(self) -> str:
        return f"{self.year}-H{self.number}"


# --- quarterly information of one body (clause 1.4) -------------------------------------------------------


@dataclass(frozen=True)
class MeetingLine:
    id: int
    day: dt.date
    region: Names
    settlement: str
    venue: str
    format: str
    kind: str
    held_by: Names
    position: Names
    first_head: bool
    acting: bool
    attendance: int
    online_viewers: int
    speakers: int
    questions_raised: int
    answered_on_the_spot: int
    under_control: int
    portal_questions: int
    counted: bool
    not_counted_reason: str
    media_links: tuple[str, ...]
    # The body that held it when not the report's own: its predecessor, or the main host of a joint
    # meeting the report's body co-hosted.
    host: Names | None = None
    joint_with: tuple[Names, ...] = ()  # the other bodies holding the meeting jointly


@dataclass(frozen=True)
class QuestionTotals:
    raised: int = 0            # raised at the meetings
    on_the_spot: int = 0       # ... answered there and then
    under_control: int = 0     # ... taken under control
    resolved: int = 0          # ... of those, resolved since
    portal: int = 0            # asked in advance on the portal (published)
    portal_answered: int = 0   # ... answered or referred


@dataclass(frozen=True)
class CommitmentLine:
    text: str
    meeting_day: dt.date
    region: Names
    responsible: Names
    responsible_is_akimat: bool
    deadline: dt.date
    status: str
    progress: int
    overdue: bool


@dataclass(frozen=True)
class CommitmentTotals:
    total: int = 0
    open: int = 0
    in_progress: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: int = 0
    average_progress: int = 0


@dataclass(frozen=True)
class AlertLine:
    """One body's obligation to answer a social tension alert with an unscheduled meeting (clause 1.3)."""

    alert_id: int
    region: Names
    sector: Names
    level: str  # the highest level the alert reached
    opened_on: dt.date
    body: Names
    deadline: dt.date
    status: str  # the obligation's: open | fulfilled | missed | withdrawn
    meeting_day: dt.date | None

    @property
    def fulfilled(self) -> bool:
        return self.status == "fulfilled"


@dataclass(frozen=True)
class AlertCounts:
    raised: int = 0
    watch: int = 0
    warning: int = 0
    mandatory: int = 0


@dataclass(frozen=True)
class Reading:
    """One open reading of the resolution (a setting) as it stood when the report was built."""

    key: str
    value: int  # booleans as 0/1


def readings_of(readings: Readings | None) -> tuple[Reading, ...]:
    return tuple(Reading(k, int(v)) for k, v in readings.as_dict().items()) if readings is not None else ()


def readings_from(lines: Iterable[Reading]) -> Readings | None:
    """Returns the Readings the lines record, or None when the report recorded none (older snapshots)."""
    values = {r.key: r.value for r in lines}
    if not values:
        return None
    return Readings(acting_counts=bool(values.get("ACTING_HEAD_COUNTS", 1)),
                    online_counts=bool(values.get("ONLINE_MEETINGS_COUNT", 0)),
                    unscheduled_counts=bool(values.get("UNSCHEDULED_COUNT_FOR_QUARTER", 1)),
                    min_days_in_office=values.get("QUARTER_MIN_DAYS_IN_OFFICE", 0))


@dataclass(frozen=True)
class QuarterlyReportData:
    body_slug: str
    body: Names
    body_short: Names
    exempt: bool
    year: int
    quarter: int
    period_start: dt.date
    period_end: dt.date
    compliance_status: str
    report_deadline: dt.date
    report_status: str
    meetings: tuple[MeetingLine, ...]
    questions: QuestionTotals
    commitments: tuple[CommitmentLine, ...]
    commitment_totals: CommitmentTotals
    alerts: tuple[AlertLine, ...]
    generated_on: dt.date
    submitted_at: dt.datetime | None = None
    submitted_by: str = ""
    comment: str = ""
    readings: tuple[Reading, ...] = ()
    predecessors: tuple[Names, ...] = ()  # bodies whose meetings of the quarter this report carries

    @property
    def period(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None

    @property
    def attendance_total(self) -> int:
        return sum(m.attendance for m in self.meetings)

    @property
    def online_total(self) -> int:
        return sum(m.online_viewers for m in self.meetings)

    @property
    def counted_total(self) -> int:
        return sum(1 for m in self.meetings if m.counted)

    @property
    def first_head_total(self) -> int:
        return sum(1 for m in self.meetings if m.first_head)

    @property
    def unscheduled(self) -> tuple[MeetingLine, ...]:
        return tuple(m for m in self.meetings if m.kind == "unscheduled")

    @property
    def media_links(self) -> tuple[tuple[MeetingLine, str], ...]:
        return tuple((m, link) for m in self.meetings for link in m.media_links)


def _local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _question_counts(questions) -> tuple[dict[int, Counter], QuestionTotals]:
    per_meeting: dict[int, Counter] = defaultdict(Counter)
    total: Counter = Counter()
    for meeting_id, origin, handling, status in questions.values_list("meeting_id", "origin", "handling", "status"):
        if origin == "meeting":
            keys = ["raised", handling] if handling in ("on_the_spot", "under_control") else ["raised"]
            if status == "resolved":
                keys.append("resolved")
        elif status in ("published", "answered", "referred", "resolved"):
            keys = ["portal", "portal_answered"] if status != "published" else ["portal"]
        else:
            continue  # awaiting moderation or rejected: not part of the public record
        for key in keys:
            per_meeting[meeting_id][key] += 1
            total[key] += 1
    return per_meeting, QuestionTotals(**total)


def _commitment_lines(commitments, *, today: dt.date) -> tuple[tuple[CommitmentLine, ...], CommitmentTotals]:
    lines = []
    for c in commitments.select_related("meeting__region", "responsible_body", "responsible_region"):
        akimat = c.responsible_body is None
        lines.append(CommitmentLine(
            text=c.text, meeting_day=_local_day(c.meeting.starts_at), region=names_of(c.meeting.region),
            responsible=names_of(c.responsible_region) if akimat else body_short_names(c.responsible_body),
            responsible_is_akimat=akimat, deadline=c.deadline, status=c.status, progress=c.progress,
            overdue=c.is_overdue(today),
        ))
    lines.sort(key=lambda c: (c.meeting_day, c.deadline, c.text))
    return tuple(lines), commitment_totals(lines)


def commitment_totals(lines: Iterable[CommitmentLine]) -> CommitmentTotals:
    lines = list(lines)
    by_status = Counter(c.status for c in lines)
    return CommitmentTotals(
        total=len(lines), open=by_status["open"], in_progress=by_status["in_progress"], done=by_status["done"],
        cancelled=by_status["cancelled"], overdue=sum(1 for c in lines if c.overdue),
        average_progress=round(sum(c.progress for c in lines) / len(lines)) if lines else 0,
    )


def alert_lines(obligations) -> tuple[AlertLine, ...]:
    """Returns the obligations as AlertLines, oldest alert first."""
    rows = obligations.select_related("alert__region", "alert__sector", "body", "meeting")
    return tuple(
        AlertLine(alert_id=o.alert_id, region=names_of(o.alert.region), sector=names_of(o.alert.sector),
                  level=o.alert.peak_level, opened_on=o.alert.opened_on, body=body_short_names(o.body),
                  deadline=o.deadline, status=o.status,
                  meeting_day=_local_day(o.meeting.starts_at) if o.meeting_id else None)
        for o in rows.order_by("alert__opened_on", "alert_id", "body__slug")
    )


def alert_counts(alerts) -> AlertCounts:
    """Returns how many alerts were raised, by the highest level each reached."""
    levels = Counter(alerts.values_list("peak_level", flat=True))
    return AlertCounts(raised=sum(levels.values()), watch=levels["watch"], warning=levels["warning"],
                       mandatory=levels["mandatory"])


def _hosting(m, body_ids: set[int], body_pk: int):
    """Returns (the row holding the meeting for the report's line, the host's names if not the body itself,
    the names of the other hosting bodies)."""
    cohosts = list(m.cohosts.all())
    if m.body_id in body_ids:
        holder, host = m, None if m.body_id == body_pk else body_short_names(m.body)
    else:
        holder = next(c for c in cohosts if c.body_id in body_ids)
        host = body_short_names(m.body)
    others = [m.body, *(c.body for c in cohosts)]
    joint = tuple(body_short_names(b) for b in others if b.pk != holder.body_id) if cohosts else ()
    return holder, host, joint


def _meeting_line(m, *, body, body_ids: set[int], questions: Counter, counted: bool,
                  reasons: dict[int, str]) -> MeetingLine:
    """One held meeting of the quarterly information, as its frozen standing and its results say."""
    result = getattr(m, "result", None)
    links = list(result.media_links) if result is not None else []
    if m.stream_url and m.stream_url not in links:
        links.insert(0, m.stream_url)
    holder, host, joint = _hosting(m, body_ids, body.pk)
    day = _local_day(m.starts_at)
    standing = holder.standing_on(day)
    return MeetingLine(
        id=m.pk, day=day, region=names_of(m.region), settlement=m.settlement, venue=m.venue,
        format=m.format, kind=m.kind, held_by=Names(**standing.names), position=Names(**standing.positions),
        first_head=standing.first_head and standing.in_office, acting=standing.acting,
        attendance=result.attendance if result else 0,
        online_viewers=(result.online_viewers or 0) if result else 0,
        speakers=result.speakers if result else 0,
        questions_raised=questions["raised"], answered_on_the_spot=questions["on_the_spot"],
        under_control=questions["under_control"], portal_questions=questions["portal"], counted=counted,
        not_counted_reason="" if counted else reasons.get(m.pk, "not_yet_held"), media_links=tuple(links),
        host=host, joint_with=joint,
    )


def build_quarterly(*, body, quarter: Quarter, status: QuarterStatus, meetings, questions, commitments,
                    alerts, generated_on: dt.date, report=None, line=(), readings: Readings | None = None
                    ) -> QuarterlyReportData:
    """Returns the quarterly information of `body` for `quarter` (clause 1.4).

    `meetings`: the meetings of the body's line (`line`: the body and the predecessors whose quarter it
    carries) in the quarter, joint ones included (only held ones are reported); `questions` and
    `commitments`: those of these meetings; `alerts`: the body's obligations to hold an unscheduled
    meeting that concern the quarter;
    `status`: the compliance rules' verdict for the quarter; `report`: the QuarterlyReport row, if any;
    `readings`: the open readings the verdicts rest on. Who held each meeting is its frozen standing.
    """
    meetings = list(meetings.select_related("head", "region", "result", "body").filter(status__in=Status.HELD_STATES)
                    .prefetch_related("cohosts__body", "cohosts__head").order_by("starts_at", "pk"))
    line = list(line) or [body]
    body_ids = {b.pk for b in line}
    per_meeting, question_totals = _question_counts(questions)
    reasons = {v.id: v.reason for v in status.not_counted}
    lines = [_meeting_line(m, body=body, body_ids=body_ids, questions=per_meeting.get(m.pk, Counter()),
                           counted=m.pk in status.counted, reasons=reasons) for m in meetings]
    commitment_lines, totals = _commitment_lines(commitments, today=generated_on)
    submitted = report is not None and report.status == "submitted"
    submitter = report.submitted_by if submitted else None
    return QuarterlyReportData(
        body_slug=body.slug, body=names_of(body), body_short=body_short_names(body), exempt=body.exempt,
        year=quarter.year, quarter=quarter.number, period_start=quarter.start, period_end=quarter.end,
        compliance_status=status.status, report_deadline=status.report_deadline, report_status=status.report_status,
        meetings=tuple(lines), questions=question_totals, commitments=commitment_lines, commitment_totals=totals,
        alerts=alert_lines(alerts), generated_on=generated_on,
        submitted_at=report.submitted_at if submitted else None,
        submitted_by=(submitter.get_full_name() or submitter.get_username()) if submitter else "",
        comment=report.comment if report is not None else "",
        readings=readings_of(readings),
        predecessors=tuple(body_short_names(b) for b in line if b.pk != body.pk),
    )


# --- half-year results for the Office of the Government (clause 3.3) ----------------------------------------


@dataclass(frozen=True)
class QuarterCell:
    quarter: str
    status: str
    report_status: str
    report_deadline: dt.date
    counted: int


@dataclass(frozen=True)
class BodyHalfLine:
    slug: str
    name: Names
    exempt: bool
    cells: tuple[QuarterCell, ...]
    meetings_held: int
    counted: int
    by_first_head: int
    unscheduled: int
    attendance: int
    regions: int

    @property
    def compliant(self) -> bool:
        """Whether the body met the quota in every quarter of the half-year."""
        return all(c.status == "met" for c in self.cells)


@dataclass(frozen=True)
class RegionLine:
    slug: str
    name: Names
    meetings: int
    bodies: int
    attendance: int

    @property
    def covered(self) -> bool:
        return self.meetings > 0


@dataclass(frozen=True)
class HalfYearData:
    year: int
    half: int
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date
    quarters: tuple[str, ...]
    bodies: tuple[BodyHalfLine, ...]
    regions: tuple[RegionLine, ...]
    questions: QuestionTotals
    commitments: CommitmentTotals
    alerts: tuple[AlertLine, ...]
    alert_counts: AlertCounts
    generated_on: dt.date
    # Meetings and attendance counted once each: a joint meeting appears under each of its hosts.
    held_total: int = 0
    held_attendance: int = 0

    @property
    def period(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def meetings_total(self) -> int:
        return self.held_total

    @property
    def counted_total(self) -> int:
        return sum(b.counted for b in self.bodies)

    @property
    def attendance_total(self) -> int:
        return self.held_attendance

    @property
    def covered(self) -> tuple[RegionLine, ...]:
        return tuple(r for r in self.regions if r.covered)

    @property
    def not_covered(self) -> tuple[RegionLine, ...]:
        return tuple(r for r in self.regions if not r.covered)

    @property
    def bound_bodies(self) -> tuple[BodyHalfLine, ...]:
        """The bodies the resolution obliges (not exempt)."""
        return tuple(b for b in self.bodies if not b.exempt)

    @property
    def compliant_bodies(self) -> int:
        return sum(1 for b in self.bound_bodies if b.compliant)


def _attendance(meetings) -> int:
    return sum(getattr(getattr(m, "result", None), "attendance", 0) for m in meetings)


def _held_by_body_and_region(held, owner: dict[str, str]) -> tuple[dict[str, list], dict[int, list]]:
    """Held meetings with their holder's standing by the body owing the quarter, and meetings by region."""
    by_body: dict[str, list] = defaultdict(list)
    by_region: dict[int, list] = defaultdict(list)
    for m in held:
        day = _local_day(m.starts_at)
        for holder in (m, *m.cohosts.all()):  # a joint meeting is held by each of its hosts
            by_body[owner.get(holder.body.slug, holder.body.slug)].append((m, holder.standing_on(day)))
        by_region[m.region_id].append(m)
    return by_body, by_region


def _body_half_line(b, pairs: list, cells: tuple[QuarterCell, ...]) -> BodyHalfLine:
    ms = [m for m, _standing in pairs]
    return BodyHalfLine(
        slug=b.slug, name=body_short_names(b), exempt=b.exempt, cells=cells,
        meetings_held=len(ms), counted=sum(c.counted for c in cells),
        by_first_head=sum(1 for _m, st in pairs if st.first_head and st.in_office),
        unscheduled=sum(1 for m in ms if m.kind == "unscheduled"), attendance=_attendance(ms),
        regions=len({m.region_id for m in ms}),
    )


def build_half_year(*, half: HalfYear, deadline: dt.date, statuses: Iterable[QuarterStatus], bodies, regions,
                    meetings, questions, commitments, alerts, obligations, generated_on: dt.date) -> HalfYearData:
    """Returns the results of the half-year (clause 3.3).

    `statuses`: compliance of every body in both quarters; `bodies`: the bodies valid in the half-year;
    `regions`: all regions; `meetings`: meetings in the half-year (only held ones are counted);
    `questions`/`commitments`: those of these meetings; `alerts`: tension alerts raised in the
    half-year and `obligations`: obligations to answer them.
    """
    statuses = sorted(statuses, key=lambda s: s.quarter)
    # A predecessor's meetings go to the line's row: the body that owes the quarter (clause 1).
    owner = {member: s.body for s in statuses for member in s.line}
    held = list(meetings.filter(status__in=Status.HELD_STATES).select_related("head", "result", "body")
                .prefetch_related("cohosts__body", "cohosts__head"))
    by_body, by_region = _held_by_body_and_region(held, owner)
    cells: dict[str, list[QuarterCell]] = defaultdict(list)
    for s in statuses:
        cells[s.body].append(QuarterCell(quarter=str(s.quarter), status=s.status, report_status=s.report_status,
                                         report_deadline=s.report_deadline, counted=len(s.counted)))
    body_lines = sorted((_body_half_line(b, by_body.get(b.slug, []), tuple(cells.get(b.slug, ()))) for b in bodies),
                        key=lambda line: (line.exempt, line.name.kk))
    region_lines = tuple(
        RegionLine(slug=r.slug, name=names_of(r), meetings=len(ms), bodies=len({m.body_id for m in ms}),
                   attendance=_attendance(ms))
        for r in regions for ms in [by_region.get(r.pk, [])]
    )
    held_ids = [m.pk for m in held]
    _, question_totals = _question_counts(questions.filter(meeting_id__in=held_ids))
    commitment_lines, _ = _commitment_lines(commitments.filter(meeting_id__in=held_ids), today=generated_on)
    return HalfYearData(
        year=half.year, half=half.number, period_start=half.start, period_end=half.end, deadline=deadline,
        quarters=tuple(str(q) for q in half.quarters), bodies=tuple(body_lines), regions=region_lines,
        questions=question_totals, commitments=commitment_totals(commitment_lines),
        alerts=alert_lines(obligations), alert_counts=alert_counts(alerts), generated_on=generated_on,
        held_total=len(held), held_attendance=_attendance(held),
    )


# --- schedule annex of the Government decree (clause 3.1) ---------------------------------------------------


@dataclass(frozen=True)
class AnnexLine:
    number: int
    body: Names
    region: Names
    week_start: dt.date

    @property
    def week_end(self) -> dt.date:
        """The Friday of the week."""
        return self.week_start + dt.timedelta(days=4)

    @property
    def month(self) -> int:
        return self.week_start.month


@dataclass(frozen=True)
class AnnexData:
    year: int
    half: int
    plan_status: str
    decree_number: str
    decree_date: dt.date | None
    lines: tuple[AnnexLine, ...]
    generated_on: dt.date

    @property
    def period(self) -> str:
        return f"{self.year}-H{self.half}"


def build_annex(*, half: HalfYear, plan, items: Iterable[tuple], generated_on: dt.date) -> AnnexData:
    """Returns the schedule table of an agreed plan: `items` are (body, region, week) with the week as
    its Monday or as a 0-based week index from the Monday of the half-year's first week."""
    first_monday = half.start - dt.timedelta(days=half.start.weekday())
    rows = []
    for body, region, week in items:
        start = week if isinstance(week, dt.date) else first_monday + dt.timedelta(weeks=int(week))
        start -= dt.timedelta(days=start.weekday())
        rows.append((start, body_short_names(body), names_of(region)))
    rows.sort(key=lambda r: (r[0], r[1].kk, r[2].kk))
    decree_date = getattr(plan, "decree_date", None)
    return AnnexData(
        year=half.year, half=half.number, plan_status=str(getattr(plan, "status", "") or ""),
        decree_number=str(getattr(plan, "decree_number", "") or ""),
        decree_date=decree_date if isinstance(decree_date, dt.date) else None,
        lines=tuple(AnnexLine(number=i, body=b, region=r, week_start=s) for i, (s, b, r) in enumerate(rows, 1)),
        generated_on=generated_on,
    )


# --- procedure for holding meetings (clause 3.2) ------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureData:
    version: int
    title: Names
    text: Names
    effective_from: dt.date
    published_at: dt.datetime
    published_by: str
    generated_on: dt.date

    def paragraphs(self, lang: str) -> tuple[str, ...]:
        """Returns the text in `lang` split into paragraphs at blank lines (single newlines kept)."""
        return tuple(p.strip() for p in re.split(r"\n\s*\n", self.text.get(lang).replace("\r\n", "\n"))
                     if p.strip())


def build_procedure(*, document, generated_on: dt.date) -> ProcedureData:
    publisher = document.published_by
    return ProcedureData(
        version=document.version, title=names_of(document, "title"), text=names_of(document, "text"),
        effective_from=document.effective_from, published_at=document.published_at,
        published_by=(publisher.get_full_name() or publisher.get_username()) if publisher else "",
        generated_on=generated_on,
    )


# --- snapshots ----------------------------------------------------------------------------------------------


def to_snapshot(data) -> dict:
    """Returns the dataclass as JSON-ready data (dates as ISO strings) with the schema version."""

    def plain(value):
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return {"schema": SNAPSHOT_SCHEMA, **plain(dataclasses.asdict(data))}


def _load(tp, value):
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        if value is None:
            return None
        inner = next(a for a in typing.get_args(tp) if a is not type(None))
        return _load(inner, value)
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        return tuple(_load(inner, v) for v in value)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(**{f.name: _load(hints[f.name], value[f.name]) for f in dataclasses.fields(tp) if f.name in value})
    if tp is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if tp is dt.date:
        return dt.date.fromisoformat(value)
    return value


def quarterly_from_snapshot(snapshot: dict) -> QuarterlyReportData | None:
    """Returns the report stored by `to_snapshot`, or None for an empty or older snapshot."""
    if not snapshot or snapshot.get("schema") != SNAPSHOT_SCHEMA:
        return None
    try:
        return _load(QuarterlyReportData, snapshot)
    except (KeyError, TypeError, ValueError):
        return None


def half_year_from_snapshot(snapshot: dict) -> HalfYearData | None:
    """Returns the half-year results stored by `to_snapshot`, or None for an empty or older snapshot."""
    if not snapshot or snapshot.get("schema") != SNAPSHOT_SCHEMA:
        return None
    try:
        return _load(HalfYearData, snapshot)
    except (KeyError, TypeError, ValueError):
        return None


# --- briefing pack for the head before an agreed meeting ----------------------------------------------------

TREND_WEEKS = 13  # one period of the appeals table; the pack compares it with the 13 weeks before
TOP_QUESTIONS = 10


@dataclass(frozen=True)
class SectorTrend:
    """Appeals of one sector in the meeting's region: the last period, the period before and each week."""

    sector: Names
    current: int
    previous: int
    weekly: tuple[int, ...]  # oldest week first, both periods

    @property
    def change(self) -> int | None:
        """Change against the previous period in per cent (None when there was nothing before)."""
        return round(100 * (self.current - self.previous) / self.previous) if self.previous else None


@dataclass(frozen=True)
class BriefingAlert:
    sector: Names
    level: str
    since: dt.date
    reasons: tuple[dict, ...]  # as stored with the alert's evidence: {"code": …, "params": …}, or English text


@dataclass(frozen=True)
class TopQuestion:
    text: str
    supports: int
    status: str
    day: dt.date


@dataclass(frozen=True)
class Theme:
    label: str
    size: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Visit:
    day: dt.date
    held_by: Names
    position: Names
    settlement: str
    commitments: tuple[CommitmentLine, ...]


@dataclass(frozen=True)
class BriefingData:
    meeting_id: int
    body: Names
    body_short: Names
    held_by: Names
    position: Names
    region: Names
    starts_at: dt.datetime
    settlement: str
    venue: str
    format: str
    kind: str
    weeks: tuple[dt.date, ...]  # Mondays of the appeals series, oldest first
    sectors: tuple[SectorTrend, ...]
    alerts: tuple[BriefingAlert, ...]
    questions: tuple[TopQuestion, ...]
    commitments: tuple[CommitmentLine, ...]
    visits: tuple[Visit, ...]
    generated_on: dt.date
    themes: tuple[Theme, ...] = ()

    @property
    def current_weeks(self) -> tuple[dt.date, ...]:
        return self.weeks[-TREND_WEEKS:]

    @property
    def previous_weeks(self) -> tuple[dt.date, ...]:
        return self.weeks[:-TREND_WEEKS]

    @property
    def weekly_totals(self) -> tuple[int, ...]:
        return tuple(sum(s.weekly[i] for s in self.sectors) for i in range(len(self.weeks)))


def trend_weeks(today: dt.date) -> tuple[dt.date, ...]:
    """The Mondays of the two periods the pack compares: the last full weeks before `today`, oldest first."""
    last = today - dt.timedelta(days=today.weekday() + 7)
    return tuple(last - dt.timedelta(weeks=n) for n in range(2 * TREND_WEEKS - 1, -1, -1))


def _sector_trends(weekly_counts, weeks: tuple[dt.date, ...]) -> tuple[SectorTrend, ...]:
    index = {w: i for i, w in enumerate(weeks)}
    series: dict[int, list[int]] = {}
    sectors = {}
    for row in weekly_counts.filter(week_start__in=weeks).select_related("sector"):
        sectors[row.sector_id] = row.sector
        series.setdefault(row.sector_id, [0] * len(weeks))[index[row.week_start]] += row.appeals
    trends = [SectorTrend(sector=names_of(sectors[pk]), current=sum(values[-TREND_WEEKS:]),
                          previous=sum(values[:-TREND_WEEKS]), weekly=tuple(values)) for pk, values in series.items()]
    trends.sort(key=lambda t: (-t.current, -t.previous, t.sector.kk))
    return tuple(t for t in trends if t.current or t.previous)


def _themes(themes) -> tuple[Theme, ...]:
    return tuple(Theme(label=str(t.label), size=int(t.size), examples=tuple(str(e) for e in t.examples))
                 for t in themes)


def build_briefing(*, meeting, weekly_counts, alerts, questions, commitments, visits, generated_on: dt.date,
                   themes=()) -> BriefingData:
    """Returns the briefing pack of `meeting` for its head.

    `weekly_counts`: the region's `WeeklyCount` rows (only the weeks of `trend_weeks(generated_on)` are
    read); `alerts`: the region's current tension alerts; `questions`: the meeting's public questions;
    `commitments`: the open commitments of the body in the region; `visits`: the body's held meetings in the
    region before this one (their commitments are read from them); `themes`: objects with `label`, `size`
    and `examples` (the grouping of the meeting's questions), if any.
    """
    weeks = trend_weeks(generated_on)
    day = _local_day(meeting.starts_at)
    standing = meeting.standing_on(day)
    alert_rows = tuple(
        BriefingAlert(sector=names_of(a.sector), level=a.level, since=a.opened_on,
                      reasons=tuple(r if isinstance(r, dict) else {"text": str(r)}
                                    for r in (a.evidence or {}).get("reasons", [])))
        for a in alerts.select_related("sector").order_by("-score", "opened_on", "pk")
    )
    top = tuple(
        TopQuestion(text=q.text, supports=q.support_count, status=q.status,
                    day=_local_day(q.published_at or q.created_at))
        for q in questions.order_by("-support_count", "published_at", "created_at", "pk")[:TOP_QUESTIONS]
    )
    open_lines, _totals = _commitment_lines(commitments, today=generated_on)
    past = []
    for visit in visits.select_related("region").order_by("-starts_at", "-pk"):
        visit_day = _local_day(visit.starts_at)
        held = visit.standing_on(visit_day)
        promised, _ = _commitment_lines(visit.commitments.all(), today=generated_on)
        past.append(Visit(day=visit_day, held_by=Names(**held.names), position=Names(**held.positions),
                          settlement=visit.settlement, commitments=promised))
    return BriefingData(
        meeting_id=meeting.pk, body=names_of(meeting.body), body_short=body_short_names(meeting.body),
        held_by=Names(**standing.names), position=Names(**standing.positions), region=names_of(meeting.region),
        starts_at=meeting.starts_at, settlement=meeting.settlement, venue=meeting.venue, format=meeting.format,
        kind=meeting.kind, weeks=weeks, sectors=_sector_trends(weekly_counts, weeks), alerts=alert_rows,
        questions=top, commitments=open_lines, visits=tuple(past), generated_on=generated_on,
        themes=_themes(themes),
    )
