"""Staff pages for clause 1.3: the regions × sectors map, alert evidence, appeals upload."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kezdesu.core.errors import ApplicationError, CoreError
from kezdesu.core.models import Job
from kezdesu.core.spreadsheet import csv_row
from kezdesu.core.views import confirm_page, conflict_page, errors_above, form_refused
from kezdesu.registry.models import Region, Sector
from kezdesu.tension import selectors
from kezdesu.tension.charts import series_chart
from kezdesu.tension.detectors import LEVEL_RANK
from kezdesu.tension.forms import AlertCloseForm, AppealsUploadForm
from kezdesu.tension.importer import REQUIRED
from kezdesu.tension.messages import reason_text
from kezdesu.tension.models import AlertTransition, ImportBatch, Obligation, TensionAlert
from kezdesu.tension.selectors import alert_region_map, cell_history
from kezdesu.tension.services import alert_close
from kezdesu.tension.tasks import appeals_import_enqueue, scan_tension, tension_scan_enqueue
from kezdesu.users.roles import can
from kezdesu.users.scoping import every_row, scope


@login_required
def overview(request):
    if not can(request.user, "tension.view"):
        raise PermissionDenied
    alerts = TensionAlert.objects.visible_to(request.user).current().select_related("region", "sector")
    cells = {(a.region_id, a.sector_id): a for a in alerts}
    sectors = list(Sector.objects.order_by("slug"))
    regions = scope(Region.objects.order_by("kato_code"), request.user, body=every_row,
                    region=lambda m: Q(pk=m.region_id))
    grid = [(r, [cells.get((r.pk, s.pk)) for s in sectors]) for r in regions]
    obligations = Obligation.objects.visible_to(request.user) \
        .select_related("body", "alert__region", "alert__sector", "meeting").order_by("status", "deadline")
    return render(request, "tension/overview.html", {
        "grid": grid, "sectors": sectors, "alerts": sorted(alerts, key=lambda a: (-LEVEL_RANK[a.level], -a.score)),
        "obligations": obligations[:100], "can_import": can(request.user, "tension.import"),
        "region_map": alert_region_map(alerts=alerts, regions=regions),
    })


def _alert(request, pk: int) -> TensionAlert:
    if not can(request.user, "tension.view"):
        raise PermissionDenied
    return get_object_or_404(TensionAlert.objects.visible_to(request.user).select_related("region", "sector"), pk=pk)


CLOSE_CONSEQUENCE = gettext_lazy("The alert ends now and the open obligations of the bodies are withdrawn; the next "
                                  "scan opens a new alert if the tension is still there.")


def _close_forms(alert: TensionAlert, posted: AlertCloseForm | None) -> list[tuple[AlertCloseForm, str]]:
    """One form per way of ending the alert, each with its own reason box and button (the one just `posted`
    for its way, with what was typed)."""
    labels = dict(AlertCloseForm.base_fields["closure"].choices)
    return [(posted if posted is not None and posted.data.get("closure") == closure
             else AlertCloseForm(initial={"closure": closure, "version": alert.version}, auto_id=f"id_{closure}_%s"),
             str(labels[closure])) for closure in ("dismissed", "closed")]


def _history(alert: TensionAlert) -> list[dict]:
    labels = dict(TensionAlert.Status.choices)
    return [{"at": t.at, "actor": (t.actor.get_full_name() or t.actor.username) if t.actor else "",
             "source": labels.get(t.source, t.source), "target": labels.get(t.target, t.target), "comment": t.comment}
            for t in AlertTransition.objects.filter(alert=alert).select_related("actor")]


@login_required
def alert_detail(request, pk: int):
    return _alert_page(request, _alert(request, pk))


def _alert_page(request, alert: TensionAlert, *, posted: AlertCloseForm | None = None, status: int = 200):
    """The alert's page; `posted` is a refused closing form shown again as typed (see `form_refused`)."""
    # Past thresholds and alarms of the cell as the detector saw each week then (a backtest of the counts).
    history = cell_history(region_id=alert.region_id, sector_id=alert.sector_id, week=alert.week_start)
    if history is not None:
        chart = series_chart(history.counts, history.expected, history.upper, history.start.isoformat(),
                             alarms=history.alarms)
    else:
        series = alert.evidence.get("series", {})
        chart = series_chart(series.get("counts", []), series.get("expected", []), series.get("upper", []),
                             series.get("start", ""))
    can_review = can(request.user, "tension.review") and alert.status in TensionAlert.CURRENT
    return render(request, "tension/alert.html", {
        "alert": alert, "chart": chart, "ev": alert.evidence,
        "reasons": [reason_text(r) for r in alert.evidence.get("reasons", [])],
        "obligations": alert.obligations.select_related("body", "meeting"),
        "can_draft": can(request.user, "meeting.propose"),
        "appeals_count": selectors.alert_appeals(alert).count(),
        "history": _history(alert), "close_forms": _close_forms(alert, posted) if can_review else [],
        "confirm_text": CLOSE_CONSEQUENCE,
    }, status=status)


@login_required
def alert_appeals(request, pk: int):
    """The appeals behind an alert, 50 a page. Their text only for the authorized body, who imports it."""
    alert = _alert(request, pk)
    page = Paginator(selectors.alert_appeals(alert), 50).get_page(request.GET.get("page"))
    return render(request, "tension/appeals.html", {
        "alert": alert, "page": page, "show_text": can(request.user, "tension.import"),
    })


