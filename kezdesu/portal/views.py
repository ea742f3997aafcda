"""The public portal: open to read without an account; writes go through the questions and portal services."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kezdesu.core.errors import ApplicationError
from kezdesu.core.network import client_ip
from kezdesu.core.responses import http_status
from kezdesu.core.views import form_refused
from kezdesu.portal import feeds, ical, selectors
from kezdesu.portal.errors import PortalError
from kezdesu.portal.filters import CommitmentFilter, MeetingFilter, filter_fields
from kezdesu.portal.forms import (
    FollowForm,
    QuestionForm,
    RegistrationCancelForm,
    RegistrationCodeForm,
    RegistrationForm,
    SupportForm,
)
from kezdesu.portal.opendata import DATASETS, csv_chunks, json_chunks
from kezdesu.portal.pagecache import fresh_until, public_page
from kezdesu.portal.services import (
    CONFIRM,
    UNSUBSCRIBE,
    registration_cancellable,
    registration_open,
    registration_request,
    subscription_by_link,
    subscription_cancel,
    subscription_confirm,
    subscription_request,
)
from kezdesu.portal.services import registration_cancel as registration_cancel_service
from kezdesu.portal.structured import http_url, http_urls, meeting_event
from kezdesu.questions.errors import QuestionError
from kezdesu.questions.services import (
    question_submit,
    question_support_confirm,
    question_support_request,
    questions_open,
    supports_open,
)
from kezdesu.questions.themes.selectors import meeting_themes
from kezdesu.registry.models import Body, Region

PAGE_SIZE = 20
# Questions on a meeting page: a meeting under national attention may publish hundreds.
QUESTIONS_PER_PAGE = 20
# The meeting page shows what its questions are about once there are this many, and at most so many themes.
THEMES_FROM_QUESTIONS = 5
THEMES_SHOWN = 8


def _feed_query(filters) -> str:
    """The region and body a filtered list is narrowed to, as the query of its feeds."""
    filters.form.is_valid()  # cleaned_data then holds the valid fields, even when another one is not
    data = getattr(filters.form, "cleaned_data", {})
    pairs = [(name, data[name].slug) for name in ("region", "body") if data.get(name)]
    return "?" + urlencode(pairs) if pairs else ""


@public_page("meetings", "questions", "commitments")
def home(request):
    now = timezone.now()
    response = render(request, "portal/home.html", {
        "live": selectors.live_meetings(now=now),
        "upcoming": selectors.upcoming_meetings(now=now, limit=6),
        "recent": selectors.recent_meetings(now=now, limit=3),
        "summary": selectors.portal_summary(),
        "region_map": selectors.region_map(now=now),
    })
    # The "live now" list must not outlast a meeting's start or end in a cache.
    return fresh_until(response, selectors.next_live_change(now=now), now=now)


@public_page("meetings")
def meeting_list(request):
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    filters = MeetingFilter(request.GET, queryset=selectors.public_meetings())
    meetings = selectors.meetings_when(filters.qs, when=when, now=timezone.now())
    page = selectors.meeting_page_of(meetings, number=request.GET.get("page"), per_page=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("when", None)
    chosen = filters.form.cleaned_data if filters.is_valid() else {}
    return render(request, "portal/meeting_list.html", {
        "filters": filters, "filter_fields": filter_fields(filters), "page": page, "when": when,
        "query": query.urlencode(), "feed_query": _feed_query(filters),
        # A citizen who narrowed the list to one region or one body may follow it by e-mail.
        "follow_region": chosen.get("region"), "follow_body": chosen.get("body"),
    })


@public_page("meetings", "meeting:{pk}")
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(selectors.public_meeting(pk))
    now = timezone.now()
    questions = Paginator(selectors.meeting_questions(meeting), QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    themes = []
    if questions.paginator.count >= THEMES_FROM_QUESTIONS:
        # A theme of one question says nothing its text does not; the page lists the shared ones.
        themes = [t for t in meeting_themes(meeting, limit=THEMES_SHOWN) if t.size > 1]
    result = getattr(meeting, "result", None)
    phase = meeting.phase(now)
    response = render(request, "portal/meeting_detail.html", {
        "meeting": meeting,
        "ends_at": meeting.ends_at,
        "phase": phase,
        "stream_url": http_url(meeting.stream_url),
        "media_links": http_urls(result.media_links) if result else [],
        "event": meeting_event(meeting, url=request.build_absolute_uri(request.path),
                               language=translation.get_language(), rescheduled=selectors.was_rescheduled(meeting)),
        "result": result,
        "questions": questions.object_list, "page": questions, "themes": themes,
        "commitments": selectors.meeting_commitments(meeting),
        "can_ask": questions_open(meeting, now=now),
        "can_register": registration_open(meeting, now=now),
        "can_support": questions_open(meeting, now=now),
        "seats": selectors.seats(meeting) if meeting.capacity else None,
        "today": timezone.localdate(),
    })
    # A page stored before the start must not hide the stream once the meeting is live, nor show it after.
    change = {"before": meeting.starts_at, "live": meeting.ends_at}.get(phase)
    return fresh_until(response, change, now=now)


# Refusals of the public services that concern one field of their form are shown next to it.
ASK_FIELDS = {QuestionError.TEXT_LENGTH: "text", QuestionError.BAD_CONTACT: "author_contact"}
REGISTER_FIELDS = {PortalError.NAME_REQUIRED: "name", PortalError.BAD_CONTACT: "contact"}


def question_ask(request, pk: int):
    meeting = get_object_or_404(selectors.public_meeting(pk))
    is_open = questions_open(meeting, now=timezone.now())
    form = QuestionForm(request.POST if request.method == "POST" else None, initial={"region": meeting.region_id})
    status = 200
    if is_open and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = question_submit(
                meeting=meeting, text=data["text"], region=data["region"], sector=data["sector"],
                author_name=data["author_name"], author_contact=data["author_contact"],
                language=request.LANGUAGE_CODE, honeypot=data["website"], client_ip=client_ip(request),
            )
        except ApplicationError as err:
            status = form_refused(form, err, fields=ASK_FIELDS)
        else:
            messages.success(request, _("Your question is received. Keep the tracking code to follow it."))
            return redirect("portal:track", code=question.tracking_code)
    elif request.method == "POST":
        status = form_refused(form) if is_open else 409
    return render(request, "portal/ask.html", {"meeting": meeting, "form": form, "is_open": is_open},
                  status=status)


def register(request, pk: int):
    meeting = get_object_or_404(selectors.public_meeting(pk))
    is_open = registration_open(meeting, now=timezone.now())
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    status = 200
    if is_open and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration_request(meeting=meeting, name=data["name"], contact=data["contact"],
                                 honeypot=data["website"], client_ip=client_ip(request),
                                 language=request.LANGUAGE_CODE)
        except ApplicationError as err:
            status = form_refused(form, err, fields=REGISTER_FIELDS)
        else:
            # The same answer whether the contact was new or already registered (no contact oracle).
            return redirect("portal:register-sent", pk=meeting.pk)
    elif request.method == "POST":
        status = form_refused(form) if is_open else 409
    return render(request, "portal/register.html", {
        "meeting": meeting, "form": form, "is_open": is_open,
        "seats": selectors.seats(meeting) if meeting.capacity else None,
    }, status=status)


def register_sent(request, pk: int):
    meeting = get_object_or_404(selectors.public_meeting(pk))
    return render(request, "portal/register_sent.html", {"meeting": meeting})


def _public_registration(code: str):
    found = selectors.registration_by_code(code)
    if found is None or found.meeting.status not in selectors.PUBLIC_STATUSES:
        raise Http404
    return found


def registration(request, code: str):
    found = _public_registration(code)
    return render(request, "portal/registration.html", {
        "registration": found, "meeting": found.meeting,
        "can_cancel": registration_cancellable(found, now=timezone.now()),
    })


def registration_find(request):
    """Find a registration by the code a citizen types (spaces and case forgiven)."""
    form = RegistrationCodeForm(request.GET or None)
    if form.is_valid():
        found = selectors.registration_by_code(form.cleaned_data["code"])
        if found is not None and found.meeting.status in selectors.PUBLIC_STATUSES:
            return redirect("portal:registration", code=found.code)
        form.add_error("code", _("No registration has this code. Check the code and try again."))
    return render(request, "portal/registration_find.html", {"form": form},
                  status=404 if form.is_bound and form.errors else 200)


def registration_cancel(request, code: str):
    """Ask to confirm (a required box, no script needed), then cancel and show the registration again."""
    found = _public_registration(code)
    form = RegistrationCancelForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            registration_cancel_service(code=found.code)
        except ApplicationError as err:
            status = form_refused(form, err)
        else:
            messages.success(request, _("Your registration is cancelled. Thank you for freeing the seat."))
            return redirect("portal:registration", code=found.code)
    elif request.method == "POST":
        status = form_refused(form)
    return render(request, "portal/registration_cancel.html", {
        "registration": found, "meeting": found.meeting, "form": form,
        "can_cancel": registration_cancellable(found, now=timezone.now()),
    }, status=status)


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


@public_page("meetings", "commitments")
def commitment_list(request):
    filters = CommitmentFilter(request.GET, queryset=selectors.public_commitments().order_by("deadline", "id"))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/commitments.html", {
        "filters": filters, "filter_fields": filter_fields(filters), "page": page, "today": timezone.localdate(),
        "feed_query": _feed_query(filters),
    })




def _event(request, m) -> ical.Event:
    """A meeting as a calendar event: the same UID in every feed and in its own file, so calendars dedupe."""
    return ical.Event(
        uid=f"meeting-{m.pk}@kezdesu",
        stamp=m.updated_at, start=m.starts_at, end=m.ends_at,
        summary=f"{m.body.short_name} — {m.region.name}",
        location=f"{m.settlement}, {m.venue}",
        url=request.build_absolute_uri(reverse("portal:meeting", args=[m.pk])),
        description="\n".join(filter(None, [m.head.full_name, m.topics, http_url(m.stream_url)])),
        sequence=m.version,
    )


def _calendar_response(events, *, name: str, filename: str, disposition: str = "inline") -> HttpResponse:
    # In the language of its address (/ru/ical/…), as the page that links to it.
    response = HttpResponse(ical.calendar(events, name=name, language=translation.get_language()),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _feed(request, meetings, *, name: str, filename: str) -> HttpResponse:
    since = timezone.now() - dt.timedelta(days=366)
    events = (_event(request, m) for m in meetings.filter(starts_at__gte=since).order_by("starts_at", "id"))
    return _calendar_response(events, name=name, filename=filename)


@public_page("meetings")
def meeting_ics(request, pk: int):
    """One meeting as a calendar file ("add to my calendar")."""
    meeting = get_object_or_404(selectors.public_meeting(pk))
    return _calendar_response([_event(request, meeting)], name=f"{meeting.body.short_name} — {meeting.region.name}",
                              filename=f"kezdesu-meeting-{meeting.pk}.ics", disposition="attachment")


meetings_rss = public_page("meetings")(feeds.MeetingFeed())
meetings_atom = public_page("meetings")(feeds.MeetingAtomFeed())
commitments_rss = public_page("meetings", "commitments")(feeds.CommitmentFeed())
commitments_atom = public_page("meetings", "commitments")(feeds.CommitmentAtomFeed())


@public_page("meetings")
def ical_all(request):
    return _feed(request, selectors.public_meetings(), name=_("Meetings of ministers with the population"),
                 filename="kezdesu-all.ics")


@public_page("meetings")
def ical_region(request, slug: str):
    region = get_object_or_404(Region, slug=slug)
    return _feed(request, selectors.public_meetings().filter(region=region),
                 name=_("Meetings in %(region)s") % {"region": region.name}, filename=f"kezdesu-{slug}.ics")


@public_page("meetings")
def ical_body(request, slug: str):
    body = get_object_or_404(Body, slug=slug)
    return _feed(request, selectors.public_meetings().filter(body=body),
                 name=_("Meetings of %(body)s") % {"body": body.short_name}, filename=f"kezdesu-{slug}.ics")


@public_page("meetings")
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



def language_switch(request, lang: str):
    """Remember the chosen language (the language cookie) and go back to the page in that language.

    A plain link, so that public pages hold no form and no token; it changes nothing but a preference.
    """
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    back = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "/"
    # The address is resolved in its own language (its prefix), then written in the chosen one.
    with translation.override(translation.get_language_from_path(back.split("?")[0]) or request.LANGUAGE_CODE):
        target = translate_url(back, lang)
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Supports and follow-up by e-mail ------------------------------------------------------------------------

# Refusals of the support and follow services that concern the address are shown next to it.
SUPPORT_FIELDS = {QuestionError.BAD_EMAIL: "email"}
FOLLOW_FIELDS = {PortalError.BAD_EMAIL: "email"}


def question_support(request, pk: int, question_pk: int):
    """Ask to support one question: a page of its own with the form and its CSRF token, reached by the
    question's link on the cached meeting page (docs/decisions/0111-forms-on-cached-pages.md)."""
    meeting = get_object_or_404(selectors.public_meeting(pk))
    question = selectors.meeting_question(meeting, question_pk)
    if question is None:
        raise Http404
    is_open = supports_open(question, now=timezone.now())
    form = SupportForm(request.POST or None)
    context = {"meeting": meeting, "question": question, "form": form, "is_open": is_open}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            question_support_request(question=question, email=form.cleaned_data["email"],
                                     honeypot=form.cleaned_data["website"], client_ip=client_ip(request),
                                     language=request.LANGUAGE_CODE)
        except ApplicationError as err:
            status = form_refused(form, err, fields=SUPPORT_FIELDS)
        else:
            return redirect("portal:support-sent", pk=meeting.pk)
    elif request.method == "POST":
        status = form_refused(form)
    return render(request, "portal/support.html", context, status=status)


