"""Staff pages for clause 3.1: the half-year plan as a weeks × bodies grid and its lifecycle."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kezdesu.compliance.half_years import half_year_context
from kezdesu.core.errors import ApplicationError
from kezdesu.core.responses import http_status
from kezdesu.core.views import confirm_page, conflict_page, errors_above, form_refused
from kezdesu.planning import services
from kezdesu.planning.errors import PlanError
from kezdesu.planning.forms import PlanAgreeForm, PlanApproveForm, PlanMoveForm, PlanNewForm, UnavailabilityForm
from kezdesu.planning.models import Plan, PlanItem, Unavailability
from kezdesu.planning.selectors import annex_plan
from kezdesu.planning.tasks import plan_optimise_enqueue
from kezdesu.registry.models import Region
from kezdesu.users.roles import can


def _viewer(request) -> None:
    if not (can(request.user, "plan.edit") or can(request.user, "plan.agree") or can(request.user, "plan.approve")):
        raise PermissionDenied


@login_required
def plan_list(request):
    _viewer(request)
    if request.method == "POST" and can(request.user, "plan.agree"):
        form = UnavailabilityForm(request.POST)
        if not form.is_valid():
            return _list(request, bound={"unavailability_form": form}, status=form_refused(form))
        try:
            services.unavailability_add(actor=request.user, **form.cleaned_data)
        except (ApplicationError, ValidationError) as err:
            return _list(request, bound={"unavailability_form": form}, status=form_refused(form, err))
        messages.success(request, _("Saved."))
        return redirect("planning:list")
    return _list(request)


def _list(request, *, bound: dict | None = None, status: int = 200):
    """The plans page; `bound` holds a refused form shown again as typed ("new_form", "unavailability_form";
    see `form_refused`)."""
    today = timezone.localdate()
    nxt = (today.year + 1, 1) if today.month > 6 else (today.year, 2)
    membership = request.user.membership
    own = Unavailability.objects.filter(body_id=membership.body_id, end__gte=today) if membership.body_id else None
    return render(request, "planning/list.html", {
        "unavailability": own, "can_block": can(request.user, "plan.agree"),
        "plans": Plan.objects.all()[:40], "can_edit": can(request.user, "plan.edit"),
        "next_half": f"{nxt[0]}-H{nxt[1]}",
        "new_form": PlanNewForm(initial={"half": f"{nxt[0]}-H{nxt[1]}"}),
        "unavailability_form": UnavailabilityForm(auto_id="u-%s"),
        "deadline": services.schedule_deadline(nxt[0], nxt[1], today=today),
        **half_year_context(today),
        **(bound or {}),
    }, status=status)


@login_required
@require_POST
def plan_new(request):
    if not can(request.user, "plan.edit"):
        raise PermissionDenied
    form = PlanNewForm(request.POST)
    if not form.is_valid():
        return _list(request, bound={"new_form": form}, status=form_refused(form))
    try:
        year, half = services.parse_half(form.cleaned_data["half"])
        with transaction.atomic():  # the new version and its optimiser run exist together or not at all
            plan = services.plan_create(actor=request.user, year=year, half=half)
            plan_optimise_enqueue(actor=request.user, plan=plan)
    except ApplicationError as err:
        return _list(request, bound={"new_form": form}, status=form_refused(form, err, fields=NEW_FIELDS))
    return redirect("planning:detail", pk=plan.pk)


@login_required
def plan_detail(request, pk: int):
    _viewer(request)
    plan = get_object_or_404(Plan, pk=pk)
    if request.htmx and request.GET.get("part") == "progress":
        return render(request, "planning/progress.html", {"plan": plan})
    return _detail(request, plan)


def _with_move_forms(request, items: list[PlanItem], move_id, move_form) -> list[PlanItem]:
    """Give each item of the grid the choice its move form shows: what was just posted for the refused item,
    otherwise where the item is. A refused move of no item of this plan is said above the page."""
    for item in items:
        item.move_form = move_form if item.pk == move_id else None
        posted = move_form.data if item.move_form is not None else {}
        item.move_region, item.move_week = str(posted.get("region", item.region_id)), str(
            posted.get("week_start", item.week_start.isoformat()))
    if move_form is not None and all(item.move_form is None for item in items):
        errors_above(request, move_form)
    return items


def _detail(request, plan: Plan, *, bound: dict | None = None, status: int = 200):
    """The plan's page; `bound` holds a refused form shown again as typed ("agree_form", "approve_form", or
    "move": (item id, form)); see `form_refused`."""
    bound = dict(bound or {})
    move_id, move_form = bound.pop("move", (None, None))
    weeks = services.half_weeks(plan.year, plan.half)
    items = _with_move_forms(request, list(plan.items.select_related("body", "region")), move_id, move_form)
    bodies = sorted({i.body for i in items}, key=lambda b: b.slug)
    grid = {(i.body_id, i.week_start): i for i in items}
    rows = [(b, [grid.get((b.pk, w.start)) for w in weeks]) for b in bodies]
    membership = request.user.membership
    mine = plan.agreements.filter(body_id=membership.body_id).first() if membership.body_id else None
    return render(request, "planning/detail.html", {
        "plan": plan, "weeks": weeks, "rows": rows, "agreements": plan.agreements.select_related("body"),
        "my_agreement": mine, "can_edit": can(request.user, "plan.edit") and plan.status == Plan.Status.DRAFT,
        "can_submit": can(request.user, "plan.edit") and plan.status == Plan.Status.AGREED,
        "can_approve": can(request.user, "plan.approve") and plan.status == Plan.Status.SUBMITTED,
        "regions": Region.objects.order_by("kato_code"),
        "deadline": services.schedule_deadline(plan.year, plan.half, today=timezone.localdate()),
        "is_annex": annex_plan(plan.year, plan.half) == plan,
        "agree_form": PlanAgreeForm(auto_id="pa-%s"), "approve_form": PlanApproveForm(auto_id="pd-%s"),
        **bound,
    }, status=status)


# Refusals of the planning services that concern one field of a form are shown next to it.
NEW_FIELDS = {PlanError.BAD_HALF: "half"}
APPROVE_FIELDS = {PlanError.DECREE_REQUIRED: "decree_number"}
MOVE_FIELDS = {PlanError.EDIT_BREAKS_RULES: "week_start"}


@login_required
@require_POST
def plan_action(request, pk: int):
    _viewer(request)
    plan = get_object_or_404(Plan, pk=pk)
    action = request.POST.get("action")
    if action == "submit" and request.POST.get("confirmed") != "true":  # sending is final: ask first
        return confirm_page(request,
                            question=_("Submit the schedule %(half)s to the Government?") % {"half": plan.label},
                            consequence=_("The schedule goes to the Government for approval; the bodies can no longer "
                                          "change this version."),
                            action_url=reverse("planning:action", args=[pk]), fields={"action": "submit"},
                            button=_("Submit to the Government"), back_url=reverse("planning:detail", args=[pk]))
    form, key, fields = _action_form(request, action)

    def refused(status: int):
        # A refused move opens again in its item's cell (the item as the form names it).
        bound = (form.cleaned_data.get("item"), form) if key == "move" else form
        return _detail(request, plan, status=status, bound={key: bound})

    if form is not None and not form.is_valid():
        return refused(form_refused(form))
    data = form.cleaned_data if form is not None else {}
    try:
        _apply_action(request, plan, action, data)
    except ApplicationError as err:
        if http_status(err) == 409:
            return conflict_page(request, err, back_url=reverse("planning:detail", args=[pk]))
        if form is None:  # submitting has no field: the refusal is said above the page, with its own status
            messages.error(request, err.message)
            return _detail(request, plan, status=http_status(err))
        return refused(form_refused(form, err, fields=fields))
    messages.success(request, _("Saved."))
    return redirect("planning:detail", pk=pk)


def _action_form(request, action: str | None):
    """The form a plan action posts, the key its page shows it under when refused, and which refusal codes
    go beside which field; submitting posts no form."""
    if action in ("agree", "changes"):
        return PlanAgreeForm(request.POST, auto_id="pa-%s"), "agree_form", {}
    if action == "approve":
        return PlanApproveForm(request.POST, auto_id="pd-%s"), "approve_form", APPROVE_FIELDS
    if action == "move":
        return PlanMoveForm(request.POST, auto_id=f"m{request.POST.get('item', '')}-%s"), "move", MOVE_FIELDS
    if action == "submit":
        return None, None, {}
    raise PermissionDenied


def _apply_action(request, plan: Plan, action: str, data: dict) -> None:
    """Carry out a plan action through its service; raises the service's ApplicationError."""
    if action in ("agree", "changes"):
        services.plan_agree(actor=request.user, plan=plan, agree=action == "agree", comment=data["comment"])
    elif action == "submit":
        services.plan_submit(actor=request.user, plan=plan)
    elif action == "approve":
        services.plan_approve(actor=request.user, plan=plan, decree_number=data["decree_number"],
                              decree_date=data["decree_date"])
    else:
        item = get_object_or_404(PlanItem, pk=data["item"], plan=plan)
        services.plan_item_move(actor=request.user, item=item, region=data["region"],
                                week_start=data["week_start"], expected_version=data["version"] or 0)
