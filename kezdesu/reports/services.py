"""Writes for reports: submitting the quarterly information (clause 1.4), sending the half-year results to
the Office of the Government (clause 3.3), and publishing and acknowledging the procedure for holding
meetings (clause 3.2). Each write is audited; submissions go through `core.transitions`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from kezdesu.compliance.models import QuarterlyReport
from kezdesu.compliance.rules import Quarter
from kezdesu.core.actors import SYSTEM, Actor
from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.errors import ApplicationError, CoreError
from kezdesu.core.models import Job
from kezdesu.core.notifications import notify, per_reader
from kezdesu.core.transitions import Move, transition
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.states import Status
from kezdesu.questions.themes.selectors import meeting_themes
from kezdesu.reports import renderers, selectors
from kezdesu.reports.builders import HalfYear, to_snapshot
from kezdesu.reports.errors import ReportError
from kezdesu.reports.models import BriefingPack, HalfYearSubmission, ProcedureAcknowledgement, ProcedureDocument
from kezdesu.reports.tasks import briefing_generate_enqueue, briefing_job_waiting
from kezdesu.users.roles import can, can_act_for

QUARTERLY_TRANSITIONS = {
    (QuarterlyReport.Status.DRAFT, QuarterlyReport.Status.SUBMITTED): Move("report.submit"),
}
RESULTS_TRANSITIONS = {
    (HalfYearSubmission.Status.DRAFT, HalfYearSubmission.Status.SUBMITTED): Move("report.send_results"),
}
FROZEN = ("created_at", "updated_at", "snapshot")


def _day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def _freeze(*, actor: Actor, obj, data, action: str) -> None:
    """Store the figures as sent and let the audit chain vouch for them (their hash, not a copy)."""
    obj.snapshot = to_snapshot(data)
    obj.save(update_fields=["snapshot", "updated_at"])
    digest = hashlib.sha256(json.dumps(obj.snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    audit_record(actor=actor, action=action, obj=obj, before=None, after={"snapshot_sha256": digest})


@transaction.atomic
def quarterly_report_submit(*, actor: Actor, body, quarter: Quarter, comment: str = "",
                            now: dt.datetime | None = None) -> QuarterlyReport:
    """Submits the body's quarterly information to the authorized body and returns the report.

    The figures as of the submission are stored in `snapshot` and are what the authorized body reads
    from then on; `now` is the submission time (default: the current time).
    Raises ApplicationError ROLE_CANNOT (not a body coordinator), NOT_YOURS (another body),
    QUARTER_NOT_OVER (before the quarter ends), NOT_OWED (the quarter is another body's of its line, or the
    body was not in office) or ALREADY_SUBMITTED (a second submission).
    """
    now = now or timezone.now()
    if not can(actor, "report.submit"):
        raise ApplicationError(ReportError.ROLE_CANNOT)
    if not can_act_for(actor, "report.submit", bodies=(body.pk,)):
        raise ApplicationError(ReportError.NOT_YOURS)
    today = timezone.localtime(now).date()
    if today <= quarter.end:
        raise ApplicationError(ReportError.QUARTER_NOT_OVER, period=str(quarter),
                               date=_day(quarter.end + dt.timedelta(days=1)))
    owing = selectors.quarter_status(user=actor, body=body, quarter=quarter, today=today)
    if owing is None or owing.body != body.slug:
        # A renamed body's quarter is reported once, by the line's body in office on the deadline.
        raise ApplicationError(ReportError.NOT_OWED, period=str(quarter))
    report, _created = QuarterlyReport.objects.select_for_update().get_or_create(
        body=body, year=quarter.year, quarter=quarter.number)
    if report.status == QuarterlyReport.Status.SUBMITTED:
        raise ApplicationError(ReportError.ALREADY_SUBMITTED, period=str(quarter),
                               date=_day(timezone.localtime(report.submitted_at).date()))
    report = transition(obj=report, target=QuarterlyReport.Status.SUBMITTED, table=QUARTERLY_TRANSITIONS,
                        actor=actor, comment=comment, at=now, version_field=None, action="report.submit",
                        exclude=FROZEN,
                        changes={"submitted_at": now, "submitted_by": actor, "comment": comment.strip()})
    data = selectors.live_quarterly_data(user=actor, body=body, quarter=quarter, today=today, report=report)
    _freeze(actor=actor, obj=report, data=data, action="report.snapshot")
    return report


@transaction.atomic
def half_year_results_submit(*, actor: Actor, half: HalfYear, comment: str = "",
                             now: dt.datetime | None = None) -> HalfYearSubmission:
    """Sends the half-year results (clause 3.3) to the Office of the Government and returns the record.

    The document as of the sending is frozen in `snapshot` and is what the results pages show from then
    on. Raises ApplicationError ROLE_CANNOT (not the authorized body), HALF_NOT_STARTED or RESULTS_SENT.
    """
    now = now or timezone.now()
    if not can(actor, "report.send_results"):
        raise ApplicationError(ReportError.ROLE_CANNOT)
    today = timezone.localtime(now).date()
    if today < half.start:
        raise ApplicationError(ReportError.HALF_NOT_STARTED, period=str(half))
    submission, _created = HalfYearSubmission.objects.select_for_update().get_or_create(year=half.year,
                                                                                        half=half.number)
    if submission.status == HalfYearSubmission.Status.SUBMITTED:
        raise ApplicationError(ReportError.RESULTS_SENT, period=str(half),
                               date=_day(timezone.localtime(submission.submitted_at).date()))
    data = selectors.half_year_data(user=actor, half=half, today=today)
    submission = transition(obj=submission, target=HalfYearSubmission.Status.SUBMITTED, table=RESULTS_TRANSITIONS,
                            actor=actor, comment=comment, at=now, action="results.submit", exclude=FROZEN,
                            changes={"submitted_at": now, "submitted_by": actor, "comment": comment.strip()})
    _freeze(actor=actor, obj=submission, data=data, action="results.snapshot")
    viewers = [m.user for m in selectors.results_recipients()]
    notify(users=viewers, key=f"results:{half}", url=reverse("reports:half-year", args=[str(half)]),
           subject=_format_lazy(_("Half-year results %(period)s are sent to the Office of the Government"),
                                period=str(half)))
    return submission


def _format_lazy(message, **params):
    """A lazy translation with %-parameters, rendered in each recipient's language by `notify`."""
    return lazy(lambda: str(message) % params, str)()


