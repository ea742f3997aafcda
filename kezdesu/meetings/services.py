"""Writes to meetings. Every status change goes through `meeting_transition`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kezdesu.core.actors import Actor
from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.calendar import within
from kezdesu.core.errors import ApplicationError
from kezdesu.core.notifications import followed_change, notify, per_reader
from kezdesu.meetings.errors import MeetingError
from kezdesu.meetings.lifecycle import TRANSITIONS
from kezdesu.meetings.models import (
    AkimatAgreement,
    Commitment,
    Meeting,
    MeetingCoHost,
    MeetingResult,
    Status,
    SupportItem,
    local_day,
)
from kezdesu.users.models import Role
from kezdesu.users.roles import can, can_act_for
from kezdesu.users.scoping import acts_for
from kezdesu.users.selectors import coordinators

EDITABLE = (Status.DRAFT, Status.RETURNED, Status.DECLINED, Status.POSTPONED, Status.AGREED, Status.ANNOUNCED)
# A change of any of these after the akimat agreed (or counter-proposed) sends the meeting back to the
# akimat of its (new) region: clause 1.1 counts only meetings agreed as they are held.
PLACE_AND_TIME = ("region", "settlement", "venue", "starts_at")


def _role(user) -> str | None:
    return user.role if getattr(user, "is_authenticated", False) else None


def in_scope(user, meeting: Meeting) -> bool:
    """Whether the user runs the meeting: acts for its body, for the akimat of its region, or nationwide
    (users/scoping.py). A co-host reads a joint meeting but does not run it: the main body does."""
    return acts_for(user, bodies=(meeting.body_id,), regions=(meeting.region_id,))


def _require_scope(user, meeting: Meeting) -> None:
    if not in_scope(user, meeting):
        raise ApplicationError(MeetingError.NOT_YOURS)


def _lock(meeting: Meeting, expected_version: int | None) -> Meeting:
    fresh = Meeting.objects.select_for_update(of=("self",)).select_related("body", "region", "head").get(pk=meeting.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise ApplicationError(MeetingError.CONFLICT)
    return fresh


def _day(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "…"


def _check_head(*, body, head, day: dt.date | None = None) -> None:
    """The head must be of `body` and, judged on the meeting's day, in office (clause 1.1)."""
    if head.body_id != body.pk:
        raise ApplicationError(MeetingError.HEAD_OF_OTHER_BODY)
    if day is not None and not head.in_office_on(day):
        raise ApplicationError(MeetingError.HEAD_NOT_IN_OFFICE, name=head.full_name, date=_day(day))


def _check_body(*, body, day: dt.date) -> None:
    """No meeting for a body outside its validity dates in the registry (renamed or abolished bodies)."""
    if not within(day, body.valid_from, body.valid_to):
        raise ApplicationError(MeetingError.BODY_NOT_IN_OFFICE, body=body.short_name, date=_day(day),
                               start=_day(body.valid_from), end=_day(body.valid_to))


def _check_cohosts(*, body, heads: Sequence, day: dt.date) -> None:
    seen = set()
    for head in heads:
        if head.body_id == body.pk:
            raise ApplicationError(MeetingError.COHOST_IS_HOST)
        if head.body_id in seen:
            raise ApplicationError(MeetingError.COHOST_TWICE)
        seen.add(head.body_id)
        _check_body(body=head.body, day=day)
        _check_head(body=head.body, head=head, day=day)


def _check_day(meeting: Meeting) -> None:
    """Body, head and co-hosts as of the meeting's day in Asia/Almaty."""
    day = local_day(meeting.starts_at)
    _check_body(body=meeting.body, day=day)
    _check_head(body=meeting.body, head=meeting.head, day=day)
    _check_cohosts(body=meeting.body, heads=[c.head for c in meeting.cohosts.select_related("head__body")],
                   day=day)


def _set_cohosts(meeting: Meeting, heads: Sequence) -> None:
    wanted = {h.body_id: h for h in heads}
    meeting.cohosts.exclude(body_id__in=wanted).delete()
    for body_id, head in wanted.items():
        MeetingCoHost.objects.update_or_create(meeting=meeting, body_id=body_id, defaults={"head": head})


