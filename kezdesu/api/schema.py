"""OpenAPI details drf-spectacular cannot infer: choice sets shared by name across components.

Several models have a `status` (meetings, questions, commitments) or a `kind`. Left to itself,
drf-spectacular names such enums by field name plus a hash and warns (failing `check --deploy`).
A NamedChoiceField gives its choice set one stable component name instead (MeetingStatusEnum, …).
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choices are the schema component `enum_name`."""

    def __init__(self, *args, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(*args, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction) -> dict:
        choices = self.target.choices
        return {"type": "string", "enum": list(choices),
                "description": "\n".join(f"* `{value}` - {label}" for value, label in choices.items())}
