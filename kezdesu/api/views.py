"""API views: validate → call a service or selector → serialize. Public views need no account;
staff views take a session or a token and see what the same user sees on the pages."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import authentication, mixins, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from kezdesu.api import filters
from kezdesu.api.serializers import (
    BodySerializer,
    CommitmentSerializer,
    ErrorSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    MeetingTransitionSerializer,
    PublicQuestionSerializer,
    QuestionReceiptSerializer,
    QuestionSubmitSerializer,
    QuestionTransitionSerializer,
    RegionSerializer,
    SectorSerializer,
    StaffMeetingSerializer,
    StaffQuestionSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    TrackedQuestionSerializer,
)
from kezdesu.core.errors import ApplicationError
from kezdesu.core.locale import language
from kezdesu.core.network import client_ip
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.services import meeting_transition
from kezdesu.portal import selectors
from kezdesu.portal.pagecache import public_page
from kezdesu.questions.models import Question
from kezdesu.questions.services import question_submit, question_transition
from kezdesu.registry.models import Body, Region, Sector
from kezdesu.users.auth import needs_second_factor
from kezdesu.users.errors import UsersError
from kezdesu.users.roles import can
from kezdesu.users.services import second_factor_verify

ERROR = OpenApiResponse(ErrorSerializer, description='`{"detail": …, "code": …}`')
INVALID_FILTER = {400: OpenApiResponse(ErrorSerializer, description="A filter value is not valid.")}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="Not found (or not public).")}
STAFF_ERRORS = {401: ERROR, 403: ERROR}


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions and cities of republican significance (public reference data)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = RegionSerializer
    queryset = Region.objects.order_by("kato_code")
    lookup_field = "slug"


class BodyViewSet(viewsets.ReadOnlyModelViewSet):
    """Central executive bodies with their exemption under clause 1 (public reference data)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = BodySerializer
    queryset = Body.objects.select_related("predecessor").order_by("slug")
    lookup_field = "slug"


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    """Sectors of citizens' issues and the bodies responsible for each (public reference data)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = SectorSerializer
    queryset = Sector.objects.prefetch_related("bodies").order_by("slug")
    lookup_field = "slug"


class _Public:
    # No authentication at all: these answer everybody the same, and a session needs no CSRF token here.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    filter_backends = [DjangoFilterBackend]
    # The data a list shows: its answers are kept in the shared page cache until one of these changes.
    cache_scopes: tuple[str, ...] = ("meetings",)

    def dispatch(self, request, *args, **kwargs):
        if self.action_map.get(request.method.lower()) == "list":
            cached = public_page(*self.cache_scopes, by_accept=True)(super().dispatch)
            return cached(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="Public meetings (announced, held, results recorded)", responses={
        200: MeetingSerializer(many=True), **INVALID_FILTER}),
    retrieve=extend_schema(summary="A public meeting with its results, published questions and commitments",
                           responses={200: MeetingDetailSerializer, **NOT_FOUND}),
)
class MeetingViewSet(_Public, viewsets.ReadOnlyModelViewSet):
    filterset_class = filters.PublicMeetingFilter

    def get_queryset(self):
        meetings = selectors.public_meetings().prefetch_related("cohosts__body", "cohosts__head") \
            .order_by("starts_at", "id")
        if self.action == "retrieve":
            meetings = meetings.select_related("result").prefetch_related(
                Prefetch("questions", queryset=selectors.public_questions().order_by("-origin", "published_at", "id"),
                         to_attr="public_questions"),
                Prefetch("commitments", queryset=selectors.public_commitments().order_by("deadline", "id"),
                         to_attr="public_commitments"),
            )
        return meetings

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer


@extend_schema_view(
    list=extend_schema(summary="Commitments made at public meetings", responses={
        200: CommitmentSerializer(many=True), **INVALID_FILTER}),
    retrieve=extend_schema(summary="One commitment", responses={200: CommitmentSerializer, **NOT_FOUND}),
)
class CommitmentViewSet(_Public, viewsets.ReadOnlyModelViewSet):
    cache_scopes = ("meetings", "commitments")
    serializer_class = CommitmentSerializer
    filterset_class = filters.CommitmentFilter

    def get_queryset(self):
        return selectors.public_commitments().order_by("deadline", "id")


@extend_schema_view(
    list=extend_schema(summary="Published questions (never their authors)", responses={
        200: PublicQuestionSerializer(many=True), **INVALID_FILTER}),
    retrieve=extend_schema(summary="One published question", responses={
        200: PublicQuestionSerializer, **NOT_FOUND}),
)
class QuestionViewSet(_Public, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    cache_scopes = ("meetings", "questions")
    serializer_class = PublicQuestionSerializer
    filterset_class = filters.PublicQuestionFilter

    def get_queryset(self):
        return selectors.public_questions().order_by("-published_at", "-id")

    @extend_schema(
        summary="Ask a question in advance of an announced meeting",
        description="At most 5 questions per client per hour. The name and contact are kept private. "
                    "Answers 201 with the tracking code.",
        request=QuestionSubmitSerializer,
        responses={201: QuestionReceiptSerializer,
                   400: OpenApiResponse(ErrorSerializer, description="Not valid, or the meeting is not open."),
                   429: OpenApiResponse(ErrorSerializer, description="Too many questions from this client.")},
    )
    def create(self, request, *args, **kwargs):
        incoming = QuestionSubmitSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        question = question_submit(
            meeting=data["meeting"], text=data["text"], region=data.get("region"), sector=data.get("sector"),
            author_name=data.get("author_name", ""), author_contact=data.get("author_contact", ""),
            honeypot=data.get("website", ""), language=language(),
            client_ip=client_ip(request),
        )
        return Response(QuestionReceiptSerializer(question).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Follow a question by its tracking code",
                   responses={200: TrackedQuestionSerializer, **NOT_FOUND})
    @action(detail=False, methods=["get"], url_path=r"track/(?P<code>[A-Za-z0-9-]{1,20})",
            filter_backends=[], pagination_class=None)
    def track(self, request, code: str):
        question = selectors.question_by_code(code)
        if question is None:
            raise NotFound
        return Response(TrackedQuestionSerializer(question).data)


class HasCapability(permissions.BasePermission):
    """Allow users whose role has the view's `capability` (see kezdesu.users.roles)."""

    def has_permission(self, request, view) -> bool:
        return can(request.user, view.capability)