def _cohost_snapshot(meeting: Meeting) -> list[dict]:
    return [{"body": b, "head": h} for b, h in meeting.cohosts.order_by("body__slug")
            .values_list("body__slug", "head_id")]


MEETING_FIELDS = ("head", "region", "settlement", "venue", "starts_at", "duration_minutes", "format", "kind",
                  "topics", "rationale", "rationale_text", "stream_url", "capacity")


@transaction.atomic
def meeting_create(*, actor: Actor, body, head, region, settlement: str, venue: str, starts_at: dt.datetime,
                   format: str = Meeting.Format.IN_PERSON, kind: str = Meeting.Kind.SCHEDULED, topics: str = "",
                   rationale: dict | None = None, rationale_text: str = "", stream_url: str = "",
                   duration_minutes: int = 120, capacity: int | None = None, cohosts: Sequence = ()) -> Meeting:
    """Draft a meeting for the actor's body; returns it. `cohosts` are the heads (of other bodies) who
    hold it jointly. Raises ApplicationError outside scope, for a body not in the registry on the day
    (BODY_NOT_IN_OFFICE) or a head not in office on the day (HEAD_NOT_IN_OFFICE)."""
    if not can_act_for(actor, "meeting.propose", bodies=(body.pk,)):
        raise ApplicationError(MeetingError.NOT_YOURS)
    day = local_day(starts_at)
    _check_body(body=body, day=day)
    _check_head(body=body, head=head, day=day)
    _check_cohosts(body=body, heads=cohosts, day=day)
    meeting = Meeting(body=body, head=head, region=region, settlement=settlement, venue=venue, starts_at=starts_at,
                      format=format, kind=kind, topics=topics, rationale=rationale or {},
                      rationale_text=rationale_text, stream_url=stream_url, duration_minutes=duration_minutes,
                      capacity=capacity, created_by=actor)
    meeting.full_clean()
    meeting.save()
    _set_cohosts(meeting, cohosts)
    audit_record(actor=actor, action="meeting.create", obj=meeting, before=None,
                 after={**snapshot(meeting), "cohosts": _cohost_snapshot(meeting)})
    return meeting


@transaction.atomic
def meeting_update(*, actor: Actor, meeting: Meeting, expected_version: int, cohosts: Sequence | None = None,
                   **changes) -> Meeting:
    """Edit a meeting before it is held; returns it. Conflicting edits raise.

    Changing the region, settlement, venue or time of a meeting the akimat agreed or counter-proposed
    sends it back to the akimat of its (new) region as a new agreement round: the agreement is void.
    `cohosts`, when given, replaces the co-hosting heads.
    """
    meeting = _lock(meeting, expected_version)
    _require_scope(actor, meeting)
    if _role(actor) != Role.BODY_COORDINATOR:
        raise ApplicationError(MeetingError.ROLE_CANNOT, target=meeting.get_status_display())
    if meeting.status not in EDITABLE:
        raise ApplicationError(MeetingError.NOT_EDITABLE)
    before = {**snapshot(meeting), "cohosts": _cohost_snapshot(meeting)}
    place_and_time = {name: getattr(meeting, Meeting._meta.get_field(name).attname) for name in PLACE_AND_TIME}
    for name, value in changes.items():
        if name not in MEETING_FIELDS:
            raise ValueError(f"field {name} cannot be edited")
        setattr(meeting, name, value)
    moved = [name for name, old in place_and_time.items()
             if getattr(meeting, Meeting._meta.get_field(name).attname) != old]
    if cohosts is not None:
        _set_cohosts(meeting, cohosts)
    _check_day(meeting)
    meeting.version += 1
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, action="meeting.update", obj=meeting, before=before,
                 after={**snapshot(meeting), "cohosts": _cohost_snapshot(meeting)})
    if moved and meeting.status in Status.PUBLIC_STATES:
        followed_change.send(sender=Meeting, kind="schedule", pk=meeting.pk)
    if moved and meeting.status in (Status.AGREED, Status.ANNOUNCED, Status.RETURNED):
        meeting = meeting_transition(actor=actor, meeting=meeting, target=Status.PROPOSED, reagree=True,
                                     comment=str(_("Changed after the akimat's answer: %(fields)s"))
                                     % {"fields": ", ".join(str(Meeting._meta.get_field(n).verbose_name)
                                                            for n in moved)})
    return meeting


