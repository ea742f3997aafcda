from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanTextFormField


class SubmitForm(forms.Form):
    comment = CleanTextFormField(label=_("Comment to the authorized body"), required=False, multiline=True,
                                 max_length=limits.REPORT_COMMENT, widget=forms.Textarea(attrs={"rows": 4}))


class ResultsForm(forms.Form):
    comment = forms.CharField(label=_("Comment to the Office of the Government"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    # Set by the confirmation step (the dialog, or the page shown without JavaScript): sending is final.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ProcedureForm(forms.Form):
    # The newest version the author saw (0: none yet); if another is published meanwhile, 409.
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    title_kk = CleanTextFormField(label=_("Title (Kazakh)"), max_length=limits.LINE)
    title_ru = CleanTextFormField(label=_("Title (Russian)"), max_length=limits.LINE)
    title_en = CleanTextFormField(label=_("Title (English)"), max_length=limits.LINE, required=False)
    text_kk = CleanTextFormField(label=_("Text (Kazakh)"), multiline=True, max_length=limits.PROCEDURE,
                                 widget=forms.Textarea(attrs={"rows": 12}),
                                 help_text=_("Separate paragraphs with an empty line."))
    text_ru = CleanTextFormField(label=_("Text (Russian)"), multiline=True, max_length=limits.PROCEDURE,
                                 widget=forms.Textarea(attrs={"rows": 12}))
    effective_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
