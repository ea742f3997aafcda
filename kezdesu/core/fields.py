"""Text as it may be stored: one cleaning rule for every text field, in forms, the API and the models.

`clean_text` removes what no document format can carry and no person typed on purpose: control
characters (NUL, vertical tab, escape, …), lone surrogates and the non-characters U+FFFE/U+FFFF.
Line breaks in all their spellings become "\\n" in multi-line text and a space in one-line text; a tab
stays in multi-line text. Marks that change direction (RTL text) and emoji are ordinary text and stay.

The model fields below clean in `to_python`, which Django calls both in `full_clean` and when it
prepares a value for the database, so every write — a form, the admin, the API, a service, a
management command — stores clean text. Multi-line fields also carry a maximum length enforced by a
validator, by the form field built from them and by a database check (`max_length_check`).
"""

from __future__ import annotations

import re

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# C0 and C1 controls except tab and line feed, DEL, surrogates, and the two non-characters.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """Returns `value` with line breaks normalised and control characters removed (see the module)."""
    if not value:
        return value
    value = _BREAKS.sub("\n" if multiline else " ", value)
    if not multiline:
        value = value.replace("\t", " ")
    return _CONTROL.sub("", value)


class CleanTextFormField(forms.CharField):
    """A form field that cleans its text before the length and required checks."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        if multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = clean_text(value, multiline=self.multiline)
            value = value.strip() if self.strip else value
        return value


class CleanCharField(models.CharField):
    """A one-line text column: cleaned on every write; its form field cleans before validating."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, multiline=False) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanTextFormField, **kwargs})


class CleanTextField(models.TextField):
    """A multi-line text column with a maximum length (give the model `max_length_check` for it too)."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanTextFormField, "multiline": True, **kwargs})


def max_length_check(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """A database check that `field` holds at most `limit` characters (SQLite and PostgreSQL)."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def truncate_overlong(app_label: str, limits: dict[str, dict[str, int]]):
    """A migration step that shortens rows stored before a limit existed, so that its check can be added.

    Returns a `RunPython` operation; `limits` maps a model name to {field: maximum length}.
    """
    from django.db import migrations
    from django.db.models.functions import Substr

    def forwards(apps, schema_editor):
        for model_name, fields in limits.items():
            model = apps.get_model(app_label, model_name)
            for field, limit in fields.items():
                (model.objects.annotate(_n=Length(field)).filter(_n__gt=limit)
                 .update(**{field: Substr(field, 1, limit)}))

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)


class LocalDateTimeInput(forms.DateTimeInput):
    """`<input type="datetime-local">` with its value as the browser expects it (`YYYY-MM-DDTHH:MM`): Django's
    own format (`YYYY-MM-DD HH:MM:SS`) leaves the input empty in some browsers."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the configured time zone (`TIME_ZONE`) into a `datetime-local` input.

    Shown in that zone (`DateTimeField.prepare_value`) and read back as an aware datetime in it; the ISO form
    the browser sends (`2026-12-01T10:30`) and the form Django writes are both accepted."""

    widget = LocalDateTimeInput
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