@transaction.atomic
def meeting_transition(*, actor: Actor, meeting: Meeting, target: str, expected_version: int | None = None,
                       comment: str = "", proposed_starts_at: dt.datetime | None = None,
                       proposed_venue: str = "", at: dt.datetime | None = None, reagree: bool = False
                       ) -> Meeting:
    """Move `meeting` to `target` if the table allows it for the actor; returns the meeting.

    `proposed_*` carry the akimat's counter-proposal. `at` backdates the change (imports of past
    meetings only). `reagree` is set by `meeting_update` alone, for the moves the table keeps for a
    change of place or time. Raises ApplicationError with a MeetingError code and changes nothing otherwise.
    """
    now = at or timezone.now()
    meeting = _lock(meeting, expected_version)
    source = meeting.status
    rule = TRANSITIONS.get((source, target))
    if rule is None:
        raise ApplicationError(MeetingError.ILLEGAL_TRANSITION, source=Status(source).label,
                               target=Status(target).label if target in Status.values else target)
    if rule.on_change_only and not reagree:
        raise ApplicationError(MeetingError.REAGREE_ONLY)
    role = _role(actor)
    if role not in rule.roles:
        raise ApplicationError(MeetingError.ROLE_CANNOT, target=Status(target).label)
    _require_scope(actor, meeting)
    comment = (comment or "").strip()
    if rule.reason_required and not comment:
        raise ApplicationError(MeetingError.REASON_REQUIRED)
    before = snapshot(meeting)
    _apply(actor=actor, meeting=meeting, source=source, target=target, comment=comment, now=now,
           proposed_starts_at=proposed_starts_at, proposed_venue=proposed_venue.strip())
    meeting.status = target
    if target in (Status.CANCELLED, Status.POSTPONED, Status.DECLINED, Status.RETURNED):
        meeting.status_reason = comment
    meeting.version += 1
    meeting.save()
    meeting.transitions.create(source=source, target=target, actor=actor if getattr(actor, "pk", None) else None,
                               comment=comment, at=now)
    audit_record(actor=actor, action=f"meeting.{target}", obj=meeting, before=before, after=snapshot(meeting),
                 comment=comment)
    _announce(meeting=meeting, target=target, comment=comment)
    # Citizens follow public meetings: they hear of a change that makes a meeting public or that touches one.
    if (source in Status.PUBLIC_STATES or target in Status.PUBLIC_STATES) and target not in Status.HELD_STATES:
        followed_change.send(sender=Meeting, kind="schedule", pk=meeting.pk)
    return meeting


def _apply(*, actor, meeting: Meeting, source: str, target: str, comment: str, now: dt.datetime,
           proposed_starts_at, proposed_venue: str) -> None:
    """The side effects of a transition on the agreement rounds and the meeting's own fields."""
    if target == Status.PROPOSED:
        _on_proposed(actor=actor, meeting=meeting, now=now)
    elif source == Status.PROPOSED and target in _DECISIONS:
        _on_akimat_decision(actor=actor, meeting=meeting, target=target, comment=comment, now=now,
                            proposed_starts_at=proposed_starts_at, proposed_venue=proposed_venue)
    elif source == Status.RETURNED and target == Status.AGREED:
        _on_counter_accepted(meeting=meeting, now=now)
    elif target == Status.HELD:
        _on_held(actor=actor, meeting=meeting, now=now)
    elif target == Status.REPORTED and not MeetingResult.objects.filter(meeting=meeting).exists():
        raise ApplicationError(MeetingError.RESULTS_MISSING)
    elif target == Status.POSTPONED:
        meeting.agreed_at = None
    if target == Status.AGREED:
        for kind in SupportItem.Kind.values:
            SupportItem.objects.get_or_create(meeting=meeting, kind=kind)


