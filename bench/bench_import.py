"""Import 1,000,000 appeals from CSV into a fresh SQLite file through `import_appeals`' service,
then re-import the same file (nothing may change). Prints the figures; target ≤ 60 s.

    .venv/bin/python bench/bench_import.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_file(path: Path, rows: int) -> None:
    rng = random.Random(5)
    regions = ["100000000", "110000000", "150000000", "190000000", "230000000", "270000000", "310000000",
               "330000000", "350000000", "390000000", "430000000", "470000000", "550000000", "590000000",
               "610000000", "620000000", "630000000", "710000000", "750000000", "790000000"]
    sectors = ["health", "education", "jobs-wages", "housing-utilities", "water", "roads-transport",
               "energy-heating", "social-protection", "prices-trade", "agriculture-land"]
    start = dt.date(2021, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["external_id", "received_on", "region", "sector", "kind", "signatories", "text", "language"])
        for i in range(rows):
            out.writerow([f"E-{i}", (start + dt.timedelta(days=rng.randrange(2000))).isoformat(),
                          rng.choice(regions), rng.choice(sectors), rng.choice(("complaint", "request", "proposal")),
                          1 if rng.random() < 0.98 else rng.randint(10, 300), "", rng.choice(("kk", "ru"))])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    from kezdesu.registry.services import reference_load
    from kezdesu.tension.models import Appeal
    from kezdesu.tension.services import appeals_import

    call_command("migrate", verbosity=0)
    reference_load(actor=None)
    path = tmp / "appeals.csv"
    t0 = time.perf_counter()
    make_file(path, args.rows)
    print(f"wrote {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    batch = appeals_import(actor=None, path=path, today=dt.date(2026, 11, 24)).batch
    first = time.perf_counter() - t0
    print(f"import {args.rows:,} appeals into SQLite: {first:.1f} s (target <= 60 s); created={batch.rows_created:,} "
          f"rejected={batch.rows_rejected}")
    t0 = time.perf_counter()
    again = appeals_import(actor=None, path=path, today=dt.date(2026, 11, 24)).batch
    print(f"re-import of the same file: {time.perf_counter() - t0:.1f} s; created={again.rows_created} "
          f"unchanged={again.rows_unchanged:,}; rows in table={Appeal.objects.count():,}")


if __name__ == "__main__":
    main()
