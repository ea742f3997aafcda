"""Behaviour tests of the pure tension detectors (no database, no Django)."""

from __future__ import annotations

import csv
import datetime
import math
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kezdesu.tension.detectors import (
    AppealFact,
    WeeklySeries,
    assess,
    cusum_path,
    decision_interval,
    ears,
    ears_statistics,
    escalation,
    farrington_flexible,
    farrington_flexible_many,
    keyword_categories,
    nb_cusum,
    normalise,
    scan,
)
from kezdesu.tension.detectors.cusum import (
    H_GRID_MU0,
    H_GRID_PHI,
    H_TABLE,
    average_run_length,
    solve_decision_interval,
)
from kezdesu.tension.detectors.farrington import reference_offsets
from kezdesu.tension.detectors.simulate import SCENARIOS, Scenario, baseline_mean, simulate

START = datetime.date(2019, 1, 7)
FLAT10 = Scenario("flat-poisson", theta=math.log(10.0), beta=0.0, gamma1=0.0, gamma2=0.0, m=0, phi=1.0)


def _poisson_series(mean: float, n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).poisson(mean, n)


# ----------------------------------------------------------------- Farrington


def test_flat_poisson_series_rarely_alarms():
    counts = np.vstack([_poisson_series(10.0, 312, seed) for seed in range(6)])
    alarms = [d.alarm for t in range(260, 312) for d in farrington_flexible_many(counts, t)]
    assert np.mean(alarms) <= 0.02


def test_big_spike_alarms_with_observed_above_threshold():
    counts = _poisson_series(10.0, 300, 1)
    counts[299] = 45
    det = farrington_flexible(counts, 299)
    assert det.applicable and det.alarm
    assert det.observed > det.threshold >= det.expected
    assert det.score > 1
    assert 7 < det.expected < 13


def test_no_alarm_below_limit54_even_above_threshold():
    # Near-zero baseline: a single appeal is above the threshold but below 5 in 4 weeks.
    counts = np.zeros(300, dtype=int)
    counts[299] = 2
    det = farrington_flexible(counts, 299)
    assert det.observed > det.threshold
    assert not det.alarm
    assert det.details["enough_cases"] == 0.0


@settings(max_examples=15, deadline=None, database=None)
@given(mean=st.floats(min_value=0.5, max_value=60.0), phi=st.floats(min_value=1.0, max_value=5.0),
       seed=st.integers(0, 10_000))
def test_threshold_is_at_least_expected(mean, phi, seed):
    scenario = Scenario("flat", math.log(mean), 0.0, 0.0, 0.0, 0, phi)
    counts = simulate(scenario, n_weeks=240, seed=seed).counts
    det = farrington_flexible(counts, 239)
    assert det.applicable
    assert det.threshold >= det.expected


def test_short_history_is_not_applicable():
    counts = _poisson_series(5.0, 100, 2)
    det = farrington_flexible(counts, 99)
    assert not det.applicable and not det.alarm
    assert math.isnan(det.threshold)
    # Two years plus the window (w = 3) is the minimum.
    assert not farrington_flexible(_poisson_series(5.0, 200, 2), 106).applicable
    assert farrington_flexible(_poisson_series(5.0, 200, 2), 107).applicable


def test_batch_equals_single_series():
    counts = np.vstack([simulate(SCENARIOS[i], n_weeks=270, seed=i).counts for i in range(4)])
    batch = farrington_flexible_many(counts, 269)
    for row, det in zip(counts, batch, strict=True):
        single = farrington_flexible(row, 269)
        assert single.threshold == det.threshold
        assert single.expected == pytest.approx(det.expected, rel=1e-9)


def test_population_offset_scales_expected():
    counts = _poisson_series(20.0, 270, 3)
    plain = farrington_flexible(counts, 269)
    same = farrington_flexible(counts, 269, population=np.full(270, 1000.0))
    assert same.expected == pytest.approx(plain.expected, rel=1e-6)
    pop = np.full(270, 1000.0)
    pop[269] = 2000.0  # twice the population in the current week: twice the expectation
    doubled = farrington_flexible(counts, 269, population=pop)
    assert doubled.expected == pytest.approx(2 * plain.expected, rel=1e-6)


def test_reference_weeks_follow_the_calendar():
    assert reference_offsets(300, 5, 3) == (0, 52, 104, 156, 208, 260)
    offsets = reference_offsets(300, 5, 3, START)
    assert len(offsets) == 6
    # 365.25 days a year drift by a day a year: after enough years the nearest same
    # weekday is 53 weeks further back per year.
    assert all(52 * j <= o <= 52 * j + 1 for j, o in enumerate(offsets))
    assert offsets[-1] == 261


