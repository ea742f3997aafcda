"""Benchmark of the tension detectors on Noufaily-style simulated series.

Run from the repository root:  .venv/bin/python bench/bench_tension.py [--quick]

Accuracy.  For every scenario in ``simulate.SCENARIOS`` we simulate ``reps`` series of
260 weeks (5 years).  Each series gets two outbreaks in its history (weeks 52..143)
and two in the evaluation period, the last 104 weeks (156..259); outbreak sizes
k ~ U{2..10} baseline standard deviations, starts at least 12 weeks apart.  Every
detector is run at every evaluation week t using only weeks 0..t.

* fpr: alarms in evaluation weeks outside outbreaks / evaluation weeks outside outbreaks;
* pod: share of evaluation outbreaks (with at least one case) with an alarm in one of
  their weeks;
* median_delay: median over detected outbreaks of (first alarm week - start week).

"farrington" is the engine's default (NB threshold with the predictive dispersion, see
farrington.py); "farrington_nbplugin" is R's thresholdMethod="nbPlugin" exactly.

Timing.  ``scan`` of 400 series x 260 weeks at the last week, all detectors.

``--cusum-table`` prints the CUSUM decision-interval table (``cusum.H_TABLE``).
"""

from __future__ import annotations

import argparse
import datetime
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kezdesu.tension.detectors import (  # noqa: E402
    AppealFact,
    WeeklySeries,
    ears,
    farrington_flexible,
    nb_cusum,
    scan,
)
from kezdesu.tension.detectors import cusum as cusum_mod  # noqa: E402
from kezdesu.tension.detectors.ears import ears_alarms, ears_statistics  # noqa: E402
from kezdesu.tension.detectors.escalation import escalation_counts  # noqa: E402
from kezdesu.tension.detectors.farrington import farrington_backtest, farrington_flexible_many  # noqa: E402
from kezdesu.tension.detectors.model import ContentCounts  # noqa: E402
from kezdesu.tension.detectors.simulate import HELD_OUT, SCENARIOS, random_outbreak_plan, simulate  # noqa: E402

N_WEEKS = 260
EVAL_START = N_WEEKS - 104
DETECTORS = ("farrington", "farrington_nbplugin", "ears_c1", "ears_c2", "ears_c3", "nb_cusum")


def simulate_scenario(index: int, reps: int, seed: int, scenarios=SCENARIOS):
    sims = []
    for r in range(reps):
        rng = np.random.default_rng([seed, index, r, 1])
        plan = random_outbreak_plan(
            rng, n_weeks=N_WEEKS, eval_start=EVAL_START, n_past=2, n_current=2, past_from=52
        )
        sims.append(simulate(scenarios[index], n_weeks=N_WEEKS, outbreaks=plan, seed=[seed, index, r, 2]))
    return sims


def run_detectors(sims) -> dict[str, np.ndarray]:
    y = np.vstack([s.counts for s in sims])
    reps = y.shape[0]
    alarms = {d: np.zeros((reps, N_WEEKS), dtype=bool) for d in DETECTORS}
    for t in range(EVAL_START, N_WEEKS):
        for i, det in enumerate(farrington_flexible_many(y, t)):
            alarms["farrington"][i, t] = det.alarm
        for i, det in enumerate(farrington_flexible_many(y, t, threshold_method="nbPlugin")):
            alarms["farrington_nbplugin"][i, t] = det.alarm
        for i, det in enumerate(cusum_mod.nb_cusum_many(y, t)):
            alarms["nb_cusum"][i, t] = det.alarm
    for i in range(reps):
        for m in ("C1", "C2", "C3"):
            alarms[f"ears_{m.lower()}"][i] = ears_alarms(y[i], m)
    return alarms


