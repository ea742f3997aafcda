"""Role × meeting × read/write: nobody reads or writes outside their scope."""

import pytest

from kezdesu.core.errors import ApplicationError
from kezdesu.meetings.models import Commitment, Meeting
from kezdesu.meetings.services import meeting_transition
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory
from kezdesu.questions.models import Question
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.models import Body, Region
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(reference):
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    turkistan, abai = Region.objects.get(slug="turkistan"), Region.objects.get(slug="abai")
    meetings = {
        "health-turkistan": MeetingFactory(body=health, region=turkistan, status="proposed"),
        "health-draft": MeetingFactory(body=health, region=turkistan, status="draft"),
        "energy-abai": MeetingFactory(body=energy, region=abai, status="proposed"),
    }
    for m in meetings.values():
        CommitmentFactory(meeting=m)
        QuestionFactory(meeting=m, region=m.region)
    users = {
        Role.AUTHORIZED_ADMIN: staff(Role.AUTHORIZED_ADMIN),
        Role.AUTHORIZED_ANALYST: staff(Role.AUTHORIZED_ANALYST),
        Role.GOVERNMENT_VIEWER: staff(Role.GOVERNMENT_VIEWER),
        Role.MODERATOR: staff(Role.MODERATOR),
        Role.BODY_COORDINATOR: staff(Role.BODY_COORDINATOR, body=health),
        Role.AKIMAT_COORDINATOR: staff(Role.AKIMAT_COORDINATOR, region=turkistan),
    }
    return meetings, users


EXPECTED_MEETINGS = {
    Role.AUTHORIZED_ADMIN: {"health-turkistan", "health-draft", "energy-abai"},
    Role.AUTHORIZED_ANALYST: {"health-turkistan", "health-draft", "energy-abai"},
    Role.GOVERNMENT_VIEWER: {"health-turkistan", "health-draft", "energy-abai"},
    Role.MODERATOR: set(),
    Role.BODY_COORDINATOR: {"health-turkistan", "health-draft"},
    Role.AKIMAT_COORDINATOR: {"health-turkistan"},
}


@pytest.mark.parametrize("role", Role.values)
def test_meetings_commitments_and_questions_read_scope(setup, role):
    meetings, users = setup
    user = users[role]
    names = {name for name, m in meetings.items() if Meeting.objects.visible_to(user).filter(pk=m.pk).exists()}
    assert names == EXPECTED_MEETINGS[role]
    commitment_meetings = {name for name, m in meetings.items()
                           if Commitment.objects.visible_to(user).filter(meeting=m).exists()}
    assert commitment_meetings == EXPECTED_COMMITMENTS[role]
    question_meetings = {name for name, m in meetings.items()
                         if Question.objects.visible_to(user).filter(meeting=m).exists()}
    assert question_meetings == EXPECTED_QUESTIONS[role]


ALL = {"health-turkistan", "health-draft", "energy-abai"}
HEALTH_IN_TURKISTAN = {"health-turkistan", "health-draft"}
# An akimat reads the commitments and questions of its region, drafts included (unlike the meetings).
EXPECTED_COMMITMENTS = {
    Role.AUTHORIZED_ADMIN: ALL, Role.AUTHORIZED_ANALYST: ALL, Role.GOVERNMENT_VIEWER: ALL, Role.MODERATOR: set(),
    Role.BODY_COORDINATOR: HEALTH_IN_TURKISTAN, Role.AKIMAT_COORDINATOR: HEALTH_IN_TURKISTAN,
}
EXPECTED_QUESTIONS = {**EXPECTED_COMMITMENTS, Role.MODERATOR: ALL}


@pytest.mark.parametrize("role", Role.values)
def test_agreeing_is_only_for_the_regions_akimat(setup, role):
    meetings, users = setup
    for name, meeting in meetings.items():
        if meeting.status != "proposed":
            continue
        allowed = role == Role.AKIMAT_COORDINATOR and name == "health-turkistan"
        try:
            meeting_transition(actor=users[role], meeting=meeting, target="agreed", expected_version=meeting.version)
        except ApplicationError as err:
            assert not allowed, err
            meeting.refresh_from_db()
            assert meeting.status == "proposed"
        else:
            assert allowed
