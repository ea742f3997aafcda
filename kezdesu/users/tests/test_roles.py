"""The role matrix: every role × every staff resource × read/write, through HTTP."""

import pytest
from django.db import IntegrityError, transaction

from kezdesu.registry.models import Body, Region
from kezdesu.users.models import Membership, Role
from kezdesu.users.roles import CAPABILITIES, can
from kezdesu.users.tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db

PAGES = {"registry.view": "/staff/registry/", "audit.view": "/staff/audit/"}


@pytest.fixture
def users(reference):
    health = Body.objects.get(slug="health")
    turkistan = Region.objects.get(slug="turkistan")
    return {
        role: staff(role, body=health if role == Role.BODY_COORDINATOR else None,
                    region=turkistan if role == Role.AKIMAT_COORDINATOR else None)
        for role in Role.values
    }


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("capability", sorted(PAGES))
def test_staff_pages_follow_the_capability_table(client, users, role, capability):
    client.force_login(users[role])
    response = client.get(PAGES[capability])
    expected = 200 if role in CAPABILITIES[capability] else 403
    assert response.status_code == expected


@pytest.mark.parametrize("path", [*PAGES.values(), "/staff/"])
def test_anonymous_is_sent_to_login(client, path, reference):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", Role.values)
def test_only_superusers_reach_the_reference_admin(client, users, role):
    client.force_login(users[role])
    response = client.post("/admin/registry/region/add/", {"slug": "x"})
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert not Region.objects.filter(slug="x").exists()


def test_user_without_membership_has_no_capability(reference):
    user = UserFactory()
    assert not any(can(user, cap) for cap in CAPABILITIES)


def test_unknown_capability_is_refused(users):
    assert can(users[Role.AUTHORIZED_ADMIN], "nonexistent.thing") is False


@pytest.mark.parametrize(("role", "body", "region"), [
    (Role.BODY_COORDINATOR, False, False),
    (Role.BODY_COORDINATOR, True, True),
    (Role.AKIMAT_COORDINATOR, False, False),
    (Role.AKIMAT_COORDINATOR, True, False),
    (Role.AUTHORIZED_ANALYST, True, False),
    (Role.MODERATOR, False, True),
])
def test_scope_must_match_role(reference, role, body, region):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=UserFactory(), role=role,
            body=Body.objects.get(slug="health") if body else None,
            region=Region.objects.get(slug="abai") if region else None,
        )


def test_one_active_membership_per_user(reference):
    user = staff(Role.MODERATOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.AUTHORIZED_ANALYST)
