"""The report pages' forms come back as typed when refused, with the message beside the field, in kk, ru and en
(0104)."""

import pytest
from django import forms
from django.urls import reverse

from kezdesu.compliance.models import QuarterlyReport
from kezdesu.core import limits
from kezdesu.core.testing.forms import LANGUAGES, assert_refused, field_error, signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_too_long_quarterly_comment_is_kept(q3, lang):
    comment = "Ескерту. " * 450  # 4 050 characters
    response = signed_in(q3.coordinator, lang).post(
        reverse("reports:quarterly", args=["health", "2026-Q3"]), {"comment": comment})
    assert_refused(response, typed=[comment.strip()],
                   message=field_error(lang, forms.CharField(max_length=limits.REPORT_COMMENT), comment.strip()))
    assert not QuarterlyReport.objects.filter(status="submitted").exists()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_too_long_half_year_comment_is_kept(q3, lang):
    comment = "Түсініктеме. " * 330  # 4 290 characters
    response = signed_in(q3.analyst, lang).post(reverse("reports:half-year", args=["2026-H2"]),
                                              {"comment": comment, "confirmed": "true"})
    assert_refused(response, typed=[comment], message=field_error(lang, forms.CharField(max_length=4000), comment))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_procedure_without_its_russian_text_keeps_the_rest(q3, lang):
    response = signed_in(q3.admin, lang).post(reverse("reports:procedure-new"), {
        "based_on": 0, "title_kk": "Кездесулер тәртібі", "title_ru": "Порядок встреч",
        "text_kk": "Бірінші абзац.", "text_ru": "", "effective_from": "2027-01-01"})
    assert_refused(response, typed=["Кездесулер тәртібі", "Порядок встреч", "Бірінші абзац."],
                   message=field_error(lang, forms.CharField(), ""))
