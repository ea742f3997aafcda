"""A refused form comes back with what was typed and the message beside its field, in the reader's language;
no database constraint's name ever reaches the page."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kezdesu.meetings.models import Commitment
from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
PROMISE = "Ауылдық емханаға екі дәрігер тарту"


@pytest.fixture
def held(reference):
    health = Body.objects.get(slug="health")
    meeting = MeetingFactory(body=health, head=HeadFactory(body=health), region=Region.objects.get(slug="abai"),
                             status="held", starts_at=at(dt.date.today() - dt.timedelta(days=3)))
    client = Client()
    client.force_login(staff(Role.BODY_COORDINATOR, body=health))
    return meeting, client


@pytest.mark.parametrize(("lang", "required"), [("kk", "Бұл мән міндетті."), ("ru", "Обязательное поле."),
                                                ("en", "This field is required.")])
def test_an_invalid_commitment_keeps_the_text_and_says_why_beside_the_field(held, lang, required):
    meeting, client = held
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.post(reverse("meetings:commitment-add", args=[meeting.pk]),
                           {"text": PROMISE, "responsible_body": meeting.body_id, "deadline": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert PROMISE in page  # what was typed is still in the form
    form = page[page.index('action="' + reverse("meetings:commitment-add", args=[meeting.pk])):]
    assert re.search(r'<details open><summary>', page)
    assert required in form.split("</form>")[0]
    assert Commitment.objects.count() == 0


def test_a_database_rule_is_explained_without_its_name(held):
    meeting, client = held
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("meetings:commitment-add", args=[meeting.pk]),
                           {"text": PROMISE, "deadline": "2030-01-01"})  # neither a body nor a region
    page = response.content.decode()
    assert response.status_code == 400 and PROMISE in page
    assert "commitment_has_responsible" not in page and "Constraint" not in page
    assert "These values do not fit together" in page


def test_results_out_of_range_keep_the_other_figures(held):
    meeting, client = held
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.post(reverse("meetings:results", args=[meeting.pk]),
                           {"attendance": "-5", "speakers": "7", "summary": "Жители спрашивали о дорогах"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="7"' in page and "Жители спрашивали о дорогах" in page
    assert "Убедитесь, что это значение больше либо равно 0." in page
