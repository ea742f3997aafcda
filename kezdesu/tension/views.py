"""Staff pages for clause 1.3: the regions × sectors map, alert evidence, appeals upload."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connections
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kezdesu.core.errors import ApplicationError
from kezdesu.registry.models import Region, Sector
from kezdesu.tension.charts import series_chart
from kezdesu.tension.models import ImportBatch, Obligation, TensionAlert
from kezdesu.tension.services import appeals_import
from kezdesu.users.models import Role
from kezdesu.users.roles import can

LEVEL_ORDER = {"mandatory": 3, "warning": 2, "watch": 1}


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


def _run_import(batch_id: int, path: Path, actor_id: int) -> None:
    """Background import for the upload page; progress goes to the batch row as it reads."""
    from kezdesu.users.models import User

    close_old_connections()
    try:
        actor = User.objects.get(pk=actor_id)

        def progress(rows: int) -> None:
            ImportBatch.objects.filter(pk=batch_id).update(rows_total=rows)

        appeals_import(actor=actor, path=path, progress=progress, batch=ImportBatch.objects.get(pk=batch_id))
    except ApplicationError:
        pass  # the batch row holds the error for the page
    finally:
        path.unlink(missing_ok=True)
        connections.close_all()  # this thread's own connection, which would otherwise outlive it


@login_required
def upload(request):
    if not can(request.user, "tension.import"):
        raise PermissionDenied
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            messages.error(request, _("Choose a file to upload."))
            return redirect("tension:upload")
        suffix = Path(uploaded.name).suffix.lower()
        if suffix not in (".csv", ".jsonl", ".ndjson", ".xlsx"):
            messages.error(request, _("Unknown file format: use .csv, .jsonl or .xlsx."))
            return redirect("tension:upload")
        with tempfile.NamedTemporaryFile(delete=False, suffix=suffix) as tmp:
            for chunk in uploaded.chunks():
                tmp.write(chunk)
        batch = ImportBatch.objects.create(file_name=uploaded.name[:300], file_format=suffix.lstrip("."),
                                           actor=request.user)
        threading.Thread(target=_run_import, args=(batch.pk, Path(tmp.name), request.user.pk), daemon=True).start()
        return redirect("tension:batch", pk=batch.pk)
    return render(request, "tension/upload.html", {
        "batches": ImportBatch.objects.order_by("-created_at")[:20]})


@login_required
def batch(request, pk: int):
    if not can(request.user, "tension.import"):
        raise PermissionDenied
    item = get_object_or_404(ImportBatch, pk=pk)
    template = "tension/batch_status.html" if request.htmx else "tension/batch.html"
    return render(request, template, {"batch": item})
