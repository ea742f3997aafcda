from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SubmitForm(forms.Form):
    comment = forms.CharField(label=_("Comment to the authorized body"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}))


class ResultsForm(forms.Form):
    comment = forms.CharField(label=_("Comment to the Office of the Government"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ProcedureForm(forms.Form):
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    text_kk = forms.CharField(label=_("Text (Kazakh)"), widget=forms.Textarea(attrs={"rows": 12}),
                              help_text=_("Separate paragraphs with an empty line."))
    text_ru = forms.CharField(label=_("Text (Russian)"), widget=forms.Textarea(attrs={"rows": 12}))
    effective_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