_DECISIONS = {Status.AGREED: AkimatAgreement.Decision.AGREE, Status.RETURNED: AkimatAgreement.Decision.COUNTER,
              Status.DECLINED: AkimatAgreement.Decision.DECLINE}


def _latest_round(meeting: Meeting) -> AkimatAgreement | None:
    return meeting.agreements.order_by("-round").first()


def _on_proposed(*, actor, meeting: Meeting, now: dt.datetime) -> None:
    """A new agreement round with the akimat of the meeting's region, for the place and time as they are."""
    _check_day(meeting)
    current = _latest_round(meeting)
    AkimatAgreement.objects.create(
        meeting=meeting, round=(current.round + 1) if current else 1, requested_at=now,
        requested_by=actor if getattr(actor, "pk", None) else None,
        requested_starts_at=meeting.starts_at, requested_venue=meeting.venue, region=meeting.region,
    )
    meeting.agreed_at = None


def _on_akimat_decision(*, actor, meeting: Meeting, target: str, comment: str, now: dt.datetime,
                        proposed_starts_at, proposed_venue: str) -> None:
    """The akimat agrees, counter-proposes or declines: the decision closes the current round."""
    current = _latest_round(meeting)
    if current is None:  # proposed outside this service (an import): open the round now
        current = AkimatAgreement.objects.create(meeting=meeting, round=1, requested_at=now,
                                                 requested_starts_at=meeting.starts_at,
                                                 requested_venue=meeting.venue, region=meeting.region)
    if target == Status.RETURNED:
        new_start = proposed_starts_at or meeting.starts_at
        new_venue = proposed_venue or meeting.venue
        if new_start == meeting.starts_at and new_venue == meeting.venue:
            raise ApplicationError(MeetingError.COUNTER_NEEDS_CHANGE)
        current.proposed_starts_at, current.proposed_venue = new_start, new_venue
    current.decision, current.comment = _DECISIONS[target], comment
    current.decided_by, current.decided_at = (actor if getattr(actor, "pk", None) else None), now
    current.save()
    if target == Status.AGREED:
        meeting.agreed_at = now


def _on_counter_accepted(*, meeting: Meeting, now: dt.datetime) -> None:
    """The body accepts what the akimat of this region proposed, never a change of its own."""
    current = _latest_round(meeting)
    if (current is None or current.decision != AkimatAgreement.Decision.COUNTER
            or (current.region_id is not None and current.region_id != meeting.region_id)
            or current.requested_venue != meeting.venue
            or current.requested_starts_at != meeting.starts_at):
        raise ApplicationError(MeetingError.COUNTER_SUPERSEDED)
    meeting.starts_at = current.proposed_starts_at or meeting.starts_at
    meeting.venue = current.proposed_venue or meeting.venue
    _check_day(meeting)
    meeting.agreed_at = now


def _on_held(*, actor, meeting: Meeting, now: dt.datetime) -> None:
    """Who held it is judged on the day and frozen, so a later edit of a Head row changes nothing."""
    if now < meeting.starts_at:
        raise ApplicationError(MeetingError.NOT_STARTED)
    meeting.held_at = meeting.starts_at
    day = local_day(meeting.starts_at)
    meeting.freeze_standing(day)
    for cohost in meeting.cohosts.select_related("head"):
        before = snapshot(cohost)
        cohost.freeze_standing(day)
        cohost.save()
        audit_record(actor=actor, action="meeting.cohost_held", obj=cohost, before=before, after=snapshot(cohost))


_NOTICES = {
    Status.PROPOSED: ("akimat", _("A meeting is proposed in your region")),
    Status.AGREED: ("body", _("The akimat agreed the meeting")),
    Status.RETURNED: ("body", _("The akimat proposed another date or venue")),
    Status.DECLINED: ("body", _("The akimat declined the meeting")),
    Status.ANNOUNCED: ("both", _("The meeting is announced")),
    Status.POSTPONED: ("both", _("The meeting is postponed")),
    Status.CANCELLED: ("both", _("The meeting is cancelled")),
    Status.HELD: ("akimat", _("The meeting was held")),
}


