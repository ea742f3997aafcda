from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanTextFormField, LocalDateTimeField
from kezdesu.core.parsing import MAX_INT
from kezdesu.meetings.models import Commitment, Meeting, Status
from kezdesu.questions.models import Question
from kezdesu.registry.models import Body, Head, Region, Sector


class MeetingForm(forms.ModelForm):
    starts_at = LocalDateTimeField(label=_("Date and time (Asia/Almaty)"))
    cohosts = forms.ModelMultipleChoiceField(
        label=_("Joint meeting: first heads of co-hosting bodies"), queryset=Head.objects.none(), required=False,
        help_text=_("The meeting counts toward each co-host's quarter when its head is in office that day."))
    # The version of the meeting the user edits (not used when drafting); a newer one answers 409.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT, required=False)

    class Meta:
        model = Meeting
        fields = ["head", "region", "settlement", "venue", "starts_at", "duration_minutes", "format", "kind",
                  "topics", "rationale_text", "stream_url", "capacity"]
        widgets = {"topics": forms.Textarea(attrs={"rows": 3}), "rationale_text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = Head.objects.filter(body=body).order_by("-is_first_head", "-start")
        self.fields["head"].label_from_instance = (
            lambda h: f"{h.full_name} — {h.position or ''}{' (' + str(_('acting')) + ')' if h.acting else ''}")
        self.fields["region"].queryset = Region.objects.order_by("kato_code")
        self.fields["cohosts"].queryset = (Head.objects.exclude(body=body).filter(is_first_head=True)
                                           .select_related("body").order_by("body__slug", "-start"))
        self.fields["cohosts"].label_from_instance = (
            lambda h: f"{h.body.short_name}: {h.full_name}{' (' + str(_('acting')) + ')' if h.acting else ''}")
        if self.instance.pk:
            self.initial.setdefault("cohosts", [c.head_id for c in self.instance.cohosts.all()])
            self.initial.setdefault("version", self.instance.version)
            self.fields["version"].required = True


# Refusals of the meeting services that concern one field of the meeting form are shown next to it
# (`kezdesu.core.views.form_refused`).
MEETING_FORM_FIELDS = {"head_not_in_office": "head", "head_of_other_body": "head", "body_not_in_office": "starts_at",
                       "cohost_is_host": "cohosts", "cohost_twice": "cohosts"}


class MeetingFilterForm(forms.Form):
    """The filters of the staff meeting list (`?status=…&region=<slug>`); a value not on offer is ignored."""

    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All statuses")), *Status.choices], required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("kato_code"),
                                    to_field_name="slug", required=False, empty_label=_("All regions"))

    def filters(self) -> dict:
        """The valid filters as keyword arguments of `selectors.meeting_list`."""
        self.is_valid()  # fills `cleaned_data` with the fields that are valid
        return {"status": self.cleaned_data.get("status") or None, "region": self.cleaned_data.get("region")}


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT)
    # Set by the confirmation step of an irreversible move (the dialog, or the page shown without JavaScript).
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    comment = CleanTextFormField(label=_("Comment or reason"), required=False, multiline=True,
                                 max_length=limits.COMMENT, widget=forms.Textarea(attrs={"rows": 2}))
    proposed_starts_at = LocalDateTimeField(label=_("Proposed date and time"), required=False)
    proposed_venue = CleanTextFormField(label=_("Proposed venue"), required=False, max_length=300)


class ResultsForm(forms.Form):
    # The version of the results the user saw (0: none recorded yet); a newer one answers 409.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_INT, initial=0)
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0, max_value=1_000_000)
    online_viewers = forms.IntegerField(label=_("Online viewers"), min_value=0, max_value=100_000_000, required=False)
    speakers = forms.IntegerField(label=_("Speakers"), min_value=0, max_value=100_000, initial=0)
    summary = CleanTextFormField(label=_("Summary"), required=False, multiline=True, max_length=limits.SUMMARY,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    media_links = CleanTextFormField(label=_("Media and stream links, one per line"), required=False,
                                     multiline=True, max_length=(limits.URL + 1) * limits.MEDIA_LINKS,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def clean_media_links(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["media_links"].splitlines() if line.strip()]
        if len(links) > limits.MEDIA_LINKS:
            raise forms.ValidationError(_("At most %(count)s links."), params={"count": limits.MEDIA_LINKS})
        validator = forms.URLField(max_length=limits.URL)
        for link in links:
            validator.clean(link)
        return links


class RaisedQuestionForm(forms.Form):
    text = CleanTextFormField(label=_("Question"), multiline=True, max_length=limits.QUESTION,
                              widget=forms.Textarea(attrs={"rows": 2}))
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False)
    handling = forms.ChoiceField(label=_("Handling"), choices=[
        (Question.Handling.ON_THE_SPOT, Question.Handling.ON_THE_SPOT.label),
        (Question.Handling.UNDER_CONTROL, Question.Handling.UNDER_CONTROL.label)])
    answer = CleanTextFormField(label=_("Answer given"), required=False, multiline=True, max_length=limits.ANSWER,
                                widget=forms.Textarea(attrs={"rows": 2}))


class CommitmentForm(forms.ModelForm):
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Commitment
        fields = ["text", "responsible_body", "responsible_region", "deadline"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class CommitmentProgressForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT)
    progress = forms.IntegerField(label=_("Progress, %"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)
    evidence = CleanTextFormField(label=_("Evidence"), required=False, multiline=True, max_length=limits.EVIDENCE,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class SupportItemForm(forms.Form):
    """Tick or untick one item of the support checklist."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT)
    done = forms.BooleanField(required=False)


class SupportOwnerForm(forms.Form):
    """Name who is responsible for one item of the support checklist (the item stays as it is)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT)
    owner = CleanTextFormField(label=_("Responsible"), required=False, max_length=200)
