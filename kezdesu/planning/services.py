"""Writes for clause 3.1: drafting the half-year schedule with the optimiser and taking it through
agreement, submission and approval."""

from __future__ import annotations

import datetime as dt
import re

from django.db import OperationalError, connections, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kezdesu.compliance.half_years import half_year_items
from kezdesu.core.actors import SYSTEM, Actor
from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.calendar import working_calendar
from kezdesu.core.errors import ApplicationError, CoreError
from kezdesu.core.notifications import notify
from kezdesu.core.transitions import Move, transition
from kezdesu.meetings.models import Meeting, local_day
from kezdesu.meetings.services import meeting_draft_from_plan
from kezdesu.planning import solver
from kezdesu.planning.errors import PlanError
from kezdesu.planning.messages import reasons_text
from kezdesu.planning.models import Plan, PlanAgreement, PlanItem, Unavailability
from kezdesu.planning.recommend import Recommendation, recommend_regions
from kezdesu.registry.models import Body, Region
from kezdesu.users.models import Membership, Role
from kezdesu.users.roles import can
from kezdesu.users.selectors import coordinators

P = Plan.Status
# Clause 3.1: draft → agreed (the last body agrees) → submitted → approved. A body may withdraw its
# agreement until the plan is submitted (agreed → draft); nothing moves an approved plan back.
TRANSITIONS = {
    (P.DRAFT, P.AGREED): Move("plan.agree"),
    (P.AGREED, P.DRAFT): Move("plan.agree"),
    (P.AGREED, P.SUBMITTED): Move("plan.edit"),
    (P.SUBMITTED, P.APPROVED): Move("plan.approve"),
}
AGREEMENT_OPEN = (P.DRAFT, P.AGREED)

SCORE_SCALE = 8  # recommendation points (≈0–125) → solver's integer scores (≈0–1000)


