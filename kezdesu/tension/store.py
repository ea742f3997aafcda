"""Storing validated appeals in bulk, with memory bounded whatever the size of the file.

The rows of one import go to a temporary staging table of the connection (PostgreSQL: `COPY … FROM
STDIN`; SQLite: inserts in blocks). The database then finds the external ids repeated in the file,
inserts the rest with `ON CONFLICT DO NOTHING` (an id already stored is left as it is, so a re-import
changes nothing) and adds the new appeals to the weekly counts the scan reads. No Python structure
grows with the file: only the first rejected rows are kept for the report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, connections

from kezdesu.tension.detectors.escalation import COLLECTIVE_SIGNATORIES, keyword_categories
from kezdesu.tension.errors import RowError
from kezdesu.tension.importer import RejectedRow, ValidRow
from kezdesu.tension.models import Appeal, WeeklyCount, WeeklyKeywordCount

STAGING = "tension_import_staging"
BLOCK_ROWS = 5000
COLUMNS = ("line", "external_id", "received_on", "week_start", "region_id", "sector_id", "recipient_body_id",
           "kind", "signatories", "text", "language", "categories")


@dataclass(frozen=True)
class Stored:
    created: int
    duplicates: int
    duplicate_rows: list[RejectedRow]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def staging_create() -> None:
    """(Re)create the connection's staging table; it lives until `staging_drop()` or the session's end."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} (line integer NOT NULL, external_id varchar(64) NOT NULL, "
                       "received_on date NOT NULL, week_start date NOT NULL, region_id integer NOT NULL, "
                       "sector_id integer NOT NULL, recipient_body_id integer NULL, kind varchar(10) NOT NULL, "
                       "signatories integer NOT NULL, text text NOT NULL, language varchar(2) NOT NULL, "
                       "categories varchar(200) NOT NULL)")


def staging_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")


def _values(line: int, row: ValidRow, categories: str) -> tuple:
    week = row.received_on - dt.timedelta(days=row.received_on.weekday())
    return (line, row.external_id, row.received_on, week, row.region_id, row.sector_id, row.body_id, row.kind,
            row.signatories, row.text, row.language, categories)


class Stager:
    """Collects (line, row, keyword categories) and writes them to the staging table block by block."""

    def __init__(self, tick: Callable[[], None] | None = None):
        self.block: list[tuple] = []
        self.staged = 0
        self.tick = tick
        self.postgres = connection.vendor == "postgresql"

    def add(self, line: int, row: ValidRow, categories: tuple[str, ...]) -> None:
        self.block.append(_values(line, row, ",".join(categories)))
        if len(self.block) >= BLOCK_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.block:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {STAGING} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for values in self.block:
                        copy.write_row(values)
            else:
                cursor.executemany(f"INSERT INTO {STAGING} ({', '.join(COLUMNS)}) "  # noqa: S608 — our table
                                   f"VALUES ({', '.join(['%s'] * len(COLUMNS))})", self.block)
        self.staged += len(self.block)
        self.block = []
        if self.tick:
            self.tick()


_REPEATED = (f"SELECT s.line, s.external_id FROM {STAGING} s JOIN (SELECT external_id, MIN(line) AS first "  # noqa: S608
             f"FROM {STAGING} GROUP BY external_id HAVING COUNT(*) > 1) d "
             "ON s.external_id = d.external_id AND s.line > d.first")


def _remove_repeated(cursor, keep: int) -> tuple[int, list[tuple[int, str]]]:
    """Delete the rows whose external id appears on an earlier line of the file; returns how many there
    were and the first `keep` of them (line, id)."""
    cursor.execute(f"SELECT COUNT(*) FROM ({_REPEATED}) r")  # noqa: S608 — our tables
    count = cursor.fetchone()[0]
    if not count:
        return 0, []
    cursor.execute(f"{_REPEATED} ORDER BY s.line LIMIT %s", [keep])
    first = [(line, external_id) for line, external_id in cursor.fetchall()]
    cursor.execute(f"DELETE FROM {STAGING} WHERE line IN (SELECT line FROM ({_REPEATED}) r)")  # noqa: S608
    return count, first


def _insert_new(cursor, batch_id: int) -> int:
    """Insert the staged rows whose external id is not stored yet; returns how many were inserted."""
    fields = ("external_id, received_on, week_start, region_id, sector_id, recipient_body_id, kind, signatories, "
              "text, language")
    # `WHERE 1 = 1` keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
    cursor.execute(f"INSERT INTO {_table(Appeal)} ({fields}, batch_id) SELECT {fields}, %s "  # noqa: S608
                   f"FROM {STAGING} WHERE 1 = 1 ON CONFLICT (external_id) DO NOTHING", [batch_id])
    return cursor.rowcount


