"""Filters of the public lists (django-filter); invalid values are ignored and shown as form errors."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from kezdesu.core.locale import language, local_zone
from kezdesu.meetings.models import Commitment
from kezdesu.portal import selectors
from kezdesu.registry.models import Body, Region


def _month_choices():
    return [("", _("Any month")), *((m.strftime("%Y-%m"), formats.date_format(m, "F Y"))
                                    for m in selectors.meeting_months())]


def filter_fields(filters: django_filters.FilterSet) -> list[dict]:
    """The filter form as plain data (label, id, options, selected) for a hand-written <select> each.

    Rendering the selects through Django's widget templates cost ~20 ms a page (one template per
    option); the options themselves are cached per language for a few minutes.
    """
    lang = _lang()
    fields = []
    for name, field in filters.form.fields.items():
        key = f"portal:filter-options:{type(filters).__name__}:{name}:{lang}"
        choices = field.choices if hasattr(field, "choices") else field.widget.choices  # month: text with a list
        options = cache.get_or_set(key, lambda choices=choices: [(str(v), str(label)) for v, label in choices],
                                   selectors.SUMMARY_SECONDS)
        bound = filters.form[name]
        fields.append({"name": name, "id": bound.auto_id, "label": field.label, "options": options,
                       "selected": str(bound.value() or ""), "errors": bound.errors})
    return fields


def _lang() -> str:
    lang = language()
    return lang if lang in ("kk", "ru", "en") else "kk"


class _ShortNames:
    """Name bodies by their short name and sort both lists in the reader's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = _lang()
        self.filters["region"].queryset = Region.objects.order_by(f"name_{lang}")
        body = self.filters["body"]
        body.queryset = body.queryset.order_by(f"name_{lang}")
        body.field.label_from_instance = lambda b: b.short_name


class MeetingFilter(_ShortNames, django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(label=_("Region"), field_name="region", to_field_name="slug",
                                              queryset=Region.objects.all(), empty_label=_("All regions"))
    body = django_filters.ModelChoiceFilter(label=_("Ministry or agency"), field_name="body", to_field_name="slug",
                                            queryset=selectors.bodies_with_meetings(),
                                            empty_label=_("All ministries and agencies"))
    # Any month is accepted (a bookmarked month may have no meetings left); the list offers those that have.
    month = django_filters.CharFilter(label=_("Month"), method="filter_month",
                                      validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$")],
                                      widget=forms.Select(choices=_month_choices))

    def filter_month(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        start = dt.datetime(year, month, 1, tzinfo=local_zone())
        end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=local_zone())
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)


class CommitmentFilter(_ShortNames, django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(label=_("Region"), field_name="meeting__region", to_field_name="slug",
                                              queryset=Region.objects.all(), empty_label=_("All regions"))
    body = django_filters.ModelChoiceFilter(label=_("Responsible body"), to_field_name="slug",
                                            queryset=Body.objects.filter(valid_to__isnull=True),
                                            method="filter_body", empty_label=_("All ministries and agencies"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Commitment.Status.choices,
                                         empty_label=_("Any status"))

    def filter_body(self, queryset, name, value):
        return queryset.filter(Q(responsible_body=value) | Q(meeting__body=value))
