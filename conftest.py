import pytest


@pytest.fixture
def reference(db):
    """The real reference data (regions, bodies, sectors, moved days) as `load_reference` loads it."""
    from kezdesu.registry.services import reference_load

    return reference_load(actor=None)


@pytest.fixture
def cells(reference):
    """Two appeal series: quiet health appeals in Abai, a hunger-strike spike in Mangystau's jobs."""
    from kezdesu.registry.models import Region, Sector
    from kezdesu.tension.tests.factories import history
    mangystau, jobs = Region.objects.get(slug="mangystau"), Sector.objects.get(slug="jobs-wages")
    abai, health = Region.objects.get(slug="abai"), Sector.objects.get(slug="health")
    history(abai, health, seed=2)
    history(mangystau, jobs, last=40, signatories=120, seed=3,
            texts=["Жұмысшылар аштық жариялады, жалақы төленбеді", "Рабочие объявили забастовку"])
    return mangystau, jobs, abai, health