def _r_surveillance() -> str | None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    probe = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [rscript, "-e", "quit(status = as.integer(!requireNamespace('surveillance', quietly = TRUE)))"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    return rscript if probe.returncode == 0 else None


R_SCRIPT = """
suppressMessages(library(surveillance))
y <- scan("counts.txt", quiet = TRUE)
ctl <- list(b = 5, w = 3, noPeriods = 10, pastWeeksNotIncluded = 26, thresholdMethod = "nbPlugin",
            alpha = 0.01, populationOffset = FALSE)
run <- function(s, rng, file) {
  ctl$range <- rng
  res <- farringtonFlexible(s, control = ctl)
  write.csv(data.frame(k = rng, upper = upperbound(res)[, 1], expected = res@control$expected[, 1]),
            file, row.names = FALSE)
}
run(sts(observed = y, start = c(2019, 1), frequency = 52), 264:length(y), "weekly.csv")
dates <- as.Date("2019-01-07") + 7 * (seq_along(y) - 1)
run(sts(observed = y, epoch = as.numeric(dates), epochAsDate = TRUE, frequency = 52), 266:length(y), "dated.csv")
"""


def test_matches_r_farrington_flexible(tmp_path):
    rscript = _r_surveillance()
    if rscript is None:
        pytest.skip("Rscript with the R package 'surveillance' is not installed (Debian: r-cran-surveillance)")
    sim = simulate(SCENARIOS[4], n_weeks=320, outbreaks=[(150, 8.0), (300, 6.0)], seed=11)
    counts = sim.counts
    np.savetxt(tmp_path / "counts.txt", counts, fmt="%d")
    (tmp_path / "run.R").write_text(R_SCRIPT)
    subprocess.run([rscript, "run.R"], cwd=tmp_path, check=True, capture_output=True, timeout=300)  # noqa: S603
    compared = exact = 0
    for name, start in (("weekly.csv", None), ("dated.csv", START)):
        with open(tmp_path / name, newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) > 40
        for row in rows:
            if row["upper"] == "NA":  # R's limit54: too few cases, no bound
                continue
            k = int(row["k"]) - 1
            det = farrington_flexible(counts, k, start=start, trend_test="r", threshold_method="nbPlugin")
            # Quantiles of a discrete distribution: allow one count for floating-point ties.
            assert det.threshold == pytest.approx(float(row["upper"]), abs=1.0), (name, k)
            assert det.expected == pytest.approx(float(row["expected"]), rel=1e-4), (name, k)
            compared += 1
            exact += det.threshold == float(row["upper"])
    assert compared >= 60
    assert exact >= 0.95 * compared


# ----------------------------------------------------------------------- EARS


def test_ears_c1_c2_rule_is_three_sd():
    base = [10, 12, 8, 10, 12, 8, 10, 12, 8, 10]
    mean = float(np.mean(base[-7:]))
    sd = float(np.std(base[-7:], ddof=1))
    counts = [*base, 0]
    counts[-1] = math.floor(mean + 3 * sd)  # just below the limit
    assert not ears(counts, 10, method="C1").alarm
    counts[-1] = math.floor(mean + 3 * sd) + 1
    det = ears(counts, 10, method="C1")
    assert det.alarm and det.threshold == pytest.approx(mean + 3 * sd)
    assert det.score == pytest.approx((counts[-1] - mean) / sd / 3)


def test_ears_c3_sums_c2_excess_over_one():
    base = [10, 12, 8, 10, 12, 8, 10, 12, 8, 10, 12, 8]
    counts = [*base, 15, 15, 15]  # each about 1.9 sd above its (lagged) baseline
    z2, _, _ = ears_statistics(counts, "C2")
    c3, _, _ = ears_statistics(counts, "C3")
    t = len(counts) - 1
    expected = sum(max(0.0, z2[t - i] - 1.0) for i in range(3))
    assert c3[t] == pytest.approx(expected)
    assert not ears(counts, t, method="C2").alarm  # no single week beyond 3 sd
    det = ears(counts, t, method="C3")
    assert det.details["statistic"] > 2 and det.alarm
    # One elevated week alone does not make C3 alarm.
    assert not ears([*base, 10, 12, 15], t, method="C3").alarm


def test_ears_sd_floor_and_applicability():
    flat = [5] * 9 + [8]
    det = ears(flat, 9, method="C2")
    assert det.expected == 5 and det.threshold == 8  # sd 0 floored to 1: 5 + 3
    assert not det.alarm
    assert not ears(flat, 8, method="C2").applicable
    assert not ears(flat, 9, method="C3").applicable
    with pytest.raises(ValueError):
        ears(flat, 9, method="C4")


# ---------------------------------------------------------------------- CUSUM


def test_cusum_resets_after_alarm():
    mu0 = np.full(12, 5.0)
    counts = np.array([5, 4, 6, 20, 25, 5, 5, 30, 5, 5, 4, 6], dtype=float)
    path = cusum_path(counts, mu0, phi=1.5)
    alarms = np.flatnonzero(path.alarms)
    assert len(alarms) >= 2
    for i in alarms:
        assert path.statistic[i] > path.h
        if i + 1 < len(counts):
            assert path.previous[i + 1] == 0.0  # restarted from zero
    assert not path.alarms[-1]
    # Without a rise the statistic stays small.
    quiet = cusum_path(np.full(12, 5.0), mu0, phi=1.5)
    assert not quiet.alarms.any()


def test_cusum_decision_interval_gives_arl_about_500():
    row, col = H_GRID_MU0.index(4.0), H_GRID_PHI.index(2.0)
    assert H_TABLE[row][col] == pytest.approx(solve_decision_interval(4.0, 2.0), abs=0.01)
    for mu0, phi in ((3.0, 1.7), (10.0, 2.5), (0.7, 1.2)):
        arl = average_run_length(decision_interval(mu0, phi), mu0, phi)
        assert 300 < arl < 800, (mu0, phi, arl)
    # The chart detects a doubling quickly.
    h = decision_interval(10.0, 2.0)
    assert average_run_length(h, 10.0, 2.0, true_mu=20.0) < 6


def test_nb_cusum_detects_sustained_rise():
    counts = simulate(FLAT10, n_weeks=200, seed=5).counts.copy()
    quiet = nb_cusum(counts, 199)
    assert quiet.applicable and not quiet.alarm
    counts[196:200] += 12  # four weeks at 2.2x
    det = nb_cusum(counts, 199)
    assert det.details["alarms_in_window"] >= 1
    assert det.expected == pytest.approx(10.0, rel=0.25)
    assert not nb_cusum(counts[:60], 59).applicable
    # A cell that never had an appeal: floor mean, and a burst of appeals signals.
    empty = np.zeros(120, dtype=int)
    assert not nb_cusum(empty, 119).alarm
    empty[119] = 8
    burst = nb_cusum(empty, 119)
    assert burst.applicable and burst.alarm and burst.expected == pytest.approx(0.05)


# ----------------------------------------------------------------- escalation


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Рабочие объявили ЗАБАСТОВКУ", "strike"),
        ("Бастуем третий день", "strike"),
        ("Кеншілер ереуілге шықты", "strike"),
        ("Ереуілдің себебі - жалақы", "strike"),
        ("Мы начинаем голодовку с понедельника", "hunger_strike"),
        ("Аштық жариялаймыз", "hunger_strike"),
        ("Аштык жарияладык", "hunger_strike"),  # Kazakh typed on a Russian layout
        ("Собираемся на митинг у акимата", "rally"),
        ("Митингке шығамыз", "rally"),
        ("Наразылық акциясын өткіземіз", "protest"),
        ("Задолженность по заработной плате уже 3 месяца", "unpaid_wages"),
        ("Зарплату не выплачивают полгода", "unpaid_wages"),
        ("Нам не выплачивают зарплату", "unpaid_wages"),
        ("Жалақы төленбей жатыр", "unpaid_wages"),
        ("Жалақы бойынша берешек 4 айға жетті", "unpaid_wages"),
        ("ереуiл", "strike"),  # Latin "i" inside a Cyrillic word
    ],
)
def test_escalation_keywords_kk_ru_with_inflections(text, category):
    assert category in keyword_categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Прошу отремонтировать дорогу на улице Абая",
        "Жолды жөндеуді сұраймыз",
        "Зарплату выплатили вовремя, спасибо",
        "Голубой забор покрашен",
        "Несколько недель нет воды",
        "",
        None,
    ],
)
def test_escalation_ignores_unrelated_text(text):
    assert keyword_categories(text) == ()


