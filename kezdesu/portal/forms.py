from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanTextFormField
from kezdesu.questions.services import TEXT_MAX, TEXT_MIN
from kezdesu.registry.models import Region, Sector


class HoneypotMixin(forms.Form):
    # People never see this field (it is moved off screen); bots that fill every input do.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=limits.LINE,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        # Optional fields say "(optional)" in their label; no colon after labels that sit above their input.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class QuestionForm(HoneypotMixin):
    text = CleanTextFormField(label=_("Your question"), multiline=True, min_length=TEXT_MIN, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Write in Kazakh or Russian. A moderator publishes it before the meeting."))
    region = forms.ModelChoiceField(label=_("Your region"), queryset=Region.objects.order_by("kato_code"))
    sector = forms.ModelChoiceField(label=_("Topic (optional)"), queryset=Sector.objects.order_by("slug"),
                                    required=False, empty_label=_("Not sure"))
    author_name = CleanTextFormField(label=_("Your name (optional)"), max_length=limits.NAME, required=False,
                                  widget=forms.TextInput(attrs={"autocomplete": "name"}))
    author_contact = CleanTextFormField(label=_("Phone or e-mail (optional)"), max_length=limits.NAME, required=False,
                                     widget=forms.TextInput(attrs={"autocomplete": "email"}),
                                     help_text=_("Only staff see your name and contact; they are never published."))

    field_order = ["text", "region", "sector", "author_name", "author_contact", "website"]


class RegistrationForm(HoneypotMixin):
    name = CleanTextFormField(label=_("Your name"), max_length=limits.NAME,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact = CleanTextFormField(label=_("Phone or e-mail"), max_length=limits.NAME,
                              widget=forms.TextInput(attrs={"autocomplete": "tel"}),
                              help_text=_("To reach you if the meeting changes. It is never published."))

    field_order = ["name", "contact", "website"]


class RegistrationCodeForm(forms.Form):
    code = forms.CharField(label=_("Registration code"), max_length=20,
                           help_text=_("It looks like R- followed by 8 letters and digits."))

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).upper()
        return code if code.startswith("R-") else "R-" + code


class RegistrationCancelForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, cancel my registration: my seat goes to the next person"))


class SupportForm(HoneypotMixin):
    email = forms.EmailField(label=_("Your e-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             help_text=_("We send a link to confirm. Only a code made from the address is kept."))


class FollowForm(HoneypotMixin):
    email = forms.EmailField(label=_("Your e-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             help_text=_("It is never published; it is deleted when you unsubscribe."))
    meeting = forms.IntegerField(required=False, widget=forms.HiddenInput)
    region = forms.SlugField(required=False, widget=forms.HiddenInput)
    body = forms.SlugField(required=False, widget=forms.HiddenInput)
