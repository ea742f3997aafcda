from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from kezdesu.api import views
from kezdesu.meetings.models import Commitment, Meeting
from kezdesu.questions.models import Question
from kezdesu.registry.models import Region

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("bodies", views.BodyViewSet, basename="body")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("questions", views.QuestionViewSet, basename="question")
router.register("staff/meetings", views.StaffMeetingViewSet, basename="staff-meeting")
router.register("staff/questions", views.StaffQuestionViewSet, basename="staff-question")

# Several models have a `status` or `kind`; named enums keep the schema's components stable and readable.
SCHEMA_SETTINGS = {
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": Meeting.Status.choices,
        "MeetingKindEnum": Meeting.Kind.choices,
        "QuestionStatusEnum": Question.Status.choices,
        "CommitmentStatusEnum": Commitment.Status.choices,
        "RegionKindEnum": Region.Kind.choices,
    },
}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(custom_settings=SCHEMA_SETTINGS), name="api-schema"),
    path("", include(router.urls)),
]
