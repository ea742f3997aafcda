"""Writes to the registry: loading the reference files is an audited, idempotent upsert."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.models import CalendarOverride
from kezdesu.registry.models import Body, Region, Sector

DATA_DIR = Path(__file__).resolve().parent / "data"
_KK_PREFIX = ("Қазақстан Республикасының ", "Қазақстан Республикасы ")
_RU_SUFFIX = " Республики Казахстан"
_EN_SUFFIX = " of the Republic of Kazakhstan"


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def _rows(name: str, data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _yes(value: str) -> bool:
    return value.strip().lower() in {"yes", "true", "1"}


def _upsert(model, *, actor, lookup: dict, values: dict, counts: LoadCounts):
    """Create or update one row and audit the change; an identical row is left untouched."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        audit_record(actor=actor, action=f"{model._meta.model_name}.load", obj=obj, before=None,
                     after=snapshot(obj), comment="load_reference")
        counts.created += 1
        return obj
    before = snapshot(obj)
    for key, value in values.items():
        setattr(obj, key, value)
    after = snapshot(obj)
    if after == before:
        counts.unchanged += 1
        return obj
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=f"{model._meta.model_name}.load", obj=obj, before=before, after=after,
                 comment="load_reference")
    counts.updated += 1
    return obj


def _short(name: str, *, prefixes=(), suffix="") -> str:
    for prefix in prefixes:
        if name.startswith(prefix):
            name = name[len(prefix):]
    if suffix and name.endswith(suffix):
        name = name[: -len(suffix)]
    return name[:1].upper() + name[1:]


@transaction.atomic
def reference_load(*, actor=None, data_dir: Path = DATA_DIR) -> LoadCounts:
    """Load regions, bodies, sectors and moved days from the data files; returns what changed.

    Running it twice changes nothing the second time.
    """
    counts = LoadCounts()
    for row in _rows("regions.csv", data_dir):
        _upsert(Region, actor=actor, lookup={"slug": row["slug"]}, counts=counts, values={
            "kato_code": row["kato_code"], "name_kk": row["name_kk"], "name_ru": row["name_ru"],
            "name_en": row["name_en"], "kind": row["kind"], "centre_kk": row["centre_kk"],
            "centre_ru": row["centre_ru"], "centre_en": row["centre_en"], "population": int(row["population"]),
            "population_year": int(row["population_year"]), "population_confirmed": _yes(row["confirmed"]),
        })
    body_rows = _rows("bodies.csv", data_dir)
    for row in body_rows:
        _upsert(Body, actor=actor, lookup={"slug": row["slug"]}, counts=counts, values={
            "name_kk": row["name_kk"], "name_ru": row["name_ru"], "name_en": row["name_en"],
            "short_kk": _short(row["name_kk"], prefixes=_KK_PREFIX),
            "short_ru": _short(row["name_ru"], suffix=_RU_SUFFIX),
            "short_en": _short(row["name_en"], suffix=_EN_SUFFIX),
            "exempt": _yes(row["exempt"]), "exempt_basis": row["exempt_basis"],
            "valid_from": dt.date.fromisoformat(row["valid_from"]),
            "valid_to": dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            "basis": row["basis"], "confirmed": _yes(row["confirmed"]),
        })
    bodies = {b.slug: b for b in Body.objects.all()}
    for row in body_rows:
        if row["predecessor"]:
            _upsert(Body, actor=actor, lookup={"slug": row["slug"]}, counts=counts,
                    values={"predecessor": bodies[row["predecessor"]]})
    for row in _rows("sectors.csv", data_dir):
        sector = _upsert(Sector, actor=actor, lookup={"slug": row["slug"]}, counts=counts, values={
            "name_kk": row["name_kk"], "name_ru": row["name_ru"], "name_en": row["name_en"],
            "keywords": row["keywords"],
        })
        wanted = {bodies[s].pk for s in row["bodies"].split(";") if s}
        current = set(sector.bodies.values_list("pk", flat=True))
        if wanted != current:
            sector.bodies.set(wanted)
            audit_record(actor=actor, action="sector.bodies", obj=sector, before={"bodies": sorted(current)},
                         after={"bodies": sorted(wanted)}, comment="load_reference")
            counts.updated += 1
    for row in _rows("moved_days.csv", data_dir):
        _upsert(CalendarOverride, actor=actor, lookup={"date": dt.date.fromisoformat(row["date"])},
                counts=counts, values={
                    "kind": row["kind"], "name_kk": row["name_kk"], "name_ru": row["name_ru"],
                    "name_en": row["name_en"], "basis": row["basis"],
                })
    counts.by_kind = {
        "regions": Region.objects.count(),
        "bodies": Body.objects.count(),
        "exempt": Body.objects.filter(exempt=True).count(),
        "sectors": Sector.objects.count(),
        "moved_days": CalendarOverride.objects.count(),
    }
    return counts
