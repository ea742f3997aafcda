"""The schematic map: every region of the reference data has a tile of its own, named briefly in each language."""

import pytest
from django.utils import translation

from kezdesu.registry.map import COLUMNS, LAYOUT, ROWS, region_map
from kezdesu.registry.models import Region

pytestmark = pytest.mark.django_db


def test_every_region_has_its_own_tile(reference):
    slugs = set(Region.objects.values_list("slug", flat=True))
    assert len(slugs) == 20 and set(LAYOUT) == slugs
    places = list(LAYOUT.values())
    assert len(set(places)) == 20
    assert all(0 <= col < COLUMNS and 0 <= row < ROWS for col, row in places)


def test_the_map_is_drawn_in_the_reader_language(reference):
    regions = Region.objects.order_by("kato_code")

    def value(region):
        n = 2 if region.slug == "turkistan" else 0
        return str(n), n, f"{region.name}: {n}", str(n)

    with translation.override("ru"):
        drawn = region_map(regions=regions, title="t", value=value, legend=[], value_heading="h")
    tiles = {t.slug: t for t in drawn.tiles}
    assert tiles["north-kazakhstan"].lines == ("Северо-", "Казахстанская")
    assert tiles["abai"].lines == ("Абай",) and tiles["astana"].lines == ("Астана",)
    assert tiles["turkistan"].value == "2" and tiles["turkistan"].level == 2
    assert tiles["astana"].city and not tiles["akmola"].city
    with translation.override("kk"):
        names = {r.slug: r.short_name for r in regions}
    assert names["almaty"] == "Алматы" and names["almaty-region"] == "Алматы облысы"  # never the same name twice
    with translation.override("en"):
        drawn = region_map(regions=regions, title="t", value=value, legend=[], value_heading="h")
    names = [" ".join(t.lines) for t in drawn.tiles]
    assert len(set(names)) == 20 and "Almaty Region" in names and "West Kazakhstan" in names
