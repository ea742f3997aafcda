from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kezdesu.api.schema import NamedChoiceField
from kezdesu.core import limits
from kezdesu.core.fields import clean_text
from kezdesu.meetings.lifecycle import allowed_targets
from kezdesu.meetings.models import Commitment, Meeting, MeetingResult
from kezdesu.questions.models import Question
from kezdesu.questions.services import TEXT_MAX, TEXT_MIN
from kezdesu.registry.models import Body, Region, Sector


class CleanTextSerializerField(serializers.CharField):
    """Text cleaned as forms and models clean it (`kezdesu.core.fields.clean_text`) before its length is
    checked."""

    def __init__(self, *, multiline: bool = True, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = clean_text(super().to_internal_value(data), multiline=self.multiline)
        return value.strip() if self.trim_whitespace else value


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["slug", "kato_code", "kind", "name_kk", "name_ru", "name_en", "centre_kk", "centre_ru",
                  "centre_en", "population", "population_year", "population_confirmed"]


class BodySerializer(serializers.ModelSerializer):
    predecessor = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Body
        fields = ["slug", "name_kk", "name_ru", "name_en", "exempt", "exempt_basis", "valid_from", "valid_to",
                  "predecessor"]


class SectorSerializer(serializers.ModelSerializer):
    bodies = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Sector
        fields = ["slug", "name_kk", "name_ru", "name_en", "bodies"]


# --- Errors -------------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error: a message for people (validation errors: an object of field → messages) and a code."""

    detail = serializers.JSONField()
    code = serializers.CharField()


# --- Public: meetings, results, questions, commitments (never the authors of questions) ----------------


class CoHostSerializer(serializers.Serializer):
    """A body co-hosting a joint meeting and its head present (the meeting counts for it too)."""

    body = serializers.CharField(source="body.slug", read_only=True)
    body_name = serializers.CharField(source="body.short_name", read_only=True)
    head = serializers.CharField(source="standing.full_name", read_only=True)
    head_is_first = serializers.BooleanField(source="standing.first_head", read_only=True)
    head_in_office = serializers.BooleanField(source="standing.in_office", read_only=True)


class MeetingSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    body_name = serializers.CharField(source="body.short_name", read_only=True)
    head = serializers.CharField(source="standing.full_name", read_only=True,
                                 help_text="Who holds it, as on the meeting's day (frozen once held).")
    cohosts = CoHostSerializer(many=True, read_only=True, help_text="Co-hosting bodies of a joint meeting.")
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    ends_at = serializers.SerializerMethodField()
    # Blank when there is none: a plain string, since "" is not a URI.
    stream_url = serializers.CharField(read_only=True)
    status = NamedChoiceField(choices=Meeting.Status.choices, enum_name="MeetingStatusEnum", read_only=True)
    kind = NamedChoiceField(choices=Meeting.Kind.choices, enum_name="MeetingKindEnum", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "body", "body_name", "head", "cohosts", "region", "region_name", "settlement", "venue",
                  "starts_at", "ends_at", "duration_minutes", "format", "kind", "status", "topics", "stream_url",
                  "capacity"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_ends_at(self, meeting: Meeting):
        return serializers.DateTimeField().to_representation(
            meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes))


class MeetingResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingResult
        fields = ["attendance", "online_viewers", "speakers", "summary", "media_links"]
        read_only_fields = fields

    media_links = serializers.ListField(child=serializers.CharField(), read_only=True)


class PublicQuestionSerializer(serializers.ModelSerializer):
    """A published question. The author's name and contact are not fields here, on purpose."""

    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    referred_to = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    status = NamedChoiceField(choices=Question.Status.choices, enum_name="QuestionStatusEnum", read_only=True)

    class Meta:
        model = Question
        # The number of confirmed supports only: who supported (the hashes of their addresses) is never here.
        fields = ["id", "meeting", "region", "sector", "origin", "language", "status", "text", "handling", "answer",
                  "referred_to", "published_at", "answered_at", "support_count"]
        read_only_fields = fields


class CommitmentSerializer(serializers.ModelSerializer):
    responsible_body = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    responsible_region = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    status = NamedChoiceField(choices=Commitment.Status.choices, enum_name="CommitmentStatusEnum", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = ["id", "meeting", "text", "responsible_body", "responsible_region", "deadline", "status",
                  "progress", "evidence", "closed_at", "overdue"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, commitment: Commitment) -> bool:
        return commitment.is_overdue(timezone.localdate())


class MeetingDetailSerializer(MeetingSerializer):
    result = MeetingResultSerializer(read_only=True, allow_null=True)
    questions = PublicQuestionSerializer(many=True, read_only=True, source="public_questions")
    commitments = CommitmentSerializer(many=True, read_only=True, source="public_commitments")

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "result", "questions", "commitments"]
        read_only_fields = fields


class QuestionSubmitSerializer(serializers.Serializer):
    """A citizen's question in advance of an announced meeting."""

    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.public())
    text = CleanTextSerializerField(min_length=TEXT_MIN, max_length=TEXT_MAX)
    region = serializers.SlugRelatedField(slug_field="slug", queryset=Region.objects.all(), required=False,
                                          allow_null=True, help_text="Defaults to the meeting's region.")
    sector = serializers.SlugRelatedField(slug_field="slug", queryset=Sector.objects.all(), required=False,
                                          allow_null=True)
    author_name = CleanTextSerializerField(multiline=False, max_length=limits.NAME, required=False, allow_blank=True,
                                 write_only=True, help_text="Private: seen by staff only, never published.")
    author_contact = CleanTextSerializerField(multiline=False, max_length=limits.NAME, required=False, allow_blank=True,
                                    write_only=True, help_text="Private: phone or e-mail, seen by staff only.")
    website = serializers.CharField(max_length=limits.LINE, required=False, allow_blank=True, write_only=True,
                                    help_text="Leave empty (a trap for robots).")


