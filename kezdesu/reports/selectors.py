"""Reads for reports: start from scoped querysets, take the verdicts from the compliance rules, and hand
both to the builders. Commands and benchmarks read as `SYSTEM` (every row); `None` is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from kezdesu.compliance.half_years import half_year_items
from kezdesu.compliance.models import QuarterlyReport
from kezdesu.compliance.rules import Quarter, QuarterStatus
from kezdesu.compliance.selectors import compliance_for, readings
from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.meetings.models import Commitment, Meeting
from kezdesu.meetings.states import Status
from kezdesu.planning.selectors import annex_plan
from kezdesu.questions.models import Question
from kezdesu.registry.models import Body, Region
from kezdesu.reports.builders import (
    AnnexData,
    BriefingData,
    HalfYear,
    HalfYearData,
    ProcedureData,
    QuarterlyReportData,
    build_annex,
    build_briefing,
    build_half_year,
    build_procedure,
    build_quarterly,
    half_year_from_snapshot,
    quarterly_from_snapshot,
)
from kezdesu.reports.errors import ReportError
from kezdesu.reports.models import BriefingPack, HalfYearSubmission, ProcedureAcknowledgement, ProcedureDocument
from kezdesu.tension.models import Obligation, TensionAlert, WeeklyCount
from kezdesu.users.models import Membership, Role
from kezdesu.users.roles import CAPABILITIES, can
from kezdesu.users.scoping import scope_bodies

RESULT_READERS = CAPABILITIES["report.results"]
PROCEDURE_RECIPIENTS = CAPABILITIES["procedure.acknowledge"]


def _scoped(model, user):
    return model.objects.visible_to(user)


def can_read_results(user) -> bool:
    """Half-year results and the schedule annex: the authorized body and the Office of the Government."""
    return user is SYSTEM or (getattr(user, "is_authenticated", False) and user.role in RESULT_READERS)


def quarterly_body(user, slug: str) -> Body | None:
    """Returns the body whose quarterly reports `user` may read: the authorized body reads every body's,
    a body coordinator only their own; None otherwise."""
    if user is not SYSTEM and not (can(user, "report.submit") or can(user, "report.receive")):
        return None
    bodies = scope_bodies(Body.objects.all(), user)
    return bodies.filter(slug=slug).first()


def quarterly_report_row(*, body: Body, quarter: Quarter) -> QuarterlyReport | None:
    return (QuarterlyReport.objects.select_related("submitted_by")
            .filter(body=body, year=quarter.year, quarter=quarter.number).first())


def _in_dates(queryset, start: dt.date, end: dt.date):
    return queryset.filter(starts_at__date__gte=start, starts_at__date__lte=end)


def quarter_status(*, user, body: Body, quarter: Quarter, today: dt.date) -> QuarterStatus | None:
    """Returns the compliance verdict of `body` in `quarter`, or None if the body did not exist then."""
    rows = compliance_for(user=user, quarters=[quarter], today=today, body_slugs=[body.slug])
    return rows[0] if rows else None


def live_quarterly_data(*, user, body: Body, quarter: Quarter, today: dt.date,
                        report: QuarterlyReport | None = None) -> QuarterlyReportData | None:
    """Returns the quarterly information built from the data as it is now (None if the body did not
    exist in the quarter)."""
    status = quarter_status(user=user, body=body, quarter=quarter, today=today)
    if status is None:
        return None
    # The body carries its predecessors' quarter (a renaming) and the joint meetings it co-hosted.
    line = sorted(Body.objects.filter(slug__in=status.line), key=lambda b: status.line.index(b.slug))
    # Whoever may read the body's report (see `quarterly_body`) reads its line's meetings in it.
    meetings = _in_dates(Meeting.objects.hosted_by(*line), quarter.start, quarter.end)
    ids = list(meetings.values_list("pk", flat=True))
    # The body's obligations that concern the quarter: answered, due or raised in it.
    obligations = _scoped(Obligation, user).filter(body=body).filter(
        Q(meeting_id__in=ids) | Q(deadline__range=(quarter.start, quarter.end))
        | Q(alert__opened_on__range=(quarter.start, quarter.end)))
    return build_quarterly(
        body=body, quarter=quarter, status=status, meetings=meetings,
        questions=Question.objects.filter(meeting_id__in=ids),
        commitments=Commitment.objects.filter(meeting_id__in=ids),
        alerts=obligations, generated_on=today, report=report, line=line, readings=readings(),
    )


def quarterly_data(*, user, body: Body, quarter: Quarter, today: dt.date) -> QuarterlyReportData | None:
    """Returns the figures as submitted when the report was submitted, else a draft from today's data."""
    report = quarterly_report_row(body=body, quarter=quarter)
    if report is not None and report.status == QuarterlyReport.Status.SUBMITTED:
        data = quarterly_from_snapshot(report.snapshot)
        if data is not None:
            return data
    return live_quarterly_data(user=user, body=body, quarter=quarter, today=today, report=report)


