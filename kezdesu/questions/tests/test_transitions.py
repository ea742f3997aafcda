"""Questions move through the declared table of `core.transitions`: history, audit, version and refusals."""

import pytest

from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent
from kezdesu.core.responses import http_status
from kezdesu.core.transitions import transition
from kezdesu.questions.services import TRANSITIONS, question_transition
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_publishing_writes_history_audit_and_a_new_version():
    question, moderator = QuestionFactory(), staff(Role.MODERATOR)
    published = question_transition(actor=moderator, question=question, target="published", expected_version=1)
    assert (published.status, published.version) == ("published", 2)
    assert [(t.source, t.target, t.actor) for t in published.transitions.all()] == [
        ("received", "published", moderator)]
    event = AuditEvent.objects.get(action="question.published", object_id=str(question.pk))
    assert "author_contact" not in event.after and event.after["status"] == "published"


def test_a_stale_version_an_illegal_move_and_the_system_are_refused():
    question, moderator = QuestionFactory(), staff(Role.MODERATOR)
    with pytest.raises(ApplicationError) as err:
        question_transition(actor=moderator, question=question, target="published", expected_version=7)
    assert (err.value.code, http_status(err.value)) == ("conflict", 409)
    with pytest.raises(ApplicationError) as err:
        question_transition(actor=moderator, question=question, target="resolved")
    assert err.value.code == "illegal_transition"
    with pytest.raises(ApplicationError) as err:
        transition(obj=question, target="published", table=TRANSITIONS, actor=SYSTEM)
    assert (err.value.code, http_status(err.value)) == ("role_cannot", 403)
    with pytest.raises(TypeError):
        transition(obj=question, target="published", table=TRANSITIONS, actor=None)
    question.refresh_from_db()
    assert (question.status, question.version) == ("received", 1) and not question.transitions.exists()


def test_a_body_answers_only_its_own_meetings_questions(reference):
    from kezdesu.registry.models import Body

    question = QuestionFactory(meeting__status="held", status="published")
    other = staff(Role.BODY_COORDINATOR, body=Body.objects.exclude(pk=question.meeting.body_id).first())
    with pytest.raises(ApplicationError) as err:
        question_transition(actor=other, question=question, target="answered", answer="Келесі жылы")
    assert err.value.code == "not_yours"
    own = staff(Role.BODY_COORDINATOR, body=question.meeting.body)
    assert question_transition(actor=own, question=question, target="answered", answer="Келесі жылы").status == (
        "answered")