def evaluate(sims, alarms: np.ndarray) -> tuple[int, int, int, int, list[int]]:
    """Return (false alarms, non-outbreak weeks, detected, outbreaks, delays)."""
    fa = nw = det = total = 0
    delays: list[int] = []
    for i, sim in enumerate(sims):
        in_outbreak = np.zeros(N_WEEKS, dtype=bool)
        for ob in sim.outbreaks:
            if ob.cases:
                in_outbreak[ob.start : ob.end + 1] = True
        quiet = ~in_outbreak
        quiet[:EVAL_START] = False
        fa += int(alarms[i][quiet].sum())
        nw += int(quiet.sum())
        for ob in sim.outbreaks:
            if ob.start < EVAL_START or ob.cases == 0:
                continue
            total += 1
            hit = np.flatnonzero(alarms[i][ob.start : ob.end + 1])
            if len(hit):
                det += 1
                delays.append(int(hit[0]))
    return fa, nw, det, total, delays


def fmt(name: str, fa: int, nw: int, det: int, total: int, delays: list[int]) -> str:
    fpr = 100.0 * fa / max(nw, 1)
    pod = 100.0 * det / max(total, 1)
    delay = f"{np.median(delays):.0f}w" if delays else "n/a"
    return f"{name}: fpr={fpr:.2f}% pod={pod:.0f}% median_delay={delay}"


def c2_matched(sims_all, target_fpr: float) -> tuple[float, tuple]:
    """EARS C2 with its z limit raised until its FPR is no higher than ``target_fpr``."""
    stats_ = [[np.nan_to_num(ears_statistics(s.counts, "C2")[0], nan=-np.inf) for s in sims] for sims in sims_all]
    best = None
    for z in np.arange(3.0, 12.01, 0.05):
        agg = [0, 0, 0, 0, []]
        for sims, st in zip(sims_all, stats_, strict=True):
            alarms = np.vstack(st) > z
            fa, nw, det, total, delays = evaluate(sims, alarms)
            agg[0] += fa
            agg[1] += nw
            agg[2] += det
            agg[3] += total
            agg[4] += delays
        best = (float(z), tuple(agg))
        if agg[0] / max(agg[1], 1) <= target_fpr:
            break
    assert best is not None
    return best


def accuracy(reps: int, seed: int, scenarios=SCENARIOS, label: str = "tuned settings") -> None:
    totals = {d: [0, 0, 0, 0, []] for d in DETECTORS}
    sims_all = []
    t0 = time.perf_counter()
    print(f"accuracy on {label}: {len(scenarios)} scenarios x {reps} series x {N_WEEKS} weeks, "
          f"evaluated on weeks {EVAL_START}..{N_WEEKS - 1}")
    for index, scenario in enumerate(scenarios):
        sims = simulate_scenario(index, reps, seed, scenarios)
        sims_all.append(sims)
        alarms = run_detectors(sims)
        parts = []
        for d in DETECTORS:
            fa, nw, det, total, delays = evaluate(sims, alarms[d])
            acc = totals[d]
            acc[0] += fa
            acc[1] += nw
            acc[2] += det
            acc[3] += total
            acc[4] += delays
            parts.append(f"{d} {100.0 * fa / max(nw, 1):.2f}%/{100.0 * det / max(total, 1):.0f}%")
        mean = float(np.mean([s.mean[EVAL_START:].mean() for s in sims]))
        print(f"  {scenario.name:22s} mean={mean:6.1f} phi={scenario.phi:3.1f}  fpr/pod: " + ", ".join(parts))
    print()
    for d in DETECTORS:
        print(fmt(d, *totals[d][:4], totals[d][4]))
    far = totals["farrington"]
    far_fpr = far[0] / max(far[1], 1)
    z, agg = c2_matched(sims_all, far_fpr)
    print(fmt(f"ears_c2 (z>{z:.2f}, fpr matched to farrington)", agg[0], agg[1], agg[2], agg[3], agg[4]))
    c2 = totals["ears_c2"]
    ok_fpr = far_fpr <= 0.01
    ok_vs_c2 = far[2] / max(far[3], 1) > agg[2] / max(agg[3], 1) and far_fpr <= c2[0] / max(c2[1], 1)
    r_far = totals["farrington_nbplugin"]
    ok_vs_r = far[2] / max(far[3], 1) >= r_far[2] / max(r_far[3], 1)
    print(f"[{label}] target farrington fpr<=1%: {'met' if ok_fpr else 'NOT met'}; "
          f"farrington pod > ears_c2 pod at no higher fpr: {'met' if ok_vs_c2 else 'NOT met'}; "
          f"pod not below R's improved Farrington (nbPlugin): {'met' if ok_vs_r else 'NOT met'}")
    print(f"(accuracy run took {time.perf_counter() - t0:.1f} s)")