@dataclass(frozen=True)
class InboxRow:
    body: Body
    status: QuarterStatus
    report: QuarterlyReport | None


def inbox(*, user, quarter: Quarter, today: dt.date) -> list[InboxRow]:
    """Every non-exempt body valid in `quarter` with its report deadline and status (clause 1.4)."""
    statuses = compliance_for(user=user, quarters=[quarter], today=today)
    bodies = {b.slug: b for b in _scoped(Body, user).filter(slug__in=[s.body for s in statuses], exempt=False)}
    reports = {r.body_id: r for r in QuarterlyReport.objects.select_related("submitted_by")
               .filter(year=quarter.year, quarter=quarter.number, body__in=bodies.values())}
    rows = [InboxRow(bodies[s.body], s, reports.get(bodies[s.body].pk)) for s in statuses if s.body in bodies]
    return sorted(rows, key=lambda r: r.body.name)


def reportable_quarters(today: dt.date) -> list[Quarter]:
    """Quarters from the resolution's entry into force up to the current one, newest first."""
    quarter, first = Quarter.of(today), Quarter.of(settings.KEZDESU["RESOLUTION_IN_FORCE"])
    out = []
    while quarter >= first:
        out.append(quarter)
        quarter = Quarter(quarter.year - 1, 4) if quarter.number == 1 else Quarter(quarter.year, quarter.number - 1)
    return out


def own_quarters(*, user, today: dt.date) -> list[tuple[QuarterStatus, QuarterlyReport | None]]:
    """The coordinator's body in every reportable quarter, newest first, with its report row if any."""
    body_id = user.membership.body_id
    statuses = compliance_for(user=user, quarters=reportable_quarters(today), today=today)
    reports = {(r.year, r.quarter): r for r in QuarterlyReport.objects.filter(body_id=body_id)}
    rows = [(s, reports.get((s.quarter.year, s.quarter.number))) for s in statuses]
    return sorted(rows, key=lambda row: row[0].quarter, reverse=True)


def reportable_halves(today: dt.date) -> list[HalfYear]:
    """Half-years from the entry into force up to the current one, newest first."""
    half, first = HalfYear.of(today), HalfYear.of(settings.KEZDESU["RESOLUTION_IN_FORCE"])
    out = []
    while half >= first:
        out.append(half)
        half = half.previous()
    return out


