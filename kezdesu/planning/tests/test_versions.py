"""A plan item moved from a stale page is refused with 409 and stays where the other session put it."""

import datetime as dt

import pytest
from django.test import Client

from kezdesu.core.errors import ApplicationError
from kezdesu.core.responses import http_status
from kezdesu.planning.models import Plan, PlanItem
from kezdesu.planning.services import plan_item_move
from kezdesu.registry.models import Body, Region
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(reference):
    plan = Plan.objects.create(year=2027, half=1)
    return PlanItem.objects.create(plan=plan, body=Body.objects.get(slug="health"),
                                   region=Region.objects.get(slug="turkistan"), week_start=dt.date(2027, 2, 1))


def test_a_stale_version_is_refused_before_anything_changes(item):
    with pytest.raises(ApplicationError) as err:
        plan_item_move(actor=staff(Role.AUTHORIZED_ANALYST), item=item, region=Region.objects.get(slug="abai"),
                       week_start=dt.date(2027, 2, 8), expected_version=item.version + 1)
    assert (err.value.code, http_status(err.value)) == ("conflict", 409)
    item.refresh_from_db()
    assert (item.region.slug, item.week_start, item.version) == ("turkistan", dt.date(2027, 2, 1), 1)


def test_the_move_form_answers_409_to_a_stale_page(item):
    client = Client()
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    PlanItem.objects.filter(pk=item.pk).update(version=2)  # another session moved it meanwhile
    response = client.post(f"/staff/plans/{item.plan_id}/action/", {
        "action": "move", "item": item.pk, "version": 1, "region": Region.objects.get(slug="abai").pk,
        "week_start": "2027-02-08"})
    assert response.status_code == 409
    item.refresh_from_db()
    assert item.region.slug == "turkistan"