def test_escalation_counts_collective_and_complaints():
    appeals = [
        AppealFact(kind="complaint", signatories=25, text="Коллективное обращение жителей", lang="ru"),
        AppealFact(kind="complaint", signatories=10, text=None),
        AppealFact(kind="request", signatories=9, text="Прошу помочь"),
        AppealFact(kind="Жалоба", signatories=1, text="Голодовку объявили рабочие", lang="ru"),
    ]
    sig = escalation(appeals)
    assert sig.collective == 2
    assert sig.complaint_share == pytest.approx(0.75)
    assert sig.keywords == ("hunger_strike",)
    assert sig.strength == "strong"
    assert sig.score == pytest.approx(3.0 + 2.0 + 0.5)
    empty = escalation([])
    assert (empty.collective, empty.complaint_share, empty.keywords, empty.strength) == (0, 0.0, (), "none")


def test_normalise_folds_case_and_kazakh_letters():
    assert normalise("ЕРЕУІЛ Ёлка") == "ереуил елка"


# ----------------------------------------------------------------- combination


def _series(counts, key="almaty/health") -> WeeklySeries:
    return WeeklySeries(key=key, start=START, counts=tuple(int(c) for c in counts))


def test_assess_mandatory_for_spike_with_hunger_strike():
    counts = simulate(FLAT10, n_weeks=260, seed=3).counts.copy()
    counts[259] = 40
    appeals = [AppealFact(kind="complaint", text="Аштық жариялаймыз, жалақы төленбей жатыр", lang="kk")]
    a = assess(_series(counts), t=259, appeals_this_week=appeals)
    assert a.level == "mandatory"
    assert a.primary == "farrington"
    assert "farrington" in a.fired and "escalation" in a.fired
    assert a.observed == 40 and a.observed > a.threshold
    assert a.week_start == START + datetime.timedelta(weeks=259)
    assert len(a.recent_counts) == 52 and a.recent_counts[-1] == 40
    assert len(a.recent_expected) == 52 and all(math.isfinite(v) for v in a.recent_expected)
    assert "hunger_strike" in a.escalation.keywords


