"""Background jobs: enqueue after commit, run with a heartbeat, and never leave one `running` for ever.

A job is a row (`Job`) plus a task on Django's task queue that carries only the job's id. The row holds
the arguments, so a job whose worker died can be enqueued again as it was (`jobs_reap`). Whatever stops
a job — an error in the work, or a worker that stopped beating — ends in `job_failed`, which the app
that owns the work answers by marking its own row (an import, a plan) failed with a translated message.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import F
from django.dispatch import Signal
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from kezdesu.core.models import Job

logger = logging.getLogger("kezdesu.jobs")

# Sent once when a job has failed for good: sender is the task (as imported from its path), `job` the row,
# `message` a translated explanation for the owner's row.
job_failed = Signal()

ABANDONED = _("The background worker stopped while running this job; it was not finished.")
CRASHED = _("The background job failed with an unexpected error; the operators have been told.")


def job_enqueue(*, task: Task, **arguments) -> Job:
    """Write the job and put its task on the queue once the surrounding transaction commits."""
    job = Job.objects.create(task=task.module_path, arguments=arguments)
    transaction.on_commit(lambda: task.enqueue(job_id=job.pk), robust=True)
    return job


def job_run(job_id: int, work: Callable[[Job, Callable[[], None]], None]) -> bool:
    """Claim the job and run `work(job, heartbeat)`; returns False when the job was not waiting.

    Any exception marks the job failed, logs it with its traceback, sends `job_failed` and is raised
    again so that the queue records it too; a forced stop of the worker puts the job back in the queue.
    """
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now)
    if not claimed:
        logger.info("job %s is not waiting; nothing to do", job_id)
        return False
    job = Job.objects.get(pk=job_id)
    beat = _Heartbeat(job_id)
    try:
        work(job, beat)
    except (KeyboardInterrupt, SystemExit):
        # The worker is being stopped, not the job failing: its transaction rolled back, so it waits again.
        Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(status=Job.Status.QUEUED)
        logger.warning("job %s (%s) interrupted by the worker's shutdown; enqueued again", job.pk, job.task)
        import_string(job.task).enqueue(job_id=job.pk)
        raise
    except BaseException as exc:
        logger.exception("job %s (%s) failed", job.pk, job.task)
        _fail(job, str(CRASHED) if not getattr(exc, "message", None) else str(exc.message))
        raise
    finally:
        beat.close()
    Job.objects.filter(pk=job_id).update(status=Job.Status.DONE, finished_at=timezone.now(), error="")
    return True


class _Heartbeat:
    """Call to say the job is alive. It writes on a connection of its own, so that a beat sent from inside
    the work's transaction (a long import's inserts) is seen at once by `jobs_reap` in another process."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.alias = Job.objects.db
        self.connection = None

    def __call__(self) -> None:
        if connections[self.alias].vendor == "sqlite" and connections[self.alias].in_atomic_block:
            return  # SQLite has one writer: the work's transaction holds it, a second connection would wait
        if self.connection is None:
            self.connection = connections.create_connection(self.alias)
        now = self.connection.ops.adapt_datetimefield_value(timezone.now())
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(f"UPDATE {Job._meta.db_table} SET heartbeat_at = %s "  # noqa: S608 — our table
                               "WHERE id = %s AND status = %s", [now, self.job_id, Job.Status.RUNNING.value])
        except DatabaseError:
            logger.warning("heartbeat of job %s not written", self.job_id, exc_info=True)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _fail(job: Job, message: str) -> None:
    updated = Job.objects.filter(pk=job.pk).exclude(status=Job.Status.FAILED).update(
        status=Job.Status.FAILED, finished_at=timezone.now(), error=message[:2000])
    if updated:
        job.status, job.error = Job.Status.FAILED, message
        job_failed.send(sender=import_string(job.task), job=job, message=message)


def jobs_reap(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Find running jobs without a heartbeat for JOB_STALE_SECONDS: enqueue them again while they have
    attempts left (JOB_MAX_ATTEMPTS), otherwise mark them failed. Jobs waiting that long whose task is not
    in the queue are enqueued again too. Returns how many were retried and failed."""
    now = now or timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.KEZDESU["JOB_STALE_SECONDS"])
    retried = failed = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=stale_before):
        if job.attempts < settings.KEZDESU["JOB_MAX_ATTEMPTS"]:
            requeued = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, heartbeat_at=job.heartbeat_at) \
                .update(status=Job.Status.QUEUED)
            if requeued:
                logger.warning("job %s (%s) lost its worker; enqueued again (attempt %s)", job.pk, job.task,
                               job.attempts + 1)
                import_string(job.task).enqueue(job_id=job.pk)
                retried += 1
        else:
            logger.error("job %s (%s) lost its worker after %s attempts; marked failed", job.pk, job.task,
                         job.attempts)
            _fail(job, str(ABANDONED))
            failed += 1
    # A job whose task never reached the queue (the process died between the commit and the enqueue).
    waiting = set(DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
                  .values_list("args_kwargs__kwargs__job_id", flat=True)) - {None}
    for job in Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=stale_before).exclude(pk__in=waiting):
        logger.warning("job %s (%s) was never queued; enqueued now", job.pk, job.task)
        import_string(job.task).enqueue(job_id=job.pk)
        retried += 1
    return {"retried": retried, "failed": failed}
