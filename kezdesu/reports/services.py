"""Writes for reports: submitting the quarterly information (clause 1.4) and publishing and acknowledging
the procedure for holding meetings (clause 3.2). Each write is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from kezdesu.compliance.models import QuarterlyReport
from kezdesu.compliance.rules import Quarter
from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.errors import ApplicationError, CoreError
from kezdesu.core.notifications import notify
from kezdesu.reports import selectors
from kezdesu.reports.builders import to_snapshot
from kezdesu.reports.errors import ReportError
from kezdesu.reports.models import ProcedureAcknowledgement, ProcedureDocument
from kezdesu.users.roles import can


def _day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


@transaction.atomic
def quarterly_report_submit(*, actor, body, quarter: Quarter, comment: str = "",
                            now: dt.datetime | None = None) -> QuarterlyReport:
    """Submits the body's quarterly information to the authorized body and returns the report.

    The figures as of the submission are stored in `snapshot` and are what the authorized body reads
    from then on; `now` is the submission time (default: the current time).
    Raises ApplicationError ROLE_CANNOT (not a body coordinator), NOT_YOURS (another body),
    QUARTER_NOT_OVER (before the quarter ends) or ALREADY_SUBMITTED (a second submission).
    """
    now = now or timezone.now()
    if not can(actor, "report.submit"):
        raise ApplicationError(ReportError.ROLE_CANNOT, status=403)
    if actor.membership.body_id != body.pk:
        raise ApplicationError(ReportError.NOT_YOURS, status=403)
    today = timezone.localtime(now).date()
    if today <= quarter.end:
        raise ApplicationError(ReportError.QUARTER_NOT_OVER, period=str(quarter),
                               date=_day(quarter.end + dt.timedelta(days=1)))
    report, created = QuarterlyReport.objects.select_for_update().get_or_create(
        body=body, year=quarter.year, quarter=quarter.number)
    if report.status == QuarterlyReport.Status.SUBMITTED:
        raise ApplicationError(ReportError.ALREADY_SUBMITTED, period=str(quarter),
                               date=_day(timezone.localtime(report.submitted_at).date()), status=409)
    before = None if created else snapshot(report, exclude=("created_at", "updated_at", "snapshot"))
    report.status, report.submitted_at, report.submitted_by = QuarterlyReport.Status.SUBMITTED, now, actor
    report.comment = comment.strip()
    report.save()
    data = selectors.live_quarterly_data(user=actor, body=body, quarter=quarter, today=today, report=report)
    report.snapshot = to_snapshot(data)
    report.save(update_fields=["snapshot", "updated_at"])
    after = snapshot(report, exclude=("created_at", "updated_at", "snapshot"))
    # The chain then vouches for the figures too, without copying them into the audit trail.
    after["snapshot_sha256"] = hashlib.sha256(
        json.dumps(report.snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    audit_record(actor=actor, action="report.submit", obj=report, before=before, after=after,
                 comment=report.comment)
    return report


def _format_lazy(message, **params):
    """A lazy translation with %-parameters, rendered in each recipient's language by `notify`."""
    return lazy(lambda: str(message) % params, str)()


@transaction.atomic
def procedure_publish(*, actor, title_kk: str, title_ru: str, text_kk: str, text_ru: str,
                      effective_from: dt.date, title_en: str = "", now: dt.datetime | None = None,
                      based_on: int | None = None) -> ProcedureDocument:
    """Publishes the next version of the procedure and notifies every body coordinator; returns it.

    `based_on` is the newest version the author saw (0: none); if another was published since, raises
    CONFLICT (409) and publishes nothing. Raises ApplicationError ROLE_CANNOT (not the authorized
    body's administrator) or EMPTY_PROCEDURE.
    """
    if not can(actor, "procedure.publish"):
        raise ApplicationError(ReportError.ROLE_CANNOT, status=403)
    fields = {"title_kk": title_kk.strip(), "title_ru": title_ru.strip(), "title_en": title_en.strip(),
              "text_kk": text_kk.strip(), "text_ru": text_ru.strip()}
    if not all(fields[k] for k in ("title_kk", "title_ru", "text_kk", "text_ru")):
        raise ApplicationError(ReportError.EMPTY_PROCEDURE)
    # Locking the newest row serialises concurrent publications; the unique version catches the rest.
    list(ProcedureDocument.objects.select_for_update().order_by("-version")[:1])
    last = ProcedureDocument.objects.aggregate(last=Max("version"))["last"] or 0
    if based_on is not None and based_on != last:
        raise ApplicationError(CoreError.CONFLICT, status=409)
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
def procedure_acknowledge(*, actor, document: ProcedureDocument, now: dt.datetime | None = None
                          ) -> ProcedureAcknowledgement:
    """Records that a body coordinator received `document`; returns the receipt (the first one if the
    coordinator acknowledges again). Raises ApplicationError NOT_RECIPIENT for other roles."""
    if getattr(actor, "role", None) not in selectors.PROCEDURE_RECIPIENTS:
        raise ApplicationError(ReportError.NOT_RECIPIENT, status=403)
    ack, created = ProcedureAcknowledgement.objects.get_or_create(document=document, user=actor,
                                                                  defaults={"at": now or timezone.now()})
    if created:
        audit_record(actor=actor, action="procedure.acknowledge", obj=ack, before=None, after=snapshot(ack))
    return ack