@login_required
@require_POST
def alert_review(request, pk: int):
    alert = _alert(request, pk)
    form = AlertCloseForm(request.POST, auto_id=f"id_{request.POST.get('closure', '')}_%s")
    back = reverse("tension:alert", args=[pk])
    if not form.is_valid():
        errors_above(request, form, fields=["closure"])  # not a way of ending the alert the page offers
        return _alert_page(request, alert, posted=form, status=form_refused(form))
    data = form.cleaned_data
    label = dict(form.fields["closure"].choices)[data["closure"]]
    if not data["confirmed"]:
        return confirm_page(request, question=_("%(action)s: are you sure?") % {"action": label},
                            consequence=str(CLOSE_CONSEQUENCE),
                            action_url=reverse("tension:review", args=[pk]),
                            fields={k: v for k, v in request.POST.items() if k in form.fields and k != "confirmed"},
                            button=label, back_url=back)
    try:
        alert_close(actor=request.user, alert=alert, closure=data["closure"], reason=data["reason"],
                    today=timezone.localdate(), expected_version=data["version"])
    except ApplicationError as err:
        if err.code == CoreError.CONFLICT:
            return conflict_page(request, err, back_url=back)
        return _alert_page(request, alert, posted=form, status=form_refused(form, err))
    messages.success(request, _("The alert is closed."))
    return redirect(back)


@login_required
def upload(request):
    if not can(request.user, "tension.import"):
        raise PermissionDenied
    form = AppealsUploadForm(request.POST, request.FILES) if request.method == "POST" else AppealsUploadForm()
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = form_refused(form)  # a file cannot be offered again by the page: the message says which
    elif request.method == "POST":
        uploaded = form.cleaned_data["file"]
        suffix = Path(uploaded.name).suffix.lower()
        # The worker may be another process (or machine sharing MEDIA_ROOT): the upload waits there.
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        stored = folder / f"{uuid.uuid4().hex}{suffix}"
        with stored.open("wb") as fh:
            for chunk in uploaded.chunks():
                fh.write(chunk)
        with transaction.atomic():  # the batch and its job exist together or not at all
            batch = ImportBatch.objects.create(file_name=uploaded.name[:300], file_format=suffix.lstrip("."),
                                               actor=request.user)
            appeals_import_enqueue(actor=request.user, batch=batch, path=stored)
        return redirect("tension:batch", pk=batch.pk)
    return render(request, "tension/upload.html", {
        "form": form, "batches": ImportBatch.objects.order_by("-created_at")[:20], "limits": settings.IMPORT_LIMITS},
        status=status)


def _can_run(request) -> None:
    if not can(request.user, "tension.import"):
        raise PermissionDenied


@login_required
@require_POST
def scan(request):
    """Start a scan of every cell in the background (the weekly timer does the same) and follow it."""
    _can_run(request)
    job = tension_scan_enqueue(actor=request.user)
    return redirect("tension:scan-job", pk=job.pk)


@login_required
def scan_job(request, pk: int):
    """How a scan is going: waiting, running (with its last sign of life), done with what it changed, or failed."""
    _can_run(request)
    job = get_object_or_404(Job, pk=pk, task=scan_tension.module_path)
    changes = None
    if job.status == Job.Status.DONE and job.started_at and job.finished_at:
        during = (job.started_at, job.finished_at)
        closed = AlertTransition.objects.filter(at__range=during, target=TensionAlert.Status.CLOSED)
        changes = {"opened": TensionAlert.objects.filter(created_at__range=during).count(), "closed": closed.count(),
                   "current": TensionAlert.objects.current().count()}
    template = "tension/scan_status.html" if request.htmx else "tension/scan.html"
    return render(request, template, {"job": job, "changes": changes, "cells": len(job.arguments.get("cells") or [])})


@login_required
def batch(request, pk: int):
    _can_run(request)
    item = get_object_or_404(ImportBatch, pk=pk)
    template = "tension/batch_status.html" if request.htmx else "tension/batch.html"
    return render(request, template, {"batch": item})


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a BOM, so that spreadsheet programs read the Cyrillic as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(csv_row(row))
    return response


@login_required
def batch_rejected(request, pk: int):
    """The rejected rows of an import as CSV: line, reason code, reason, then the row's own columns as stored,
    so they can be corrected and imported again."""
    _can_run(request)
    item = get_object_or_404(ImportBatch, pk=pk)
    rows = item.rejected_rows
    fixed = ("line", "code", "reason")
    extra = list(dict.fromkeys(k for r in rows for k in r if k not in fixed))
    return _csv(f"rejected-{item.pk}.csv", [*fixed, *extra],
                ([r.get(k) for k in (*fixed, *extra)] for r in rows))


OPTIONAL_COLUMNS = ("sector", "recipient_body", "signatories", "text", "language")
EXAMPLE_ROW = ("A-2026-000001", "2026-11-23", "turkistan", "complaint", "housing-utilities", "", "1", "", "kk")


@login_required
def import_template(request):
    """An empty appeals file with every column the importer reads and one example row."""
    _can_run(request)
    return _csv("appeals-template.csv", [*REQUIRED, *OPTIONAL_COLUMNS], [EXAMPLE_ROW])