def support_sent(request, pk: int):
    meeting = get_object_or_404(selectors.public_meeting(pk))
    return render(request, "portal/support_sent.html", {"meeting": meeting})


def support_confirm(request, token: str):
    """The confirmation link's page: opening it (GET) changes nothing; its button (POST) counts the support."""
    found = selectors.support_request_by_token(token)
    if found is None or found.question.meeting is None:
        raise Http404
    context = {"support": found, "question": found.question, "meeting": found.question.meeting, "error": None,
               "done": False}
    status = 200
    if request.method == "POST":
        try:
            context["question"] = question_support_confirm(token=token)
        except ApplicationError as err:
            context["error"], status = err, http_status(err)
        else:
            context["done"] = True
    return render(request, "portal/support_confirm.html", context, status=status)


def _follow_target(data: dict) -> dict:
    """The meeting, region or body a follow form names (unknown ones are None: the service refuses)."""
    return {
        "meeting": selectors.public_meeting(data["meeting"]).first() if data.get("meeting") else None,
        "region": Region.objects.filter(slug=data["region"]).first() if data.get("region") else None,
        "body": Body.objects.filter(slug=data["body"]).first() if data.get("body") else None,
    }


def follow(request):
    """Ask to follow a meeting, a region or a body by e-mail: a page of its own with the form and its CSRF
    token, opened by the links on the cached meeting page and list (`?meeting=`, `?region=` or `?body=`)."""
    form = FollowForm(request.POST if request.method == "POST" else request.GET)
    valid = form.is_valid()
    # Fields that passed their own checks are in cleaned_data even when the address did not.
    target = _follow_target(form.cleaned_data)
    status = 200
    if request.method == "POST":
        if valid:
            try:
                subscription_request(email=form.cleaned_data["email"], honeypot=form.cleaned_data["website"],
                                     client_ip=client_ip(request), language=request.LANGUAGE_CODE, **target)
            except ApplicationError as err:
                status = form_refused(form, err, fields=FOLLOW_FIELDS)
            else:
                return redirect("portal:follow-sent")
        else:
            status = form_refused(form)
    else:
        form = FollowForm(initial={name: form.cleaned_data.get(name) for name in ("meeting", "region", "body")})
    return render(request, "portal/follow.html", {"form": form, **target}, status=status)


