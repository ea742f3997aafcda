from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from kezdesu.api import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("bodies", views.BodyViewSet, basename="body")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("questions", views.QuestionViewSet, basename="question")
router.register("staff/meetings", views.StaffMeetingViewSet, basename="staff-meeting")
router.register("staff/questions", views.StaffQuestionViewSet, basename="staff-question")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("auth/token/", views.TokenObtainView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
