import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from kezdesu.core.models import AuditEvent
from kezdesu.registry.models import Body, Region, Sector

pytestmark = pytest.mark.django_db
EXEMPT = {"defence", "foreign-affairs", "emergency-situations", "internal-affairs", "justice"}


def _json(*args) -> dict:
    out = io.StringIO()
    call_command("load_reference", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_load_reference_counts_and_is_idempotent():
    first = _json()
    assert first["regions"] == 20 and first["exempt"] == 5
    assert first["bodies"] >= 21 and 15 <= first["sectors"] <= 21
    events = AuditEvent.objects.count()
    second = _json()
    assert second["created"] == second["updated"] == 0
    assert AuditEvent.objects.count() == events


def test_exactly_the_five_ministries_of_clause_1_are_exempt_with_basis(reference):
    exempt = Body.objects.filter(exempt=True)
    assert set(exempt.values_list("slug", flat=True)) == EXEMPT
    assert all("No. 12" in b.exempt_basis for b in exempt)


def test_exempt_body_without_basis_is_refused_by_the_database(reference):
    with pytest.raises(IntegrityError), transaction.atomic():
        Body.objects.filter(slug="defence").update(exempt_basis="")


def test_regions_have_three_languages_and_kato(reference):
    almaty = Region.objects.get(kato_code="750000000")
    assert (almaty.name_kk, almaty.name_ru, almaty.name_en) == ("Алматы қаласы", "город Алматы", "Almaty")
    assert Region.objects.filter(kind=Region.Kind.CITY).count() == 3
    with translation.override("ru"):
        assert str(almaty) == "город Алматы"
    with translation.override("kk"):
        assert str(almaty) == "Алматы қаласы"


def test_renaming_keeps_history(reference):
    old = Body.objects.get(slug="digital-development")
    new = old.successor
    assert new.slug == "ai-digital-development"
    assert Body.objects.valid_on(dt.date(2025, 3, 1)).filter(pk=old.pk).exists()
    assert not Body.objects.valid_on(dt.date(2025, 12, 1)).filter(pk=old.pk).exists()
    assert Body.objects.valid_on(dt.date(2025, 12, 1)).filter(pk=new.pk).exists()
    assert set(Body.objects.valid_during(dt.date(2025, 7, 1), dt.date(2025, 12, 31))) >= {old, new}


def test_every_sector_has_a_responsible_body_and_every_covered_body_a_sector(reference):
    assert not Sector.objects.filter(bodies__isnull=True).exists()
    for body in Body.objects.filter(exempt=False):
        assert body.sectors.exists(), body.slug


def test_edited_reference_is_restored_and_audited(reference):
    Region.objects.filter(slug="abai").update(population=1)
    result = _json()
    assert result["updated"] == 1
    assert Region.objects.get(slug="abai").population == 603000
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.before["population"] == 1 and event.after["population"] == 603000
