from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanTextFormField
from kezdesu.core.parsing import MAX_INT
from kezdesu.tension.errors import ImportError_
from kezdesu.tension.importer import megabytes

SUFFIXES = (".csv", ".jsonl", ".ndjson", ".xlsx")


class AppealsUploadForm(forms.Form):
    """The appeals file; its size and kind are checked here, its content by the importer."""

    file = forms.FileField(label=_("File (.csv, .jsonl or .xlsx)"), max_length=300,
                           widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if Path(uploaded.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(ImportError_.UNKNOWN_FORMAT.label, code=ImportError_.UNKNOWN_FORMAT)
        limit = settings.IMPORT_LIMITS["MAX_BYTES"]
        if uploaded.size > limit:
            raise forms.ValidationError(ImportError_.TOO_LARGE.label, code=ImportError_.TOO_LARGE,
                                        params={"size": megabytes(uploaded.size), "limit": megabytes(limit)})
        return uploaded


class AlertCloseForm(forms.Form):
    """Dismiss an alert as a false alarm, or close it because the tension subsided, with a reason."""

    closure = forms.ChoiceField(choices=[("dismissed", _("Dismiss as a false alarm")),
                                         ("closed", _("Close: the tension has subsided"))], widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT)
    reason = CleanTextFormField(label=_("Reason"), multiline=True, max_length=limits.COMMENT,
                                widget=forms.Textarea(attrs={"rows": 2}))
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