def _announce(*, meeting: Meeting, target: str, comment: str) -> None:
    who, subject = _NOTICES.get(target, (None, None))
    if who is None:
        return
    users = []
    if who in ("akimat", "both"):
        users += coordinators(region_id=meeting.region_id)
    if who in ("body", "both"):
        users += coordinators(body_id=meeting.body_id)
    notify(users=users, key=f"meeting:{meeting.pk}:v{meeting.version}:{target}", subject=subject,
           body=per_reader(lambda: f"{meeting}\n{comment}".strip()), url=reverse("meetings:detail", args=[meeting.pk]))


def _support_lock(*, actor: Actor, item: SupportItem, expected_version: int | None) -> SupportItem:
    if not can(actor, "meeting.support"):
        raise ApplicationError(MeetingError.ROLE_CANNOT, target=item.get_kind_display())
    _require_scope(actor, item.meeting)
    item = SupportItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
    if expected_version is not None and item.version != expected_version:
        raise ApplicationError(MeetingError.CONFLICT)
    return item


def _support_save(*, actor: Actor, item: SupportItem, before: dict, action: str) -> SupportItem:
    item.version += 1
    item.full_clean()
    item.save()
    audit_record(actor=actor, action=action, obj=item, before=before, after=snapshot(item))
    return item


@transaction.atomic
def support_item_set(*, actor: Actor, item: SupportItem, done: bool, owner: str | None = None,
                     note: str | None = None, expected_version: int | None = None) -> SupportItem:
    """Tick (or untick) an item of the akimat's support checklist, recording who and when; returns it.

    `expected_version` is the version the user saw; a newer one raises CONFLICT (409) and changes nothing.
    """
    item = _support_lock(actor=actor, item=item, expected_version=expected_version)
    before = snapshot(item)
    item.done = done
    item.done_at = timezone.now() if done else None
    item.done_by = actor if done else None
    if owner is not None:
        item.owner = owner
    if note is not None:
        item.note = note
    return _support_save(actor=actor, item=item, before=before, action="support.set")


@transaction.atomic
def support_item_assign(*, actor, item: SupportItem, owner: str, expected_version: int | None = None
                        ) -> SupportItem:
    """Name who is responsible for an item of the support checklist without ticking it; returns it.

    Whether the item is done, and who ticked it when, stay as they were. A newer version than
    `expected_version` raises CONFLICT (409) and changes nothing.
    """
    item = _support_lock(actor=actor, item=item, expected_version=expected_version)
    before = snapshot(item)
    item.owner = owner.strip()
    return _support_save(actor=actor, item=item, before=before, action="support.assign")


@transaction.atomic
def meeting_record_results(*, actor: Actor, meeting: Meeting, attendance: int, speakers: int = 0, summary: str = "",
                           media_links: list[str] | None = None, online_viewers: int | None = None,
                           expected_version: int | None = None) -> MeetingResult:
    """Record (or correct) the results of a held meeting; returns them.

    `expected_version` is the version of the results the user saw, 0 when none were recorded; if
    someone saved results since, raises CONFLICT (409) and changes nothing.
    """
    if not can(actor, "meeting.results"):
        raise ApplicationError(MeetingError.ROLE_CANNOT, target=Status.REPORTED.label)
    _require_scope(actor, meeting)
    meeting = _lock(meeting, None)  # serialises the first recording too, when there is no results row yet
    if meeting.status not in Status.HELD_STATES:
        raise ApplicationError(MeetingError.NOT_HELD)
    result = MeetingResult.objects.select_for_update().filter(meeting=meeting).first()
    if expected_version is not None and (result.version if result else 0) != expected_version:
        raise ApplicationError(MeetingError.CONFLICT)
    before = snapshot(result) if result else None
    if result is not None:
        result.version += 1
    result = result or MeetingResult(meeting=meeting)
    result.attendance, result.speakers, result.summary = attendance, speakers, summary
    result.media_links, result.online_viewers, result.recorded_by = media_links or [], online_viewers, actor
    result.full_clean()
    result.save()
    audit_record(actor=actor, action="meeting.results", obj=result, before=before, after=snapshot(result))
    return result


