"""Query filters of the API (django-filter); unknown slugs simply match nothing."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from kezdesu.meetings.models import Commitment, Meeting
from kezdesu.portal.selectors import PUBLIC_STATUSES
from kezdesu.questions.models import Question

# The largest id a 64-bit integer column holds; anything beyond is refused (400) before it reaches the database.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class _MeetingFilterBase(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__slug", help_text="Region slug, e.g. `turkistan`.")
    body = django_filters.CharFilter(field_name="body__slug", help_text="Body slug, e.g. `health`.")
    date_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte",
                                          help_text="Meetings on or after this date (Asia/Almaty).")
    date_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte",
                                        help_text="Meetings on or before this date (Asia/Almaty).")


class PublicMeetingFilter(_MeetingFilterBase):
    status = django_filters.ChoiceFilter(choices=[(s.value, s.label) for s in PUBLIC_STATUSES])

    class Meta:
        model = Meeting
        fields = ["region", "body", "status", "date_from", "date_to"]


class StaffMeetingFilter(_MeetingFilterBase):
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices)

    class Meta:
        model = Meeting
        fields = ["region", "body", "status", "date_from", "date_to"]


class CommitmentFilter(django_filters.FilterSet):
    meeting = IdFilter(field_name="meeting_id")
    region = django_filters.CharFilter(field_name="meeting__region__slug", help_text="Region of the meeting.")
    body = django_filters.CharFilter(method="filter_body", help_text="Responsible body or the meeting's body.")
    status = django_filters.ChoiceFilter(choices=Commitment.Status.choices)

    class Meta:
        model = Commitment
        fields = ["meeting", "region", "body", "status"]

    def filter_body(self, queryset, name, value):
        return queryset.filter(Q(responsible_body__slug=value) | Q(meeting__body__slug=value))


class PublicQuestionFilter(django_filters.FilterSet):
    meeting = IdFilter(field_name="meeting_id")
    region = django_filters.CharFilter(field_name="region__slug")
    sector = django_filters.CharFilter(field_name="sector__slug")
    status = django_filters.ChoiceFilter(choices=[(s.value, s.label) for s in Question.PUBLIC_STATUSES])
    origin = django_filters.ChoiceFilter(choices=Question.Origin.choices)

    class Meta:
        model = Question
        fields = ["meeting", "region", "sector", "status", "origin"]


class StaffQuestionFilter(PublicQuestionFilter):
    status = django_filters.ChoiceFilter(choices=Question.Status.choices)
