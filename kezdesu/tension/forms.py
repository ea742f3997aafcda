from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

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