@transaction.atomic
def commitment_create(*, actor: Actor, meeting: Meeting, text: str, deadline: dt.date, responsible_body=None,
                      responsible_region=None) -> Commitment:
    """Record a promise made at a held meeting; returns it."""
    if not can(actor, "meeting.results"):
        raise ApplicationError(MeetingError.ROLE_CANNOT, target=Status.REPORTED.label)
    _require_scope(actor, meeting)
    if meeting.status not in Status.HELD_STATES:
        raise ApplicationError(MeetingError.NOT_HELD)
    if responsible_body is None and responsible_region is None:
        raise ApplicationError(MeetingError.NEEDS_RESPONSIBLE)
    commitment = Commitment(meeting=meeting, text=text, deadline=deadline, responsible_body=responsible_body,
                            responsible_region=responsible_region)
    commitment.full_clean()
    commitment.save()
    audit_record(actor=actor, action="commitment.create", obj=commitment, before=None, after=snapshot(commitment))
    return commitment


@transaction.atomic
def commitment_update(*, actor: Actor, commitment: Commitment, expected_version: int, progress: int,
                      status: str | None = None, evidence: str | None = None) -> Commitment:
    """Report progress on a commitment (the responsible body or akimat, or the meeting's body)."""
    if not can(actor, "commitment.update"):
        raise ApplicationError(MeetingError.ROLE_CANNOT, target=Commitment.Status.DONE.label)
    commitment = Commitment.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=commitment.pk)
    # Seeing is not acting: an akimat sees a ministry's commitment in its region but may not close it.
    if not can_act_for(actor, "commitment.update",
                       bodies=(commitment.responsible_body_id, commitment.meeting.body_id),
                       regions=(commitment.responsible_region_id,)):
        raise ApplicationError(MeetingError.NOT_YOURS)
    if commitment.version != expected_version:
        raise ApplicationError(MeetingError.CONFLICT)
    status = status or (Commitment.Status.DONE if progress == 100 else Commitment.Status.IN_PROGRESS)
    if not 0 <= progress <= 100 or (status == Commitment.Status.DONE and progress != 100):
        raise ApplicationError(MeetingError.BAD_PROGRESS)
    before = snapshot(commitment)
    commitment.progress, commitment.status = progress, status
    if evidence is not None:
        commitment.evidence = evidence
    commitment.closed_at = timezone.now() if status in (Commitment.Status.DONE, Commitment.Status.CANCELLED) else None
    commitment.version += 1
    commitment.save()
    audit_record(actor=actor, action="commitment.update", obj=commitment, before=before, after=snapshot(commitment))
    if commitment.meeting.status in Status.PUBLIC_STATES:
        followed_change.send(sender=Commitment, kind="commitment", pk=commitment.pk)
    return commitment


@transaction.atomic
def meeting_draft_from_plan(*, actor: Actor, body, region, day: dt.date, rationale: dict) -> Meeting:
    """A draft meeting for an item of the approved half-year plan (clause 3.1); the body's coordinator
    then sets the venue and time and proposes it to the akimat."""
    if not can(actor, "plan.approve"):
        raise ApplicationError(MeetingError.ROLE_CANNOT, target=Status.DRAFT.label)
    _check_body(body=body, day=day)
    # The first head in office on the day (a confirmed one before an acting one); failing that, the
    # latest, whom the coordinator replaces before proposing (proposing checks the day again).
    in_office = body.heads.filter(is_first_head=True, start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
    head = in_office.order_by("acting", "-start").first() \
        or body.heads.filter(is_first_head=True).order_by("-start").first()
    if head is None:
        raise ApplicationError(MeetingError.HEAD_OF_OTHER_BODY)
    starts_at = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 11), timezone.get_default_timezone())
    meeting = Meeting(body=body, head=head, region=region, settlement=region.centre_kk, venue="—",
                      starts_at=starts_at, kind=Meeting.Kind.SCHEDULED, rationale=rationale,
                      created_by=actor)
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, action="meeting.from_plan", obj=meeting, before=None, after=snapshot(meeting))
    return meeting
