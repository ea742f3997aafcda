from rest_framework import serializers

from kezdesu.registry.models import Body, Region, Sector


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["slug", "kato_code", "kind", "name_kk", "name_ru", "name_en", "centre_kk", "centre_ru",
                  "centre_en", "population", "population_year", "population_confirmed"]


class BodySerializer(serializers.ModelSerializer):
    predecessor = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Body
        fields = ["slug", "name_kk", "name_ru", "name_en", "exempt", "exempt_basis", "valid_from", "valid_to",
                  "predecessor"]


class SectorSerializer(serializers.ModelSerializer):
    bodies = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Sector
        fields = ["slug", "name_kk", "name_ru", "name_en", "bodies"]
