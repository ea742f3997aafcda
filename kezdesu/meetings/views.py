"""Staff pages for meetings: thin views over `meetings.selectors` and `meetings.services`.

Drafting a new meeting needs the region recommendations of `planning`, which stands above meetings; that
page lives in `dashboards` (`dashboards.views.meeting_new`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kezdesu.core.errors import ApplicationError
from kezdesu.core.parsing import parse_int
from kezdesu.core.views import confirm_page, conflict_page, errors_above, form_refused
from kezdesu.meetings import selectors, services
from kezdesu.meetings.errors import MeetingError
from kezdesu.meetings.forms import (
    MEETING_FORM_FIELDS,
    CommitmentForm,
    CommitmentProgressForm,
    MeetingFilterForm,
    MeetingForm,
    RaisedQuestionForm,
    ResultsForm,
    SupportItemForm,
    SupportOwnerForm,
    TransitionForm,
)
from kezdesu.meetings.lifecycle import TRANSITIONS, action_label, allowed_targets
from kezdesu.meetings.models import Meeting, Status
from kezdesu.questions.services import question_raise_at_meeting
from kezdesu.users.roles import can

# Moves that cannot be taken back ask for confirmation first, saying what follows.
CONFIRM = {
    Status.DECLINED: gettext_lazy("The body is told that the akimat declined the meeting; it can only propose "
                                  "it again."),
    Status.CANCELLED: gettext_lazy("A cancelled meeting cannot be reopened; a new one has to be drafted."),
    Status.HELD: gettext_lazy("The meeting is recorded as held by its head on its day; this cannot be undone."),
    Status.REPORTED: gettext_lazy("The meeting is closed with its results; its status cannot change any more."),
}


def _scoped(request, pk: int) -> Meeting:
    if not can(request.user, "meeting.view"):
        raise PermissionDenied
    return get_object_or_404(selectors.meetings_visible(request.user), pk=pk)


# Refusals of the transition service that concern one field of its form are shown next to it.
TRANSITION_FIELDS = {MeetingError.REASON_REQUIRED: "comment", MeetingError.COUNTER_NEEDS_CHANGE: "proposed_starts_at"}


def _conflict(request, err: ApplicationError, meeting_id: int):
    """Someone saved the meeting first: the conflict page (409) with a link back to it."""
    return conflict_page(request, err, back_url=reverse("meetings:detail", args=[meeting_id]))


@login_required
def meeting_list(request):
    if not can(request.user, "meeting.view"):
        raise PermissionDenied
    filters = MeetingFilterForm(request.GET)
    page = Paginator(selectors.meeting_list(request.user, **filters.filters()), 30).get_page(request.GET.get("page"))
    return render(request, "meetings/list.html", {
        "page": page, "filters": filters, "can_propose": can(request.user, "meeting.propose"),
    })


@login_required
def meeting_edit(request, pk: int):
    meeting = _scoped(request, pk)
    if not can(request.user, "meeting.propose") or meeting.status not in services.EDITABLE \
            or not services.in_scope(request.user, meeting):
        raise PermissionDenied
    form = MeetingForm(request.POST if request.method == "POST" else None, instance=meeting, body=meeting.body)
    status = 200
    if request.method == "POST" and form.has_error("version"):
        # A tampered or truncated hidden version is malformed input, answered 400 at the edge (0044).
        parse_int(request.POST.get("version"), minimum=1)
    if request.method == "POST" and form.is_valid():
        try:
            _save_edit(request, meeting, form)
        except ApplicationError as err:
            if err.code == MeetingError.CONFLICT:
                return _conflict(request, err, meeting.pk)
            status = form_refused(form, err, fields=MEETING_FORM_FIELDS)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    elif request.method == "POST":
        status = form_refused(form)
    return render(request, "meetings/form.html", {"form": form, "body": meeting.body, "meeting": meeting},
                  status=status)


def _save_edit(request, meeting: Meeting, form: MeetingForm) -> None:
    """Save what the edit form changed through the service; raises its ApplicationError."""
    changes = {k: form.cleaned_data[k] for k in form.changed_data if k not in ("cohosts", "version")}
    cohosts = list(form.cleaned_data["cohosts"]) if "cohosts" in form.changed_data else None
    services.meeting_update(actor=request.user, meeting=meeting, cohosts=cohosts,
                            expected_version=form.cleaned_data["version"], **changes)


def _actions(request, meeting: Meeting, posted: TransitionForm | None = None) -> list[dict]:
    """The moves the user may make, each with its own form (the one just `posted` for its target)."""
    targets = allowed_targets(meeting.status, request.user.role) if services.in_scope(request.user, meeting) else []
    actions = []
    for t in targets:
        reason = TRANSITIONS[(meeting.status, t)].reason_required
        if posted is not None and posted.data.get("target") == t:
            form = posted
        else:
            form = TransitionForm(initial={"target": t, "version": meeting.version}, auto_id=f"id_{t}_%s")
        form.fields["comment"].widget.attrs["required"] = reason
        actions.append({"target": t, "label": action_label(meeting.status, t), "counter": t == Status.RETURNED,
                        "reason": reason, "confirm": CONFIRM.get(t), "form": form})
    if posted is not None and not any(a["form"] is posted for a in actions):
        errors_above(request, posted)  # a move the page does not offer (any more)
    return actions


@login_required
def meeting_detail(request, pk: int):
    return _detail(request, _scoped(request, pk))


def _detail(request, meeting: Meeting, *, bound: dict | None = None, status: int = 200):
    """The meeting page; `bound` replaces empty forms with the ones just posted, so a refused form keeps what
    was typed and shows each message next to its field (answered with `status`, see `form_refused`).

    Besides the page's own context names, `bound` takes "transition" (the posted move), "support_owner",
    "support_done" (item id, form) and "progress" (commitment id, form)."""
    bound = dict(bound or {})
    posted_transition = bound.pop("transition", None)
    owner_id, owner_form = bound.pop("support_owner", (None, None))
    done_id, done_form = bound.pop("support_done", (None, None))
    progress_id, progress_form = bound.pop("progress", (None, None))
    commitments = meeting.commitments.select_related("responsible_body", "responsible_region")
    support = list(selectors.support_items(meeting))
    for item in support:
        item.owner_form = owner_form if item.pk == owner_id else SupportOwnerForm(
            initial={"version": item.version, "owner": item.owner}, auto_id=f"id_support{item.pk}_%s")
        item.done_errors = done_form.errors if done_form is not None and item.pk == done_id else None
    can_results = can(request.user, "meeting.results") and services.in_scope(request.user, meeting) \
        and meeting.status in Status.HELD_STATES
    result = getattr(meeting, "result", None)
    return render(request, "meetings/detail.html", {
        "meeting": meeting, "actions": _actions(request, meeting, posted_transition), "standing": meeting.standing,
        "cohosts": meeting.cohosts.select_related("body", "head"),
        "agreements": meeting.agreements.all(),
        "support": support,
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
        "commitments": [(c, progress_form if c.pk == progress_id else CommitmentProgressForm(
            initial={"version": c.version, "progress": c.progress, "status": c.status, "evidence": c.evidence},
            auto_id=f"id_c{c.pk}_%s")) for c in commitments],
        "commitment_form": CommitmentForm(initial={"responsible_body": meeting.body_id}),
        "can_update_commitments": can(request.user, "commitment.update"),
        **bound,
    }, status=status)


@login_required
@require_POST
def meeting_transition(request, pk: int):
    meeting = _scoped(request, pk)
    form = TransitionForm(request.POST, auto_id=f"id_{request.POST.get('target', '')}_%s")
    if not form.is_valid():
        return _detail(request, meeting, bound={"transition": form}, status=form_refused(form))
    data = form.cleaned_data
    if data["target"] in CONFIRM and not data["confirmed"]:
        return confirm_page(
            request, question=_("%(action)s: are you sure?") % {"action": action_label(meeting.status, data["target"])},
            consequence=str(CONFIRM[data["target"]]), action_url=reverse("meetings:transition", args=[pk]),
            fields={k: v for k, v in request.POST.items() if k in form.fields and k != "confirmed"},
            button=action_label(meeting.status, data["target"]), back_url=reverse("meetings:detail", args=[pk]))
    try:
        services.meeting_transition(actor=request.user, meeting=meeting, target=data["target"],
                                    expected_version=data["version"], comment=data["comment"],
                                    proposed_starts_at=data["proposed_starts_at"],
                                    proposed_venue=data["proposed_venue"])
    except ApplicationError as err:
        if err.code == MeetingError.CONFLICT:
            return _conflict(request, err, pk)
        status = form_refused(form, err, fields=TRANSITION_FIELDS)
        return _detail(request, meeting, bound={"transition": form}, status=status)
    messages.success(request, _("Status changed to “%(status)s”.") % {"status": Status(data["target"]).label})
    return redirect("meetings:detail", pk=pk)


@login_required
@require_POST
def support_toggle(request, pk: int, item_id: int):
    meeting = _scoped(request, pk)
    item = get_object_or_404(selectors.support_items(meeting), pk=item_id)
    form = SupportItemForm(request.POST)
    if not form.is_valid():
        return _detail(request, meeting, bound={"support_done": (item.pk, form)}, status=form_refused(form))
    try:
        services.support_item_set(actor=request.user, item=item, done=form.cleaned_data["done"],
                                  expected_version=form.cleaned_data["version"])
    except ApplicationError as err:
        if err.code == MeetingError.CONFLICT:
            return _conflict(request, err, pk)
        status = form_refused(form, err)
        return _detail(request, meeting, bound={"support_done": (item.pk, form)}, status=status)
    return redirect(reverse("meetings:detail", args=[pk]) + f"#support-{item.pk}")


@login_required
@require_POST
def support_assign(request, pk: int, item_id: int):
    meeting = _scoped(request, pk)
    item = get_object_or_404(selectors.support_items(meeting), pk=item_id)
    form = SupportOwnerForm(request.POST, auto_id=f"id_support{item.pk}_%s")
    if not form.is_valid():
        return _detail(request, meeting, bound={"support_owner": (item.pk, form)}, status=form_refused(form))
    try:
        services.support_item_assign(actor=request.user, item=item, owner=form.cleaned_data["owner"],
                                     expected_version=form.cleaned_data["version"])
    except ApplicationError as err:
        if err.code == MeetingError.CONFLICT:
            return _conflict(request, err, pk)
        status = form_refused(form, err)
        return _detail(request, meeting, bound={"support_owner": (item.pk, form)}, status=status)
    messages.success(request, _("“%(item)s”: responsible saved.") % {"item": item.get_kind_display()})
    return redirect(reverse("meetings:detail", args=[pk]) + f"#support-{item.pk}")


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
            if err.code == MeetingError.CONFLICT:
                return _conflict(request, err, pk)
            return _detail(request, meeting, bound={"results_form": form}, status=form_refused(form, err))
        messages.success(request, _("Results saved."))
        return redirect("meetings:detail", pk=pk)
    return _detail(request, meeting, bound={"results_form": form}, status=form_refused(form))


@login_required
@require_POST
def question_add(request, pk: int):
    meeting = _scoped(request, pk)
    form = RaisedQuestionForm(request.POST)
    if form.is_valid():
        try:
            question_raise_at_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ApplicationError as err:
            return _detail(request, meeting, bound={"question_form": form}, status=form_refused(form, err))
        messages.success(request, _("Question recorded."))
        return redirect("meetings:detail", pk=pk)
    return _detail(request, meeting, bound={"question_form": form}, status=form_refused(form))


@login_required
@require_POST
def commitment_add(request, pk: int):
    meeting = _scoped(request, pk)
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_create(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ApplicationError as err:
            return _detail(request, meeting, bound={"commitment_form": form}, status=form_refused(form, err))
        messages.success(request, _("Commitment recorded."))
        return redirect("meetings:detail", pk=pk)
    return _detail(request, meeting, bound={"commitment_form": form}, status=form_refused(form))


@login_required
@require_POST
def commitment_progress(request, pk: int, commitment_id: int):
    commitment = get_object_or_404(selectors.commitments_visible(request.user, meeting_id=pk), pk=commitment_id)
    form = CommitmentProgressForm(request.POST, auto_id=f"id_c{commitment.pk}_%s")
    if not form.is_valid():
        return _detail(request, _scoped(request, pk), bound={"progress": (commitment.pk, form)},
                       status=form_refused(form))
    try:
        services.commitment_update(actor=request.user, commitment=commitment,
                                   expected_version=form.cleaned_data["version"],
                                   progress=form.cleaned_data["progress"], status=form.cleaned_data["status"],
                                   evidence=form.cleaned_data["evidence"])
    except ApplicationError as err:
        if err.code == MeetingError.CONFLICT:
            return _conflict(request, err, pk)
        return _detail(request, _scoped(request, pk), bound={"progress": (commitment.pk, form)},
                       status=form_refused(form, err, fields={MeetingError.BAD_PROGRESS: "progress"}))
    messages.success(request, _("Progress saved."))
    return redirect("meetings:detail", pk=pk)