def half_year_data(*, user, half: HalfYear, today: dt.date) -> HalfYearData:
    """Returns the half-year results (clause 3.3) as of `today`."""
    statuses = compliance_for(user=user, quarters=list(half.quarters), today=today)
    bodies = _scoped(Body, user).filter(slug__in={s.body for s in statuses}).order_by("slug")
    alerts = _scoped(TensionAlert, user)
    obligations = _scoped(Obligation, user).filter(Q(alert__opened_on__range=(half.start, half.end))
                                              | Q(deadline__range=(half.start, half.end)))
    alerts = alerts.filter(opened_on__range=(half.start, half.end))
    results = half_year_items(today=today, halves=[(half.year, half.number)])[1]
    return build_half_year(
        half=half, deadline=results.deadline or results.nominal_deadline, statuses=statuses,
        bodies=bodies, regions=Region.objects.order_by("kato_code"),
        meetings=_in_dates(_scoped(Meeting, user), half.start, half.end),
        questions=_scoped(Question, user), commitments=_scoped(Commitment, user), alerts=alerts,
        obligations=obligations, generated_on=today,
    )


def half_year_submission(half: HalfYear) -> HalfYearSubmission | None:
    return (HalfYearSubmission.objects.select_related("submitted_by")
            .filter(year=half.year, half=half.number).first())


def half_year_document(*, user, half: HalfYear, today: dt.date) -> tuple[HalfYearData, HalfYearSubmission | None]:
    """Returns the half-year results as sent to the Office of the Government once they are sent (the
    frozen figures), else as of `today`; with the submission record, if any."""
    submission = half_year_submission(half)
    if submission is not None and submission.status == HalfYearSubmission.Status.SUBMITTED:
        data = half_year_from_snapshot(submission.snapshot)
        if data is not None:
            return data, submission
    return half_year_data(user=user, half=half, today=today), submission


def results_recipients() -> list[Membership]:
    """The Office of the Government's active users, who receive the half-year results (clause 3.3)."""
    return list(Membership.objects.filter(active=True, user__is_active=True, role=Role.GOVERNMENT_VIEWER)
                .select_related("user"))


def annex_data(*, half: HalfYear, today: dt.date) -> AnnexData:
    """Returns the schedule annex of the agreed plan for `half`.

    Raises ApplicationError NO_AGREED_PLAN when no plan of the half-year is agreed, submitted or approved.
    """
    plan = annex_plan(half.year, half.number)
    if plan is None:
        raise ApplicationError(ReportError.NO_AGREED_PLAN, period=str(half))
    items = [(item.body, item.region, item.week_start) for item in plan.items.select_related("body", "region")]
    return build_annex(half=half, plan=plan, items=items, generated_on=today)


def procedure_versions(user):
    return _scoped(ProcedureDocument, user).select_related("published_by").order_by("-version")


def procedure_current(user, *, today: dt.date) -> ProcedureDocument | None:
    """Returns the version in force on `today` (the highest version whose effective date has come)."""
    return procedure_versions(user).in_force_on(today).first()


def procedure_data(document: ProcedureDocument, *, today: dt.date) -> ProcedureData:
    return build_procedure(document=document, generated_on=today)


def procedure_recipients() -> list[Membership]:
    """The active coordinators of central executive bodies, by body."""
    return list(Membership.objects.filter(active=True, user__is_active=True, role__in=PROCEDURE_RECIPIENTS)
                .select_related("user", "body").order_by("body__slug", "user__username"))


@dataclass(frozen=True)
class Receipt:
    membership: Membership
    acknowledged_at: dt.datetime | None


def procedure_receipts(document: ProcedureDocument) -> list[Receipt]:
    """Every recipient of `document` with the time they acknowledged it (None: not yet)."""
    acks = dict(ProcedureAcknowledgement.objects.filter(document=document).values_list("user_id", "at"))
    return [Receipt(m, acks.get(m.user_id)) for m in procedure_recipients()]


def procedure_unacknowledged(user) -> ProcedureDocument | None:
    """Returns the newest version the user (a recipient) has not acknowledged yet, if any."""
    if user is None or user.role not in PROCEDURE_RECIPIENTS:
        return None
    return procedure_versions(user).exclude(acknowledgements__user=user).first()


# --- briefing packs -----------------------------------------------------------------------------------------

