import pytest


@pytest.fixture
def reference(db):
    """The real reference data (regions, bodies, sectors, moved days) as `load_reference` loads it."""
    from kezdesu.registry.services import reference_load

    return reference_load(actor=None)
