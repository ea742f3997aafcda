"""The public forms come back as typed when refused, with the message beside the field, in kk, ru and en (0104)."""

import html

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from kezdesu.core.testing.forms import LANGUAGES, assert_refused, field_error, said
from kezdesu.portal.errors import PortalError
from kezdesu.portal.models import Registration
from kezdesu.portal.tests.factories import RegistrationFactory
from kezdesu.questions.errors import QuestionError
from kezdesu.questions.models import Question
from kezdesu.questions.services import TEXT_MIN

pytestmark = pytest.mark.django_db
NAME = "Дана Серікқызы"


def _url(lang: str, name: str, *args) -> str:
    with translation.override(lang):  # public pages carry their language in the address
        return reverse(name, args=args)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_too_short_question_keeps_the_name(portal_data, lang):
    response = Client().post(_url(lang, "portal:ask", portal_data["upcoming"].pk), {
        "text": "Су қашан?", "region": portal_data["turkistan"].pk, "author_name": NAME, "website": ""},
        REMOTE_ADDR="203.0.113.41")
    assert_refused(response, typed=["Су қашан?", NAME],
                   message=field_error(lang, forms.CharField(min_length=TEXT_MIN), "Су қашан?"))
    assert not Question.objects.filter(author_name=NAME).exists()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_bad_contact_is_said_beside_the_contact(portal_data, lang):
    text = "Ауылдағы емхана қашан жөнделеді?"
    response = Client().post(_url(lang, "portal:ask", portal_data["upcoming"].pk), {
        "text": text, "region": portal_data["turkistan"].pk, "author_name": NAME, "author_contact": "12",
        "website": ""}, REMOTE_ADDR="203.0.113.42")
    message = said(lang, QuestionError.BAD_CONTACT.label)
    form = assert_refused(response, typed=[text, NAME, 'value="12"'], message=message)
    group = form[form.index('for="id_author_contact"'):form.index('name="author_contact"')]
    assert message in group  # in the contact's own group, between its label and its input


@pytest.mark.parametrize("lang", LANGUAGES)
def test_registering_with_a_bad_contact_keeps_the_name(portal_data, lang):
    response = Client().post(_url(lang, "portal:register", portal_data["upcoming"].pk),
                             {"name": NAME, "contact": "12", "website": ""}, REMOTE_ADDR="203.0.113.43")
    assert_refused(response, typed=[NAME, 'value="12"'], message=said(lang, PortalError.BAD_CONTACT.label))
    assert not Registration.objects.filter(name=NAME).exists()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cancelling_without_the_tick_says_so_beside_the_box(portal_data, lang):
    seat = RegistrationFactory(meeting=portal_data["upcoming"])
    response = Client().post(_url(lang, "portal:registration-cancel", seat.code), {})
    assert_refused(response, typed=['name="confirm"'], message=field_error(lang, forms.BooleanField(), False))
    assert Registration.objects.get(pk=seat.pk).status == "confirmed"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_unknown_registration_code_stays_in_the_box(portal_data, lang):
    response = Client().get(_url(lang, "portal:registration-find"), {"code": "R-NOPE2345"})
    message = said(lang, gettext_lazy("No registration has this code. Check the code and try again."))
    assert_refused(response, typed=['value="R-NOPE2345"'], message=message, status=404)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_unknown_tracking_code_stays_in_the_box(portal_data, lang):
    response = Client().get(_url(lang, "portal:track-form"), {"code": "Q-NOPE2345"})
    assert response.status_code == 404
    page = html.unescape(response.content.decode())
    assert 'name="code" value="Q-NOPE2345"' in page
    expected = said(lang, gettext_lazy("No question has the code “%(code)s”. Check the code and try again."))
    assert expected % {"code": "Q-NOPE2345"} in page and 'role="alert"' in page
