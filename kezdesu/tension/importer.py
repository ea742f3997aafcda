"""Reading appeals files (CSV, JSON Lines, XLSX) into validated rows. No database writes here.

Schema (one row per appeal; column names are case-insensitive):
  external_id   required, unique in the source register (≤ 64 characters)
  received_on   required, YYYY-MM-DD or DD.MM.YYYY
  region        required, KATO code, slug, or name in kk/ru/en
  sector        sector slug or name; or
  recipient_body  body slug or name (its first sector is used when `sector` is empty)
  kind          complaint | request | proposal | report (also шағым/жалоба, өтініш/заявление,
                ұсыныс/предложение, хабарлама/сообщение)
  signatories   whole number ≥ 1 (default 1); ≥ 10 marks a collective appeal
  text          optional
  language      optional, kk or ru
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kezdesu.tension.errors import RowError

REQUIRED = ("external_id", "received_on", "region", "kind")
KINDS = {
    "complaint": "complaint", "шағым": "complaint", "жалоба": "complaint",
    "request": "request", "өтініш": "request", "заявление": "request", "запрос": "request",
    "proposal": "proposal", "ұсыныс": "proposal", "предложение": "proposal",
    "report": "report", "хабарлама": "report", "сообщение": "report", "отклик": "report",
}


@dataclass(frozen=True)
class Lookups:
    """Names and codes → ids, built once from the registry by the caller."""

    regions: dict[str, int]
    sectors: dict[str, int]
    bodies: dict[str, int]
    body_sector: dict[int, int]


@dataclass(frozen=True)
class ValidRow:
    external_id: str
    received_on: dt.date
    region_id: int
    sector_id: int
    body_id: int | None
    kind: str
    signatories: int
    text: str
    language: str


@dataclass(frozen=True)
class RejectedRow:
    line: int
    external_id: str
    code: str


def detect_format(name: str) -> str | None:
    suffix = Path(name).suffix.lower()
    return {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}.get(suffix)


@contextmanager
def open_rows(path: Path, file_format: str) -> Iterator[tuple[list[str], Iterator[tuple[int, dict]]]]:
    """Open the file and yield its header and an iterator of (line number, row dict)."""
    if file_format == "csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            reader.fieldnames = header
            yield header, ((i + 2, row) for i, row in enumerate(reader))
    elif file_format == "jsonl":
        with path.open(encoding="utf-8") as fh:
            yield list(REQUIRED), _json_lines(fh)
    elif file_format == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            header = [str(h or "").strip().lower() for h in next(rows, ())]
            yield header, ((i + 2, dict(zip(header, r, strict=False))) for i, r in enumerate(rows))
        finally:
            workbook.close()
    else:
        raise ValueError(file_format)


def _json_lines(fh) -> Iterator[tuple[int, dict]]:
    for i, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            value = {}
        yield i, {str(k).lower(): v for k, v in value.items()} if isinstance(value, dict) else {}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = _text(value)
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def validate(line: int, row: dict, lookups: Lookups, today: dt.date, seen: set[str]
             ) -> ValidRow | RejectedRow:
    """Check one row against the schema; returns the clean row or the reason it is rejected."""
    external_id = _text(row.get("external_id"))
    if not external_id:
        return RejectedRow(line, "", RowError.MISSING_ID)
    if len(external_id) > 64:
        return RejectedRow(line, external_id[:64], RowError.TOO_LONG)
    if external_id in seen:
        return RejectedRow(line, external_id, RowError.DUPLICATE_IN_FILE)
    received = _date(row.get("received_on"))
    if received is None:
        return RejectedRow(line, external_id, RowError.BAD_DATE)
    if received > today:
        return RejectedRow(line, external_id, RowError.FUTURE_DATE)
    region_id = lookups.regions.get(_text(row.get("region")).casefold())
    if region_id is None:
        return RejectedRow(line, external_id, RowError.UNKNOWN_REGION)
    body_id = lookups.bodies.get(_text(row.get("recipient_body")).casefold())
    sector_id = lookups.sectors.get(_text(row.get("sector")).casefold())
    if sector_id is None and body_id is not None:
        sector_id = lookups.body_sector.get(body_id)
    if sector_id is None:
        return RejectedRow(line, external_id, RowError.UNKNOWN_SECTOR)
    kind = KINDS.get(_text(row.get("kind")).casefold())
    if kind is None:
        return RejectedRow(line, external_id, RowError.BAD_KIND)
    raw_sign = _text(row.get("signatories")) or "1"
    try:
        signatories = int(float(raw_sign)) if raw_sign.replace(".", "", 1).isdigit() else int(raw_sign)
    except ValueError:
        return RejectedRow(line, external_id, RowError.BAD_SIGNATORIES)
    if signatories < 1:
        return RejectedRow(line, external_id, RowError.BAD_SIGNATORIES)
    language = _text(row.get("language")).lower()[:2]
    seen.add(external_id)
    return ValidRow(external_id, received, region_id, sector_id, body_id, kind, signatories,
                    _text(row.get("text")), language if language in ("kk", "ru") else "")


Progress = Callable[[int], None]
