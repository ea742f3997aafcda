"""Reads of the public portal: everything starts from the public querysets, nothing from staff scopes."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kezdesu.core.locale import local_zone
from kezdesu.meetings.models import Commitment, Meeting, Transition
from kezdesu.portal.models import Registration
from kezdesu.portal.pagecache import scoped_key
from kezdesu.questions.intake import token_digest
from kezdesu.questions.models import Question, SupportRequest
from kezdesu.registry.map import region_map as draw
from kezdesu.registry.models import Body, Region

PUBLIC_STATUSES = Meeting.Status.PUBLIC_STATES
HELD_STATUSES = Meeting.Status.HELD_STATES
# Numbers on the home page and the month choices: cached until their data changes, at most this long.
SUMMARY_SECONDS = 300


def public_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.public().select_related("body", "region", "head")


def meetings_when(meetings: QuerySet[Meeting], *, when: str, now: dt.datetime) -> QuerySet[Meeting]:
    """Upcoming meetings soonest first, or past ones latest first."""
    if when == "past":
        return meetings.filter(starts_at__lt=now).order_by("-starts_at", "-id")
    return meetings.filter(starts_at__gte=now).order_by("starts_at", "id")


def meeting_page_of(meetings: QuerySet[Meeting], *, number, per_page: int) -> Page:
    """One page of `meetings` with its rows fully loaded.

    The offset is walked over ids alone, then only the page's rows are joined with their body, region and
    head: a deep page of the past meetings took ~50 ms when SQLite joined every skipped row.
    """
    page = Paginator(meetings.values_list("pk", flat=True), per_page).get_page(number)
    rows = public_meetings().in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page


def upcoming_meetings(*, now: dt.datetime, limit: int) -> list[Meeting]:
    return list(meetings_when(public_meetings(), when="upcoming", now=now)[:limit])


def recent_meetings(*, now: dt.datetime, limit: int) -> list[Meeting]:
    return list(meetings_when(public_meetings().filter(status__in=HELD_STATUSES), when="past", now=now)[:limit])


def live_meetings(*, now: dt.datetime) -> list[Meeting]:
    """Public meetings live at `now` (`Meeting.phase`), the earliest started first."""
    return list(public_meetings().live(now).order_by("starts_at", "id"))


def next_live_change(*, now: dt.datetime) -> dt.datetime | None:
    """The next moment a public meeting goes live or stops being live, if any: pages listing the live
    meetings are kept no longer than that."""
    meetings = Meeting.objects.public().filter(status__in=Meeting.Status.LIVE_STATES)
    starts = meetings.filter(starts_at__gt=now).aggregate(m=Min("starts_at"))["m"]
    ends = meetings.live(now).aggregate(m=Min("ends"))["m"]
    return min(filter(None, (starts, ends)), default=None)


def was_rescheduled(meeting: Meeting) -> bool:
    """Whether the meeting was announced, then postponed or sent back to the akimat for a new date or place."""
    return Transition.objects.filter(meeting=meeting, source=Meeting.Status.ANNOUNCED,
                                     target__in=[Meeting.Status.PROPOSED, Meeting.Status.POSTPONED]).exists()


def public_meeting(pk: int) -> QuerySet[Meeting]:
    """The queryset a public meeting page is fetched from (with its results in the same query)."""
    return public_meetings().select_related("result").filter(pk=pk)


def public_questions() -> QuerySet[Question]:
    """Published questions of public meetings (or of none); never their authors."""
    return (Question.objects.public()
            .filter(Q(meeting__isnull=True) | Q(meeting__status__in=PUBLIC_STATUSES))
            .select_related("meeting", "region", "sector", "referred_to")
            .defer("author_name", "author_contact"))


def meeting_questions(meeting: Meeting) -> QuerySet[Question]:
    """The published questions of one public meeting (its page needs only their sector and referral)."""
    # Questions asked in advance first ("portal" sorts after "meeting"), then those raised in the hall.
    # The most supported first; then those asked in advance ("portal" sorts after "meeting"), by date.
    return (Question.objects.public().filter(meeting=meeting).select_related("sector", "referred_to")
            .defer("author_name", "author_contact").order_by("-support_count", "-origin", "published_at", "id"))


def meeting_question(meeting: Meeting, pk: int) -> Question | None:
    """One published question of a public meeting, or None."""
    return meeting_questions(meeting).filter(pk=pk).first()


def support_request_by_token(token: str) -> SupportRequest | None:
    """The support request a confirmation link points to (reading it changes nothing), or None."""
    return (SupportRequest.objects.select_related("question__meeting__body", "question__meeting__region")
            .defer("question__author_name", "question__author_contact")
            .filter(token_hash=token_digest(token or "")).first())


def public_commitments() -> QuerySet[Commitment]:
    return (Commitment.objects.filter(meeting__status__in=PUBLIC_STATUSES)
            .select_related("meeting__body", "meeting__region", "responsible_body", "responsible_region"))


def meeting_commitments(meeting: Meeting) -> QuerySet[Commitment]:
    return meeting.commitments.select_related("responsible_body", "responsible_region").order_by("deadline", "id")


def seats(meeting: Meeting) -> dict[str, int]:
    """Return how many seats are confirmed and how many people wait, for a meeting with capacity."""
    counts = dict(Registration.objects.filter(meeting=meeting).order_by().values_list("status").annotate(n=Count("id")))
    return {"confirmed": counts.get(Registration.Status.CONFIRMED, 0),
            "waitlisted": counts.get(Registration.Status.WAITLISTED, 0)}


def question_by_code(code: str) -> Question | None:
    """The question with this tracking code (case and spaces forgiven), or None."""
    code = "".join(code.split()).upper()
    if not code:
        return None
    if not code.startswith("Q-"):
        code = "Q-" + code
    return (Question.objects.select_related("meeting__body", "meeting__region", "region", "sector", "referred_to")
            .filter(tracking_code=code).first())


def registration_by_code(code: str) -> Registration | None:
    return Registration.objects.select_related("meeting__body", "meeting__region").filter(code=code).first()


def bodies_with_meetings() -> QuerySet[Body]:
    return Body.objects.filter(Exists(Meeting.objects.public().filter(body=OuterRef("pk"))))


def meeting_months() -> list[dt.date]:
    """First days of the months that have public meetings, latest first (cached for a few minutes)."""
    def months():
        return sorted({d.date() if isinstance(d, dt.datetime) else d for d in
                       Meeting.objects.public().annotate(m=TruncMonth("starts_at", tzinfo=local_zone()))
                       .values_list("m", flat=True).distinct()}, reverse=True)
    return cache.get_or_set(scoped_key("portal:meeting-months", "meetings"), months, SUMMARY_SECONDS)


def portal_summary() -> dict[str, int]:
    """Headline numbers for the home page (cached for a few minutes)."""
    def compute():
        meetings = Meeting.objects.filter(status__in=HELD_STATUSES)
        commitments = Commitment.objects.filter(meeting__status__in=PUBLIC_STATUSES)
        return {
            "held": meetings.count(),
            "regions": meetings.values("region").distinct().count(),
            "answered": Question.objects.filter(status__in=[Question.Status.ANSWERED, Question.Status.RESOLVED],
                                                meeting__status__in=PUBLIC_STATUSES).count(),
            "commitments": commitments.count(),
            "done": commitments.filter(status=Commitment.Status.DONE).count(),
        }
    return cache.get_or_set(scoped_key("portal:summary", "meetings", "questions", "commitments"), compute,
                            SUMMARY_SECONDS)


def region_map(*, now: dt.datetime):
    """The portal's map: upcoming public meetings per region, each tile a link to that region's list."""
    counts = dict(meetings_when(Meeting.objects.public(), when="upcoming", now=now).order_by()
                  .values("region").annotate(n=Count("id")).values_list("region", "n"))
    meetings_url = reverse("portal:meetings")

    def value(region):
        n = counts.get(region.pk, 0)
        label = ngettext("%(region)s: %(n)s upcoming meeting", "%(region)s: %(n)s upcoming meetings", n) % {
            "region": region.name, "n": n}
        return str(n), 0 if n == 0 else 1 if n == 1 else 2 if n <= 3 else 4, label, str(n)

    return draw(regions=Region.objects.order_by("kato_code"), title=_("Upcoming meetings by region"), value=value,
                url=lambda r: f"{meetings_url}?region={r.slug}", value_heading=_("Upcoming meetings"),
                legend=[(0, _("none")), (1, _("one")), (2, _("two or three")), (4, _("four or more"))])
