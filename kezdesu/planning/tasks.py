"""Background work of clause 3.1: optimiser runs (run by `manage.py worker`)."""

from __future__ import annotations

from django.tasks import task

from kezdesu.core.actors import Actor, actor_from_id
from kezdesu.core.jobs import job_enqueue, job_failed, job_run
from kezdesu.core.models import Job
from kezdesu.planning.models import Plan

OPTIMISE_SECONDS = 30.0


@task()
def optimise_plan(*, job_id: int) -> None:
    job_run(job_id, _optimise)


def plan_optimise_enqueue(*, actor: Actor, plan: Plan, time_limit_s: float = OPTIMISE_SECONDS) -> Job:
    """Mark the plan as being optimised and queue the run; the plan page follows its progress."""
    Plan.objects.filter(pk=plan.pk).update(running=True)
    return job_enqueue(task=optimise_plan, plan_id=plan.pk, actor_id=getattr(actor, "pk", None),
                       time_limit_s=time_limit_s)


def _optimise(job: Job, heartbeat) -> None:
    # Imported here, not above: this module is loaded when Django starts (apps.ready) and the solver's
    # OR-Tools would otherwise slow every process start, management commands included.
    from kezdesu.planning import services

    args = job.arguments
    actor = actor_from_id(args["actor_id"])
    heartbeat()
    services.plan_optimise(actor=actor, plan=Plan.objects.get(pk=args["plan_id"]), time_limit_s=args["time_limit_s"])


def _optimise_failed(sender, *, job: Job, message: str, **kwargs) -> None:
    """A failed run leaves the plan not running, with the reason where the solver's verdict shows."""
    Plan.objects.filter(pk=job.arguments["plan_id"]).update(running=False,
                                                            solver={"status": "error", "explanation": [message]})


job_failed.connect(_optimise_failed, sender=optimise_plan, dispatch_uid="planning.optimise_failed")