@transaction.atomic
def procedure_publish(*, actor: Actor, title_kk: str, title_ru: str, text_kk: str, text_ru: str,
                      effective_from: dt.date, title_en: str = "", now: dt.datetime | None = None,
                      based_on: int | None = None) -> ProcedureDocument:
    """Publishes the next version of the procedure and notifies every body coordinator; returns it.

    `based_on` is the newest version the author saw (0: none); if another was published since, raises
    CONFLICT (409) and publishes nothing. Raises ApplicationError ROLE_CANNOT (not the authorized
    body's administrator) or EMPTY_PROCEDURE.
    """
    if not can(actor, "procedure.publish"):
        raise ApplicationError(ReportError.ROLE_CANNOT)
    fields = {"title_kk": title_kk.strip(), "title_ru": title_ru.strip(), "title_en": title_en.strip(),
              "text_kk": text_kk.strip(), "text_ru": text_ru.strip()}
    if not all(fields[k] for k in ("title_kk", "title_ru", "text_kk", "text_ru")):
        raise ApplicationError(ReportError.EMPTY_PROCEDURE)
    # Locking the newest row serialises concurrent publications; the unique version catches the rest.
    list(ProcedureDocument.objects.select_for_update().order_by("-version")[:1])
    last = ProcedureDocument.objects.aggregate(last=Max("version"))["last"] or 0
    if based_on is not None and based_on != last:
        raise ApplicationError(CoreError.CONFLICT)
    version = last + 1
    document = ProcedureDocument.objects.create(version=version, effective_from=effective_from,
                                                published_at=now or timezone.now(), published_by=actor, **fields)
    audit_record(actor=actor, action="procedure.publish", obj=document, before=None, after=snapshot(document))
    params = {"version": version, "date": _day(effective_from)}
    notify(
        users=[m.user for m in selectors.procedure_recipients()], key=f"procedure:v{version}",
        subject=_format_lazy(_("Procedure for holding meetings: version %(version)s published"), **params),
        body=_format_lazy(_("The authorized body has published version %(version)s of the procedure for holding "
                            "meetings with the population, in force from %(date)s. Please read it and confirm "
                            "receipt."), **params),
        url=reverse("reports:procedure-detail", args=[version]),
    )
    return document


@transaction.atomic
def procedure_acknowledge(*, actor: Actor, document: ProcedureDocument, now: dt.datetime | None = None
                          ) -> ProcedureAcknowledgement:
    """Records that a body coordinator received `document`; returns the receipt (the first one if the
    coordinator acknowledges again). Raises ApplicationError NOT_RECIPIENT for other roles."""
    if getattr(actor, "role", None) not in selectors.PROCEDURE_RECIPIENTS:
        raise ApplicationError(ReportError.NOT_RECIPIENT)
    ack, created = ProcedureAcknowledgement.objects.get_or_create(document=document, user=actor,
                                                                  defaults={"at": now or timezone.now()})
    if created:
        audit_record(actor=actor, action="procedure.acknowledge", obj=ack, before=None, after=snapshot(ack))
    return ack