def timing(n_series: int = 400, seed: int = 7) -> None:
    start = datetime.date(2020, 1, 6)
    series = []
    appeals = {}
    texts = ("Прошу отремонтировать дорогу", "Жалақы төленбей жатыр", "Объявляем голодовку")
    for i in range(n_series):
        scenario = SCENARIOS[i % len(SCENARIOS)]
        # One cell in ten has a recent rise; every cell gets a few appeals this week.
        outbreaks = [(N_WEEKS - 2, 6.0)] if i % 10 == 0 else []
        sim = simulate(scenario, n_weeks=N_WEEKS, outbreaks=outbreaks, seed=[seed, i])
        key = f"region-{i // 20:02d}/sector-{i % 20:02d}"
        series.append(WeeklySeries(key=key, start=start, counts=tuple(int(c) for c in sim.counts)))
        appeals[key] = [
            AppealFact(kind="complaint" if j else "request", text=texts[(i + j) % 3] if i % 7 == 0 else None)
            for j in range(3)
        ]
    scan(series[:5], t=N_WEEKS - 1)  # warm-up: imports, caches
    t0 = time.perf_counter()
    result = scan(series, t=N_WEEKS - 1, appeals=appeals)
    elapsed = time.perf_counter() - t0
    levels = {lvl: sum(a.level == lvl for a in result) for lvl in ("normal", "watch", "warning", "mandatory")}
    print(f"scan {n_series}x{N_WEEKS}: {elapsed:.1f} s  (levels: {levels})")
    # The same week with every detector run separately per series (no batching, EARS too).
    t = N_WEEKS - 1
    t0 = time.perf_counter()
    for s in series:
        farrington_flexible(s.counts, t, start=s.start)
        for m in ("C1", "C2", "C3"):
            ears(s.counts, t, method=m)
        nb_cusum(s.counts, t)
    loop = time.perf_counter() - t0
    print(f"per-series loop {n_series}x{N_WEEKS}, farrington+ears c1/c2/c3+nb_cusum: {loop:.1f} s")
    print(f"target scan <= 5 s: {'met' if max(elapsed, loop) <= 5.0 else 'NOT met'}")


def escalation_rates(seed: int, cells: int = 400, weeks: int = 80) -> None:
    """Clean series whose appeals carry the same wordings every week (unpaid wages in 30 %, complaints
    in 80 %, now and then a collective appeal): how many cells does the escalation signal alone lift to
    `watch` or above, judged against the cell's usual rates (the scan) and without them (each week alone)?"""
    rng = np.random.default_rng([seed, 99])
    against = alone = 0
    for _ in range(cells):
        mean = rng.uniform(3, 40)
        n = rng.poisson(mean, weeks)
        wages = rng.binomial(n, 0.3)
        complaints = rng.binomial(n, 0.8)
        collective = rng.binomial(n, 0.02)
        week = [ContentCounts(int(n[i]), int(complaints[i]), int(collective[i]),
                              {"unpaid_wages": int(wages[i])} if wages[i] else {}) for i in range(weeks)]
        past = slice(weeks - 53, weeks - 1)
        usual = ContentCounts(int(n[past].sum()), int(complaints[past].sum()), int(collective[past].sum()),
                              {"unpaid_wages": int(wages[past].sum())}, weeks=52)
        against += escalation_counts(week[-1], usual).strength != "none"
        alone += escalation_counts(week[-1]).strength != "none"
    print(f"escalation on {cells} clean cells with everyday wordings: {100 * against / cells:.1f} % reach watch "
          f"against their usual rates (target <= 10 %); {100 * alone / cells:.1f} % judging each week alone")


