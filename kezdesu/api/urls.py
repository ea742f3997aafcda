from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from kezdesu.api import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("bodies", views.BodyViewSet, basename="body")
router.register("sectors", views.SectorViewSet, basename="sector")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include(router.urls)),
]
