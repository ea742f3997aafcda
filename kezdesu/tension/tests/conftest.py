import pytest

from kezdesu.registry.models import Region, Sector
from kezdesu.tension.tests.factories import history


@pytest.fixture
def cells(reference):
    mangystau, jobs = Region.objects.get(slug="mangystau"), Sector.objects.get(slug="jobs-wages")
    abai, health = Region.objects.get(slug="abai"), Sector.objects.get(slug="health")
    history(abai, health, seed=2)
    history(mangystau, jobs, last=40, signatories=120, seed=3,
            texts=["Жұмысшылар аштық жариялады, жалақы төленбеді", "Рабочие объявили забастовку"])
    return mangystau, jobs, abai, health
