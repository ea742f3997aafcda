"""The planning pages' forms come back as typed when refused, with the message beside the field, in kk, ru and
en (0104)."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kezdesu.core import limits
from kezdesu.core.testing.forms import LANGUAGES, assert_refused, field_error, said, signed_in
from kezdesu.planning.errors import PlanError
from kezdesu.planning.models import Plan, PlanAgreement, PlanItem, Unavailability
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_period_ending_before_it_starts_keeps_the_dates_and_the_reason(reference, lang):
    coordinator = staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="health"))
    response = signed_in(coordinator, lang).post(reverse("planning:list"), {
        "start": "2027-03-10", "end": "2027-03-01", "reason": "Парламенттегі есеп"})
    assert_refused(response, typed=['value="Парламенттегі есеп"', 'value="2027-03-10"', 'value="2027-03-01"'],
                   message=said(lang, gettext_lazy("The period ends before it starts.")))
    assert not Unavailability.objects.exists()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_misspelt_half_year_is_kept_and_explained(reference, lang):
    response = signed_in(staff(Role.AUTHORIZED_ANALYST), lang).post(reverse("planning:new"), {"half": "2027-H3"})
    assert_refused(response, typed=['value="2027-H3"'], message=said(lang, PlanError.BAD_HALF.label))
    assert not Plan.objects.exists()


@pytest.fixture
def plan(reference):
    """A draft plan of 2027-H1 with one meeting of the health ministry, in Turkistan in the first week of
    February; the ministry's head cannot travel in the first week of March."""
    health = Body.objects.get(slug="health")
    HeadFactory(body=health)
    plan = Plan.objects.create(year=2027, half=1)
    PlanAgreement.objects.create(plan=plan, body=health)
    PlanItem.objects.create(plan=plan, body=health, region=Region.objects.get(slug="turkistan"),
                            week_start=dt.date(2027, 2, 1))
    Unavailability.objects.create(body=health, start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 7),
                                  reason="Үкімет отырысы")
    return plan


def _action(user, lang: str, plan: Plan, data: dict):
    return signed_in(user, lang).post(reverse("planning:action", args=[plan.pk]), data)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_decree_with_an_impossible_date_keeps_its_number(plan, lang):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.SUBMITTED)
    response = _action(staff(Role.GOVERNMENT_VIEWER), lang, plan,
                       {"action": "approve", "decree_number": "15-қ", "decree_date": "2027-02-30"})
    assert_refused(response, typed=['value="15-қ"', 'value="2027-02-30"'],
                   message=field_error(lang, forms.DateField(), "2027-02-30"))
    plan.refresh_from_db()
    assert (plan.status, plan.decree_number) == (Plan.Status.SUBMITTED, "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_comment_too_long_to_agree_with_is_kept_for_shortening(plan, lang):
    comment = ("Келісеміз, бірақ сапар мерзімін нақтылау керек. " * 50)[:limits.COMMENT + 1].strip()
    response = _action(staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="health")), lang, plan,
                       {"action": "agree", "comment": comment})
    assert_refused(response, typed=[comment],
                   message=field_error(lang, forms.CharField(max_length=limits.COMMENT), comment))
    assert PlanAgreement.objects.get(plan=plan).decision == PlanAgreement.Decision.PENDING


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_move_into_the_heads_unavailable_week_keeps_the_choice_beside_the_reason(plan, lang):
    item, abai = plan.items.get(), Region.objects.get(slug="abai")
    response = _action(staff(Role.AUTHORIZED_ANALYST), lang, plan, {
        "action": "move", "item": item.pk, "version": item.version, "region": abai.pk, "week_start": "2027-03-01"})
    breaks = said(lang, PlanError.EDIT_BREAKS_RULES.label).split("%(why)s")[0].strip()
    assert_refused(response, typed=[f'value="{abai.pk}" selected', 'value="2027-03-01" selected'], message=breaks,
                   marker=f'name="item" value="{item.pk}"')
    item.refresh_from_db()
    assert (item.region.slug, item.week_start, item.version) == ("turkistan", dt.date(2027, 2, 1), 1)
