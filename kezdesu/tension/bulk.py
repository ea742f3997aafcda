"""PostgreSQL: a CSV file of appeals checked and stored set-based (decision 0121).

A plain file (no NUL byte, no quote anywhere but around a field, no line beyond the limit: what the
`csv` module and PostgreSQL's CSV reader read alike) goes to an UNLOGGED staging table as it is, in
blocks of bytes, through `COPY … (FORMAT csv)`; Python touches no row (decision 0133). Any other file,
or one PostgreSQL refuses (a row with more or fewer fields than the header, a blank line inside quotes,
bytes that are not UTF-8), is read again row by row: the `csv` module splits it into fields (so fields
are exactly what the row-by-row reader sees), applies the file limits (line length, number of rows)
and the shape checks of a row (NUL characters, a field too long, more fields than the header), and
streams each row to the staging table. Everything else happens in the database, over all rows at once:

* the few distinct values of the date, region, sector, recipient body, kind, signatories and language
  columns are read back (one scan, GROUPING SETS) and judged once each by the same functions the
  row-by-row reader uses (`importer._date`, the registry lookups, `KINDS`…); the verdicts go to a small
  mapping table that every row is joined to;
* an external id that is plain printable ASCII without surrounding spaces is used as it is (a regular
  expression in SQL); the others, and each distinct non-empty text (cleaned, length checked, escalation
  wordings found), are judged in Python once each;
* one `CASE` gives each row its reason code in the order `importer.validate` checks them, so a row is
  rejected with the same code on both databases; repeated external ids are marked `duplicate_in_file`
  (the first line wins); the rest is inserted with `ON CONFLICT (external_id) DO NOTHING`, and the
  weekly counts grow by the rows that INSERT returned, in the same statement.

Nothing in Python grows with the file except the first rejected rows found while reading.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.db import connection, transaction

from kezdesu.core import limits as text_limits
from kezdesu.core.errors import ApplicationError
from kezdesu.core.fields import clean_text
from kezdesu.tension.detectors.escalation import COLLECTIVE_SIGNATORIES, keyword_categories
from kezdesu.tension.errors import ImportError_, RowError
from kezdesu.tension.importer import (
    _PARSE_ERRORS,
    KINDS,
    REQUIRED,
    Limits,
    Lookups,
    RejectedRow,
    _clean_line,
    _date,
    _shape_problem,
    _text,
    _whole_number,
    check_file,
)
from kezdesu.tension.models import Appeal, WeeklyCount, WeeklyKeywordCount

COLUMNS = ("external_id", "received_on", "region", "sector", "recipient_body", "kind", "signatories", "text",
           "language")
# The columns judged by their distinct values (a file holds a few hundred of each among millions of rows).
MAPPED = ("received_on", "region", "sector", "recipient_body", "kind", "signatories", "language")
BLOCK_ROWS = 20_000  # rows per COPY write and per progress tick
# An external id the database may take as it is: printable ASCII, no space at either end (what
# `_clean_line(_text(value))` leaves unchanged).
PLAIN_ID = "^[!-~]([ -~]*[!-~])?$"


def applies(file_format: str) -> bool:
    """Whether a file of this format is imported set-based on this database."""
    return connection.vendor == "postgresql" and file_format == "csv"


@dataclass
class Outcome:
    """Rows read, rejected (the first `keep` kept, in line order), staged, created."""

    total: int = 0
    rejected: int = 0
    first_rejected: list[RejectedRow] = field(default_factory=list)
    staged: int = 0
    created: int = 0
    duplicates: int = 0
    checked_rejected: int = 0  # by the database, repeated ids included
    phases: dict[str, float] = field(default_factory=dict)


class _Phases:
    def __init__(self, outcome: Outcome):
        self.outcome, self.last = outcome, time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.outcome.phases[name] = self.outcome.phases.get(name, 0.0) + now - self.last
        self.last = now


class Staging:
    """An UNLOGGED table for one import: `c0 … cN` the file's columns as text, `line` the row's line."""

    def __init__(self, width: int):
        self.name = f"tension_import_raw_{uuid.uuid4().hex[:12]}"
        self.width = width

    def create(self) -> None:
        columns = ", ".join(f"c{i} text" for i in range(self.width))
        with connection.cursor() as cursor:
            # A row copied as it is gets its number in file order (the header is line 1, blank lines are
            # no rows), as the csv reader counts; a row streamed from Python brings its own.
            cursor.execute(f"CREATE UNLOGGED TABLE {self.name} ({columns}, "
                           "line integer GENERATED BY DEFAULT AS IDENTITY (START WITH 2) NOT NULL)")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for suffix in ("", "_map", "_id", "_text", "_checked"):
                cursor.execute(f"DROP TABLE IF EXISTS {self.name}{suffix}")


def _lines(fh, max_chars: int, seen: dict) -> Iterator[str]:
    """The file's lines, refusing one beyond the line limit; notes a NUL character in `seen`."""
    for number, line in enumerate(fh, start=1):
        if len(line) > max_chars:
            raise ApplicationError(ImportError_.LINE_TOO_LONG, line=number, limit=max_chars)
        if "\x00" in line:
            seen["nul"] = True
        yield line


