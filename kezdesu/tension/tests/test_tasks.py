"""Imports and scans as background jobs: failures end the batch, abandoned jobs are retried or failed."""

import datetime as dt
import io
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation

from kezdesu.core.jobs import jobs_reap
from kezdesu.core.models import Job
from kezdesu.registry.models import Region, Sector
from kezdesu.tension.models import Appeal, ImportBatch, TensionAlert
from kezdesu.tension.services import tension_scan
from kezdesu.tension.store import counts_rebuild
from kezdesu.tension.tasks import appeals_import_enqueue, import_appeals, scan_tension, tension_scan_enqueue
from kezdesu.tension.tests.factories import AS_OF
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db

CSV = "external_id,received_on,region,sector,kind\nT-1,2026-11-02,astana,health,complaint\n"


def stored(tmp_path: Path, text: str = CSV, name: str = "a.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_import_job_runs_after_commit_and_ends_with_a_scan_of_its_cells(reference, tmp_path,
                                                                          django_capture_on_commit_callbacks):
    analyst = staff(Role.AUTHORIZED_ANALYST)
    batch = ImportBatch.objects.create(file_name="a.csv", file_format="csv", actor=analyst)
    path = stored(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        job = appeals_import_enqueue(actor=analyst, batch=batch, path=path)
    batch.refresh_from_db()
    job.refresh_from_db()
    assert (batch.status, batch.rows_created, job.status, job.attempts) == ("done", 1, "done", 1)
    assert not path.exists()  # the upload is removed once imported
    scan = Job.objects.get(task=scan_tension.module_path)
    astana, health = Region.objects.get(slug="astana"), Sector.objects.get(slug="health")
    assert scan.arguments["cells"] == [f"{astana.pk}:{health.pk}"] and scan.arguments["actor_id"] == analyst.pk


def test_a_scan_of_some_cells_leaves_other_alerts_alone(cells):
    mangystau, _jobs, abai, health = cells
    tension_scan(as_of=AS_OF)
    alert = TensionAlert.objects.get(region=mangystau)
    Appeal.objects.filter(region=mangystau).delete()  # a full scan would now close the Mangystau alert
    counts_rebuild()
    result = tension_scan(as_of=AS_OF, cells=[f"{abai.pk}:{health.pk}"])
    assert result.series == 1 and not result.closed
    alert.refresh_from_db()
    assert alert.status == TensionAlert.Status.OPEN
    assert tension_scan(as_of=AS_OF).closed == [alert]


def test_an_unreadable_file_fails_the_job_and_the_batch_with_a_translated_reason(reference, tmp_path, caplog,
                                                                                django_capture_on_commit_callbacks):
    analyst = staff(Role.AUTHORIZED_ANALYST)
    batch = ImportBatch.objects.create(file_name="a.csv", file_format="csv", actor=analyst)
    path = stored(tmp_path, "no,columns\n1,2\n")
    with caplog.at_level(logging.ERROR, logger="kezdesu.jobs"), translation.override("ru"), \
            django_capture_on_commit_callbacks(execute=True):
        job = appeals_import_enqueue(actor=analyst, batch=batch, path=path)
    batch.refresh_from_db()
    job.refresh_from_db()
    assert (batch.status, job.status) == ("failed", "failed")
    assert "external_id" in batch.error and batch.error == job.error
    assert any(r.name == "kezdesu.jobs" and "failed" in r.getMessage() for r in caplog.records)
    assert not path.exists()


def test_a_job_that_crashes_unexpectedly_never_stays_running(reference, tmp_path, django_capture_on_commit_callbacks):
    analyst = staff(Role.AUTHORIZED_ANALYST)
    batch = ImportBatch.objects.create(file_name="a.csv", file_format="csv", actor=analyst)
    missing = tmp_path / "gone.csv"  # the upload vanished before the worker got to it
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        job = appeals_import_enqueue(actor=analyst, batch=batch, path=missing)
    batch.refresh_from_db()
    job.refresh_from_db()
    assert (batch.status, job.status) == ("failed", "failed")
    assert batch.error


def _abandoned(tmp_path, *, attempts: int) -> tuple[Job, ImportBatch, Path]:
    """An import whose worker was killed: the job says running, its last heartbeat is an hour old."""
    analyst = staff(Role.AUTHORIZED_ANALYST)
    batch = ImportBatch.objects.create(file_name="a.csv", file_format="csv", actor=analyst)
    path = stored(tmp_path)
    job = Job.objects.create(task=import_appeals.module_path, status=Job.Status.RUNNING, attempts=attempts,
                             arguments={"batch_id": batch.pk, "path": str(path), "actor_id": analyst.pk},
                             heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    return job, batch, path


@override_settings(KEZDESU={**settings.KEZDESU, "JOB_STALE_SECONDS": 600, "JOB_MAX_ATTEMPTS": 2})
def test_an_abandoned_job_is_enqueued_again_and_finishes(reference, tmp_path):
    job, batch, _path = _abandoned(tmp_path, attempts=1)
    fresh = Job.objects.create(task=import_appeals.module_path, status=Job.Status.RUNNING, attempts=1,
                               arguments={}, heartbeat_at=timezone.now())  # alive: left alone
    assert jobs_reap() == {"retried": 1, "failed": 0}
    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.status, job.attempts, batch.status, batch.rows_created) == ("done", 2, "done", 1)
    fresh.refresh_from_db()
    assert fresh.status == "running"


@override_settings(KEZDESU={**settings.KEZDESU, "JOB_STALE_SECONDS": 600, "JOB_MAX_ATTEMPTS": 2})
def test_an_abandoned_job_out_of_attempts_is_marked_failed_by_the_timer_command(reference, tmp_path):
    job, batch, path = _abandoned(tmp_path, attempts=2)
    with translation.override("kk"):
        call_command("reap_jobs", stdout=io.StringIO())
    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.status, batch.status) == ("failed", "failed")
    assert batch.error == job.error and batch.error != "" and "worker" not in batch.error  # Kazakh, not English
    assert not path.exists()