def backtest_timing(n_series: int, r_series: int, seed: int, weeks: int = 52, n_weeks: int = 320) -> None:
    """Time per series-week of `backtest_tension --method r` against R's farringtonFlexible on the same
    file. CPU time (single-threaded BLAS) is compared as well as wall time: the machine may be shared."""
    import csv
    import os
    import shutil
    import subprocess
    import tempfile

    counts = np.vstack([simulate(SCENARIOS[i % len(SCENARIOS)], n_weeks=n_weeks, seed=[seed, i, 5]).counts
                        for i in range(n_series)])
    farrington_backtest(counts[:2], 2)  # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    bt = farrington_backtest(counts, weeks, trend_test="r", threshold_method="nbPlugin")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    sw = n_series * weeks
    print(f"backtest {n_series} series x {weeks} weeks (method r): {wall:.2f} s wall, {cpu:.2f} s CPU; "
          f"{1000 * wall / sw:.3f} ms wall, {1000 * cpu / sw:.3f} ms CPU per series-week "
          f"(alarms: {int(bt.alarm.sum())})")
    t0 = time.perf_counter()
    farrington_backtest(counts, weeks)
    print(f"backtest, default method: {1000 * (time.perf_counter() - t0) / sw:.3f} ms wall per series-week")
    rscript = shutil.which("Rscript")
    if rscript is None or r_series < 1:
        print("R: Rscript not installed, no comparison")
        return
    tmp = pathlib.Path(tempfile.mkdtemp())
    with (tmp / "in.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["series", "week", "count"])
        for i in range(r_series):
            writer.writerows([f"s{i}", w + 1, int(c)] for w, c in enumerate(counts[i]))
    (tmp / "run.R").write_text(f"""
suppressMessages(library(surveillance))
d <- read.csv("in.csv")
t0 <- proc.time()
for (name in unique(d$series)) {{
  y <- d$count[d$series == name]
  ctl <- list(b = 5, w = 3, noPeriods = 10, pastWeeksNotIncluded = 26, thresholdMethod = "nbPlugin",
              alpha = 0.01, populationOffset = FALSE, range = (length(y) - {weeks - 1}):length(y))
  res <- farringtonFlexible(sts(observed = y, start = c(2019, 1), frequency = 52), control = ctl)
}}
el <- proc.time() - t0
cat(el[["elapsed"]], el[["user.self"]] + el[["sys.self"]], "\n")
""")
    out = subprocess.run([rscript, "run.R"], cwd=tmp, check=True, capture_output=True, text=True,
                         env={**os.environ, "OPENBLAS_NUM_THREADS": "1"}).stdout.split()
    r_wall, r_cpu = (float(x) / (r_series * weeks) for x in out[:2])
    print(f"R farringtonFlexible, {r_series} series x {weeks} weeks of the same file: {1000 * r_wall:.1f} ms wall, "
          f"{1000 * r_cpu:.1f} ms CPU per series-week (fitting loop only, R start-up excluded)")
    print(f"ours vs R per series-week: {r_wall / (wall / sw):.0f}x faster (wall), {r_cpu / (cpu / sw):.0f}x (CPU); "
          f"target >= 100x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer simulated series per scenario")
    parser.add_argument("--reps", type=int, default=None, help="series per scenario (default 40, quick 8)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--cusum-table", action="store_true", help="print the CUSUM h table and exit")
    parser.add_argument("--skip-accuracy", action="store_true", help="only the escalation rates and timings")
    parser.add_argument("--backtest-only", action="store_true", help="only the backtest against R")
    parser.add_argument("--backtest-series", type=int, default=420, help="series in the backtest timing (20 × 21)")
    parser.add_argument("--r-series", type=int, default=12, help="of them, how many R backtests too (R is slow)")
    args = parser.parse_args()
    if args.cusum_table:
        for row in cusum_mod._build_table():
            print("    (" + ", ".join(f"{v:.3f}" for v in row) + "),")
        return
    reps = args.reps or (8 if args.quick else 40)
    if args.backtest_only:
        backtest_timing(args.backtest_series, args.r_series, args.seed)
        return
    if not args.skip_accuracy:
        accuracy(reps, args.seed)
        print()
        accuracy(reps, args.seed + 1, HELD_OUT, "held-out settings")
        print()
    escalation_rates(args.seed)
    print()
    timing()
    print()
    backtest_timing(args.backtest_series, args.r_series, args.seed)


if __name__ == "__main__":
    main()