def read_and_stage(path: Path, limits: Limits, keep: int, outcome: Outcome,
                   tick: Callable[[int], None] | None = None) -> tuple[Staging, list[str]]:
    """Read the CSV file into a new staging table; returns it and the file's header. Rows with a shape
    problem are rejected here (counted in `outcome`). Raises ApplicationError for a file limit or a
    file that cannot be read (no staging table is left then)."""
    phase = _Phases(outcome)
    check_file(path, "csv", limits)
    seen = {"nul": False}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(_lines(fh, limits.max_line_chars, seen))
        try:
            header = [h.strip().lower() for h in next(reader, [])]
        except ApplicationError:
            raise
        except _PARSE_ERRORS as err:
            raise ApplicationError(ImportError_.UNREADABLE, reason=type(err).__name__) from err
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ApplicationError(ImportError_.MISSING_COLUMNS, columns=", ".join(missing))
        staging = Staging(len(header))
        # A refused file rolls the staging table back with its rows (a savepoint inside a transaction).
        with transaction.atomic():
            staging.create()
            if _copy_as_is(path, staging, limits, outcome, tick):
                phase("file copied as it is")
                return staging, header
            _stream(reader, header, staging, limits, keep, outcome, seen, tick)
    phase("read and COPY")
    return staging, header


class _NotPlain(Exception):
    """The file holds something the two CSV readers might read differently: it is read row by row."""


# A quote neither opening a field (after a comma or a line's start) nor closing one (before a comma or the
# line's end) nor doubled: the `csv` module keeps it as a character, PostgreSQL would open a quoted part.
STRAY_QUOTE = re.compile(rb'(?<![,\n"])"(?![,\r\n"])')
# A line `\.` alone ends COPY's input early.
END_OF_COPY = re.compile(rb"\n\\\.\r?\n")
BLANK_LINES = re.compile(rb"\n(?:\r?\n)+")
BLOCK_BYTES = 1 << 22  # bytes read at a time
SEGMENT_BYTES = 1 << 26  # bytes a COPY of a plain file takes at least before progress is written


def _copy_as_is(path: Path, staging: Staging, limits: Limits, outcome: Outcome, tick) -> bool:
    """Send a plain file after its header to the staging table through PostgreSQL's CSV reader. Returns False,
    leaving the table empty, when the file is not plain or PostgreSQL refuses it (then it is read row by row);
    raises ApplicationError for more rows than the limit.

    The file goes in segments of about SEGMENT_BYTES, each its own `COPY` ending outside any quoted text:
    between two, the connection is free for `tick` (the import job writes its progress on it)."""
    columns = ", ".join(f"c{i}" for i in range(staging.width))
    sql = f"COPY {staging.name} ({columns}) FROM STDIN WITH (FORMAT csv)"
    plain = _Plain(limits)
    rows = 0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            blocks, more = plain.blocks(path), True
            while more:
                with cursor.cursor.copy(sql) as copy:
                    more = _send_segment(copy, blocks)
                rows += max(cursor.cursor.rowcount, 0)
                if rows > limits.max_rows:
                    raise ApplicationError(ImportError_.TOO_MANY_ROWS, limit=limits.max_rows)
                if tick:
                    tick(rows)
            if plain.may_be_long and _has_long_field(cursor, staging, limits.max_field_chars):
                raise _NotPlain
    except (_NotPlain, psycopg.Error):
        return False
    outcome.total = outcome.staged = rows
    return True


def _send_segment(copy, blocks: Iterator[tuple[bytes, bool]]) -> bool:
    """Write blocks to `copy` until one ends outside quotes after SEGMENT_BYTES; returns whether more follow."""
    size = 0
    for data, outside in blocks:
        copy.write(data)
        size += len(data)
        if outside and size >= SEGMENT_BYTES:
            return True
    return False


