"""`backtest_tension`: the detector at each of the last weeks of many series, as R's farringtonFlexible."""

import csv
import io
import subprocess

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kezdesu.tension.detectors.farrington import farrington_flexible_many
from kezdesu.tension.detectors.simulate import SCENARIOS, simulate
from kezdesu.tension.tests.test_detectors import _r_surveillance


def write_series(path, series: dict[str, np.ndarray]) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["series", "week", "count"])
        for name, counts in series.items():
            writer.writerows([name, week, int(c)] for week, c in enumerate(counts, start=1))


def read_out(path) -> list[dict]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def sample(n_weeks=300) -> dict[str, np.ndarray]:
    return {f"s{i}": simulate(SCENARIOS[i], n_weeks=n_weeks, outbreaks=[(n_weeks - 10, 6.0)], seed=i).counts
            for i in range(4)}


@pytest.mark.parametrize("method", ["default", "r"])
def test_each_week_is_judged_as_by_the_single_week_detector(tmp_path, method):
    series = sample()
    write_series(tmp_path / "in.csv", series)
    call_command("backtest_tension", str(tmp_path / "in.csv"), "--weeks", "20", "--out", str(tmp_path / "out.csv"),
                 "--method", method, stdout=io.StringIO())
    rows = read_out(tmp_path / "out.csv")
    assert len(rows) == 4 * 20 and [r["week"] for r in rows[:2]] == ["281", "282"]
    options = {"trend_test": "r", "threshold_method": "nbPlugin"} if method == "r" else {}
    counts = np.vstack(list(series.values()))
    alarms = 0
    for row in rows:
        det = farrington_flexible_many(counts, int(row["week"]) - 1, **options)[int(row["series"][1:])]
        if det.applicable and det.details["enough_cases"]:
            assert float(row["upperbound"]) == det.threshold
        else:
            assert row["upperbound"] == "NA"
        assert row["alarm"] == ("TRUE" if det.alarm else "FALSE")
        alarms += det.alarm
    assert alarms > 0  # the outbreaks near the end are found


def test_refuses_a_file_with_gaps_or_bad_numbers(tmp_path):
    (tmp_path / "gap.csv").write_text("series,week,count\na,1,3\na,3,4\n")
    with pytest.raises(CommandError, match="without gaps"):
        call_command("backtest_tension", str(tmp_path / "gap.csv"), "--out", str(tmp_path / "o.csv"))
    (tmp_path / "bad.csv").write_text("series,week,count\na,1,many\n")
    with pytest.raises(CommandError, match="line 2"):
        call_command("backtest_tension", str(tmp_path / "bad.csv"), "--out", str(tmp_path / "o.csv"))


R_BACKTEST = """
suppressMessages(library(surveillance))
d <- read.csv("in.csv")
out <- NULL
for (name in unique(d$series)) {
  y <- d$count[d$series == name]
  ctl <- list(b = 5, w = 3, noPeriods = 10, pastWeeksNotIncluded = 26, thresholdMethod = "nbPlugin",
              alpha = 0.01, populationOffset = FALSE, range = (length(y) - 29):length(y))
  res <- farringtonFlexible(sts(observed = y, start = c(2019, 1), frequency = 52), control = ctl)
  out <- rbind(out, data.frame(series = name, week = ctl$range, upperbound = upperbound(res)[, 1],
                               alarm = alarms(res)[, 1]))
}
write.csv(out, "r.csv", row.names = FALSE)
"""


def test_method_r_reproduces_r_row_by_row(tmp_path):
    rscript = _r_surveillance()
    if rscript is None:
        pytest.skip("Rscript with the R package 'surveillance' is not installed (Debian: r-cran-surveillance)")
    write_series(tmp_path / "in.csv", sample(310))
    (tmp_path / "run.R").write_text(R_BACKTEST)
    subprocess.run([rscript, "run.R"], cwd=tmp_path, check=True, capture_output=True, timeout=600)  # noqa: S603
    call_command("backtest_tension", str(tmp_path / "in.csv"), "--weeks", "30", "--out", str(tmp_path / "out.csv"),
                 "--method", "r", stdout=io.StringIO())
    ours, theirs = read_out(tmp_path / "out.csv"), read_out(tmp_path / "r.csv")
    assert [(r["series"], r["week"]) for r in ours] == [(r["series"], r["week"]) for r in theirs]
    exact = 0
    for a, b in zip(ours, theirs, strict=True):
        assert (a["upperbound"] == "NA") == (b["upperbound"] == "NA"), (a, b)
        if a["upperbound"] != "NA":
            assert float(a["upperbound"]) == pytest.approx(float(b["upperbound"]), abs=1.0)
            exact += float(a["upperbound"]) == float(b["upperbound"])
        assert a["alarm"] == b["alarm"], (a, b)
    assert exact >= 0.95 * sum(a["upperbound"] != "NA" for a in ours)
