"""Background work of reports: the briefing pack of a meeting (run by `manage.py worker`)."""

from __future__ import annotations

from django.tasks import task

from kezdesu.core.actors import Actor, actor_from_id
from kezdesu.core.jobs import job_enqueue, job_run
from kezdesu.core.models import Job


@task()
def generate_briefing(*, job_id: int) -> None:
    job_run(job_id, _generate)


def briefing_generate_enqueue(*, actor: Actor, meeting) -> Job:
    """Queue the making of the meeting's briefing pack; the briefing page follows the job."""
    return job_enqueue(task=generate_briefing, meeting_id=meeting.pk, actor_id=getattr(actor, "pk", None))


def briefing_job_waiting(meeting) -> Job | None:
    """The meeting's briefing job that is queued or running, if any."""
    return (Job.objects.filter(task=generate_briefing.module_path, arguments__meeting_id=meeting.pk,
                               status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).order_by("-pk").first())


def _generate(job: Job, heartbeat) -> None:
    # Imported here: this module is loaded when Django starts and the renderers would slow every start.
    from kezdesu.meetings.models import Meeting
    from kezdesu.reports.services import briefing_pack_generate

    heartbeat()
    briefing_pack_generate(actor=actor_from_id(job.arguments["actor_id"]),
                           meeting=Meeting.objects.get(pk=job.arguments["meeting_id"]), heartbeat=heartbeat)