class _Plain:
    """Reads a file after its header in whole lines, checking that it is plain; `may_be_long` tells at the
    end whether a field may be longer than the field limit (a line is, or a quoted text may span lines)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.longest = 0
        self.quotes = 0  # quotes so far: an even number at a line's end is outside any quoted text

    @property
    def may_be_long(self) -> bool:
        return self.quotes > 0 or self.longest > self.limits.max_field_chars

    def blocks(self, path: Path) -> Iterator[tuple[bytes, bool]]:
        """(bytes to send, whether they end outside quotes). Raises _NotPlain."""
        carry = b""
        with path.open("rb") as fh:
            first = fh.readline(self.limits.max_line_chars + 1)
            if b'"' in first or not first.endswith(b"\n"):
                raise _NotPlain
            while block := fh.read(BLOCK_BYTES):
                window = carry + block
                end = window.rfind(b"\n") + 1
                whole, carry = window[:end], window[end:]
                if len(carry) > self.limits.max_line_chars:
                    raise _NotPlain
                if whole:
                    yield self._checked(whole)
            if carry:
                yield self._checked(carry + b"\n")

    def _checked(self, whole: bytes) -> tuple[bytes, bool]:
        self.longest = max(self.longest, _check_plain(whole, self.limits))
        self.quotes += whole.count(b'"')
        return _without_blank_lines(whole, quoted=self.quotes > 0), self.quotes % 2 == 0


def _check_plain(whole: bytes, limits: Limits) -> int:
    """Whole lines (each ending with a line feed) that both readers read alike; returns the longest line's
    length in bytes (never fewer than its characters). Raises _NotPlain."""
    longest = max(map(len, whole.split(b"\n")))
    if b"\x00" in whole or longest > limits.max_line_chars:
        raise _NotPlain
    framed = b"\n" + whole
    if b"\\." in whole and END_OF_COPY.search(framed):
        raise _NotPlain
    if b'"' in whole and STRAY_QUOTE.search(framed):
        raise _NotPlain
    return longest


def _without_blank_lines(whole: bytes, *, quoted: bool) -> bytes:
    """The csv reader skips a blank line and does not count it; PostgreSQL would refuse it. Outside quotes
    they are dropped here; a file with quotes and blank lines is read row by row (the blank line may be
    inside a quoted text)."""
    framed = b"\n" + whole
    if b"\n\n" not in framed and b"\n\r\n" not in framed:
        return whole
    if quoted:
        raise _NotPlain
    return BLANK_LINES.sub(b"\n", framed)[1:]


def _has_long_field(cursor, staging: Staging, max_field: int) -> bool:
    """Whether a copied value is longer than the field limit (possible only when a line is longer than that
    limit or a quoted text spans lines)."""
    longer = " OR ".join(f"length(c{i}) > %(limit)s" for i in range(staging.width))
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {staging.name} WHERE {longer})",  # noqa: S608 - our table
                   {"limit": max_field})
    return cursor.fetchone()[0]


def _stream(reader, header: list[str], staging: Staging, limits: Limits, keep: int, outcome: Outcome,
            seen: dict, tick) -> None:
    width, max_field, max_rows = len(header), limits.max_field_chars, limits.max_rows
    sql = f"COPY {staging.name} ({', '.join(f'c{i}' for i in range(width))}, line) FROM STDIN WITH (FORMAT csv)"
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # quotes every field holding a comma, a quote, \r or \n: COPY reads it back
    block: list[list] = []
    line = 1
    # One COPY a block of rows: between two the connection is free for `tick` (the job writes its progress).
    with connection.cursor() as cursor:
        try:
            for row in reader:
                if not row:  # a blank line is no row (as csv.DictReader)
                    continue
                line += 1
                if line - 1 > max_rows:
                    raise ApplicationError(ImportError_.TOO_MANY_ROWS, limit=max_rows)
                if len(row) != width or seen["nul"] or max(map(len, row)) > max_field:
                    seen["nul"] = False
                    row = _odd_row(row, header, line, max_field, keep, outcome)
                    if row is None:
                        continue
                row.append(line)
                block.append(row)
                if len(block) >= BLOCK_ROWS:
                    _write(cursor, sql, writer, buffer, block)
                    outcome.staged += len(block)
                    block = []
                    if tick:
                        tick(line - 1)
            _write(cursor, sql, writer, buffer, block)
            outcome.staged += len(block)
        except ApplicationError:
            raise
        except _PARSE_ERRORS as err:
            raise ApplicationError(ImportError_.UNREADABLE, reason=type(err).__name__) from err
    outcome.total = line - 1


def _write(cursor, sql: str, writer, buffer: io.StringIO, block: list[list]) -> None:
    if not block:
        return
    buffer.seek(0)
    buffer.truncate()
    writer.writerows(block)
    with cursor.cursor.copy(sql) as copy:
        copy.write(buffer.getvalue())


def _odd_row(row: list[str], header: list[str], line: int, max_field: int, keep: int,
             outcome: Outcome) -> list[str] | None:
    """A row with a NUL character, a long field or another number of fields than the header: judged
    as the row-by-row reader judges it. Returns the row to stage (padded to the header) or None."""
    as_read: dict = dict(zip(header, row, strict=False))
    if len(row) > len(header):
        as_read[None] = row[len(header):]
    problem = _shape_problem(as_read, max_field)
    if problem is not None:
        outcome.rejected += 1
        if len(outcome.first_rejected) < keep:
            outcome.first_rejected.append(RejectedRow(line, *problem))
        return None
    # What is left: a short row (its missing fields are empty), or a NUL or long value in a column a later
    # column of the same name hides.
    return [value.replace("\x00", "") for value in row[:len(header)]] + [""] * (len(header) - len(row))


# --- the set-based checks ----------------------------------------------------------------------------


def _column(header: list[str], name: str) -> str:
    """The staging column holding `name` (the last of that name, as a dict of the row), or an empty text."""
    if name not in header:
        return "''"
    return f"COALESCE(c{len(header) - 1 - header[::-1].index(name)}, '')"


def _judge(column: str, raw: str, lookups: Lookups) -> tuple[int | None, int | None, dt.date | None, str | None]:
    """One distinct value of a mapped column → (number, second number, date, word) for the mapping table."""
    key = _text(raw).casefold()
    if column == "received_on":
        return None, None, _date(raw), None
    if column == "region":
        return lookups.regions.get(key), None, None, None
    if column == "sector":
        return lookups.sectors.get(key), None, None, None
    if column == "recipient_body":
        body = lookups.bodies.get(key)
        return body, lookups.body_sector.get(body) if body is not None else None, None, None
    if column == "kind":
        return None, None, None, KINDS.get(key)
    if column == "signatories":
        return _whole_number(raw), None, None, None
    language = _text(raw).lower()[:2]
    return None, None, None, language if language in ("kk", "ru") else ""


def _copy_rows(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _map_values(cursor, staging: Staging, header: list[str], lookups: Lookups) -> None:
    """Judge every distinct value of the mapped columns once; store the verdicts in `<staging>_map`."""
    present = [c for c in MAPPED if c in header]
    table = f"{staging.name}_map"
    cursor.execute(f"CREATE UNLOGGED TABLE {table} (col text NOT NULL, raw text NOT NULL, num bigint, num2 bigint, "
                   "day date, word text, PRIMARY KEY (col, raw))")
    expressions = [_column(header, c) for c in present]
    sets = ", ".join(f"({e})" for e in expressions)
    picks = ", ".join(f"GROUPING({e}) = 0, {e}" for e in expressions)
    cursor.execute(f"SELECT {picks} FROM {staging.name} GROUP BY GROUPING SETS ({sets})")  # noqa: S608
    rows = []
    for found in cursor.fetchall():
        for i, column in enumerate(present):
            if found[2 * i]:
                rows.append((column, found[2 * i + 1], *_judge(column, found[2 * i + 1], lookups)))
    # A column the file lacks reads as empty text in every row.
    rows += [(c, "", *_judge(c, "", lookups)) for c in MAPPED if c not in header]
    _copy_rows(cursor, table, ("col", "raw", "num", "num2", "day", "word"), rows)
    cursor.execute(f"ANALYZE {table}")


def _map_ids_and_texts(cursor, staging: Staging, header: list[str]) -> None:
    """External ids that are not plain, and every distinct non-empty text, judged once each in Python."""
    ids, texts = f"{staging.name}_id", f"{staging.name}_text"
    cursor.execute(f"CREATE UNLOGGED TABLE {ids} (line integer PRIMARY KEY, external_id text NOT NULL)")
    cursor.execute(f"CREATE UNLOGGED TABLE {texts} (raw text PRIMARY KEY, clean text NOT NULL, "
                   "too_long boolean NOT NULL, categories text[] NOT NULL)")
    external_id, text = _column(header, "external_id"), _column(header, "text")
    _judge_in_blocks(cursor, f"SELECT line, {external_id} FROM {staging.name} "  # noqa: S608
                            f"WHERE {external_id} !~ %s", [PLAIN_ID],
                     ids, ("line", "external_id"), lambda line, raw: (line, _clean_line(_text(raw))))
    if text == "''":
        return

    def judged(raw: str) -> tuple:
        clean = _text(raw)
        clean = clean_text(clean) if clean else ""
        return raw, clean, len(clean) > text_limits.APPEAL_TEXT, list(keyword_categories(clean) if clean else ())

    _judge_in_blocks(cursor, f"SELECT DISTINCT {text} FROM {staging.name} WHERE {text} <> ''", [],  # noqa: S608
                     texts, ("raw", "clean", "too_long", "categories"), judged)


def _judge_in_blocks(cursor, query: str, params: list, table: str, columns: tuple[str, ...], judge) -> None:
    """Run `query` through a server-side cursor and COPY `judge(*row)` of each row into `table`, block by
    block (memory bounded whatever the number of rows)."""
    with connection.connection.cursor(name=f"judge_{uuid.uuid4().hex[:8]}") as reading:
        reading.itersize = BLOCK_ROWS
        reading.execute(query, params)
        while block := reading.fetchmany(BLOCK_ROWS):
            _copy_rows(cursor, table, columns, [judge(*row) for row in block])
    cursor.execute(f"ANALYZE {table}")


def _check(cursor, staging: Staging, header: list[str], today: dt.date) -> None:
    """Every staged row with its clean values and its reason code (NULL: valid), in `<staging>_checked`."""
    s, m = staging.name, f"{staging.name}_map"
    raw_id = _column(header, "external_id").replace("COALESCE(c", "COALESCE(s.c")
    raw_text = _column(header, "text").replace("COALESCE(c", "COALESCE(s.c")

    def mapped(alias: str, column: str) -> str:
        expression = _column(header, column).replace("COALESCE(c", "COALESCE(s.c")
        return f"LEFT JOIN {m} {alias} ON {alias}.col = '{column}' AND {alias}.raw = {expression}"

    shown = f"COALESCE(i.external_id, {raw_id})"
    sector = "COALESCE(sec.num, body.num2)"
    text_join = (f"LEFT JOIN {staging.name}_text t ON t.raw = {raw_text}" if raw_text != "''"
                 else "LEFT JOIN (SELECT NULL::text AS clean, false AS too_long, NULL::text[] AS categories) t ON true")
    cursor.execute(f"""
        CREATE UNLOGGED TABLE {s}_checked AS
        SELECT s.line, {shown} AS external_id, d.day AS received_on,
               d.day - (EXTRACT(ISODOW FROM d.day)::integer - 1) AS week_start,
               r.num AS region_id, {sector} AS sector_id, body.num AS recipient_body_id, k.word AS kind,
               g.num AS signatories, COALESCE(t.clean, '') AS text, COALESCE(lang.word, '') AS language,
               t.categories,
               CASE WHEN {shown} = '' THEN '{RowError.MISSING_ID}'
                    WHEN length({shown}) > 64 THEN '{RowError.TOO_LONG}'
                    WHEN d.day IS NULL THEN '{RowError.BAD_DATE}'
                    WHEN d.day > %(today)s THEN '{RowError.FUTURE_DATE}'
                    WHEN r.num IS NULL THEN '{RowError.UNKNOWN_REGION}'
                    WHEN {sector} IS NULL THEN '{RowError.UNKNOWN_SECTOR}'
                    WHEN k.word IS NULL THEN '{RowError.BAD_KIND}'
                    WHEN g.num IS NULL THEN '{RowError.BAD_SIGNATORIES}'
                    WHEN t.too_long THEN '{RowError.TOO_LONG}'
               END AS code
        FROM {s} s
        LEFT JOIN {s}_id i ON i.line = s.line
        {mapped("d", "received_on")} {mapped("r", "region")} {mapped("sec", "sector")}
        {mapped("body", "recipient_body")} {mapped("k", "kind")} {mapped("g", "signatories")}
        {mapped("lang", "language")} {text_join}
    """, {"today": today})  # noqa: S608 — our tables; the codes are our constants


def _mark_repeated(cursor, staging: Staging) -> int:
    """Valid rows whose external id is valid on an earlier line become `duplicate_in_file`."""
    c = f"{staging.name}_checked"
    cursor.execute(f"UPDATE {c} SET code = %s FROM (SELECT external_id, MIN(line) AS first FROM {c} "  # noqa: S608
                   "WHERE code IS NULL GROUP BY external_id HAVING COUNT(*) > 1) d "
                   f"WHERE {c}.external_id = d.external_id AND {c}.line > d.first AND {c}.code IS NULL",
                   [str(RowError.DUPLICATE_IN_FILE)])
    return cursor.rowcount


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _insert(cursor, staging: Staging, batch_id: int) -> int:
    """Insert the valid rows not stored yet and add the inserted ones to both weekly counts, in one
    statement; returns how many appeals were inserted."""
    c, counts, words = f"{staging.name}_checked", _table(WeeklyCount), _table(WeeklyKeywordCount)
    fields = ("external_id, received_on, week_start, region_id, sector_id, recipient_body_id, kind, signatories, "
              "text, language")
    cursor.execute(f"""
        WITH inserted AS (
            INSERT INTO {_table(Appeal)} ({fields}, batch_id)
            SELECT {fields}, %(batch)s FROM {c} WHERE code IS NULL
            ON CONFLICT (external_id) DO NOTHING
            RETURNING region_id, sector_id, week_start, kind, signatories, text
        ), weekly AS (
            INSERT INTO {counts} (region_id, sector_id, week_start, kind, appeals, collective)
            SELECT region_id, sector_id, week_start, kind, COUNT(*),
                   SUM(CASE WHEN signatories >= %(collective)s THEN 1 ELSE 0 END)
            FROM inserted GROUP BY region_id, sector_id, week_start, kind
            ON CONFLICT (region_id, sector_id, week_start, kind) DO UPDATE SET
                appeals = {counts}.appeals + excluded.appeals, collective = {counts}.collective + excluded.collective
        ), wordings AS (
            INSERT INTO {words} (region_id, sector_id, week_start, category, appeals)
            SELECT i.region_id, i.sector_id, i.week_start, category, COUNT(*)
            FROM inserted i
            JOIN (SELECT DISTINCT clean, categories FROM {staging.name}_text WHERE categories <> '{{}}') t
              ON t.clean = i.text
            CROSS JOIN LATERAL unnest(t.categories) AS category
            GROUP BY i.region_id, i.sector_id, i.week_start, category
            ON CONFLICT (region_id, sector_id, week_start, category)
            DO UPDATE SET appeals = {words}.appeals + excluded.appeals
        )
        SELECT COUNT(*) FROM inserted
    """, {"batch": batch_id, "collective": COLLECTIVE_SIGNATORIES})  # noqa: S608 — our tables
    return cursor.fetchone()[0]


def store_checked(staging: Staging, header: list[str], *, lookups: Lookups, today: dt.date, batch_id: int,
                  keep: int, outcome: Outcome) -> None:
    """Check the staged rows and store the valid ones (call inside a transaction). Fills `outcome`."""
    phase = _Phases(outcome)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"ANALYZE {staging.name}")
        _map_values(cursor, staging, header, lookups)
        phase("distinct values judged")
        _map_ids_and_texts(cursor, staging, header)
        phase("odd ids and texts judged")
        _check(cursor, staging, header, today)
        phase("rows checked")
        outcome.duplicates = _mark_repeated(cursor, staging)
        phase("repeated ids marked")
        c = f"{staging.name}_checked"
        cursor.execute(f"SELECT COUNT(*) FROM {c} WHERE code IS NOT NULL")  # noqa: S608
        rejected = cursor.fetchone()[0]
        cursor.execute(f"SELECT line, external_id, code FROM {c} WHERE code IS NOT NULL "  # noqa: S608
                       "ORDER BY line LIMIT %s", [keep])
        found = [RejectedRow(line, external_id[:64], RowError(code)) for line, external_id, code in cursor.fetchall()]
        outcome.rejected += rejected
        outcome.checked_rejected = rejected
        outcome.first_rejected = sorted(outcome.first_rejected + found, key=lambda r: r.line)[:keep]
        phase("rejected rows collected")
        outcome.created = _insert(cursor, staging, batch_id)
        phase("appeals and weekly counts inserted")