# --- briefing packs -----------------------------------------------------------------------------------------


def _briefing_refusal(actor: Actor, meeting: Meeting) -> None:
    if actor is not SYSTEM and selectors.briefing_meeting(actor, meeting.pk) is None:
        raise ApplicationError(ReportError.ROLE_CANNOT)
    if meeting.status not in Status.AGREED_STATES:
        raise ApplicationError(ReportError.NOT_AGREED)


@transaction.atomic
def briefing_pack_request(*, actor: Actor, meeting: Meeting) -> Job:
    """Queues the making of the meeting's briefing pack and returns the job (the one already waiting, if
    any: a second request does not make the pack twice). Raises ApplicationError ROLE_CANNOT (the actor
    does not see the meeting) or NOT_AGREED (not agreed with the akimat, or already held)."""
    _briefing_refusal(actor, meeting)
    waiting = briefing_job_waiting(meeting)
    if waiting is not None:
        return waiting
    job = briefing_generate_enqueue(actor=actor, meeting=meeting)
    audit_record(actor=actor, action="briefing.request", obj=meeting, before=None, after={"job": job.pk})
    return job


# The briefing lists at most this many themes of the meeting's questions, largest first.
BRIEFING_THEMES = 8


@transaction.atomic
def briefing_pack_generate(*, actor: Actor, meeting: Meeting, now: dt.datetime | None = None,
                           heartbeat=None) -> list[BriefingPack]:
    """Makes the meeting's briefing pack (DOCX and PDF, Kazakh and Russian), stores each file with its
    SHA-256, audits each and tells the body's coordinators; returns the files.

    `actor` is who asked (SYSTEM for the timer). The figures are read as SYSTEM: the pack is the same
    whoever asked; who may open it is decided by the meeting's scope. Raises ApplicationError
    ROLE_CANNOT or NOT_AGREED as `briefing_pack_request`.
    """
    _briefing_refusal(actor, meeting)
    now = now or timezone.now()
    data = selectors.briefing_data(user=SYSTEM, meeting=meeting, today=timezone.localtime(now).date(),
                                   themes=meeting_themes(meeting, limit=BRIEFING_THEMES))
    packs = []
    for lang, fmt in selectors.BRIEFING_FILES:
        rendered = renderers.render(data, fmt=fmt, lang=lang)
        pack = BriefingPack(meeting=meeting, language=lang, format=fmt, meeting_version=meeting.version,
                            generated_at=now, generated_by=actor if getattr(actor, "pk", None) else None,
                            checksum=hashlib.sha256(rendered.content).hexdigest())
        pack.file.save(rendered.filename, ContentFile(rendered.content), save=False)
        pack.save()
        audit_record(actor=actor, action="briefing.generate", obj=pack, before=None,
                     after={"meeting": meeting.pk, "language": lang, "format": fmt, "checksum": pack.checksum,
                            "meeting_version": meeting.version})
        packs.append(pack)
        if heartbeat is not None:
            heartbeat()
    notify(users=selectors.briefing_recipients(meeting), key=f"briefing:{meeting.pk}:{packs[0].pk}",
           subject=per_reader(lambda: _("Briefing pack ready: %(meeting)s") % {"meeting": str(meeting)}),
           body=per_reader(lambda: _("The briefing pack for the meeting %(meeting)s is ready in Kazakh and in "
                                     "Russian, as DOCX and PDF.") % {"meeting": str(meeting)}),
           url=reverse("reports:briefing", args=[meeting.pk]))
    return packs


def briefing_pack_download(*, actor: Actor, pack: BriefingPack) -> BriefingPack:
    """Records that `actor` downloaded `pack` (the caller has checked they see it) and returns it."""
    audit_record(actor=actor, action="briefing.download", obj=pack, before=None,
                 after={"meeting": pack.meeting_id, "language": pack.language, "format": pack.format,
                        "checksum": pack.checksum})
    return pack


def briefing_packs_schedule(*, now: dt.datetime | None = None, days: int | None = None
                            ) -> dict[str, list[tuple[Meeting, Job]]]:
    """Queues a briefing pack for each agreed meeting starting within `days` (BRIEFING_DAYS_BEFORE by default)
    that has no current pack; returns the meetings whose job was "queued" now and those already "waiting".
    Run again, it queues nothing new: a meeting with a current pack or a waiting job is left alone."""
    result: dict[str, list[tuple[Meeting, Job]]] = {"queued": [], "waiting": []}
    for meeting in selectors.briefing_due(now=now, days=days):
        waiting = briefing_job_waiting(meeting)
        if waiting is not None:
            result["waiting"].append((meeting, waiting))
            continue
        result["queued"].append((meeting, briefing_pack_request(actor=SYSTEM, meeting=meeting)))
    return result