def test_assess_normal_for_quiet_series():
    counts = simulate(FLAT10, n_weeks=260, seed=4).counts.copy()
    counts[259] = 10
    quiet = [AppealFact(kind="request", text="Прошу отремонтировать дорогу")]
    a = assess(_series(counts), t=259, appeals_this_week=quiet)
    assert a.level == "normal" and a.fired == ()
    assert a.score < 1


def test_assess_levels_between():
    counts = simulate(FLAT10, n_weeks=260, seed=3).counts.copy()
    counts[259] = 25
    warning = assess(_series(counts), t=259)
    assert warning.level == "warning"  # alarm, no escalation, exceedance < 3
    assert 1 < warning.detection("farrington").score < 3
    counts[259] = 60
    very_high = assess(_series(counts), t=259)
    assert very_high.level == "mandatory"  # very high exceedance alone
    assert very_high.detection("farrington").score >= 3
    counts[259] = 10
    weak = [AppealFact(kind="complaint", text="Зарплату не выплачивают")]
    assert assess(_series(counts), t=259, appeals_this_week=weak).level == "watch"


def test_assess_uses_ears_on_short_history():
    counts = list(_poisson_series(6.0, 60, 9))
    counts[59] = 30
    a = assess(_series(counts), t=59)
    assert a.primary == "ears_c2"
    assert not a.detection("farrington").applicable
    assert a.detection("ears_c2").alarm
    assert a.level in ("warning", "mandatory")
    assert not a.detection("nb_cusum").applicable


def test_scan_matches_assess_and_keeps_order():
    series = [_series(simulate(SCENARIOS[i], n_weeks=270, seed=i).counts, key=f"k{i}") for i in range(5)]
    series.append(_series(_poisson_series(4.0, 270, 1)[:270], key="short"))
    results = scan(series, t=269, appeals={"k1": [AppealFact(kind="complaint", signatories=30)]})
    assert [a.key for a in results] == [s.key for s in series]
    for s, a in zip(series, results, strict=True):
        week = [AppealFact(kind="complaint", signatories=30)] if s.key == "k1" else ()
        single = assess(s, t=269, appeals_this_week=week)
        assert a.level == single.level
        assert a.score == pytest.approx(single.score)
    assert results[1].escalation.collective == 1
    with pytest.raises(ValueError):
        scan(series, t=400)


# ------------------------------------------------------------------ simulator


def test_simulator_is_reproducible():
    a = simulate(SCENARIOS[3], n_weeks=260, outbreaks=[(200, 5.0)], seed=42)
    b = simulate(SCENARIOS[3], n_weeks=260, outbreaks=[(200, 5.0)], seed=42)
    c = simulate(SCENARIOS[3], n_weeks=260, outbreaks=[(200, 5.0)], seed=43)
    assert np.array_equal(a.counts, b.counts) and a.outbreaks == b.outbreaks
    assert not np.array_equal(a.counts, c.counts)
    assert np.array_equal(a.counts, a.baseline + a.extra)
    ob = a.outbreaks[0]
    assert ob.start == 200 and ob.cases == a.extra.sum()
    assert a.extra[:200].sum() == 0


def test_simulator_matches_its_mean_and_dispersion():
    scenario = Scenario("flat", math.log(20.0), 0.0, 0.0, 0.0, 0, 3.0)
    counts = np.concatenate([simulate(scenario, n_weeks=520, seed=s).counts for s in range(10)])
    assert counts.mean() == pytest.approx(20.0, rel=0.05)
    assert counts.var() / counts.mean() == pytest.approx(3.0, rel=0.1)
    mu = baseline_mean(SCENARIOS[4], 104)
    assert mu.argmax() != mu.argmin() and mu.max() / mu.min() > 3  # seasonal
