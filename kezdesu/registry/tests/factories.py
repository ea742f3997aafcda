import datetime as dt

import factory

from kezdesu.registry.models import Body, Head, Region, Sector


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    kato_code = factory.Sequence(lambda n: f"9{n:08d}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    name_kk = factory.Sequence(lambda n: f"Өңір {n}")
    name_ru = factory.Sequence(lambda n: f"Регион {n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")
    kind = Region.Kind.OBLAST
    centre_kk = "Орталық"
    centre_ru = "Центр"
    centre_en = "Centre"
    population = 500_000
    population_year = 2024


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    slug = factory.Sequence(lambda n: f"body-{n}")
    name_kk = factory.Sequence(lambda n: f"Министрлік {n}")
    name_ru = factory.Sequence(lambda n: f"Министерство {n}")
    name_en = factory.Sequence(lambda n: f"Ministry {n}")
    valid_from = dt.date(2024, 1, 1)


class HeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Head

    body = factory.SubFactory(BodyFactory)
    full_name_kk = "Әлиев Қайрат"
    full_name_ru = "Алиев Кайрат"
    full_name_en = "Kairat Aliyev"
    start = dt.date(2024, 1, 1)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name_kk = factory.Sequence(lambda n: f"Сала {n}")
    name_ru = factory.Sequence(lambda n: f"Сфера {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
