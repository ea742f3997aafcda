"""The public portal: open to read without an account; writes go through the questions and portal services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kezdesu.core.errors import ApplicationError
from kezdesu.core.network import client_ip
from kezdesu.core.responses import http_status
from kezdesu.portal import ical, selectors
from kezdesu.portal.filters import CommitmentFilter, MeetingFilter, filter_fields
from kezdesu.portal.forms import QuestionForm, RegistrationForm, RejectForm
from kezdesu.portal.opendata import DATASETS, csv_chunks, json_chunks
from kezdesu.portal.services import registration_open, registration_request
from kezdesu.questions.models import Question
from kezdesu.questions.services import question_submit, question_transition, questions_open
from kezdesu.registry.models import Body, Region
from kezdesu.users.roles import can

PAGE_SIZE = 20


def _client_ip(request) -> str:
    return client_ip(request)


def home(request):
    now = timezone.now()
    return render(request, "portal/home.html", {
        "upcoming": selectors.upcoming_meetings(now=now, limit=6),
        "recent": selectors.recent_meetings(now=now, limit=3),
        "summary": selectors.portal_summary(),
        "region_map": selectors.region_map(now=now),
    })


def meeting_list(request):
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    filters = MeetingFilter(request.GET, queryset=selectors.public_meetings())
    meetings = selectors.meetings_when(filters.qs, when=when, now=timezone.now())
    page = selectors.meeting_page_of(meetings, number=request.GET.get("page"), per_page=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("when", None)
    return render(request, "portal/meeting_list.html", {
        "filters": filters, "filter_fields": filter_fields(filters), "page": page, "when": when,
        "query": query.urlencode(),
    })


def meeting_detail(request, pk: int):
    meeting = get_object_or_404(selectors.public_meeting(pk))
    now = timezone.now()
    return render(request, "portal/meeting_detail.html", {
        "meeting": meeting,
        "ends_at": meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes),
        "result": getattr(meeting, "result", None),
        "questions": selectors.meeting_questions(meeting),
        "commitments": selectors.meeting_commitments(meeting),
        "can_ask": questions_open(meeting, now=now),
        "can_register": registration_open(meeting, now=now),
        "seats": selectors.seats(meeting) if meeting.capacity else None,
        "today": timezone.localdate(),
    })


def question_ask(request, pk: int):
    meeting = get_object_or_404(selectors.public_meeting(pk))
    is_open = questions_open(meeting, now=timezone.now())
    form = QuestionForm(request.POST or None, initial={"region": meeting.region_id})
    status = 200
    if is_open and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = question_submit(
                meeting=meeting, text=data["text"], region=data["region"], sector=data["sector"],
                author_name=data["author_name"], author_contact=data["author_contact"],
                language=request.LANGUAGE_CODE, honeypot=data["website"], client_ip=_client_ip(request),
            )
        except ApplicationError as err:
            form.add_error(None, err.message)
            status = http_status(err)
        else:
            messages.success(request, _("Your question is received. Keep the tracking code to follow it."))
            return redirect("portal:track", code=question.tracking_code)
    elif request.method == "POST":
        status = 400 if is_open else 409
    return render(request, "portal/ask.html", {"meeting": meeting, "form": form, "is_open": is_open},
                  status=status)


def register(request, pk: int):
    meeting = get_object_or_404(selectors.public_meeting(pk))
    is_open = registration_open(meeting, now=timezone.now())
    form = RegistrationForm(request.POST or None)
    status = 200
    if is_open and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration_request(meeting=meeting, name=data["name"], contact=data["contact"],
                                 honeypot=data["website"], client_ip=_client_ip(request),
                                 site_url=request.build_absolute_uri("/").rstrip("/"))
        except ApplicationError as err:
            form.add_error(None, err.message)
            status = http_status(err)
        else:
            # The same answer whether the contact was new or already registered (no contact oracle).
            return redirect("portal:register-sent", pk=meeting.pk)
    elif request.method == "POST":
        status = 400 if is_open else 409
    return render(request, "portal/register.html", {
        "meeting": meeting, "form": form, "is_open": is_open,
        "seats": selectors.seats(meeting) if meeting.capacity else None,
    }, status=status)


def register_sent(request, pk: int):
    meeting = get_object_or_404(selectors.public_meeting(pk))
    return render(request, "portal/register_sent.html", {"meeting": meeting})


def registration(request, code: str):
    found = selectors.registration_by_code(code)
    if found is None or found.meeting.status not in selectors.PUBLIC_STATUSES:
        raise Http404
    return render(request, "portal/registration.html", {"registration": found, "meeting": found.meeting})


def track(request, code: str = ""):
    asked = code or request.GET.get("code", "").strip()
    question = selectors.question_by_code(asked) if asked else None
    if question is not None and not code:
        return redirect("portal:track", code=question.tracking_code)
    meeting_public = question is not None and question.meeting is not None \
        and question.meeting.status in selectors.PUBLIC_STATUSES
    return render(request, "portal/track.html", {
        "question": question, "asked": asked, "meeting_public": meeting_public,
    }, status=404 if asked and question is None else 200)


def commitment_list(request):
    filters = CommitmentFilter(request.GET, queryset=selectors.public_commitments().order_by("deadline", "id"))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/commitments.html", {
        "filters": filters, "filter_fields": filter_fields(filters), "page": page, "today": timezone.localdate(),
    })


@login_required
def moderation(request):
    if not can(request.user, "question.moderate"):
        raise PermissionDenied
    page = Paginator(selectors.moderation_queue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/moderation.html", {"page": page, "reject_form": RejectForm()})


@login_required
@require_POST
def moderation_decide(request, pk: int, decision: str):
    if not can(request.user, "question.moderate"):
        raise PermissionDenied
    question = get_object_or_404(Question.objects.visible_to(request.user).select_related("meeting__body",
                                 "meeting__region", "region", "sector"), pk=pk)
    target = {"publish": Question.Status.PUBLISHED, "reject": Question.Status.REJECTED}[decision]
    error = None
    try:
        question = question_transition(actor=request.user, question=question, target=target,
                                       reason=request.POST.get("reason", "")[:300])
    except ApplicationError as err:
        error = err.message
    if request.htmx:
        # htmx swaps only 2xx answers; a refusal is shown inside the item it concerns.
        return render(request, "portal/_moderation_item.html", {"q": question, "error": error,
                                                                  "reject_form": RejectForm()})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Question %(code)s: %(status)s.") % {
            "code": question.tracking_code, "status": question.get_status_display()})
    return redirect("portal:moderation")


def _feed_language(view):
    """Calendar apps send no language cookie: `?lang=ru` (or kk, en) picks the language of the feed."""
    def wrapped(request, *args, **kwargs):
        lang = request.GET.get("lang", "")
        if lang not in ("kk", "ru", "en"):
            return view(request, *args, **kwargs)
        with translation.override(lang):
            return view(request, *args, **kwargs)
    return wrapped


def _feed(request, meetings, *, name: str, filename: str) -> HttpResponse:
    since = timezone.now() - dt.timedelta(days=366)
    events = (ical.Event(
        uid=f"meeting-{m.pk}@kezdesu",
        stamp=m.updated_at, start=m.starts_at, end=m.starts_at + dt.timedelta(minutes=m.duration_minutes),
        summary=f"{m.body.short_name} — {m.region.name}",
        location=f"{m.settlement}, {m.venue}",
        url=request.build_absolute_uri(reverse("portal:meeting", args=[m.pk])),
        description="\n".join(filter(None, [m.head.full_name, m.topics, m.stream_url])),
        sequence=m.version,
    ) for m in meetings.filter(starts_at__gte=since).order_by("starts_at", "id"))
    response = HttpResponse(ical.calendar(events, name=name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


@_feed_language
def ical_all(request):
    return _feed(request, selectors.public_meetings(), name=_("Meetings of ministers with the population"),
                 filename="kezdesu-all.ics")


@_feed_language
def ical_region(request, slug: str):
    region = get_object_or_404(Region, slug=slug)
    return _feed(request, selectors.public_meetings().filter(region=region),
                 name=_("Meetings in %(region)s") % {"region": region.name}, filename=f"kezdesu-{slug}.ics")


@_feed_language
def ical_body(request, slug: str):
    body = get_object_or_404(Body, slug=slug)
    return _feed(request, selectors.public_meetings().filter(body=body),
                 name=_("Meetings of %(body)s") % {"body": body.short_name}, filename=f"kezdesu-{slug}.ics")


def open_data(request):
    return render(request, "portal/open_data.html", {
        "datasets": [
            (DATASETS["meetings"], _("Public meetings"), _("Announced and held meetings with their results.")),
            (DATASETS["questions"], _("Published questions"),
             _("Questions asked in advance or at meetings, with answers. No names or contacts.")),
            (DATASETS["commitments"], _("Commitments"), _("What was promised at meetings, with progress.")),
        ],
        "regions": Region.objects.order_by("kato_code"),
        "bodies": selectors.bodies_with_meetings().order_by("slug"),
    })


def open_data_file(request, dataset: str, fmt: str):
    data = DATASETS.get(dataset)
    if data is None or fmt not in ("csv", "json"):
        raise Http404
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(data), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(json_chunks(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kezdesu-{data.slug}.{fmt}"'
    return response