def test_the_analyst_starts_a_scan_from_the_tension_page(client, cells, django_capture_on_commit_callbacks):
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/tension/scan/")
    job = Job.objects.get(task=scan_tension.module_path)
    assert response.status_code == 302 and response.url == f"/staff/tension/scan/{job.pk}/"
    assert job.status == "done" and job.arguments["cells"] is None
    assert "/staff/tension/scan/" in client.get("/staff/tension/").content.decode()
    client.force_login(staff(Role.MODERATOR))
    assert client.post("/staff/tension/scan/").status_code == 403
    assert client.get("/staff/tension/scan/").status_code in (403, 405)


def test_a_scan_job_runs_as_of_the_given_day(cells, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = tension_scan_enqueue(actor=None, as_of=AS_OF)
    job.refresh_from_db()
    assert job.status == "done"
    assert TensionAlert.objects.filter(region__slug="mangystau", level="mandatory").exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}})
def test_the_worker_command_runs_what_is_queued(reference, tmp_path):
    analyst = staff(Role.AUTHORIZED_ANALYST)
    batch = ImportBatch.objects.create(file_name="a.csv", file_format="csv", actor=analyst)
    job = appeals_import_enqueue(actor=analyst, batch=batch, path=stored(tmp_path))
    job.refresh_from_db()
    assert job.status == "queued"  # nothing runs until a worker takes it
    call_command("worker", batch=True, verbosity=0)
    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.status, batch.status, batch.rows_created) == ("done", "done", 1)
    assert Job.objects.get(task=scan_tension.module_path).status == "done"  # the follow-up scan ran too


def test_a_job_interrupted_by_the_worker_stopping_waits_again(reference, tmp_path):
    from kezdesu.core.jobs import job_run

    analyst = staff(Role.AUTHORIZED_ANALYST)
    batch = ImportBatch.objects.create(file_name="a.csv", file_format="csv", actor=analyst)
    job = Job.objects.create(task=import_appeals.module_path,
                             arguments={"batch_id": batch.pk, "path": str(stored(tmp_path)), "actor_id": analyst.pk})

    def stopped(job, heartbeat):
        raise SystemExit(1)  # what the worker's second SIGTERM does in the middle of a task

    with pytest.raises(SystemExit):
        job_run(job.pk, stopped)
    job.refresh_from_db()
    batch.refresh_from_db()
    # Enqueued again at once (tests run tasks immediately): the import then ran to the end.
    assert (job.status, job.attempts, batch.status, batch.rows_created) == ("done", 2, "done", 1)


