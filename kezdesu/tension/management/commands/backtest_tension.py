"""Backtest the improved Farrington detector on weekly series, in the shape of R's farringtonFlexible."""

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from kezdesu.tension.detectors.farrington import farrington_backtest

METHODS = {"default": {}, "r": {"trend_test": "r", "threshold_method": "nbPlugin"}}


def read_series(path: Path) -> dict[str, np.ndarray]:
    """Reads `series,week,count` (weeks numbered from 1, each week once); returns the counts of each series
    in week order. Raises CommandError for a missing column, a bad number or a gap in the weeks."""
    weeks: dict[str, dict[int, int]] = defaultdict(dict)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not {"series", "week", "count"} <= set(reader.fieldnames or ()):
            raise CommandError("the file needs the columns series, week, count")
        for line, row in enumerate(reader, start=2):
            try:
                week, count = int(row["week"]), int(row["count"])
            except (TypeError, ValueError) as err:
                raise CommandError(f"line {line}: week and count must be whole numbers") from err
            if week < 1 or count < 0 or week in weeks[row["series"]]:
                raise CommandError(f"line {line}: week {week} of series {row['series']!r} is out of range or repeated")
            weeks[row["series"]][week] = count
    series = {}
    for name, counts in weeks.items():
        if sorted(counts) != list(range(1, len(counts) + 1)):
            raise CommandError(f"series {name!r}: the weeks must run from 1 without gaps")
        series[name] = np.array([counts[w] for w in range(1, len(counts) + 1)], dtype=float)
    return series


class Command(BaseCommand):
    help = ("Run the improved Farrington detector at each of the last --weeks weeks of every series of a "
            "series,week,count CSV (each week seeing only the weeks before it) and write "
            "series,week,upperbound,alarm, as R's surveillance::farringtonFlexible does; --method r gives R's "
            "thresholds exactly.")

    def add_arguments(self, parser):
        parser.add_argument("series", type=Path)
        parser.add_argument("--weeks", type=int, default=52)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--method", choices=sorted(METHODS), default="default")
        parser.add_argument("--alpha", type=float, default=0.01)

    def handle(self, *args, **options):
        if not options["series"].exists():
            raise CommandError(f"no such file: {options['series']}")
        if not 0 < options["alpha"] < 1:
            raise CommandError("--alpha must be between 0 and 1")
        series = read_series(options["series"])
        by_length: dict[int, list[str]] = defaultdict(list)
        for name, counts in series.items():
            by_length[len(counts)].append(name)
        results = {}
        for length, names in by_length.items():
            weeks = min(options["weeks"], length)
            if weeks < 1:
                raise CommandError("--weeks must be 1 or more")
            bt = farrington_backtest(np.vstack([series[n] for n in names]), weeks, alpha=options["alpha"],
                                     **METHODS[options["method"]])
            for i, name in enumerate(names):
                results[name] = (bt.first_t, bt.upper[i], bt.alarm[i])
        with options["out"].open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["series", "week", "upperbound", "alarm"])
            for name in series:
                first_t, upper, alarm = results[name]
                for j, (u, a) in enumerate(zip(upper, alarm, strict=True)):
                    bound = "NA" if np.isnan(u) else f"{u:g}"
                    writer.writerow([name, first_t + j + 1, bound, "TRUE" if a else "FALSE"])
        self.stdout.write(f"{len(series)} series, {sum(len(r[1]) for r in results.values())} series-weeks "
                          f"written to {options['out']}")
