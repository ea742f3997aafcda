"""Staff pages for clause 3.1: the half-year plan as a weeks × bodies grid and its lifecycle."""

from __future__ import annotations

import datetime as dt

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
from kezdesu.core import limits
from kezdesu.core.errors import ApplicationError
from kezdesu.core.responses import http_status
from kezdesu.core.views import confirm_page, conflict_page
from kezdesu.planning import services
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
    today = timezone.localdate()
    nxt = (today.year + 1, 1) if today.month > 6 else (today.year, 2)
    membership = request.user.membership
    if request.method == "POST" and can(request.user, "plan.agree"):
        try:
            services.unavailability_add(actor=request.user, start=dt.date.fromisoformat(request.POST["start"]),
                                        end=dt.date.fromisoformat(request.POST["end"]),
                                        reason=request.POST.get("reason", "").strip())
        except (ValueError, KeyError, ValidationError):
            messages.error(request, _("Give a valid period and a reason."))
        except ApplicationError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("Saved."))
        return redirect("planning:list")
    own = Unavailability.objects.filter(body_id=membership.body_id, end__gte=today) if membership.body_id else None
    return render(request, "planning/list.html", {
        "unavailability": own, "can_block": can(request.user, "plan.agree"),
        "plans": Plan.objects.all()[:40], "can_edit": can(request.user, "plan.edit"),
        "next_half": f"{nxt[0]}-H{nxt[1]}",
        "deadline": services.schedule_deadline(nxt[0], nxt[1], today=today),
        **half_year_context(today),
    })


@login_required
@require_POST
def plan_new(request):
    if not can(request.user, "plan.edit"):
        raise PermissionDenied
    try:
        year, half = services.parse_half(request.POST.get("half", ""))
        with transaction.atomic():  # the new version and its optimiser run exist together or not at all
            plan = services.plan_create(actor=request.user, year=year, half=half)
            plan_optimise_enqueue(actor=request.user, plan=plan)
    except ApplicationError as err:
        messages.error(request, err.message)
        return redirect("planning:list")
    return redirect("planning:detail", pk=plan.pk)


@login_required
def plan_detail(request, pk: int):
    _viewer(request)
    plan = get_object_or_404(Plan, pk=pk)
    if request.htmx and request.GET.get("part") == "progress":
        return render(request, "planning/progress.html", {"plan": plan})
    weeks = services.half_weeks(plan.year, plan.half)
    items = list(plan.items.select_related("body", "region"))
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
    })


@login_required
@require_POST
def plan_action(request, pk: int):
    _viewer(request)
    plan = get_object_or_404(Plan, pk=pk)
    action = request.POST.get("action")
    if len(request.POST.get("comment", "")) > limits.COMMENT:
        messages.error(request, _("The comment is longer than %(limit)s characters.") % {"limit": limits.COMMENT})
        return redirect("planning:detail", pk=pk)
    if action == "submit" and request.POST.get("confirmed") != "true":  # sending is final: ask first
        return confirm_page(request,
                            question=_("Submit the schedule %(half)s to the Government?") % {"half": plan.label},
                            consequence=_("The schedule goes to the Government for approval; the bodies can no longer "
                                          "change this version."),
                            action_url=reverse("planning:action", args=[pk]), fields={"action": "submit"},
                            button=_("Submit to the Government"), back_url=reverse("planning:detail", args=[pk]))
    try:
        if action in ("agree", "changes"):
            services.plan_agree(actor=request.user, plan=plan, agree=action == "agree",
                                comment=request.POST.get("comment", ""))
        elif action == "submit":
            services.plan_submit(actor=request.user, plan=plan)
        elif action == "approve":
            raw = request.POST.get("decree_date", "")
            services.plan_approve(actor=request.user, plan=plan, decree_number=request.POST.get("decree_number", ""),
                                  decree_date=dt.date.fromisoformat(raw) if raw else None)
        elif action == "move":
            item = get_object_or_404(PlanItem, pk=request.POST.get("item"), plan=plan)
            version = request.POST.get("version", "")
            services.plan_item_move(actor=request.user, item=item,
                                    region=get_object_or_404(Region, pk=request.POST.get("region")),
                                    week_start=dt.date.fromisoformat(request.POST.get("week_start", "")),
                                    # A form without the version it was drawn from is stale by definition.
                                    expected_version=int(version) if version.isdigit() else 0)
        else:
            raise PermissionDenied
    except ApplicationError as err:
        if http_status(err) == 409:
            return conflict_page(request, err, back_url=reverse("planning:detail", args=[pk]))
        # The refusal is answered with its own status (403, 409…) on the plan's page, not a redirect.
        messages.error(request, err.message)
        response = plan_detail(request, pk)
        response.status_code = http_status(err)
        return response
    except ValueError:
        messages.error(request, _("The date is not valid."))
    else:
        messages.success(request, _("Saved."))
    return redirect("planning:detail", pk=pk)


