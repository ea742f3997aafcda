from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kezdesu.core.parsing import MAX_INT
from kezdesu.meetings.models import Commitment, Meeting, Status
from kezdesu.questions.models import Question
from kezdesu.registry.models import Body, Head, Region, Sector


class MeetingForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("Date and time (Asia/Almaty)"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    class Meta:
        model = Meeting
        fields = ["head", "region", "settlement", "venue", "starts_at", "duration_minutes", "format", "kind",
                  "topics", "rationale_text", "stream_url", "capacity"]
        widgets = {"topics": forms.Textarea(attrs={"rows": 3}), "rationale_text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = Head.objects.filter(body=body).order_by("-is_first_head", "-start")
        self.fields["head"].label_from_instance = (
            lambda h: f"{h.full_name} — {h.position_kk or ''}{' (' + str(_('acting')) + ')' if h.acting else ''}")
        self.fields["region"].queryset = Region.objects.order_by("kato_code")


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_INT)
    comment = forms.CharField(label=_("Comment or reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    proposed_starts_at = forms.DateTimeField(label=_("Proposed date and time"), required=False,
                                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    proposed_venue = forms.CharField(label=_("Proposed venue"), required=False, max_length=300)


class ResultsForm(forms.Form):
    # Bounded by the narrowest integer column (PostgreSQL `integer`), so no value reaches the database
    # only to fail there.
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0, max_value=MAX_INT)
    online_viewers = forms.IntegerField(label=_("Online viewers"), min_value=0, max_value=MAX_INT, required=False)
    speakers = forms.IntegerField(label=_("Speakers"), min_value=0, max_value=MAX_INT, initial=0)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    media_links = forms.CharField(label=_("Media and stream links, one per line"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def clean_media_links(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["media_links"].splitlines() if line.strip()]
        validator = forms.URLField()
        for link in links:
            validator.clean(link)
        return links


class RaisedQuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False)
    handling = forms.ChoiceField(label=_("Handling"), choices=[
        (Question.Handling.ON_THE_SPOT, Question.Handling.ON_THE_SPOT.label),
        (Question.Handling.UNDER_CONTROL, Question.Handling.UNDER_CONTROL.label)])
    answer = forms.CharField(label=_("Answer given"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


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
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
