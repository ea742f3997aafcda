"""Forms of the staff pages on questions: they parse input; the rules live in `questions.services`."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanTextFormField
from kezdesu.questions.models import AnswerMode, Question
from kezdesu.questions.services import TEXT_MAX, TEXT_MIN
from kezdesu.registry.models import Body


class PublishForm(forms.Form):
    """Publish one question, optionally with its text edited (a third party's name or phone removed)."""

    text = CleanTextFormField(label=_("Text to publish"), multiline=True, min_length=TEXT_MIN, max_length=TEXT_MAX,
                              required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Remove names and phone numbers of other people before publishing. "
                                          "The original text is kept only in the audit trail."))


class RejectForm(forms.Form):
    reason = CleanTextFormField(label=_("Reason for rejection"), max_length=limits.LINE,
                                help_text=_("The citizen sees this reason on the tracking page."))
    confirm = forms.BooleanField(label=_("Yes, reject: this cannot be undone"))


class QuestionFilterForm(forms.Form):
    """The filters of the staff lists: one meeting (of those given), and waiting or answered questions."""

    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=None, required=False,
                                     empty_label=_("All meetings"))
    show = forms.ChoiceField(label=_("Show"), required=False, choices=[
        ("", _("Waiting for an answer")), ("answered", _("Answered or referred"))])

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = _meeting_label


def _meeting_label(meeting) -> str:
    waiting = getattr(meeting, "waiting", None)
    label = f"{meeting.body.short_name}, {meeting.region.name}, {timezone.localtime(meeting.starts_at):%d.%m.%Y}"
    return f"{label} ({waiting})" if waiting is not None else label


class BulkModerationForm(forms.Form):
    """Publish or reject the ticked questions of the queue; rejecting asks for a reason and a confirmation."""

    questions = forms.ModelMultipleChoiceField(label=_("Questions"), queryset=None,
                                               widget=forms.CheckboxSelectMultiple)
    decision = forms.ChoiceField(label=_("Decision"), choices=[
        ("publish", _("Publish the ticked questions")), ("reject", _("Reject the ticked questions"))])
    reason = CleanTextFormField(label=_("Reason for rejection"), max_length=limits.LINE, required=False)
    confirm = forms.BooleanField(label=_("Yes, reject: this cannot be undone"), required=False)

    def __init__(self, *args, queue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = queue

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject":
            if not data.get("reason"):
                self.add_error("reason", _("Please give a reason for rejecting the questions."))
            if not data.get("confirm"):
                self.add_error("confirm", _("Tick the box to confirm the rejection."))
        return data

    @property
    def target(self) -> str:
        return Question.Status.PUBLISHED if self.cleaned_data["decision"] == "publish" else Question.Status.REJECTED


class AnswerForm(forms.Form):
    mode = forms.ChoiceField(label=_("How was the question answered?"), choices=AnswerMode.choices,
                             widget=forms.RadioSelect)
    answer = CleanTextFormField(label=_("Answer"), multiline=True, max_length=limits.ANSWER,
                                widget=forms.Textarea(attrs={"rows": 6}),
                                help_text=_("The citizen reads it on the tracking page and the meeting page. "
                                            "When referring, say what the other body will do."))
    referred_to = forms.ModelChoiceField(label=_("Referred to (body)"), queryset=None, required=False,
                                         empty_label=_("Choose a body"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, question: Question, **kwargs):
        kwargs.setdefault("initial", {"version": question.version})
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["referred_to"].queryset = (Body.objects.valid_on(today).exclude(pk=question.meeting.body_id)
                                               .order_by("slug"))
        self.fields["referred_to"].label_from_instance = lambda body: body.short_name


class ThemeFilterForm(forms.Form):
    """The filters of "What people ask most": one meeting, or a region (or all the user sees) over a period.
    The meeting is parsed as a number: the view looks it up within the user's scope (not found otherwise)."""

    PERIOD_DAYS = 90

    meeting = forms.IntegerField(label=_("Meeting"), required=False, min_value=1, widget=forms.Select)
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, required=False, empty_label=_("All regions"))
    # A date input takes its value as ISO 8601 whatever the page's language.
    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, meetings, regions, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].widget.choices = [("", _("All meetings")),
                                                 *((m.pk, _meeting_label(m)) for m in meetings)]
        self.fields["region"].queryset = regions
        self.fields["start"].initial = today - dt.timedelta(days=self.PERIOD_DAYS)
        self.fields["end"].initial = today

    def clean(self):
        data = super().clean()
        start = data.get("start") or self.fields["start"].initial
        end = data.get("end") or self.fields["end"].initial
        if start > end:
            self.add_error("end", _("The end of the period is before its start."))
        data["start"], data["end"] = start, end
        return data
