"""Writes to citizens' questions; status changes follow one table."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kezdesu.core import limits
from kezdesu.core.actors import Actor
from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.errors import ApplicationError
from kezdesu.core.transitions import Move, transition
from kezdesu.meetings.models import Meeting
from kezdesu.questions.errors import QuestionError
from kezdesu.questions.intake import normalise_contact, throttle_allows
from kezdesu.questions.models import Question
from kezdesu.registry.models import Region, Sector
from kezdesu.users.roles import can, can_act_for

S = Question.Status
TRANSITIONS = {
    (S.RECEIVED, S.PUBLISHED): Move("question.moderate"),
    (S.RECEIVED, S.REJECTED): Move("question.moderate", reason_required=True),
    (S.PUBLISHED, S.ANSWERED): Move("question.answer"),
    (S.PUBLISHED, S.REFERRED): Move("question.answer"),
    (S.ANSWERED, S.RESOLVED): Move("question.answer"),
    (S.REFERRED, S.RESOLVED): Move("question.answer"),
}

TEXT_MIN, TEXT_MAX = 10, limits.QUESTION
# At most this many questions per client (salted IP hash) per hour, from the portal and the API together.
QUESTIONS_PER_HOUR = 5
# Fields that identify the author stay out of the audit trail as well as out of public pages.
PRIVATE_FIELDS = ("created_at", "updated_at", "author_name", "author_contact")
LANGUAGES = ("kk", "ru", "en")


def questions_open(meeting: Meeting, *, now: dt.datetime) -> bool:
    """Return whether citizens may still send questions to `meeting` in advance."""
    return meeting.status == Meeting.Status.ANNOUNCED and meeting.starts_at > now


@transaction.atomic
def question_submit(*, meeting: Meeting, text: str, client_ip: str, region: Region | None = None,
                    sector: Sector | None = None, author_name: str = "", author_contact: str = "",
                    language: str = "kk", honeypot: str = "", now: dt.datetime | None = None) -> Question:
    """A citizen asks a question in advance of an announced meeting; returns it with status received.

    The name and contact are stored for staff only. Raises ApplicationError (QuestionError) when the
    meeting is not open for questions, the text or contact is unusable, the honeypot field is filled
    or the client has sent more than QUESTIONS_PER_HOUR questions in the last hour (status 429).
    """
    now = now or timezone.now()
    if honeypot.strip():
        raise ApplicationError(QuestionError.SPAM)
    if not questions_open(meeting, now=now):
        raise ApplicationError(QuestionError.MEETING_NOT_OPEN)
    text = (text or "").strip()
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        raise ApplicationError(QuestionError.TEXT_LENGTH, min=TEXT_MIN, max=TEXT_MAX)
    contact = normalise_contact(author_contact)
    if contact is None:
        raise ApplicationError(QuestionError.BAD_CONTACT)
    if not throttle_allows(scope="question", client_ip=client_ip, limit=QUESTIONS_PER_HOUR):
        raise ApplicationError(QuestionError.TOO_MANY)
    question = Question(
        meeting=meeting, region=region or meeting.region, sector=sector, origin=Question.Origin.PORTAL, text=text,
        language=language[:2] if language[:2] in LANGUAGES else "kk",
        author_name=" ".join(author_name.split())[:200], author_contact=contact[:200], status=S.RECEIVED,
    )
    question.full_clean()
    question.save()
    audit_record(actor="citizen", action="question.submit", obj=question, before=None,
                 after=snapshot(question, exclude=PRIVATE_FIELDS))
    return question


@transaction.atomic
def question_raise_at_meeting(*, actor: Actor, meeting: Meeting, text: str, sector=None, handling: str,
                              answer: str = "") -> Question:
    """Record a question raised at a held meeting (published at once: it was asked in public)."""
    if not can(actor, "meeting.results"):
        raise ApplicationError(QuestionError.ROLE_CANNOT)
    if not Meeting.objects.visible_to(actor).filter(pk=meeting.pk).exists() \
            or actor.membership.body_id != meeting.body_id:
        raise ApplicationError(QuestionError.NOT_YOURS)
    if meeting.status not in Meeting.Status.HELD_STATES:
        raise ApplicationError(QuestionError.MEETING_NOT_HELD)
    now = timezone.now()
    answered = handling == Question.Handling.ON_THE_SPOT
    question = Question(
        meeting=meeting, region=meeting.region, sector=sector, origin=Question.Origin.MEETING, text=text,
        handling=handling, answer=answer, status=S.ANSWERED if answered else S.PUBLISHED, published_at=now,
        answered_at=now if answered else None, answered_by=actor if answered else None,
    )
    question.full_clean()
    question.save()
    audit_record(actor=actor, action="question.raise", obj=question, before=None, after=snapshot(question))
    return question


def _may(actor: Actor, capability: str, question: Question) -> bool:
    """Moderators act on every question; a body answers the questions of its own meetings."""
    if capability == "question.moderate":
        return can(actor, capability)
    return can_act_for(actor, capability, bodies=(question.meeting.body_id if question.meeting_id else None,))


@transaction.atomic
def question_transition(*, actor: Actor, question: Question, target: str, reason: str = "", answer: str = "",
                        referred_to=None, expected_version: int | None = None) -> Question:
    """Moderate or answer a question; returns it. Raises ApplicationError when not allowed."""
    question = Question.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=question.pk)
    move = TRANSITIONS.get((question.status, target))
    if move is None:
        raise ApplicationError(QuestionError.ILLEGAL_TRANSITION, source=S(question.status).label,
                               target=S(target).label if target in S.values else target)
    if not _may(actor, move.capability, question):
        raise ApplicationError(QuestionError.NOT_YOURS)
    now = timezone.now()
    changes: dict = {}
    if target == S.REJECTED:
        if not reason.strip():
            raise ApplicationError(QuestionError.REASON_REQUIRED)
        changes["rejection_reason"] = reason.strip()
    elif target == S.PUBLISHED:
        changes["published_at"] = now
    elif target in (S.ANSWERED, S.REFERRED, S.RESOLVED):
        if target != S.RESOLVED and not answer.strip():
            raise ApplicationError(QuestionError.EMPTY_ANSWER)
        if answer.strip():
            changes.update(answer=answer.strip(), answered_at=now, answered_by=actor)
        if target == S.REFERRED:
            changes["referred_to"] = referred_to
    return transition(obj=question, target=target, table=TRANSITIONS, actor=actor, comment=reason,
                      expected_version=expected_version, changes=changes, at=now, action=f"question.{target}",
                      exclude=PRIVATE_FIELDS)
