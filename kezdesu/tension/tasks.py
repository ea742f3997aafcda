"""Background work of clause 1.3: appeals imports and tension scans (run by `manage.py worker`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.tasks import task
from django.utils import timezone

from kezdesu.core.actors import Actor, actor_from_id
from kezdesu.core.jobs import job_enqueue, job_failed, job_run
from kezdesu.core.models import Job
from kezdesu.tension.models import ImportBatch


@task()
def import_appeals(*, job_id: int) -> None:
    job_run(job_id, _import)


@task()
def scan_tension(*, job_id: int) -> None:
    job_run(job_id, _scan)


def appeals_import_enqueue(*, actor: Actor, batch: ImportBatch, path: Path) -> Job:
    """Queue the import of a stored upload into `batch`; the worker reads the file and removes it."""
    return job_enqueue(task=import_appeals, batch_id=batch.pk, path=str(path),
                       actor_id=getattr(actor, "pk", None))


def tension_scan_enqueue(*, actor: Actor, as_of: dt.date | None = None, cells: list[str] | None = None) -> Job:
    """Queue a scan (of every cell, or only of `cells`) as of `as_of` (today by default)."""
    return job_enqueue(task=scan_tension, as_of=(as_of or timezone.localdate()).isoformat(), cells=cells,
                       actor_id=getattr(actor, "pk", None))


def _import(job: Job, heartbeat) -> None:
    # Imported here, not above: this module is loaded when Django starts (apps.ready) and the detectors'
    # SciPy would otherwise slow every process start, management commands included.
    from kezdesu.tension.services import appeals_import, import_cells

    args = job.arguments
    batch = ImportBatch.objects.get(pk=args["batch_id"])
    actor = actor_from_id(args["actor_id"])

    def progress(rows: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(rows_total=rows)
        heartbeat()

    try:
        appeals_import(actor=actor, path=Path(args["path"]), name=batch.file_name, progress=progress, batch=batch)
    finally:
        Path(args["path"]).unlink(missing_ok=True)
    cells = import_cells(batch.pk)
    if cells:
        tension_scan_enqueue(actor=actor, cells=cells)


def _scan(job: Job, heartbeat) -> None:
    from kezdesu.tension.services import tension_scan  # see `_import`

    args = job.arguments
    tension_scan(as_of=dt.date.fromisoformat(args["as_of"]), actor=actor_from_id(args["actor_id"]), cells=args["cells"])


def _import_failed(sender, *, job: Job, message: str, **kwargs) -> None:
    """A failed import job leaves its batch failed (never `running`) with the reason, and no upload behind."""
    ImportBatch.objects.filter(pk=job.arguments["batch_id"], status=ImportBatch.Status.RUNNING).update(
        status=ImportBatch.Status.FAILED, error=message[:2000])
    Path(job.arguments["path"]).unlink(missing_ok=True)


job_failed.connect(_import_failed, sender=import_appeals, dispatch_uid="tension.import_failed")