def follow_sent(request):
    return render(request, "portal/follow_sent.html", {})


def follow_confirm(request, pk: int, token: str):
    """The confirmation link's page: opening it (GET) changes nothing; its button (POST) starts the mail."""
    subscription = subscription_by_link(pk=pk, token=token, purpose=CONFIRM)
    if subscription is None:
        raise Http404
    context = {"subscription": subscription, "error": None, "done": False}
    status = 200
    if request.method == "POST":
        try:
            subscription = subscription_confirm(pk=pk, token=token)
        except ApplicationError as err:
            context["error"], status = err, http_status(err)
        else:
            context["done"] = True
    return render(request, "portal/follow_confirm.html", context, status=status)


@csrf_exempt
def unsubscribe(request, pk: int, token: str):
    """Stop a subscription: a page with a button, and the one-click POST of mail programs (RFC 8058).

    Only the one-click POST goes without a CSRF token (a mail program has none); the page's own button is
    checked like every other form.
    """
    if request.method == "POST" and request.POST.get("List-Unsubscribe") != "One-Click":
        refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    subscription = subscription_by_link(pk=pk, token=token, purpose=UNSUBSCRIBE)
    if request.method == "POST":
        try:
            subscription_cancel(pk=pk, token=token)
        except ApplicationError as err:
            return render(request, "portal/unsubscribe.html", {"subscription": None, "done": False, "error": err},
                          status=http_status(err))
        return render(request, "portal/unsubscribe.html", {"subscription": None, "done": True, "error": None})
    if subscription is None:
        return render(request, "portal/unsubscribe.html", {"subscription": None, "done": False, "error": None},
                      status=404)
    return render(request, "portal/unsubscribe.html", {"subscription": subscription, "done": False, "error": None})
