"""Reads of citizens' questions for staff: every one starts from `Question.objects.visible_to(user)`."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from kezdesu.meetings.models import Meeting
from kezdesu.questions.models import Question
from kezdesu.users.roles import can

S = Question.Status
# The questions a body answers: published ones wait, answered and referred ones can still be resolved.
TO_ANSWER = (S.PUBLISHED,)
ANSWERED = (S.ANSWERED, S.REFERRED, S.RESOLVED)


def moderation_queue(user, *, meeting: Meeting | None = None) -> QuerySet[Question]:
    """Questions waiting for a moderator's decision, oldest first, within the user's scope (of one meeting
    when `meeting` is given). Empty for a user who may not moderate."""
    if not can(user, "question.moderate"):
        return Question.objects.none()
    queue = Question.objects.visible_to(user).filter(status=S.RECEIVED)
    if meeting is not None:
        queue = queue.filter(meeting=meeting)
    return queue.select_related("meeting__body", "meeting__region", "region", "sector").order_by("created_at", "id")


def moderation_count(user) -> int:
    """How many questions wait for a decision (0 for a user who may not moderate)."""
    return moderation_queue(user).count()


def moderation_meetings(user) -> QuerySet[Meeting]:
    """The meetings that have questions waiting for a moderator, with how many (`waiting`), soonest first."""
    return (Meeting.objects.filter(pk__in=moderation_queue(user).values("meeting")).select_related("body", "region")
            .annotate(waiting=Count("questions", filter=Q(questions__status=S.RECEIVED))).order_by("starts_at", "id"))


def _answerable(user) -> QuerySet[Question]:
    if not can(user, "question.answer"):
        return Question.objects.none()
    return Question.objects.visible_to(user).filter(meeting__isnull=False, status__in=(*TO_ANSWER, *ANSWERED))


def questions_to_answer(user, *, meeting: Meeting | None = None, answered: bool = False) -> QuerySet[Question]:
    """The public questions of the meetings the user's body answers for: waiting ones (the most supported by
    citizens first, then by the date of the meeting and of publication), or with `answered` those already
    answered or referred (latest first). Empty without `question.answer`."""
    questions = _answerable(user)
    if meeting is not None:
        questions = questions.filter(meeting=meeting)
    questions = questions.select_related("meeting__body", "meeting__region", "region", "sector", "referred_to")
    if answered:
        return questions.filter(status__in=ANSWERED).order_by("-answered_at", "-id")
    return questions.filter(status__in=TO_ANSWER).order_by("-support_count", "meeting__starts_at", "published_at", "id")


def answer_meetings(user) -> QuerySet[Meeting]:
    """The meetings of the user's body that have public questions, with how many wait (`waiting`)."""
    return (Meeting.objects.filter(pk__in=_answerable(user).values("meeting")).select_related("body", "region")
            .annotate(waiting=Count("questions", filter=Q(questions__status__in=TO_ANSWER)))
            .order_by("-starts_at", "id"))


def question_to_answer(user, pk: int) -> Question | None:
    """One question the user's body may answer, or None (another body's question is not found)."""
    return (_answerable(user).select_related("meeting__body", "meeting__region", "region", "sector", "referred_to")
            .filter(pk=pk).first())


def question_to_moderate(user, pk: int) -> Question | None:
    """One question waiting for the moderator, or None."""
    return moderation_queue(user).filter(pk=pk).first()
