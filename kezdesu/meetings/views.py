"""Staff pages for meetings: thin views over `meetings.services` and scoped querysets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kezdesu.core.errors import ApplicationError
from kezdesu.core.parsing import parse_int
from kezdesu.core.responses import http_status
from kezdesu.core.views import conflict_page
from kezdesu.meetings import services
from kezdesu.meetings.forms import (
    CommitmentForm,
    CommitmentProgressForm,
    MeetingForm,
    RaisedQuestionForm,
    ResultsForm,
    SupportItemForm,
    TransitionForm,
)
from kezdesu.meetings.lifecycle import TRANSITIONS, action_label, allowed_targets
from kezdesu.meetings.models import Commitment, Meeting, Status, SupportItem
from kezdesu.questions.services import question_raise_at_meeting
from kezdesu.registry.models import Region
from kezdesu.users.roles import can


def _scoped(request, pk: int) -> Meeting:
    if not can(request.user, "meeting.view"):
        raise PermissionDenied
    return get_object_or_404(Meeting.objects.visible_to(request.user).select_related("body", "region", "head"), pk=pk)


def _fail(request, err: ApplicationError) -> None:
    messages.error(request, err.message)


# Refusals that concern one field of the meeting form are shown next to it.
_FORM_FIELDS = {"head_not_in_office": "head", "head_of_other_body": "head", "body_not_in_office": "starts_at",
                "cohost_is_host": "cohosts", "cohost_twice": "cohosts"}


def _form_fail(request, form, err: ApplicationError) -> None:
    form.add_error(_FORM_FIELDS.get(str(err.code)), err.message)
    _fail(request, err)


def _conflict(request, err: ApplicationError, meeting_id: int):
    return conflict_page(request, err, back_url=reverse("meetings:detail", args=[meeting_id]))


@login_required
def meeting_list(request):
    if not can(request.user, "meeting.view"):
        raise PermissionDenied
    qs = Meeting.objects.visible_to(request.user).select_related("body", "region", "head").order_by("-starts_at")
    status = request.GET.get("status")
    if status in Status.values:
        qs = qs.filter(status=status)
    region = request.GET.get("region")
    if region:
        qs = qs.filter(region__slug=region)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "meetings/list.html", {
        "page": page, "statuses": Status.choices, "regions": Region.objects.order_by("kato_code"),
        "current_status": status or "", "current_region": region or "",
        "can_propose": can(request.user, "meeting.propose"),
    })


@login_required
def meeting_new(request):
    if not can(request.user, "meeting.propose"):
        raise PermissionDenied
    body = request.user.membership.body
    form = MeetingForm(request.POST or None, body=body,
                       initial={"region": request.GET.get("region"), "kind": request.GET.get("kind", "scheduled")})
    recommendations = _recommendations(body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next((r for r in recommendations if r.region_slug == data["region"].slug), None)
        try:
            meeting = services.meeting_create(
                actor=request.user, body=body, **{k: data[k] for k in (
                    "head", "region", "settlement", "venue", "starts_at", "duration_minutes", "format", "kind",
                    "topics", "rationale_text", "stream_url", "capacity")},
                rationale=chosen.as_dict() if chosen else {}, cohosts=list(data["cohosts"]),
            )
        except ApplicationError as err:
            _form_fail(request, form, err)
        else:
            messages.success(request, _("The draft meeting is saved. Propose it to the akimat when ready."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "body": body,
                                                  "recommendations": recommendations})


def _recommendations(body):
    """Ranked regions with evidence (clause 1.2); imported here because planning stands above meetings."""
    from kezdesu.planning.recommend import recommend_regions

    return recommend_regions(body=body)


@login_required
def meeting_edit(request, pk: int):
    meeting = _scoped(request, pk)
    if not can(request.user, "meeting.propose") or meeting.status not in services.EDITABLE \
            or not services.in_scope(request.user, meeting):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, instance=meeting, body=meeting.body)
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in form.changed_data if k != "cohosts"}
        cohosts = list(form.cleaned_data["cohosts"]) if "cohosts" in form.changed_data else None
        try:
            services.meeting_update(actor=request.user, meeting=meeting, cohosts=cohosts,
                                    expected_version=parse_int(request.POST.get("version"), minimum=1),
                                    **changes)
        except ApplicationError as err:
            if http_status(err) == 409:
                return _conflict(request, err, meeting.pk)
            _form_fail(request, form, err)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "body": meeting.body, "meeting": meeting})


@login_required
def meeting_detail(request, pk: int):
    return _detail(request, _scoped(request, pk))


def _detail(request, meeting: Meeting, *, bound: dict | None = None, status: int = 200):
    """The meeting page; `bound` replaces empty forms with the ones just posted, so a refused form keeps what
    was typed and shows each message next to its field (answered with `status`, 400 for invalid input)."""
    role = request.user.role
    targets = allowed_targets(meeting.status, role) if services.in_scope(request.user, meeting) else []
    actions = [{"target": t, "label": action_label(meeting.status, t), "counter": t == Status.RETURNED,
                "reason": TRANSITIONS[(meeting.status, t)].reason_required} for t in targets]
    commitments = meeting.commitments.select_related("responsible_body", "responsible_region")
    can_results = can(request.user, "meeting.results") and services.in_scope(request.user, meeting) \
        and meeting.status in (Status.HELD, Status.REPORTED)
    result = getattr(meeting, "result", None)
    return render(request, "meetings/detail.html", {
        "meeting": meeting, "actions": actions, "standing": meeting.standing,
        "cohosts": meeting.cohosts.select_related("body", "head"),
        "agreements": meeting.agreements.all(),
        "support": meeting.support_items.all(),
        "can_support": can(request.user, "meeting.support") and services.in_scope(request.user, meeting),
        "transitions": meeting.transitions.select_related("actor"),
        "result": result, "can_results": can_results,
        "results_form": ResultsForm(initial={
            "version": result.version, "attendance": result.attendance, "speakers": result.speakers,
            "summary": result.summary,
            "online_viewers": result.online_viewers, "media_links": "\n".join(result.media_links)}
            if result else None),
        "questions": meeting.questions.select_related("sector").order_by("created_at"),
        "question_form": RaisedQuestionForm(),
        "commitments": [(c, CommitmentProgressForm(initial={"version": c.version, "progress": c.progress,
                                                            "status": c.status, "evidence": c.evidence}))
                        for c in commitments],
        "commitment_form": CommitmentForm(initial={"responsible_body": meeting.body_id}),
        "can_update_commitments": can(request.user, "commitment.update"),
        **(bound or {}),
    }, status=status)


@login_required
@require_POST
def meeting_transition(request, pk: int):
    meeting = _scoped(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form is not valid: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("meetings:detail", pk=pk)
    data = form.cleaned_data
    try:
        services.meeting_transition(actor=request.user, meeting=meeting, target=data["target"],
                                    expected_version=data["version"], comment=data["comment"],
                                    proposed_starts_at=data["proposed_starts_at"],
                                    proposed_venue=data["proposed_venue"])
    except ApplicationError as err:
        if http_status(err) == 409:
            return _conflict(request, err, pk)
        _fail(request, err)
    else:
        messages.success(request, _("Status changed to “%(status)s”.") % {"status": Status(data["target"]).label})
    return redirect("meetings:detail", pk=pk)


@login_required
@require_POST
def support_toggle(request, pk: int, item_id: int):
    meeting = _scoped(request, pk)
    item = get_object_or_404(SupportItem, pk=item_id, meeting=meeting)
    form = SupportItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form is not valid: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("meetings:detail", pk=pk)
    try:
        services.support_item_set(actor=request.user, item=item, done=form.cleaned_data["done"],
                                  owner=form.cleaned_data["owner"] if "owner" in request.POST else None,
                                  expected_version=form.cleaned_data["version"])
    except ApplicationError as err:
        if http_status(err) == 409:
            return _conflict(request, err, pk)
        _fail(request, err)
    return redirect("meetings:detail", pk=pk)


@login_required
@require_POST
def results_save(request, pk: int):
    meeting = _scoped(request, pk)
    form = ResultsForm(request.POST)
    if form.is_valid():
        try:
            data = dict(form.cleaned_data)
            services.meeting_record_results(actor=request.user, meeting=meeting,
                                            expected_version=data.pop("version"), **data)
        except ApplicationError as err:
            if http_status(err) == 409:
                return _conflict(request, err, pk)
            form.add_error(None, err.message)
        else:
            messages.success(request, _("Results saved."))
            return redirect("meetings:detail", pk=pk)
    return _detail(request, meeting, bound={"results_form": form}, status=400)


@login_required
@require_POST
def question_add(request, pk: int):
    meeting = _scoped(request, pk)
    form = RaisedQuestionForm(request.POST)
    if form.is_valid():
        try:
            question_raise_at_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ApplicationError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, _("Question recorded."))
            return redirect("meetings:detail", pk=pk)
    return _detail(request, meeting, bound={"question_form": form}, status=400)


@login_required
@require_POST
def commitment_add(request, pk: int):
    meeting = _scoped(request, pk)
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_create(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ApplicationError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, _("Commitment recorded."))
            return redirect("meetings:detail", pk=pk)
    return _detail(request, meeting, bound={"commitment_form": form}, status=400)


@login_required
@require_POST
def commitment_progress(request, pk: int, commitment_id: int):
    commitment = get_object_or_404(Commitment.objects.visible_to(request.user), pk=commitment_id, meeting_id=pk)
    form = CommitmentProgressForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_update(actor=request.user, commitment=commitment,
                                       expected_version=form.cleaned_data["version"],
                                       progress=form.cleaned_data["progress"], status=form.cleaned_data["status"],
                                       evidence=form.cleaned_data["evidence"])
        except ApplicationError as err:
            if http_status(err) == 409:
                return _conflict(request, err, pk)
            _fail(request, err)
        else:
            messages.success(request, _("Progress saved."))
    else:
        messages.error(request, _("The form is not valid: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("meetings:detail", pk=pk)
