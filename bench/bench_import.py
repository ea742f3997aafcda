"""Import appeals from CSV through the import service, then re-import the same file (nothing may change),
then scan every region × sector cell from the weekly counts. Prints the figures.

    .venv/bin/python bench/bench_import.py [--rows 5000000] [--sqlite] [--server shared_buffers=4GB …]

PostgreSQL by default: `DATABASE_URL` when it is set, else a throwaway server started here with
initdb/pg_ctl (as `.ci/run` does) and removed at the end. `--sqlite` uses a fresh SQLite file instead.
Targets (PostgreSQL, 5,000,000 rows): import ≤ 60 s, peak memory of the importing process ≤ 300 MB,
re-import changes nothing, scan of all 20 × 21 cells from the counts ≤ 1 s. The peak memory is the
process's high-water mark (VmHWM) minus what it held before the import started (Django, the registry).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TODAY = dt.date(2026, 11, 24)
PG_PORT = 54391


def make_file(path: Path, rows: int, regions: list[str], sectors: list[str]) -> None:
    """A year and a half of appeals over every region × sector cell, a few with texts."""
    import numpy as np

    rng = np.random.default_rng(5)
    start = dt.date(2025, 5, 1)
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range((TODAY - start).days)]
    texts = ["", "", "", "", "", "", "", "Жалақы үш ай төленбеді", "Прошу отремонтировать дорогу",
             "Рабочие грозят забастовкой"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["external_id", "received_on", "region", "sector", "kind", "signatories", "text", "language"])
        block = 200_000
        for first in range(0, rows, block):
            n = min(block, rows - first)
            day = rng.integers(0, len(days), n)
            region = rng.integers(0, len(regions), n)
            sector = rng.integers(0, len(sectors), n)
            kind = rng.integers(0, 3, n)
            many = rng.random(n) < 0.02
            text = rng.integers(0, len(texts), n)
            kinds = ("complaint", "request", "proposal")
            out.writerows((f"E-{first + i}", days[day[i]], regions[region[i]], sectors[sector[i]], kinds[kind[i]],
                           17 if many[i] else 1, texts[text[i]], "ru") for i in range(n))


def peak_rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) / 1024


def current_rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024


def reset_peak() -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0).
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


@contextlib.contextmanager
def throwaway_postgres(settings: list[str] = ()) -> Iterator[str]:
    """Start a PostgreSQL server in a temporary directory, with `settings` (`name=value`) beside the
    script's own; yield its URL; stop and remove it."""
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    root = Path(tempfile.mkdtemp(prefix="kezdesu-bench-pg-"))
    as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if as_pg:
        subprocess.run(["chown", "postgres:postgres", str(root)], check=True)
    subprocess.run([*as_pg, str(pgbin / "initdb"), "-D", str(root / "data"), "-U", "kezdesu", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, stdout=subprocess.DEVNULL)
    try:
        subprocess.run([*as_pg, str(pgbin / "pg_ctl"), "-D", str(root / "data"), "-w", "-l", str(root / "log"),
                        "-o", f"-c listen_addresses=127.0.0.1 -p {PG_PORT} -k {root} -c fsync=off "
                              "-c synchronous_commit=off -c max_wal_size=4GB" + "".join(f" -c {s}" for s in settings),
                        "start"],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(pgbin / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "kezdesu", "kezdesu"],
                       check=True)
        yield f"postgres://kezdesu@127.0.0.1:{PG_PORT}/kezdesu"
    finally:
        subprocess.run([*as_pg, str(pgbin / "pg_ctl"), "-D", str(root / "data"), "-m", "fast", "stop"],
                       check=False, stdout=subprocess.DEVNULL)
        subprocess.run(["rm", "-rf", str(root)], check=False)


def run(rows: int, tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["IMPORT_MAX_ROWS"] = str(rows + 1)
    os.environ["IMPORT_MAX_BYTES"] = str(10**11)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kezdesu.core.actors import SYSTEM
    from kezdesu.registry.models import Region, Sector
    from kezdesu.registry.services import reference_load
    from kezdesu.tension.models import Appeal, WeeklyCount
    from kezdesu.tension.services import appeals_import, tension_scan

    call_command("migrate", verbosity=0)
    reference_load(actor=None)
    regions = list(Region.objects.values_list("kato_code", flat=True))
    sectors = list(Sector.objects.values_list("slug", flat=True))
    path = tmp / "appeals.csv"
    t0 = time.perf_counter()
    make_file(path, rows, regions, sectors)
    print(f"wrote {rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s; "
          f"{len(regions)} regions × {len(sectors)} sectors; database: {connection.vendor}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            shown = []
            for name in ("server_version", "shared_buffers", "work_mem", "max_wal_size", "fsync", "synchronous_commit"):
                cursor.execute(f"SHOW {name}")
                shown.append(f"{name}={cursor.fetchone()[0]}")
        print("server: " + ", ".join(shown))
    base = current_rss_mb()
    reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    load = os.getloadavg()
    imported = appeals_import(actor=SYSTEM, path=path, today=TODAY)
    batch = imported.batch
    first, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = peak_rss_mb()
    print(f"import {rows:,} appeals: {first:.1f} s wall (target <= 60 s), {rows / first:,.0f} rows/s, {cpu:.1f} s "
          f"CPU in the importing process ({1e6 * cpu / rows:.1f} µs a row, the database server's work not "
          f"included); created={batch.rows_created:,} rejected={batch.rows_rejected}; load average before "
          f"{load[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    for name, seconds in imported.phases.items():
        print(f"  {name:40s} {seconds:6.1f} s")
    print(f"peak memory of the importing process: {peak:.0f} MB high-water mark, {peak - base:.0f} MB above the "
          f"{base:.0f} MB held before the import (target <= 300 MB)")
    counts_before = sorted(WeeklyCount.objects.values_list("region_id", "sector_id", "week_start", "kind",
                                                           "appeals", "collective"))
    t0 = time.perf_counter()
    imported = appeals_import(actor=SYSTEM, path=path, today=TODAY)
    again = imported.batch
    same = counts_before == sorted(WeeklyCount.objects.values_list("region_id", "sector_id", "week_start", "kind",
                                                                   "appeals", "collective"))
    print(f"re-import of the same file: {time.perf_counter() - t0:.1f} s; created={again.rows_created} "
          f"unchanged={again.rows_unchanged:,}; appeals stored={Appeal.objects.count():,}; "
          f"weekly counts unchanged: {same}")
    for name, seconds in imported.phases.items():
        print(f"  {name:40s} {seconds:6.1f} s")
    from kezdesu.tension import detectors
    from kezdesu.tension.selectors import weekly_series

    t0, c0 = time.perf_counter(), time.process_time()
    found = weekly_series(as_of=TODAY)
    read = time.perf_counter() - t0
    detectors.scan(found.series, t=len(found.series[0].counts) - 1, content=found.content, usual=found.usual)
    print(f"assessment of all {len(found.series)} cells from the weekly counts: {time.perf_counter() - t0:.2f} s "
          f"wall ({read:.2f} s reading the counts), {time.process_time() - c0:.2f} s CPU (target <= 1 s)")
    t0 = time.perf_counter()
    result = tension_scan(as_of=TODAY)
    print(f"full scan with alerts, obligations and audit: {time.perf_counter() - t0:.2f} s; "
          f"opened {len(result.opened)} alerts")
    t0 = time.perf_counter()
    result = tension_scan(as_of=TODAY)
    print(f"second scan (alerts already open, updated): {time.perf_counter() - t0:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--sqlite", action="store_true", help="a fresh SQLite file instead of PostgreSQL")
    parser.add_argument("--server", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting of the throwaway PostgreSQL server (repeatable), e.g. shared_buffers=4GB")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        run(args.rows, tmp)
    elif os.environ.get("DATABASE_URL"):
        run(args.rows, tmp)
    else:
        with throwaway_postgres(args.server) as url:
            os.environ["DATABASE_URL"] = url
            run(args.rows, tmp)


if __name__ == "__main__":
    main()
