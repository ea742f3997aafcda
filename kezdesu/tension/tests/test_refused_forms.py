"""The alert's closing forms and the upload form answer a refusal on the page itself, beside the field, in kk,
ru and en (0104); a file cannot be offered again by a page, so only the message comes back."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kezdesu.core.testing.forms import LANGUAGES, assert_refused, field_error, in_language, said
from kezdesu.tension.errors import ImportError_
from kezdesu.tension.models import ImportBatch, TensionAlert
from kezdesu.tension.services import tension_scan
from kezdesu.tension.tests.factories import AS_OF
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
REASON = "Жергілікті әкімдік мәселені шешті"


def _analyst(lang: str) -> Client:
    client = in_language(Client(), lang)
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    return client


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_tampered_closing_keeps_the_reason_in_its_own_box(cells, lang):
    tension_scan(as_of=AS_OF)
    alert = TensionAlert.objects.get(region__slug="mangystau")
    response = _analyst(lang).post(reverse("tension:review", args=[alert.pk]), {
        "closure": "closed", "version": "x", "reason": REASON, "confirmed": "true"})
    form = assert_refused(response, typed=[REASON], message=field_error(lang, forms.IntegerField(), "x"))
    assert 'name="closure" value="closed"' in form
    alert.refresh_from_db()
    assert alert.status in TensionAlert.CURRENT


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_closing_without_a_reason_is_said_beside_the_reason(cells, lang):
    tension_scan(as_of=AS_OF)
    alert = TensionAlert.objects.get(region__slug="mangystau")
    response = _analyst(lang).post(reverse("tension:review", args=[alert.pk]), {
        "closure": "dismissed", "version": alert.version, "reason": " ", "confirmed": "true"})
    assert_refused(response, typed=['name="closure" value="dismissed"'],
                   message=field_error(lang, forms.CharField(), ""))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_upload_of_the_wrong_kind_is_explained_beside_the_file(reference, lang):
    response = _analyst(lang).post(reverse("tension:upload"),
                                   {"file": SimpleUploadedFile("appeals.pdf", b"%PDF-1.4", "application/pdf")})
    assert_refused(response, typed=['type="file"'], message=said(lang, ImportError_.UNKNOWN_FORMAT.label))
    assert not ImportBatch.objects.exists()
