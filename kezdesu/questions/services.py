"""Writes to citizens' questions; status changes follow one table."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.errors import ApplicationError
from kezdesu.meetings.models import Meeting
from kezdesu.questions.errors import QuestionError
from kezdesu.questions.models import Question
from kezdesu.users.roles import can

S = Question.Status
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.RECEIVED, S.PUBLISHED): "question.moderate",
    (S.RECEIVED, S.REJECTED): "question.moderate",
    (S.PUBLISHED, S.ANSWERED): "question.answer",
    (S.PUBLISHED, S.REFERRED): "question.answer",
    (S.ANSWERED, S.RESOLVED): "question.answer",
    (S.REFERRED, S.RESOLVED): "question.answer",
}


@transaction.atomic
def question_raise_at_meeting(*, actor, meeting: Meeting, text: str, sector=None, handling: str,
                              answer: str = "") -> Question:
    """Record a question raised at a held meeting (published at once: it was asked in public)."""
    if not can(actor, "meeting.results"):
        raise ApplicationError(QuestionError.ROLE_CANNOT, status=403)
    if not Meeting.objects.visible_to(actor).filter(pk=meeting.pk).exists() \
            or actor.membership.body_id != meeting.body_id:
        raise ApplicationError(QuestionError.NOT_YOURS, status=403)
    if meeting.status not in (Meeting.Status.HELD, Meeting.Status.REPORTED):
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


@transaction.atomic
def question_transition(*, actor, question: Question, target: str, reason: str = "", answer: str = "",
                        referred_to=None) -> Question:
    """Moderate or answer a question; returns it. Raises ApplicationError when not allowed."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    capability = TRANSITIONS.get((question.status, target))
    if capability is None:
        raise ApplicationError(QuestionError.ILLEGAL_TRANSITION, source=S(question.status).label,
                               target=S(target).label if target in S.values else target)
    if not can(actor, capability) or not Question.objects.visible_to(actor).filter(pk=question.pk).exists():
        raise ApplicationError(QuestionError.NOT_YOURS, status=403)
    before = snapshot(question)
    now = timezone.now()
    if target == S.REJECTED:
        if not reason.strip():
            raise ApplicationError(QuestionError.REASON_REQUIRED)
        question.rejection_reason = reason.strip()
    elif target == S.PUBLISHED:
        question.published_at = now
    elif target in (S.ANSWERED, S.REFERRED, S.RESOLVED):
        if target != S.RESOLVED and not answer.strip():
            raise ApplicationError(QuestionError.EMPTY_ANSWER)
        if answer.strip():
            question.answer = answer.strip()
            question.answered_at, question.answered_by = now, actor
        if target == S.REFERRED:
            question.referred_to = referred_to
    question.status = target
    question.save()
    audit_record(actor=actor, action=f"question.{target}", obj=question, before=before, after=snapshot(question),
                 comment=reason)
    return question