def parse_half(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-H([12])", text.strip().upper())
    if not match:
        raise ApplicationError(PlanError.BAD_HALF)
    return int(match[1]), int(match[2])


def half_weeks(year: int, half: int) -> tuple[solver.Week, ...]:
    """The Monday-started weeks whose Monday falls in the half-year (25 to 27: each week belongs to one
    half), with their working days from our calendar."""
    cal = working_calendar()
    first = dt.date(year, 1 if half == 1 else 7, 1)
    last = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    second_quarter = dt.date(year, 4 if half == 1 else 10, 1)
    weeks = []
    for i in range((last - monday).days // 7 + 1):
        start = monday + dt.timedelta(weeks=i)
        weeks.append(solver.Week(index=i, start=start,
                                 working_days=cal.working_days_in(start + dt.timedelta(d) for d in range(7)),
                                 quarter=1 if start < second_quarter else 2))
    return tuple(weeks)


def plan_bodies(year: int, half: int) -> list[Body]:
    """The non-exempt bodies in office at some point of the half-year."""
    weeks = half_weeks(year, half)
    return list(Body.objects.valid_during(weeks[0].start, weeks[-1].start + dt.timedelta(days=6))
                .filter(exempt=False).order_by("slug"))


def recommendations_by_body(bodies, today: dt.date) -> dict[str, dict[str, Recommendation]]:
    """Each body's ranked regions, keyed by body slug then region slug."""
    return {b.slug: {r.region_slug: r for r in recommend_regions(body=b, today=today)} for b in bodies}


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _blocked_weeks(bodies, weeks, given: dict[str, frozenset[int]]) -> dict[str, set[int]]:
    """`given` plus the weeks in which a body's head is away on any working day (Unavailability rows)."""
    blocked = {slug: set(weeks_) for slug, weeks_ in given.items()}
    start, end = weeks[0].start, weeks[-1].start + dt.timedelta(days=6)
    for u in Unavailability.objects.filter(body__in=bodies, start__lte=end, end__gte=start).select_related("body"):
        for w in weeks:
            if u.start <= w.start + dt.timedelta(days=4) and u.end >= w.start:
                blocked.setdefault(u.body.slug, set()).add(w.index)
    return blocked


def plan_problem(*, year: int, half: int, today: dt.date, previous: Plan | None = None,
                 blocked: dict[str, frozenset[int]] | None = None,
                 recommendations: dict[str, dict[str, Recommendation]] | None = None) -> solver.PlanningProblem:
    """The optimiser's input built from the registry, the evidence and the meetings already agreed.

    `recommendations` (from `recommendations_by_body`) may be passed in when the caller needs them too.
    """
    weeks = half_weeks(year, half)
    start, end = weeks[0].start, weeks[-1].start + dt.timedelta(days=6)
    bodies = plan_bodies(year, half)
    regions = list(Region.objects.order_by("kato_code"))
    if recommendations is None:
        recommendations = recommendations_by_body(bodies, today)
    scores = {(slug, region): int(rec.score * SCORE_SCALE)
              for slug, recs in recommendations.items() for region, rec in recs.items()}
    week_of = {w.start: w.index for w in weeks}
    agreed = Meeting.objects.filter(body__in=bodies, starts_at__date__range=(start, end),
                                    status__in=Meeting.Status.AGREED_STATES).select_related("body", "region")
    pinned = [solver.Assignment(m.body.slug, m.region.slug, week_of[_monday(local_day(m.starts_at))]) for m in agreed]
    prev = ()
    if previous is not None:
        prev = tuple(solver.Assignment(i.body.slug, i.region.slug, week_of[i.week_start])
                     for i in previous.items.select_related("body", "region") if i.week_start in week_of)
    blocked = _blocked_weeks(bodies, weeks, blocked or {})
    return solver.PlanningProblem(
        bodies=tuple(solver.BodySpec(slug=b.slug, blocked_weeks=frozenset(blocked.get(b.slug, ()))) for b in bodies),
        regions=tuple(r.slug for r in regions), weeks=weeks, scores=scores, pinned=tuple(pinned), previous=prev)


def plan_create(*, actor: Actor, year: int, half: int) -> Plan:
    """Open a new version of the half-year plan (the previous version is kept)."""
    if actor is not SYSTEM and not can(actor, "plan.edit"):
        raise ApplicationError(PlanError.NOT_ALLOWED)
    with transaction.atomic():
        last = Plan.objects.filter(year=year, half=half).order_by("-version").first()
        plan = Plan.objects.create(year=year, half=half, version=(last.version + 1) if last else 1,
                                   created_by=actor if getattr(actor, "pk", None) else None)
        audit_record(actor=actor, action="plan.create", obj=plan, before=None, after=snapshot(plan))
    return plan


def plan_optimise(*, actor: Actor, plan: Plan, time_limit_s: float = 30.0, today: dt.date | None = None,
                  blocked: dict[str, frozenset[int]] | None = None) -> solver.PlanResult:
    """Run the optimiser for a draft plan and store its items and statistics; returns the result.

    Progress (seconds, objective, bound) is written to the plan while it runs so a page can show it.
    """
    if actor is not SYSTEM and not can(actor, "plan.edit"):
        raise ApplicationError(PlanError.NOT_ALLOWED)
    if plan.status != Plan.Status.DRAFT:
        raise ApplicationError(PlanError.ILLEGAL_TRANSITION, source=plan.get_status_display(),
                               target=Plan.Status.DRAFT.label)
    previous = Plan.objects.filter(year=plan.year, half=plan.half, version__lt=plan.version) \
        .exclude(items__isnull=True).order_by("-version").first()
    today = today or timezone.localdate()
    recs = recommendations_by_body(plan_bodies(plan.year, plan.half), today)
    problem = plan_problem(year=plan.year, half=plan.half, today=today, previous=previous, blocked=blocked,
                           recommendations=recs)
    Plan.objects.filter(pk=plan.pk).update(running=True, progress=[])
    trace: list[list[float]] = []
    # The solver reports from its own threads; each opens its own database connection, closed after use.
    own_connection = connections[Plan.objects.db]

    def progress(seconds: float, objective: float, bound: float) -> None:
        trace.append([round(seconds, 2), objective, bound])
        try:
            Plan.objects.filter(pk=plan.pk).update(progress=trace[-50:])
        except OperationalError:
            pass  # best effort from the solver's thread: SQLite may have the table locked; the solve goes on
        finally:
            if connections[Plan.objects.db] is not own_connection:
                connections.close_all()  # the solver's thread opened its own connection

    try:
        result = solver.solve(problem, time_limit_s=time_limit_s, on_progress=progress)
    finally:
        Plan.objects.filter(pk=plan.pk).update(running=False)
    baseline = solver.greedy(problem)
    weeks = {w.index: w.start for w in problem.weeks}
    bodies = {b.slug: b for b in Body.objects.all()}
    regions = {r.slug: r for r in Region.objects.all()}
    pinned = set(problem.pinned)
    with transaction.atomic():
        plan.refresh_from_db()
        before = snapshot(plan)
        plan.items.all().delete()
        for a in result.assignments:
            body = bodies[a.body]
            rec = recs.get(a.body, {}).get(a.region)
            PlanItem.objects.create(plan=plan, body=body, region=regions[a.region], week_start=weeks[a.week],
                                    pinned=a in pinned, rationale=rec.as_dict() if rec else {})
        plan.solver = {"status": result.status, "objective": result.objective, "bound": result.bound,
                       "gap": result.gap, "wall_s": round(result.wall_s, 2), "terms": dict(result.terms),
                       "explanation": [r.as_dict() for r in result.explanation],
                       "moved_from_previous": result.moved_from_previous,
                       "greedy_objective": baseline.objective, "time_limit_s": time_limit_s}
        plan.save()
        for body_slug in {b.slug for b in problem.bodies}:
            PlanAgreement.objects.update_or_create(plan=plan, body=bodies[body_slug],
                                                   defaults={"decision": PlanAgreement.Decision.PENDING})
        audit_record(actor=actor, action="plan.optimise", obj=plan, before=before, after=snapshot(plan))
    return result


@transaction.atomic
def plan_item_move(*, actor: Actor, item: PlanItem, region: Region, week_start: dt.date,
                   expected_version: int | None = None) -> PlanItem:
    """Hand-edit one item; the whole plan is re-checked against the hard rules first.

    `expected_version` is the item's version the user saw; a newer one raises CONFLICT (409).
    """
    if not can(actor, "plan.edit"):
        raise ApplicationError(PlanError.NOT_ALLOWED)
    item = PlanItem.objects.select_for_update(of=("self",)).select_related("plan").get(pk=item.pk)
    if expected_version is not None and item.version != expected_version:
        raise ApplicationError(CoreError.CONFLICT)
    plan = item.plan
    if plan.status != Plan.Status.DRAFT:
        raise ApplicationError(PlanError.ILLEGAL_TRANSITION, source=plan.get_status_display(),
                               target=Plan.Status.DRAFT.label)
    # Only the hard rules are re-checked here, so the evidence scores are not needed.
    problem = plan_problem(year=plan.year, half=plan.half, today=timezone.localdate(), recommendations={})
    week_of = {w.start: w.index for w in problem.weeks}
    if week_start not in week_of:
        raise ApplicationError(PlanError.EDIT_BREAKS_RULES, why=str(week_start))
    proposed = [solver.Assignment(i.body.slug, (region if i.pk == item.pk else i.region).slug,
                                  week_of[week_start if i.pk == item.pk else i.week_start])
                for i in plan.items.select_related("body", "region")]
    violations = solver.check(problem, proposed)
    if violations:
        raise ApplicationError(PlanError.EDIT_BREAKS_RULES, why=reasons_text(violations[:3]))
    before = snapshot(item)
    item.region, item.week_start = region, week_start
    item.version += 1
    item.save()
    audit_record(actor=actor, action="plan.item.move", obj=item, before=before, after=snapshot(item))
    return item


@transaction.atomic
def plan_agree(*, actor: Actor, plan: Plan, agree: bool, comment: str = "") -> PlanAgreement:
    """A body coordinator agrees the plan for the body or asks for changes; returns the agreement.

    The plan becomes `agreed` when the last body agrees and goes back to `draft` when a body asks for
    changes before submission. Raises ApplicationError NOT_ALLOWED (role), NO_AGREEMENT (the plan does
    not ask this body) or AGREEMENT_CLOSED (409: the plan is submitted or approved).
    """
    if not can(actor, "plan.agree"):
        raise ApplicationError(PlanError.NOT_ALLOWED)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in AGREEMENT_OPEN:
        raise ApplicationError(PlanError.AGREEMENT_CLOSED, state=plan.get_status_display())
    agreement = PlanAgreement.objects.select_for_update().filter(plan=plan, body_id=actor.membership.body_id).first()
    if agreement is None:
        raise ApplicationError(PlanError.NO_AGREEMENT)
    before = snapshot(agreement)
    agreement.decision = PlanAgreement.Decision.AGREED if agree else PlanAgreement.Decision.CHANGES
    agreement.comment, agreement.decided_by, agreement.decided_at = comment, actor, timezone.now()
    agreement.save()
    audit_record(actor=actor, action="plan.agree" if agree else "plan.changes", obj=agreement, before=before,
                 after=snapshot(agreement), comment=comment)
    all_agreed = not plan.agreements.exclude(decision=PlanAgreement.Decision.AGREED).exists()
    if all_agreed and plan.status == P.DRAFT:
        transition(obj=plan, target=P.AGREED, table=TRANSITIONS, actor=actor, version_field="row_version")
    elif not all_agreed and plan.status == P.AGREED:
        transition(obj=plan, target=P.DRAFT, table=TRANSITIONS, actor=actor, version_field="row_version",
                   comment=comment)
    return agreement


@transaction.atomic
def plan_submit(*, actor: Actor, plan: Plan) -> Plan:
    """Submit the agreed plan to the Government (due 15 December / 15 June, clause 3.1)."""
    if not can(actor, "plan.edit"):
        raise ApplicationError(PlanError.NOT_ALLOWED)
    if plan.status == P.DRAFT:
        raise ApplicationError(PlanError.NOT_ALL_AGREED)
    plan = transition(obj=plan, target=P.SUBMITTED, table=TRANSITIONS, actor=actor, version_field="row_version",
                      changes={"submitted_at": timezone.now()})
    viewers = [m.user for m in Membership.objects.filter(role=Role.GOVERNMENT_VIEWER, active=True)]
    notify(users=viewers, key=f"plan:{plan.pk}:submitted", url=reverse("planning:detail", args=[plan.pk]),
           subject=_("The draft schedule of meetings is submitted for approval"))
    return plan


@transaction.atomic
def plan_approve(*, actor: Actor, plan: Plan, decree_number: str, decree_date: dt.date) -> Plan:
    """Record the Government's approval and turn every item into a draft meeting of its body."""
    if not can(actor, "plan.approve"):
        raise ApplicationError(PlanError.NOT_ALLOWED)
    if not decree_number.strip() or decree_date is None:
        raise ApplicationError(PlanError.DECREE_REQUIRED)
    plan = transition(obj=plan, target=P.APPROVED, table=TRANSITIONS, actor=actor, version_field="row_version",
                      changes={"decree_number": decree_number.strip(), "decree_date": decree_date})
    for item in plan.items.select_related("body", "region").filter(meeting__isnull=True, pinned=False):
        item.meeting = meeting_draft_from_plan(actor=actor, body=item.body, region=item.region,
                                               day=item.week_start + dt.timedelta(days=2), rationale=item.rationale)
        item.save(update_fields=["meeting"])
    for body_id in plan.items.values_list("body_id", flat=True).distinct():
        notify(users=coordinators(body_id=body_id), key=f"plan:{plan.pk}:approved",
               url=reverse("planning:detail", args=[plan.pk]),
               subject=_("The schedule is approved: draft meetings are waiting for you"))
    return plan


def schedule_deadline(year: int, half: int, *, today: dt.date) -> dt.date | None:
    """Clause 3.1 as the pages show it: the draft's deadline under the configured reading of "before the
    15th", or None when nothing was owed (the draft of 2024-H1 was due before the act was in force)."""
    return half_year_items(today=today, halves=[(year, half)])[0].deadline


@transaction.atomic
def unavailability_add(*, actor: Actor, start: dt.date, end: dt.date, reason: str) -> Unavailability:
    """A body coordinator records when the first head cannot meet people; returns the record."""
    if not can(actor, "plan.agree"):
        raise ApplicationError(PlanError.NOT_ALLOWED)
    item = Unavailability(body_id=actor.membership.body_id, start=start, end=end, reason=reason, created_by=actor)
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="unavailability.add", obj=item, before=None, after=snapshot(item))
    return item
