"""Staff pages on citizens' questions: the moderation queue, the answers of a body and what people ask most.

Thin: forms parse the input, `questions.selectors` read within the user's scope, `questions.services` write.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kezdesu.core.errors import ApplicationError, CoreError
from kezdesu.core.views import conflict_page, form_refused
from kezdesu.meetings.models import Meeting
from kezdesu.questions import selectors
from kezdesu.questions.forms import (
    AnswerForm,
    BulkModerationForm,
    PublishForm,
    QuestionFilterForm,
    RejectForm,
    ThemeFilterForm,
)
from kezdesu.questions.models import Question
from kezdesu.questions.services import question_answer, question_transition, questions_moderate
from kezdesu.questions.themes import selectors as theme_selectors
from kezdesu.users.roles import can

PAGE_SIZE = 20
# A refusal of the answer service that concerns one field is shown next to it.
ANSWER_FIELDS = {"meeting_not_held": "mode", "referral_body_required": "referred_to",
                 "referral_to_itself": "referred_to", "empty_answer": "answer", "bad_answer_mode": "mode"}


def _moderator(request) -> None:
    if not can(request.user, "question.moderate"):
        raise PermissionDenied


def _answerer(request) -> None:
    if not can(request.user, "question.answer"):
        raise PermissionDenied


@login_required
def moderation(request):
    _moderator(request)
    return _queue(request)


def _queue(request, *, bulk: BulkModerationForm | None = None, refused: tuple[int, forms.Form] | None = None,
           status: int = 200):
    """The moderation queue; a refused form is shown again as typed (see `form_refused`): `bulk` the form of
    the ticked questions, `refused` (question id, its publish or reject form)."""
    filters = QuestionFilterForm(request.GET or None, meetings=selectors.moderation_meetings(request.user))
    meeting = filters.cleaned_data.get("meeting") if filters.is_valid() else None
    queue = selectors.moderation_queue(request.user, meeting=meeting)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    for question in page.object_list:
        if refused is not None and question.pk == refused[0]:
            question.publish_form, question.reject_form = _item_forms(refused[1])
    return render(request, "questions/moderation.html", {
        "page": page, "filters": filters, "meeting": meeting, "query": request.GET.urlencode(),
        "bulk_form": bulk or BulkModerationForm(queue=queue),
        "ticked": set(bulk.data.getlist("questions")) if bulk is not None else set(),
    }, status=status)


def _item_forms(form: forms.Form | None) -> tuple[PublishForm | None, RejectForm | None]:
    return (form if isinstance(form, PublishForm) else None, form if isinstance(form, RejectForm) else None)


@login_required
def moderation_count(request):
    """The live count of the staff header (refreshed by htmx)."""
    _moderator(request)
    return render(request, "questions/_moderation_count.html",
                  {"moderation_waiting": selectors.moderation_count(request.user)})


def _back_to_queue(request):
    return redirect(reverse("questions:moderation") + ("?" + request.GET.urlencode() if request.GET else ""))


@login_required
@require_POST
def moderation_bulk(request):
    _moderator(request)
    form = BulkModerationForm(request.POST, queue=selectors.moderation_queue(request.user))
    if not form.is_valid():
        return _queue(request, bulk=form, status=form_refused(form))
    try:
        moved = questions_moderate(actor=request.user, questions=list(form.cleaned_data["questions"]),
                                   target=form.target, reason=form.cleaned_data["reason"])
    except ApplicationError as err:
        return _queue(request, bulk=form, status=form_refused(form, err))
    messages.success(request, ngettext("%(n)s question: %(status)s.", "%(n)s questions: %(status)s.",
                                       len(moved)) % {"n": len(moved), "status": Question.Status(form.target).label})
    return _back_to_queue(request)


def _decided(request, question: Question, refused: forms.Form | None = None, status: int = 200):
    """Answer a decision on one question; a `refused` form comes back inside its item as typed, with its
    messages beside the fields (see `form_refused`)."""
    if request.htmx:
        # htmx swaps only 2xx answers; a refusal is shown inside the item it concerns.
        publish_form, reject_form = _item_forms(refused)
        response = render(request, "questions/_moderation_item.html",
                          {"q": question, "publish_form": publish_form, "reject_form": reject_form})
        if refused is None:
            response["HX-Trigger"] = "moderated"
        return response
    if refused is not None:
        return _queue(request, refused=(question.pk, refused), status=status)
    messages.success(request, _("Question %(code)s: %(status)s.") % {
        "code": question.tracking_code, "status": question.get_status_display()})
    return _back_to_queue(request)


def _to_moderate(request, pk: int) -> Question:
    _moderator(request)
    question = selectors.question_to_moderate(request.user, pk)
    if question is None:
        raise Http404
    return question


@login_required
@require_POST
def moderation_publish(request, pk: int):
    question = _to_moderate(request, pk)
    form = PublishForm(request.POST, auto_id=f"id_q{question.pk}_%s")
    if not form.is_valid():
        return _decided(request, question, form, form_refused(form))
    try:
        question = question_transition(actor=request.user, question=question, target=Question.Status.PUBLISHED,
                                       text=form.cleaned_data["text"] or None)
    except ApplicationError as err:
        return _decided(request, question, form, form_refused(form, err))
    return _decided(request, question)


@login_required
@require_POST
def moderation_reject(request, pk: int):
    question = _to_moderate(request, pk)
    form = RejectForm(request.POST, auto_id=f"id_q{question.pk}_%s")
    if not form.is_valid():
        return _decided(request, question, form, form_refused(form))
    try:
        question = question_transition(actor=request.user, question=question, target=Question.Status.REJECTED,
                                       reason=form.cleaned_data["reason"])
    except ApplicationError as err:
        return _decided(request, question, form, form_refused(form, err))
    return _decided(request, question)


@login_required
def answer_list(request):
    _answerer(request)
    filters = QuestionFilterForm(request.GET or None, meetings=selectors.answer_meetings(request.user))
    data = filters.cleaned_data if filters.is_valid() else {}
    answered = data.get("show") == "answered"
    questions = selectors.questions_to_answer(request.user, meeting=data.get("meeting"), answered=answered)
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "questions/answers.html", {
        "page": page, "filters": filters, "answered": answered, "query": query.urlencode(),
    })


@login_required
def answer(request, pk: int):
    _answerer(request)
    question = selectors.question_to_answer(request.user, pk)
    if question is None:
        raise Http404
    form = AnswerForm(request.POST if request.method == "POST" else None, question=question)
    status = 200
    if request.method == "POST" and question.status == Question.Status.PUBLISHED and form.is_valid():
        data = form.cleaned_data
        try:
            question_answer(actor=request.user, question=question, mode=data["mode"], answer=data["answer"],
                            referred_to=data["referred_to"], expected_version=data["version"])
        except ApplicationError as err:
            if err.code == CoreError.CONFLICT:
                return conflict_page(request, err, back_url=reverse("questions:answer", args=[pk]))
            status = form_refused(form, err, fields=ANSWER_FIELDS)
        else:
            messages.success(request, _("The answer to question %(code)s is published.") % {
                "code": question.tracking_code})
            return redirect(reverse("questions:answers") + f"?meeting={question.meeting_id}")
    elif request.method == "POST":
        status = form_refused(form) if question.status == Question.Status.PUBLISHED else 409
    return render(request, "questions/answer.html", {"question": question, "form": form}, status=status)


@login_required
def themes(request):
    """What people ask most: the themes of the public questions of one meeting, or of a region (or all the
    user reads) over a period. A meeting the user does not see is not found."""
    if not can(request.user, "question.themes"):
        raise PermissionDenied
    filters = ThemeFilterForm(request.GET or None, meetings=theme_selectors.theme_meetings(request.user),
                              regions=theme_selectors.theme_regions(request.user), today=timezone.localdate())
    valid = filters.is_valid() or not filters.is_bound
    data = filters.cleaned_data if filters.is_bound and valid else {}
    start = data.get("start", filters.fields["start"].initial)
    end = data.get("end", filters.fields["end"].initial)
    meeting, found = None, []
    if data.get("meeting"):
        meeting = (Meeting.objects.visible_to(request.user).select_related("body", "region")
                   .filter(pk=data["meeting"]).first())
        if meeting is None:
            raise Http404
        found = theme_selectors.staff_meeting_themes(request.user, meeting)
    elif valid:
        found = theme_selectors.staff_period_themes(request.user, start=start, end=end, region=data.get("region"))
    return render(request, "questions/themes.html", {
        "filters": filters, "meeting": meeting, "themes": found, "start": start, "end": end,
        "total": sum(theme.size for theme in found),
    }, status=200 if valid else 400)
