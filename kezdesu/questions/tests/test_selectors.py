"""Staff reads of questions start from the user's scope: the queue, the count, a body's questions."""

import pytest

from kezdesu.questions import selectors
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_queue_and_count_are_for_moderators_only():
    waiting = QuestionFactory()
    QuestionFactory(status="published")
    moderator = staff(Role.MODERATOR)
    assert list(selectors.moderation_queue(moderator)) == [waiting] and selectors.moderation_count(moderator) == 1
    assert [(m, m.waiting) for m in selectors.moderation_meetings(moderator)] == [(waiting.meeting, 1)]
    coordinator = staff(Role.BODY_COORDINATOR, body=waiting.meeting.body)
    assert selectors.moderation_count(coordinator) == 0 and selectors.question_to_moderate(coordinator,
                                                                                           waiting.pk) is None


def test_a_body_answers_the_public_questions_of_its_own_meetings():
    own = QuestionFactory(status="published", meeting__status="held")
    done = QuestionFactory(meeting=own.meeting, status="answered", answer="Жауап")
    QuestionFactory(meeting=own.meeting)  # still with the moderator
    other = QuestionFactory(status="published")
    coordinator = staff(Role.BODY_COORDINATOR, body=own.meeting.body)
    assert list(selectors.questions_to_answer(coordinator)) == [own]
    assert list(selectors.questions_to_answer(coordinator, answered=True)) == [done]
    assert [(m, m.waiting) for m in selectors.answer_meetings(coordinator)] == [(own.meeting, 1)]
    assert selectors.question_to_answer(coordinator, own.pk) == own
    assert selectors.question_to_answer(coordinator, other.pk) is None
    analyst = staff(Role.AUTHORIZED_ANALYST)  # sees every question but answers none
    assert not selectors.questions_to_answer(analyst).exists() and selectors.question_to_answer(analyst, own.pk) is None
