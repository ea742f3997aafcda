"""Answering and moderating through the services: modes, referrals, redaction and bulk decisions."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent
from kezdesu.questions.errors import QuestionError
from kezdesu.questions.models import AnswerMode, Question
from kezdesu.questions.services import question_answer, question_transition, questions_moderate
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.tests.factories import BodyFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
ANSWER = "Су құбыры 2027 жылы тартылады."


def _published(meeting_status="held"):
    question = QuestionFactory(meeting__status=meeting_status, status=Question.Status.PUBLISHED)
    return question, staff(Role.BODY_COORDINATOR, body=question.meeting.body)


@pytest.mark.parametrize(("mode", "status", "handling"), [
    (AnswerMode.AT_MEETING, "answered", "on_the_spot"),
    (AnswerMode.IN_WRITING, "answered", "in_writing"),
])
def test_answer_modes(mode, status, handling):
    question, coordinator = _published()
    answered = question_answer(actor=coordinator, question=question, mode=mode, answer=ANSWER, expected_version=1)
    assert (answered.status, answered.handling, answered.answer) == (status, handling, ANSWER)
    assert answered.answered_by == coordinator and answered.answered_at is not None and answered.version == 2
    assert [(t.source, t.target) for t in answered.transitions.all()] == [("published", status)]
    event = AuditEvent.objects.get(action=f"question.{status}", object_id=str(question.pk))
    assert event.actor == coordinator and event.after["handling"] == handling
    assert "author_contact" not in event.after


def test_referral_names_the_body():
    question, coordinator = _published()
    other = BodyFactory()
    referred = question_answer(actor=coordinator, question=question, mode=AnswerMode.REFERRED, answer=ANSWER,
                               referred_to=other)
    assert (referred.status, referred.referred_to, referred.handling) == ("referred", other, "")


@pytest.mark.parametrize(("mode", "kwargs", "code"), [
    (AnswerMode.REFERRED, {}, QuestionError.REFERRAL_BODY_REQUIRED),
    (AnswerMode.REFERRED, {"referred_to": "own"}, QuestionError.REFERRAL_TO_ITSELF),
    (AnswerMode.IN_WRITING, {"answer": "  "}, QuestionError.EMPTY_ANSWER),
    ("by_pigeon", {}, QuestionError.BAD_ANSWER_MODE),
])
def test_answer_refusals(mode, kwargs, code):
    question, coordinator = _published()
    if kwargs.get("referred_to") == "own":
        kwargs["referred_to"] = question.meeting.body
    with pytest.raises(ApplicationError) as err:
        question_answer(actor=coordinator, question=question, mode=mode, **{"answer": ANSWER, **kwargs})
    assert err.value.code == code
    question.refresh_from_db()
    assert (question.status, question.answer) == ("published", "")


def test_answer_at_the_meeting_waits_until_it_is_held_but_writing_does_not():
    question, coordinator = _published(meeting_status="announced")
    with pytest.raises(ApplicationError) as err:
        question_answer(actor=coordinator, question=question, mode=AnswerMode.AT_MEETING, answer=ANSWER)
    assert err.value.code == QuestionError.MEETING_NOT_HELD
    assert question_answer(actor=coordinator, question=question, mode=AnswerMode.IN_WRITING,
                           answer=ANSWER).status == "answered"


def test_another_body_and_a_moderator_cannot_answer():
    question, _own = _published()
    for actor in (staff(Role.BODY_COORDINATOR, body=BodyFactory()), staff(Role.MODERATOR)):
        with pytest.raises(ApplicationError) as err:
            question_answer(actor=actor, question=question, mode=AnswerMode.IN_WRITING, answer=ANSWER)
        assert err.value.code == QuestionError.NOT_YOURS
    question.refresh_from_db()
    assert question.status == "published"


def test_redact_then_publish_keeps_the_original_in_the_audit_only():
    original = "Көршім Асан Серікұлы +7 701 555 12 34 суды ұрлап жатыр, қашан тексересіздер?"
    question, moderator = QuestionFactory(text=original), staff(Role.MODERATOR)
    redacted = "Көршім суды ұрлап жатыр, қашан тексересіздер?"
    published = question_transition(actor=moderator, question=question, target="published", text=redacted)
    assert (published.status, published.text) == ("published", redacted)
    assert not Question.objects.filter(text__contains="555 12 34").exists()
    event = AuditEvent.objects.get(action="question.published", object_id=str(question.pk))
    assert event.before["text"] == original and event.after["text"] == redacted


def test_redaction_must_leave_a_question():
    question, moderator = QuestionFactory(), staff(Role.MODERATOR)
    with pytest.raises(ApplicationError) as err:
        question_transition(actor=moderator, question=question, target="published", text="Су?")
    assert err.value.code == QuestionError.TEXT_LENGTH
    question.refresh_from_db()
    assert question.status == "received"


def test_bulk_moderation_is_all_or_nothing():
    moderator = staff(Role.MODERATOR)
    first, second = QuestionFactory(), QuestionFactory()
    moved = questions_moderate(actor=moderator, questions=[first, second], target="rejected", reason="Спам")
    assert [q.status for q in moved] == ["rejected", "rejected"]
    assert set(Question.objects.values_list("rejection_reason", flat=True)) == {"Спам"}
    third, fourth = QuestionFactory(), QuestionFactory(status="published")
    with pytest.raises(ApplicationError) as err:
        questions_moderate(actor=moderator, questions=[third, fourth], target="published")
    assert err.value.code == QuestionError.ILLEGAL_TRANSITION
    third.refresh_from_db()
    assert third.status == "received" and not third.transitions.exists()
    with pytest.raises(ApplicationError) as err:
        questions_moderate(actor=moderator, questions=[third], target="answered")
    assert err.value.code == QuestionError.ILLEGAL_TRANSITION


def test_an_author_with_an_e_mail_is_told_in_the_language_of_the_question(django_capture_on_commit_callbacks):
    question, coordinator = _published()
    question.author_contact, question.language = "dana@example.kz", "ru"
    question.save()
    by_phone = QuestionFactory(meeting=question.meeting, status=Question.Status.PUBLISHED)  # +7 701 …
    with django_capture_on_commit_callbacks(execute=True):
        question_answer(actor=coordinator, question=question, mode=AnswerMode.IN_WRITING, answer=ANSWER)
        question_answer(actor=coordinator, question=by_phone, mode=AnswerMode.IN_WRITING, answer=ANSWER)
    assert [m.to for m in mail.outbox] == [["dana@example.kz"]]
    message = mail.outbox[0]
    assert question.tracking_code in message.subject and "ответ" in message.subject.lower()
    with translation.override("ru"):  # the link opens the tracking page in the question's language
        track = reverse("portal:track", args=[question.tracking_code])
    assert track.startswith("/ru/") and track in message.body and ANSWER not in message.body
