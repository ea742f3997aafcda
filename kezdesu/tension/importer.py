"""Reading appeals files (CSV, JSON Lines, XLSX) into validated rows. No database writes here.

Schema (one row per appeal; column names are case-insensitive):
  external_id   required, unique in the source register (≤ 64 characters)
  received_on   required, YYYY-MM-DD or DD.MM.YYYY
  region        required, KATO code, slug, or name in kk/ru/en
  sector        sector slug or name; or
  recipient_body  body slug or name (its first sector is used when `sector` is empty)
  kind          complaint | request | proposal | report (also шағым/жалоба, өтініш/заявление,
                ұсыныс/предложение, хабарлама/сообщение)
  signatories   whole number from 1 to 10,000,000 (default 1); ≥ 10 marks a collective appeal
  text          optional, ≤ 10,000 characters
  language      optional, kk or ru

Limits (settings.IMPORT_LIMITS, from the environment): the file's size, its number of rows, the length
of a line and of a field, the nesting depth of a JSON line, and for XLSX the total uncompressed size of
the archive and its compression ratio, checked before openpyxl opens it. A file beyond a file limit is
refused as a whole (ApplicationError); a row beyond a row limit is rejected with its reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from openpyxl.utils.exceptions import InvalidFileException

from kezdesu.core import limits as text_limits
from kezdesu.core.errors import ApplicationError
from kezdesu.core.fields import clean_text
from kezdesu.tension.errors import ImportError_, RowError

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
class Limits:
    """What an appeals file may hold; `from_settings()` reads settings.IMPORT_LIMITS."""

    max_bytes: int
    max_rows: int
    max_field_chars: int
    max_line_chars: int
    max_xlsx_uncompressed_bytes: int
    max_xlsx_ratio: int
    max_json_depth: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(**{key.lower(): value for key, value in settings.IMPORT_LIMITS.items()})


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


def check_file(path: Path, file_format: str, limits: Limits) -> None:
    """Refuse a file beyond the file limits before anything parses it. Raises ApplicationError."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise ApplicationError(ImportError_.TOO_LARGE, size=megabytes(size), limit=megabytes(limits.max_bytes))
    if file_format != "xlsx":
        return
    # An XLSX file is a zip archive: a small file can expand to gigabytes (a "zip bomb") inside openpyxl.
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as err:
        raise ApplicationError(ImportError_.NOT_XLSX) from err
    expanded = sum(e.file_size for e in entries)
    if expanded > limits.max_xlsx_uncompressed_bytes:
        raise ApplicationError(ImportError_.XLSX_TOO_LARGE, size=megabytes(expanded),
                               limit=megabytes(limits.max_xlsx_uncompressed_bytes))
    if expanded > limits.max_xlsx_ratio * max(size, 1):
        raise ApplicationError(ImportError_.XLSX_RATIO, ratio=expanded // max(size, 1), limit=limits.max_xlsx_ratio)


def megabytes(size: int) -> str:
    """Returns a size in megabytes for messages: "50", "0.02"."""
    return f"{size / 1_000_000:.2f}".rstrip("0").rstrip(".")


@contextmanager
def open_rows(path: Path, file_format: str, limits: Limits | None = None
              ) -> Iterator[tuple[list[str], Iterator[tuple[int, dict]]]]:
    """Open the file and yield its header and an iterator of (line number, row dict).

    Raises ApplicationError for a file beyond the limits or one that cannot be parsed; the iterator
    raises it too, when reading reaches a line that is too long or one row too many.
    """
    limits = limits or Limits.from_settings()
    check_file(path, file_format, limits)
    if file_format == "csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(_bounded_lines(fh, limits.max_line_chars))
            header = [h.strip().lower() for h in _reading(lambda: reader.fieldnames) or []]
            reader.fieldnames = header
            yield header, _counted(((i + 2, row) for i, row in enumerate(reader)), limits.max_rows)
    elif file_format == "jsonl":
        with path.open(encoding="utf-8") as fh:
            yield list(REQUIRED), _counted(_json_lines(_bounded_lines(fh, limits.max_line_chars),
                                                       limits.max_json_depth), limits.max_rows)
    elif file_format == "xlsx":
        from openpyxl import load_workbook

        workbook = _reading(lambda: load_workbook(path, read_only=True, data_only=True))
        try:
            rows = _reading(lambda: workbook.worksheets[0].iter_rows(values_only=True))
            header = [str(h or "").strip().lower() for h in _reading(lambda: next(rows, ()))]
            yield header, _counted(((i + 2, dict(zip(header, r, strict=False))) for i, r in enumerate(rows)),
                                   limits.max_rows)
        finally:
            workbook.close()
    else:
        raise ValueError(file_format)


# What the parsers raise on a malformed file: turned into one translated refusal of the whole file.
_PARSE_ERRORS = (csv.Error, zipfile.BadZipFile, InvalidFileException, json.JSONDecodeError, UnicodeDecodeError,
                 KeyError, IndexError, ValueError, TypeError, EOFError, OSError, RecursionError)


def _reading(read: Callable):
    try:
        return read()
    except ApplicationError:
        raise
    except _PARSE_ERRORS as err:
        raise ApplicationError(ImportError_.UNREADABLE, reason=type(err).__name__) from err


def _bounded_lines(lines: Iterable[str], max_chars: int) -> Iterator[str]:
    for number, line in enumerate(lines, start=1):
        if len(line) > max_chars:
            raise ApplicationError(ImportError_.LINE_TOO_LONG, line=number, limit=max_chars)
        yield line


def _counted(rows: Iterator[tuple[int, dict]], max_rows: int) -> Iterator[tuple[int, dict]]:
    count = 0
    while True:
        item = _reading(lambda: next(rows, None))
        if item is None:
            return
        count += 1
        if count > max_rows:
            raise ApplicationError(ImportError_.TOO_MANY_ROWS, limit=max_rows)
        yield item


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]")