@override_settings(KEZDESU={**settings.KEZDESU, "JOB_STALE_SECONDS": 600, "JOB_MAX_ATTEMPTS": 2})
def test_a_job_whose_task_never_reached_the_queue_is_enqueued_by_the_reaper(reference, tmp_path):
    analyst = staff(Role.AUTHORIZED_ANALYST)
    batch = ImportBatch.objects.create(file_name="a.csv", file_format="csv", actor=analyst)
    # Written in a transaction whose process died before its on-commit enqueue ran.
    job = Job.objects.create(task=import_appeals.module_path,
                             arguments={"batch_id": batch.pk, "path": str(stored(tmp_path)), "actor_id": analyst.pk})
    assert jobs_reap() == {"retried": 0, "failed": 0}  # too young to tell
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert jobs_reap() == {"retried": 1, "failed": 0}
    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.status, batch.status, batch.rows_created) == ("done", "done", 1)


@pytest.mark.django_db(transaction=True)
def test_heartbeats_are_seen_by_other_processes_even_from_inside_the_work_transaction():
    from django.db import connection, transaction

    from kezdesu.core.jobs import job_run

    job = Job.objects.create(task=import_appeals.module_path, arguments={})
    seen = []

    def work(job, heartbeat):
        old = timezone.now() - dt.timedelta(hours=1)
        Job.objects.filter(pk=job.pk).update(heartbeat_at=old)
        heartbeat()
        seen.append(Job.objects.get(pk=job.pk).heartbeat_at > old)
        if connection.vendor == "postgresql":  # SQLite's single writer is busy inside the transaction
            with transaction.atomic():
                Job.objects.filter(pk=job.pk).update(heartbeat_at=old)
            with transaction.atomic():
                Appeal.objects.count()
                heartbeat()
                seen.append("committed elsewhere")
            seen.append(Job.objects.get(pk=job.pk).heartbeat_at > old)

    assert job_run(job.pk, work)
    assert seen[0] is True and all(s for s in seen)


@pytest.mark.parametrize("text", ["plain", 'with a "stray" quote'])
def test_a_long_import_job_writes_its_progress_between_copies(reference, tmp_path, monkeypatch, text,
                                                               django_capture_on_commit_callbacks):
    """The job's progress goes through the import's own connection: on PostgreSQL it is written between two
    COPY statements, never in the middle of one (which would wait for ever). Both ways of reading a file
    (copied as it is, and row by row after a stray quote) send several."""
    from django.db import connection

    from kezdesu.core import jobs
    from kezdesu.tension import bulk

    monkeypatch.setattr(bulk, "BLOCK_ROWS", 2)
    monkeypatch.setattr(bulk, "BLOCK_BYTES", 64)
    monkeypatch.setattr(bulk, "SEGMENT_BYTES", 1)
    beats = []
    monkeypatch.setattr(jobs._Heartbeat, "__call__", lambda self: beats.append(self.job_id))
    analyst = staff(Role.AUTHORIZED_ANALYST)
    batch = ImportBatch.objects.create(file_name="a.csv", file_format="csv", actor=analyst)
    rows = "".join(f"P-{i},2026-11-02,astana,health,complaint,{text}\n" for i in range(7))
    path = stored(tmp_path, "external_id,received_on,region,sector,kind,text\n" + rows)
    with django_capture_on_commit_callbacks(execute=True):
        job = appeals_import_enqueue(actor=analyst, batch=batch, path=path)
    batch.refresh_from_db()
    job.refresh_from_db()
    assert (job.status, batch.status, batch.rows_total, batch.rows_created) == ("done", "done", 7, 7)
    if connection.vendor == "postgresql":  # SQLite reads row by row in Python, with its own blocks
        assert len(beats) >= 3