# Every language and format of a pack: a pack is complete with one file of each.
BRIEFING_FILES = tuple((lang, fmt) for lang in BriefingPack.Language.values for fmt in BriefingPack.Format.values)


def briefing_meeting(user, pk: int) -> Meeting | None:
    """Returns the meeting `pk` if `user` sees it (`Meeting.visible_to`) and may read meetings at all."""
    if user is not SYSTEM and not can(user, "meeting.view"):
        return None
    return Meeting.objects.visible_to(user).select_related("body", "region", "head").filter(pk=pk).first()


def briefing_data(*, user, meeting: Meeting, today: dt.date, themes=()) -> BriefingData:
    """Returns the briefing pack's figures for `meeting` as `user` may read them (the jobs read as SYSTEM).

    `themes`: the grouping of the meeting's questions (objects with `label`, `size`, `examples`), if any.
    """
    region, body = meeting.region, meeting.body
    visits = (_scoped(Meeting, user).hosted_by(body)
              .filter(region=region, status__in=Status.HELD_STATES, starts_at__lt=meeting.starts_at)
              .exclude(pk=meeting.pk))
    commitments = (_scoped(Commitment, user).open()
                   .filter(Q(responsible_body=body) | Q(meeting__body=body), meeting__region=region))
    return build_briefing(
        meeting=meeting, weekly_counts=WeeklyCount.objects.filter(region=region),
        alerts=_scoped(TensionAlert, user).filter(region=region, status__in=TensionAlert.CURRENT),
        questions=_scoped(Question, user).filter(meeting=meeting, status__in=Question.PUBLIC_STATUSES),
        commitments=commitments, visits=visits, themes=themes, generated_on=today,
    )


def briefing_files(*, user, meeting: Meeting) -> list[BriefingPack]:
    """Returns the newest file of each language and format of the meeting's pack that `user` sees."""
    newest: dict[tuple[str, str], BriefingPack] = {}
    for pack in BriefingPack.objects.visible_to(user).filter(meeting=meeting).order_by("-generated_at", "-pk"):
        newest.setdefault((pack.language, pack.format), pack)
    return [newest[key] for key in BRIEFING_FILES if key in newest]


def briefing_is_current(meeting: Meeting) -> bool:
    """Whether the meeting has a file of every language and format made since its last change."""
    made = set(BriefingPack.objects.filter(meeting=meeting, meeting_version=meeting.version)
               .values_list("language", "format"))
    return made >= set(BRIEFING_FILES)


def briefing_due(*, now: dt.datetime | None = None, days: int | None = None) -> list[Meeting]:
    """Returns the agreed meetings starting within `days` (BRIEFING_DAYS_BEFORE by default) of `now` that have
    no current pack, soonest first."""
    now = now or timezone.now()
    days = settings.KEZDESU["BRIEFING_DAYS_BEFORE"] if days is None else days
    upcoming = (Meeting.objects.filter(status__in=Status.AGREED_STATES, starts_at__gte=now,
                                       starts_at__lt=now + dt.timedelta(days=days))
                .select_related("body", "region").order_by("starts_at", "pk"))
    return [m for m in upcoming if not briefing_is_current(m)]


def briefing_recipients(meeting: Meeting) -> list:
    """The active coordinators of the meeting's body: they are told when a pack is ready."""
    return [m.user for m in Membership.objects.filter(role=Role.BODY_COORDINATOR, body=meeting.body_id, active=True,
                                                     user__is_active=True)
            .select_related("user")]


def briefing_pack(user, *, meeting_pk: int, pk: int) -> BriefingPack | None:
    """Returns the pack file `pk` of meeting `meeting_pk` if `user` sees the meeting; None otherwise."""
    meeting = briefing_meeting(user, meeting_pk)
    if meeting is None:
        return None
    return BriefingPack.objects.visible_to(user).filter(pk=pk, meeting=meeting).select_related("meeting").first()
