"""Staff pages for clause 1.3: the regions × sectors map, alert evidence, appeals upload."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kezdesu.registry.models import Region, Sector
from kezdesu.tension.charts import series_chart
from kezdesu.tension.forms import AppealsUploadForm
from kezdesu.tension.models import ImportBatch, Obligation, TensionAlert
from kezdesu.tension.selectors import LEVEL_ORDER, alert_region_map
from kezdesu.tension.tasks import appeals_import_enqueue, tension_scan_enqueue
from kezdesu.users.models import Role
from kezdesu.users.roles import can


@login_required
def overview(request):
    if not can(request.user, "tension.view"):
        raise PermissionDenied
    alerts = TensionAlert.objects.visible_to(request.user).current().select_related("region", "sector")
    cells = {(a.region_id, a.sector_id): a for a in alerts}
    sectors = list(Sector.objects.order_by("slug"))
    regions = Region.objects.order_by("kato_code")
    membership = request.user.membership
    if membership.role == Role.AKIMAT_COORDINATOR:
        regions = regions.filter(pk=membership.region_id)
    grid = [(r, [cells.get((r.pk, s.pk)) for s in sectors]) for r in regions]
    obligations = Obligation.objects.visible_to(request.user) \
        .select_related("body", "alert__region", "alert__sector", "meeting").order_by("status", "deadline")
    return render(request, "tension/overview.html", {
        "grid": grid, "sectors": sectors, "alerts": sorted(alerts, key=lambda a: (-LEVEL_ORDER[a.level], -a.score)),
        "obligations": obligations[:100], "can_import": can(request.user, "tension.import"),
        "region_map": alert_region_map(alerts=alerts, regions=regions),
    })


@login_required
def alert_detail(request, pk: int):
    if not can(request.user, "tension.view"):
        raise PermissionDenied
    alert = get_object_or_404(TensionAlert.objects.visible_to(request.user).select_related("region", "sector"), pk=pk)
    series = alert.evidence.get("series", {})
    chart = series_chart(series.get("counts", []), series.get("expected", []), series.get("upper", []),
                         series.get("start", ""))
    return render(request, "tension/alert.html", {
        "alert": alert, "chart": chart, "ev": alert.evidence,
        "obligations": alert.obligations.select_related("body", "meeting"),
        "can_draft": request.user.role == Role.BODY_COORDINATOR,
    })


@login_required
def upload(request):
    if not can(request.user, "tension.import"):
        raise PermissionDenied
    if request.method == "POST":
        form = AppealsUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("file", [_("Choose a file to upload.")])))
            return redirect("tension:upload")
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
        "batches": ImportBatch.objects.order_by("-created_at")[:20], "limits": settings.IMPORT_LIMITS})


@login_required
@require_POST
def scan(request):
    """Start a scan of every cell in the background (the weekly timer does the same)."""
    if not can(request.user, "tension.import"):
        raise PermissionDenied
    tension_scan_enqueue(actor=request.user)
    messages.success(request, _("The scan has started; alerts appear here when it is finished."))
    return redirect("tension:overview")


@login_required
def batch(request, pk: int):
    if not can(request.user, "tension.import"):
        raise PermissionDenied
    item = get_object_or_404(ImportBatch, pk=pk)
    template = "tension/batch_status.html" if request.htmx else "tension/batch.html"
    return render(request, template, {"batch": item})