def _add_counts(cursor, batch_id: int) -> None:
    """Add the appeals this batch inserted to the weekly counts (both tables), in the database."""
    counts = _table(WeeklyCount)
    cursor.execute(
        f"INSERT INTO {counts} (region_id, sector_id, week_start, kind, appeals, collective) "  # noqa: S608
        "SELECT region_id, sector_id, week_start, kind, COUNT(*), "
        "SUM(CASE WHEN signatories >= %s THEN 1 ELSE 0 END) "
        f"FROM {_table(Appeal)} WHERE batch_id = %s AND sector_id IS NOT NULL "
        "GROUP BY region_id, sector_id, week_start, kind "
        "ON CONFLICT (region_id, sector_id, week_start, kind) DO UPDATE SET "
        f"appeals = {counts}.appeals + excluded.appeals, collective = {counts}.collective + excluded.collective",
        [COLLECTIVE_SIGNATORIES, batch_id])
    # Keyword categories were found while reading; only the rows this batch inserted count.
    cursor.execute(f"SELECT s.region_id, s.sector_id, s.week_start, s.categories, COUNT(*) FROM {STAGING} s "  # noqa: S608
                   f"JOIN {_table(Appeal)} a ON a.external_id = s.external_id AND a.batch_id = %s "
                   "WHERE s.categories <> '' GROUP BY s.region_id, s.sector_id, s.week_start, s.categories",
                   [batch_id])
    hits: dict[tuple, int] = defaultdict(int)
    for region_id, sector_id, week, categories, n in cursor.fetchall():
        for category in categories.split(","):
            hits[(region_id, sector_id, week, category)] += n
    keywords_add(hits)


def keywords_add(hits: dict[tuple, int]) -> None:
    """Add {(region id, sector id, week, category): appeals} to the weekly wording counts."""
    table = _table(WeeklyKeywordCount)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (region_id, sector_id, week_start, category, appeals) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (region_id, sector_id, week_start, category) "
            f"DO UPDATE SET appeals = {table}.appeals + excluded.appeals",
            [(*key, n) for key, n in hits.items()])


def staged_store(*, batch_id: int, keep_rejected: int) -> Stored:
    """Move the staged rows into the appeals and the counts (call inside a transaction)."""
    with connection.cursor() as cursor:
        duplicates, first = _remove_repeated(cursor, keep_rejected)
        created = _insert_new(cursor, batch_id)
        if created:
            _add_counts(cursor, batch_id)
    return Stored(created, duplicates, [RejectedRow(line, external_id, RowError.DUPLICATE_IN_FILE)
                                        for line, external_id in first])


def counts_rebuild(using: str = "default", models: tuple = (WeeklyCount, WeeklyKeywordCount, Appeal)
                   ) -> tuple[int, int]:
    """Recompute both weekly count tables from the stored appeals (after a restore, or for appeals stored
    before the counts existed); returns the number of (count rows, wording rows) written. A migration
    passes its historical `models`."""
    conn = connections[using]
    counts, keywords, appeals = (conn.ops.quote_name(m._meta.db_table) for m in models)
    with conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {counts}")  # noqa: S608 — our tables
        cursor.execute(f"DELETE FROM {keywords}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {counts} (region_id, sector_id, week_start, kind, appeals, collective) "  # noqa: S608
            "SELECT region_id, sector_id, week_start, kind, COUNT(*), "
            "SUM(CASE WHEN signatories >= %s THEN 1 ELSE 0 END) "
            f"FROM {appeals} WHERE sector_id IS NOT NULL GROUP BY region_id, sector_id, week_start, kind",
            [COLLECTIVE_SIGNATORIES])
        written = cursor.rowcount
        cursor.execute(f"SELECT region_id, sector_id, week_start, text FROM {appeals} "  # noqa: S608
                       "WHERE sector_id IS NOT NULL AND text <> ''")
        hits: dict[tuple, int] = defaultdict(int)
        while block := cursor.fetchmany(BLOCK_ROWS):
            for region_id, sector_id, week, text in block:
                for category in keyword_categories(text):
                    hits[(region_id, sector_id, week, category)] += 1
        cursor.executemany(f"INSERT INTO {keywords} (region_id, sector_id, week_start, category, appeals) "  # noqa: S608
                           "VALUES (%s, %s, %s, %s, %s)", [(*key, n) for key, n in hits.items()])
    return written, len(hits)
