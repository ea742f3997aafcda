"""Moderation and answering forms come back as typed when refused — the redacted text too — with the message
beside the field in kk, ru and en (0104)."""

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kezdesu.core.testing.forms import LANGUAGES, assert_refused, field_error, in_language, said
from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.questions.models import Question
from kezdesu.questions.services import TEXT_MIN
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def waiting():
    return QuestionFactory(meeting=MeetingFactory(status="announced"), text="Жол қашан жөнделеді? Тел. 87015551234")


def _moderator(lang: str) -> Client:
    client = in_language(Client(), lang)
    client.force_login(staff(Role.MODERATOR))
    return client


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_too_short_redaction_is_kept_and_explained(waiting, lang, htmx):
    response = _moderator(lang).post(reverse("questions:publish", args=[waiting.pk]), {"text": "Жол?"},
                                     **(HTMX if htmx else {}))
    form = assert_refused(response, typed=["Жол?</textarea>"], status=200 if htmx else 400,
                          message=field_error(lang, forms.CharField(min_length=TEXT_MIN), "Жол?"))
    assert "<details open>" in form
    waiting.refresh_from_db()
    assert waiting.status == Question.Status.RECEIVED and "87015551234" in waiting.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_rejection_without_the_tick_keeps_the_reason(waiting, lang):
    response = _moderator(lang).post(reverse("questions:reject", args=[waiting.pk]), {"reason": "Жарнама"})
    assert_refused(response, typed=['value="Жарнама"'], message=field_error(lang, forms.BooleanField(), False))
    waiting.refresh_from_db()
    assert waiting.status == Question.Status.RECEIVED


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_bulk_rejection_without_the_tick_keeps_the_reason_and_the_ticks(waiting, lang):
    response = _moderator(lang).post(reverse("questions:moderate-bulk"),
                                     {"questions": [waiting.pk], "decision": "reject", "reason": "Жарнама"})
    assert_refused(response, typed=['value="Жарнама"'],
                   message=said(lang, gettext_lazy("Tick the box to confirm the rejection.")))
    assert f'value="{waiting.pk}" id="pick-{waiting.pk}" form="bulk" checked' in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Question.Status.RECEIVED


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_answer_without_its_mode_keeps_the_text(lang):
    question = QuestionFactory(meeting__status="held", status="published", text="Су қашан келеді?")
    client = in_language(Client(), lang)
    client.force_login(staff(Role.BODY_COORDINATOR, body=question.meeting.body))
    answer = "Көктемде құбыр тартылады."
    response = client.post(reverse("questions:answer", args=[question.pk]),
                           {"answer": answer, "version": question.version})
    assert_refused(response, typed=[answer], message=field_error(lang, forms.CharField(), ""))
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