class QuestionReceiptSerializer(serializers.ModelSerializer):
    status = NamedChoiceField(choices=Question.Status.choices, enum_name="QuestionStatusEnum", read_only=True)

    class Meta:
        model = Question
        fields = ["tracking_code", "status", "meeting"]
        read_only_fields = fields


class TrackedQuestionSerializer(serializers.ModelSerializer):
    """What the holder of a tracking code sees: the question and its fate, not who asked it."""

    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    status = NamedChoiceField(choices=Question.Status.choices, enum_name="QuestionStatusEnum", read_only=True)

    class Meta:
        model = Question
        fields = ["tracking_code", "meeting", "region", "sector", "status", "text", "rejection_reason", "answer",
                  "created_at", "published_at", "answered_at"]
        read_only_fields = fields


# --- Staff (token authentication; scoped like the pages) ----------------------------------------------


class StaffMeetingSerializer(MeetingSerializer):
    next_statuses = serializers.SerializerMethodField(help_text="Statuses you may move the meeting to now.")

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "version", "status_reason", "rationale_text", "agreed_at",
                  "held_at", "head_in_office", "head_was_first", "head_was_acting", "created_at", "updated_at",
                  "next_statuses"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(
        child=NamedChoiceField(choices=Meeting.Status.choices, enum_name="MeetingStatusEnum")))
    def get_next_statuses(self, meeting: Meeting) -> list[str]:
        # The queryset is already scoped to the user, so the role alone decides.
        return allowed_targets(meeting.status, self.context["request"].user.role)


class MeetingTransitionSerializer(serializers.Serializer):
    target = NamedChoiceField(choices=Meeting.Status.choices, enum_name="MeetingStatusEnum")
    expected_version = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                                help_text="The version you saw; a newer one answers 409.")
    comment = CleanTextSerializerField(max_length=limits.COMMENT, required=False, allow_blank=True, default="")


class StaffQuestionSerializer(PublicQuestionSerializer):
    class Meta(PublicQuestionSerializer.Meta):
        fields = [*PublicQuestionSerializer.Meta.fields, "tracking_code", "author_name", "author_contact",
                  "rejection_reason", "created_at"]
        read_only_fields = fields


class QuestionTransitionSerializer(serializers.Serializer):
    target = NamedChoiceField(choices=Question.Status.choices, enum_name="QuestionStatusEnum")
    reason = CleanTextSerializerField(multiline=False, required=False, allow_blank=True, default="",
                                      max_length=limits.LINE)
    answer = CleanTextSerializerField(max_length=limits.ANSWER, required=False, allow_blank=True, default="")
    referred_to = serializers.SlugRelatedField(slug_field="slug", queryset=Body.objects.all(), required=False,
                                               allow_null=True, default=None)


# --- Authentication ---------------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    otp_token = serializers.CharField(max_length=16, required=False, allow_blank=True, default="",
                                      help_text="A code from the authenticator app (or a recovery code); required "
                                                "for staff when two-factor authentication is on.")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Send it as `Authorization: Token <token>`.')
