"""Reads for the meeting pages, each from the user's scoped QuerySet (`Meeting.objects.visible_to`)."""

from __future__ import annotations

from django.db.models import QuerySet

from kezdesu.meetings.models import Commitment, Meeting, SupportItem


def meetings_visible(user) -> QuerySet[Meeting]:
    """The meetings `user` may read, with what every meeting page shows of them."""
    return Meeting.objects.visible_to(user).select_related("body", "region", "head")


def meeting_list(user, *, status: str | None = None, region=None) -> QuerySet[Meeting]:
    """The meetings `user` may read, newest first, optionally only those in `status` and in `region`."""
    qs = meetings_visible(user).order_by("-starts_at")
    if status:
        qs = qs.filter(status=status)
    if region is not None:
        qs = qs.filter(region=region)
    return qs


def support_items(meeting: Meeting) -> QuerySet[SupportItem]:
    """The meeting's support checklist with who ticked each item (clause 2)."""
    return meeting.support_items.select_related("done_by")


def commitments_visible(user, *, meeting_id: int) -> QuerySet[Commitment]:
    """The commitments of one meeting that `user` may read."""
    return Commitment.objects.visible_to(user).filter(meeting_id=meeting_id)
