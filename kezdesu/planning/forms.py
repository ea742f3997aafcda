"""Forms of the planning pages: they parse input; the rules live in `planning.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanTextFormField
from kezdesu.core.parsing import MAX_INT
from kezdesu.registry.models import Region


class PlanNewForm(forms.Form):
    """Draft the schedule of a half-year with the optimiser (`services.parse_half` reads the half-year)."""

    half = forms.CharField(label=_("Half-year"), max_length=7,
                           widget=forms.TextInput(attrs={"pattern": r"\d{4}-H[12]", "size": 8}))


class UnavailabilityForm(forms.Form):
    """When the first head of the user's body cannot travel."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = CleanTextFormField(label=_("Reason"), max_length=limits.LINE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


class PlanAgreeForm(forms.Form):
    """A body agrees the plan or asks for changes (the button pressed says which)."""

    action = forms.ChoiceField(choices=[("agree", _("Agree")), ("changes", _("Ask for changes"))],
                               widget=forms.HiddenInput)
    comment = CleanTextFormField(label=_("Comment"), required=False, multiline=True, max_length=limits.COMMENT,
                                 widget=forms.Textarea(attrs={"rows": 2}))


class PlanApproveForm(forms.Form):
    """The Government's decree that approves the submitted plan."""

    decree_number = CleanTextFormField(label=_("Decree number"), max_length=50)
    decree_date = forms.DateField(label=_("Decree date"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class PlanMoveForm(forms.Form):
    """Move one item of the plan to another region or week (the version it was drawn from guards the edit)."""

    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT)
    # A form without the version it was drawn from is stale by definition (0 never matches).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_INT, required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("kato_code"))
    week_start = forms.DateField(label=_("Week"), input_formats=["%Y-%m-%d"])