def json_depth(line: str) -> int:
    """Returns how deeply the JSON text nests arrays and objects (strings do not count)."""
    depth = deepest = 0
    for char in _NOT_BRACKET.sub("", _JSON_STRING.sub("", line)):
        depth += 1 if char in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _json_lines(lines: Iterable[str], max_depth: int) -> Iterator[tuple[int, dict]]:
    for i, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if json_depth(line) > max_depth:
            yield i, {_PROBLEM: RowError.TOO_DEEP}
            continue
        try:
            value = json.loads(line)
        except (json.JSONDecodeError, RecursionError, ValueError):
            value = None
        if isinstance(value, dict):
            yield i, {str(k).lower(): v for k, v in value.items()}
        else:
            yield i, {_PROBLEM: RowError.NOT_AN_OBJECT}


_PROBLEM = object()  # a key no file can carry (keys read from files are strings): the reader's verdict


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _clean_line(value: str) -> str:
    # Most identifiers are plain printable text: nothing to clean, and no regular expression to run.
    return value if value.isprintable() else clean_text(value, multiline=False)


_DATES: dict[str, dt.date | None] = {}  # a file holds a few thousand distinct dates among millions of rows


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = _text(value)
    if raw in _DATES:
        return _DATES[raw]
    parsed = None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            parsed = dt.datetime.strptime(raw, fmt).date()
            break
        except ValueError:
            continue
    if len(_DATES) > 100_000:  # bounded whatever the file holds
        _DATES.clear()
    _DATES[raw] = parsed
    return parsed


def _whole_number(value) -> int | None:
    """Returns the signatories as an int in range, 1 when empty, or None (1.5, "many", 10**20, True…)."""
    if value is None or value == "":
        return 1
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        number = int(value) if value.is_integer() else None
    elif isinstance(value, int):
        number = value
    else:
        raw = _text(value)
        if not raw:
            return 1
        number = int(raw) if raw.isdigit() and len(raw) <= 12 else (
            int(raw.split(".")[0]) if re.fullmatch(r"\d{1,12}(\.0*)?", raw) else None)
    return number if number is not None and 1 <= number <= text_limits.SIGNATORIES_MAX else None


def _shape_problem(row: dict, max_field: int) -> tuple[str, str] | None:
    """Returns (external id as far as it can be shown, reason) for a row whose values break the limits."""
    values = [v for v in row.values() if isinstance(v, str)]
    raw_id = _text(row.get("external_id"))[:64]
    if any("\x00" in v for v in values):
        return clean_text(raw_id.replace("\x00", ""), multiline=False), RowError.NUL_CHARACTER
    if any(len(v) > max_field for v in values):
        return clean_text(raw_id, multiline=False), RowError.TOO_LONG
    if any(isinstance(v, list | dict) for v in row.values()):
        return clean_text(raw_id, multiline=False), RowError.TOO_DEEP
    return None


def _place(row: dict, lookups: Lookups) -> tuple[int | None, int | None, int | None]:
    """Returns (region id, sector id, recipient body id) the row names; None where it names none known."""
    region_id = lookups.regions.get(_text(row.get("region")).casefold())
    body_id = lookups.bodies.get(_text(row.get("recipient_body")).casefold())
    sector_id = lookups.sectors.get(_text(row.get("sector")).casefold())
    if sector_id is None and body_id is not None:
        sector_id = lookups.body_sector.get(body_id)
    return region_id, sector_id, body_id


def validate(line: int, row: dict, lookups: Lookups, today: dt.date, limits: Limits | None = None
             ) -> ValidRow | RejectedRow:
    """Check one row against the schema; returns the clean row or the reason it is rejected.

    A row is judged alone: an external id repeated in the file is found when the rows are stored.
    """
    if _PROBLEM in row:
        return RejectedRow(line, "", row[_PROBLEM])
    problem = _shape_problem(row, (limits or Limits.from_settings()).max_field_chars)
    if problem is not None:
        return RejectedRow(line, *problem)
    external_id = _clean_line(_text(row.get("external_id")))
    if not external_id:
        return RejectedRow(line, "", RowError.MISSING_ID)
    if len(external_id) > 64:
        return RejectedRow(line, external_id[:64], RowError.TOO_LONG)
    received = _date(row.get("received_on"))
    if received is None:
        return RejectedRow(line, external_id, RowError.BAD_DATE)
    if received > today:
        return RejectedRow(line, external_id, RowError.FUTURE_DATE)
    region_id, sector_id, body_id = _place(row, lookups)
    if region_id is None:
        return RejectedRow(line, external_id, RowError.UNKNOWN_REGION)
    if sector_id is None:
        return RejectedRow(line, external_id, RowError.UNKNOWN_SECTOR)
    kind = KINDS.get(_text(row.get("kind")).casefold())
    if kind is None:
        return RejectedRow(line, external_id, RowError.BAD_KIND)
    signatories = _whole_number(row.get("signatories"))
    if signatories is None:
        return RejectedRow(line, external_id, RowError.BAD_SIGNATORIES)
    text = _text(row.get("text"))
    text = clean_text(text) if text else ""
    if len(text) > text_limits.APPEAL_TEXT:
        return RejectedRow(line, external_id, RowError.TOO_LONG)
    language = _text(row.get("language")).lower()[:2]
    return ValidRow(external_id, received, region_id, sector_id, body_id, kind, signatories,
                    text, language if language in ("kk", "ru") else "")


Progress = Callable[[int], None]
