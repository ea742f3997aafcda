"""Issue: seeing is not acting. Who may report progress on a commitment is decided by the write rule
("the responsible body or akimat, or the meeting's body"), not by who can read it."""

import pytest

from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.core.responses import http_status
from kezdesu.meetings.models import Commitment
from kezdesu.meetings.services import commitment_update
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory
from kezdesu.registry.models import Body, Region
from kezdesu.users.models import Role
from kezdesu.users.roles import can_act_for
from kezdesu.users.scoping import acts_for, scope
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def promise(reference):
    """A Ministry of Health meeting in Turkistan; one commitment of the ministry, one of the akimat."""
    health, turkistan = Body.objects.get(slug="health"), Region.objects.get(slug="turkistan")
    meeting = MeetingFactory(body=health, region=turkistan, status="reported")
    return {
        "ministry": CommitmentFactory(meeting=meeting, responsible_body=health),
        "akimat": CommitmentFactory(meeting=meeting, responsible_body=None, responsible_region=turkistan),
        "for_energy": CommitmentFactory(meeting=meeting, responsible_body=Body.objects.get(slug="energy")),
        "health": health, "turkistan": turkistan,
    }


def close(actor, commitment):
    return commitment_update(actor=actor, commitment=commitment, expected_version=commitment.version, progress=100)


def test_the_regions_akimat_sees_the_ministrys_commitment_but_cannot_close_it(promise, client):
    akimat = staff(Role.AKIMAT_COORDINATOR, region=promise["turkistan"])
    ministry = promise["ministry"]
    assert Commitment.objects.visible_to(akimat).filter(pk=ministry.pk).exists()
    with pytest.raises(ApplicationError) as err:
        close(akimat, ministry)
    assert err.value.code == "not_yours" and http_status(err.value) == 403
    client.force_login(akimat)
    response = client.post(f"/staff/meetings/{ministry.meeting_id}/commitments/{ministry.pk}/",
                           {"version": ministry.version, "progress": 100, "status": "done", "evidence": ""})
    assert response.status_code in (302, 403)
    ministry.refresh_from_db()
    assert (ministry.status, ministry.progress) == ("open", 0)


def test_the_akimat_closes_its_own_commitment(promise):
    done = close(staff(Role.AKIMAT_COORDINATOR, region=promise["turkistan"]), promise["akimat"])
    assert (done.status, done.progress) == ("done", 100)


def test_the_meetings_body_and_the_responsible_body_may_act(promise):
    energy = staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="energy"))
    assert close(energy, promise["for_energy"]).status == "done"
    assert close(staff(Role.BODY_COORDINATOR, body=promise["health"]), promise["ministry"]).status == "done"
    with pytest.raises(ApplicationError) as err:
        close(energy, promise["akimat"])
    assert err.value.code == "not_yours"


def test_another_regions_akimat_and_roles_without_the_capability_cannot(promise):
    for user, code in ((staff(Role.AKIMAT_COORDINATOR, region=Region.objects.get(slug="abai")), "not_yours"),
                       (staff(Role.AUTHORIZED_ADMIN), "role_cannot"), (staff(Role.GOVERNMENT_VIEWER), "role_cannot")):
        with pytest.raises(ApplicationError) as err:
            close(user, promise["akimat"])
        assert err.value.code == code, user.role


def test_no_user_is_not_the_system(promise):
    with pytest.raises(TypeError):
        scope(Commitment.objects.all(), None)
    with pytest.raises(TypeError):
        acts_for(None, bodies=[promise["health"].pk])
    assert not can_act_for(SYSTEM, "commitment.update", bodies=[promise["health"].pk])
    assert scope(Commitment.objects.all(), SYSTEM).count() == 3