class _Staff:
    # Token first, so that a request without credentials is told how to authenticate (401, not 403).
    authentication_classes = [authentication.TokenAuthentication, authentication.SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    filter_backends = [DjangoFilterBackend]


@extend_schema_view(
    list=extend_schema(summary="Meetings in your scope", responses={
        200: StaffMeetingSerializer(many=True), **INVALID_FILTER, **STAFF_ERRORS}),
    retrieve=extend_schema(summary="A meeting in your scope", responses={
        200: StaffMeetingSerializer, **NOT_FOUND, **STAFF_ERRORS}),
)
class StaffMeetingViewSet(_Staff, viewsets.ReadOnlyModelViewSet):
    capability = "meeting.view"
    serializer_class = StaffMeetingSerializer
    filterset_class = filters.StaffMeetingFilter

    def get_queryset(self):
        return (Meeting.objects.visible_to(self.request.user).select_related("body", "region", "head")
                .prefetch_related("cohosts__body", "cohosts__head").order_by("starts_at", "id"))

    @extend_schema(
        summary="Move a meeting to another status",
        description="The lifecycle table decides who may move a meeting from which status to which.",
        request=MeetingTransitionSerializer,
        responses={200: StaffMeetingSerializer, 400: ERROR, **NOT_FOUND, **STAFF_ERRORS,
                   409: OpenApiResponse(ErrorSerializer, description="Changed by someone else (version).")},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def transition(self, request, pk=None):
        incoming = MeetingTransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        meeting = meeting_transition(actor=request.user, meeting=self.get_object(), **incoming.validated_data)
        return Response(StaffMeetingSerializer(meeting, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(summary="Questions for moderators, with their authors", responses={
        200: StaffQuestionSerializer(many=True), **INVALID_FILTER, **STAFF_ERRORS}),
    retrieve=extend_schema(summary="A question, with its author", responses={
        200: StaffQuestionSerializer, **NOT_FOUND, **STAFF_ERRORS}),
)
class StaffQuestionViewSet(_Staff, viewsets.ReadOnlyModelViewSet):
    capability = "question.moderate"
    serializer_class = StaffQuestionSerializer
    filterset_class = filters.StaffQuestionFilter

    def get_queryset(self):
        return (Question.objects.visible_to(self.request.user)
                .select_related("meeting", "region", "sector", "referred_to").order_by("created_at", "id"))

    @extend_schema(
        summary="Publish, reject or answer a question",
        request=QuestionTransitionSerializer,
        responses={200: StaffQuestionSerializer, 400: ERROR, **NOT_FOUND, **STAFF_ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def transition(self, request, pk=None):
        incoming = QuestionTransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        question = question_transition(actor=request.user, question=self.get_object(), **incoming.validated_data)
        return Response(StaffQuestionSerializer(question).data)


class TokenObtainView(APIView):
    """Exchange a staff account's password (and one-time code) for an API token.

    Guarded like the login pages: repeated failures lock the account and the address out (429).
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Get an API token",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer,
                   400: OpenApiResponse(ErrorSerializer, description="Wrong credentials or one-time code."),
                   403: OpenApiResponse(ErrorSerializer, description="Two-factor authentication not set up."),
                   429: OpenApiResponse(ErrorSerializer, description="Locked out after repeated failures.")},
    )
    def post(self, request):
        incoming = TokenRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        # Django's request, not DRF's wrapper: django-axes records the attempt and the lock-out on it.
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if getattr(request._request, "axes_locked_out", False):
            raise ApplicationError(UsersError.LOCKED_OUT)
        if user is None or not user.is_active:
            raise ApplicationError(UsersError.BAD_CREDENTIALS)
        if needs_second_factor(user):
            second_factor_verify(user=user, token=data["otp_token"])
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
