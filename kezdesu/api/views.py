from rest_framework import permissions, viewsets

from kezdesu.api.serializers import BodySerializer, RegionSerializer, SectorSerializer
from kezdesu.registry.models import Body, Region, Sector


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
