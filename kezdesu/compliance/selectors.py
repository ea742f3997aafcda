"""Reads for compliance: turn the database into facts and hand them to the pure rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone

from kezdesu.compliance.models import QuarterlyReport
from kezdesu.compliance.rules import (
    BodyFact,
    MeetingFact,
    MeetingVerdict,
    Quarter,
    QuarterStatus,
    Readings,
    body_lines,
    compliance_matrix,
    meeting_verdict,
)
from kezdesu.core.calendar import within, working_calendar
from kezdesu.meetings.models import AkimatAgreement, Meeting, MeetingCoHost, local_day
from kezdesu.registry.models import Body
from kezdesu.users.scoping import scope_bodies


def readings() -> Readings:
    """The open readings of the resolution as the settings give them (config/env.py)."""
    k = settings.KEZDESU
    return Readings(acting_counts=k["ACTING_HEAD_COUNTS"], online_counts=k["ONLINE_MEETINGS_COUNT"],
                    unscheduled_counts=k["UNSCHEDULED_COUNT_FOR_QUARTER"],
                    min_days_in_office=k["QUARTER_MIN_DAYS_IN_OFFICE"])


def _agreed_regions(meeting_ids) -> dict[int, int | None]:
    """The region of the akimat that agreed each meeting: that of its latest agreed or counter-proposed round."""
    out: dict[int, int | None] = {}
    rows = (AkimatAgreement.objects.filter(meeting_id__in=meeting_ids)
            .exclude(decision__in=[AkimatAgreement.Decision.PENDING, AkimatAgreement.Decision.DECLINE])
            .order_by("meeting_id", "round").values_list("meeting_id", "region_id"))
    for meeting_id, region_id in rows:
        out[meeting_id] = region_id
    return out


_STANDING = ("head_in_office", "head_was_first", "head_was_acting", "head__is_first_head", "head__acting",
             "head__start", "head__end")


def _standing(row: dict, day: dt.date) -> tuple[bool, bool, bool]:
    """(in office, first head, acting) on `day`: frozen once held, else from the Head row."""
    if row["head_in_office"] is not None:
        return row["head_in_office"], bool(row["head_was_first"]), bool(row["head_was_acting"])
    start, end = row["head__start"], row["head__end"]
    return within(day, start, end), row["head__is_first_head"], row["head__acting"]


def meeting_facts(meetings) -> list[MeetingFact]:
    """One fact per meeting and hosting body: the main body, then each co-host of a joint meeting.

    Held meetings are judged on the head's standing frozen when they were held; others on the Head
    rows as of the meeting's day in Asia/Almaty.
    """
    rows = list(meetings.values("id", "body__slug", "starts_at", "status", "agreed_at", "kind", "format",
                                "region_id", *_STANDING))
    ids = [r["id"] for r in rows]
    agreed_regions = _agreed_regions(ids)
    cohosts: dict[int, list[dict]] = {}
    for c in MeetingCoHost.objects.filter(meeting_id__in=ids).order_by("body__slug").values(
            "meeting_id", "body__slug", *_STANDING):
        cohosts.setdefault(c["meeting_id"], []).append(c)
    facts = []
    for m in rows:
        day = local_day(m["starts_at"])
        agreed_region = agreed_regions.get(m["id"])
        for host, cohost in [(m, False), *((c, True) for c in cohosts.get(m["id"], ()))]:
            in_office, first, acting = _standing(host, day)
            facts.append(MeetingFact(
                id=m["id"], body=host["body__slug"], day=day, status=m["status"], agreed=m["agreed_at"] is not None,
                first_head=first, acting=acting, kind=m["kind"], starts_at=m["starts_at"], agreed_at=m["agreed_at"],
                in_office=in_office, format=m["format"], cohost=cohost,
                agreed_in_region=agreed_region is None or agreed_region == m["region_id"],
            ))
    return facts


def body_facts(bodies) -> list[BodyFact]:
    return [BodyFact(slug=s, exempt=e, valid_from=vf, valid_to=vt, predecessor=p)
            for s, e, vf, vt, p in bodies.values_list("slug", "exempt", "valid_from", "valid_to",
                                                      "predecessor__slug")]


def _line_facts(wanted_slugs: set[str]) -> list[BodyFact]:
    """The bodies of every line of succession that holds one of `wanted_slugs`: lines run through bodies
    the user may not be filtered to, since a successor's row needs its predecessor."""
    lines = [line for line in body_lines(body_facts(Body.objects.all())) if wanted_slugs & {b.slug for b in line}]
    return [b for line in lines for b in line]


def _submissions(slugs: Sequence[str]) -> dict[tuple[str, Quarter], dt.date]:
    """The local day each of these bodies submitted its quarterly report, by (body, quarter)."""
    return {
        (slug, Quarter(y, q)): timezone.localtime(at).date()
        for slug, y, q, at in QuarterlyReport.objects.filter(body__slug__in=slugs,
                                                             status=QuarterlyReport.Status.SUBMITTED)
        .values_list("body__slug", "year", "quarter", "submitted_at")
    }


def compliance_for(*, user, quarters: Sequence[Quarter], today: dt.date, body_slugs: Sequence[str] | None = None
                   ) -> list[QuarterStatus]:
    """Compliance of the bodies the user may see over `quarters`, as of `today`.

    A renamed body and its successors form one line with one row per quarter (the body owing the
    report); the rows returned are those whose owing body the user may see (and `body_slugs` names).
    """
    bodies = scope_bodies(Body.objects.all(), user)
    if body_slugs:
        bodies = bodies.filter(slug__in=body_slugs)
    wanted_slugs = set(bodies.values_list("slug", flat=True))
    line_facts = _line_facts(wanted_slugs)
    line_slugs = [b.slug for b in line_facts]
    start, end = min(q.start for q in quarters), max(q.end for q in quarters)
    meetings = Meeting.objects.hosted_by(*Body.objects.filter(slug__in=line_slugs).values_list("pk", flat=True)) \
        .filter(starts_at__date__gte=start - dt.timedelta(days=1), starts_at__date__lte=end + dt.timedelta(days=1))
    submissions = _submissions(line_slugs)
    wanted = set(quarters)
    facts = [m for m in meeting_facts(meetings) if Quarter.of(m.day) in wanted and m.body in line_slugs]
    rows = compliance_matrix(
        bodies=line_facts, meetings=facts, quarters=list(quarters), today=today,
        calendar=working_calendar(), in_force=settings.KEZDESU["RESOLUTION_IN_FORCE"],
        readings=readings(), submissions=submissions,
    )
    return [r for r in rows if r.body in wanted_slugs]


def meeting_verdicts(*, body: Body, meetings, reading: Readings | None = None) -> dict[int, MeetingVerdict]:
    """How each of `meetings` counts for `body`, as its main body or as a co-host of a joint meeting:
    agreed by its region's akimat before the start, held by the body's own first head on the day (frozen
    once held), under `reading` (default: the settings). Meetings `body` does not hold are left out.

    Used by the quarterly rules and open to other checks, such as the unscheduled meeting a tension
    alert obliges (clause 1.3): `meeting_verdicts(body=b, meetings=Meeting.objects.hosted_by(b)...)`.
    """
    in_force = settings.KEZDESU["RESOLUTION_IN_FORCE"]
    reading = reading or readings()
    return {f.id: meeting_verdict(f, in_force=in_force, readings=reading)
            for f in meeting_facts(meetings.filter(pk__in=Meeting.objects.hosted_by(body).values("pk")))
            if f.body == body.slug}
