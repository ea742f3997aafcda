"""RSS 2.0 and Atom feeds of public meetings and commitments, in the language of their address.

`?region=<slug>` and `?body=<slug>` narrow a feed (an unknown slug is a 404); the filters mean what they
mean on the lists the feeds link to. Nothing of a citizen is in a feed: meetings and commitments only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kezdesu.meetings.models import Meeting, Transition
from kezdesu.portal import selectors
from kezdesu.portal.templatetags.portal import day
from kezdesu.registry.models import Body, Region

# Items per feed; readers poll and keep what they have seen.
ITEMS = 50
# Held meetings stay in the meetings feed this long after their day.
RECENT = dt.timedelta(days=90)


@dataclass(frozen=True)
class Scope:
    region: Region | None
    body: Body | None
    path: str  # the feed's own address, with its filters

    @property
    def query(self) -> str:
        pairs = [(k, v.slug) for k, v in (("region", self.region), ("body", self.body)) if v is not None]
        return "?" + urlencode(pairs) if pairs else ""

    def title(self, base: str) -> str:
        names = [n for n in (self.body and self.body.short_name, self.region and self.region.name) if n]
        return " — ".join([base, *names])


def _by_slug(model, slug: str | None):
    if not slug:
        return None
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


class _PortalFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs) -> Scope:
        return Scope(region=_by_slug(Region, request.GET.get("region")), body=_by_slug(Body, request.GET.get("body")),
                     path=request.get_full_path())

    def feed_url(self, obj: Scope) -> str:
        return obj.path

    def author_name(self) -> str:
        return _("Kezdesu")

    def item_updateddate(self, item):
        return item.updated_at


class MeetingFeed(_PortalFeed):
    """Upcoming public meetings and those held in the last 90 days, the latest first."""

    description_template = "portal/feeds/meeting.html"

    def title(self, obj: Scope) -> str:
        return obj.title(_("Meetings of ministers with the population"))

    def description(self, obj: Scope) -> str:
        return _("Upcoming and recent meetings of ministers with the population: when, where and what about.")

    def link(self, obj: Scope) -> str:
        return reverse("portal:meetings") + obj.query

    def items(self, obj: Scope) -> QuerySet[Meeting]:
        meetings = selectors.public_meetings().filter(starts_at__gte=timezone.now() - RECENT)
        if obj.region is not None:
            meetings = meetings.filter(region=obj.region)
        if obj.body is not None:
            meetings = meetings.filter(body=obj.body)
        announced = (Transition.objects.filter(meeting=OuterRef("pk"), target=Meeting.Status.ANNOUNCED)
                     .order_by("-at").values("at")[:1])
        meetings = meetings.annotate(published=Coalesce(Subquery(announced), "agreed_at"))
        return meetings.order_by("-starts_at", "-id")[:ITEMS]

    def item_title(self, item: Meeting) -> str:
        return f"{item.body.short_name} — {item.region.name}, {day(item.starts_at)}"

    def item_link(self, item: Meeting) -> str:
        return reverse("portal:meeting", args=[item.pk])

    def item_pubdate(self, item: Meeting):
        return item.published

    def item_categories(self, item: Meeting) -> list[str]:
        return [item.body.short_name, item.region.name, str(item.get_status_display())]


class MeetingAtomFeed(MeetingFeed):
    feed_type = Atom1Feed
    subtitle = MeetingFeed.description


class CommitmentFeed(_PortalFeed):
    """Commitments of public meetings, the most recently changed (progress, status) first."""

    description_template = "portal/feeds/commitment.html"

    def title(self, obj: Scope) -> str:
        return obj.title(_("Commitments made at meetings"))

    def description(self, obj: Scope) -> str:
        return _("What was promised at meetings, with progress.")

    def link(self, obj: Scope) -> str:
        return reverse("portal:commitments") + obj.query

    def items(self, obj: Scope):
        commitments = selectors.public_commitments()
        if obj.region is not None:
            commitments = commitments.filter(meeting__region=obj.region)
        if obj.body is not None:
            commitments = commitments.filter(Q(responsible_body=obj.body) | Q(meeting__body=obj.body))
        return commitments.order_by("-updated_at", "-id")[:ITEMS]

    def item_title(self, item) -> str:
        return f"{Truncator(item.text).chars(100)} ({item.get_status_display()}, {item.progress}%)"

    def item_link(self, item) -> str:
        return reverse("portal:meeting", args=[item.meeting_id]) + f"#commitment-{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

    def item_categories(self, item) -> list[str]:
        return [item.meeting.body.short_name, item.meeting.region.name, str(item.get_status_display())]


class CommitmentAtomFeed(CommitmentFeed):
    feed_type = Atom1Feed
    subtitle = CommitmentFeed.description
