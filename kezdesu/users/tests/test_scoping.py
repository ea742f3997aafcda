"""users/scoping.py: one rule for what a user reads and on whose behalf a user acts."""

import pytest

from kezdesu.core.actors import SYSTEM
from kezdesu.meetings.models import Meeting, MeetingCoHost
from kezdesu.meetings.services import in_scope
from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.registry.models import Body
from kezdesu.registry.tests.factories import BodyFactory, HeadFactory, RegionFactory
from kezdesu.users.models import Role
from kezdesu.users.scoping import acts_for, scope_bodies
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    ours, other, region, elsewhere = BodyFactory(), BodyFactory(), RegionFactory(), RegionFactory()
    return {
        "ours": ours, "other": other, "region": region, "elsewhere": elsewhere,
        "body": staff(Role.BODY_COORDINATOR, body=ours), "akimat": staff(Role.AKIMAT_COORDINATOR, region=region),
    }


@pytest.mark.parametrize(("role", "acts"), [
    (Role.AUTHORIZED_ADMIN, True), (Role.AUTHORIZED_ANALYST, False), (Role.GOVERNMENT_VIEWER, False),
    (Role.MODERATOR, False),
])
def test_who_acts_for_every_body_and_region(two, role, acts):
    assert acts_for(staff(role), bodies=[two["other"].pk], regions=[two["elsewhere"].pk]) is acts


def test_a_coordinator_acts_for_its_own_body_or_region_only(two):
    assert acts_for(two["body"], bodies=[two["ours"].pk]) and not acts_for(two["body"], bodies=[two["other"].pk])
    assert not acts_for(two["body"], regions=[two["region"].pk])
    assert acts_for(two["akimat"], regions=[None, two["region"].pk])
    assert not acts_for(two["akimat"], bodies=[two["ours"].pk], regions=[two["elsewhere"].pk])
    assert not acts_for(SYSTEM, bodies=[two["ours"].pk])
    with pytest.raises(TypeError):
        acts_for(None, bodies=[two["ours"].pk])


def test_a_co_host_reads_a_joint_meeting_but_does_not_run_it(two):
    meeting = MeetingFactory(body=two["other"], region=two["elsewhere"], status=Meeting.Status.AGREED)
    MeetingCoHost.objects.create(meeting=meeting, body=two["ours"], head=HeadFactory(body=two["ours"]))
    assert list(Meeting.objects.visible_to(two["body"])) == [meeting]
    assert not in_scope(two["body"], meeting)
    assert list(Meeting.objects.run_by(two["body"])) == []
    assert list(Meeting.objects.run_by(staff(Role.AKIMAT_COORDINATOR, region=two["elsewhere"]))) == [meeting]
    assert list(Meeting.objects.run_by(staff(Role.AUTHORIZED_ADMIN))) == [meeting]
    assert list(Meeting.objects.run_by(staff(Role.AUTHORIZED_ANALYST))) == []


def test_bodies_are_scoped_to_the_coordinators_own(two):
    every = set(Body.objects.values_list("pk", flat=True))
    assert set(scope_bodies(Body.objects.all(), two["body"]).values_list("pk", flat=True)) == {two["ours"].pk}
    for user in (two["akimat"], staff(Role.GOVERNMENT_VIEWER), SYSTEM):
        assert set(scope_bodies(Body.objects.all(), user).values_list("pk", flat=True)) == every
    assert not scope_bodies(Body.objects.all(), staff(Role.MODERATOR)).exists()
