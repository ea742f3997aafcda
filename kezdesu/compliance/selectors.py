"""Reads for compliance: turn the database into facts and hand them to the pure rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone

from kezdesu.compliance.models import QuarterlyReport
from kezdesu.compliance.rules import BodyFact, MeetingFact, Quarter, QuarterStatus, compliance_matrix
from kezdesu.core.calendar import working_calendar
from kezdesu.meetings.models import Meeting
from kezdesu.registry.models import Body
from kezdesu.users.models import Role


def meeting_facts(meetings) -> list[MeetingFact]:
    tz = timezone.get_default_timezone()
    rows = meetings.values_list("id", "body__slug", "starts_at", "status", "agreed_at", "head__is_first_head",
                                "head__acting", "kind")
    return [MeetingFact(id=i, body=b, day=timezone.localtime(s, tz).date(), status=st, agreed=a is not None,
                        first_head=fh, acting=ac, kind=k) for i, b, s, st, a, fh, ac, k in rows]


def body_facts(bodies) -> list[BodyFact]:
    return [BodyFact(slug=s, exempt=e, valid_from=vf, valid_to=vt)
            for s, e, vf, vt in bodies.values_list("slug", "exempt", "valid_from", "valid_to")]


def compliance_for(*, user, quarters: Sequence[Quarter], today: dt.date, body_slugs: Sequence[str] | None = None
                   ) -> list[QuarterStatus]:
    """Compliance of the bodies the user may see over `quarters`, as of `today`."""
    bodies = Body.objects.visible_to(user)
    membership = user.membership
    if membership is not None and membership.role == Role.BODY_COORDINATOR:
        bodies = bodies.filter(pk=membership.body_id)
    if body_slugs:
        bodies = bodies.filter(slug__in=body_slugs)
    start, end = min(q.start for q in quarters), max(q.end for q in quarters)
    meetings = Meeting.objects.filter(body__in=bodies, starts_at__date__gte=start - dt.timedelta(days=1),
                                      starts_at__date__lte=end + dt.timedelta(days=1))
    submissions = {
        (slug, Quarter(y, q)): timezone.localtime(at).date()
        for slug, y, q, at in QuarterlyReport.objects.filter(body__in=bodies, status=QuarterlyReport.Status.SUBMITTED)
        .values_list("body__slug", "year", "quarter", "submitted_at")
    }
    wanted = set(quarters)
    facts = [m for m in meeting_facts(meetings) if Quarter.of(m.day) in wanted]
    return compliance_matrix(
        bodies=body_facts(bodies), meetings=facts, quarters=list(quarters), today=today,
        calendar=working_calendar(), in_force=settings.KEZDESU["RESOLUTION_IN_FORCE"],
        acting_counts=settings.KEZDESU["ACTING_HEAD_COUNTS"], submissions=submissions,
    )
