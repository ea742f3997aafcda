"""The planning pages' forms come back as typed when refused, with the message beside the field, in kk, ru and
en (0104)."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kezdesu.core.testing.forms import LANGUAGES, assert_refused, said, signed_in
from kezdesu.planning.errors import PlanError
from kezdesu.planning.models import Plan, Unavailability
from kezdesu.registry.models import Body
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
