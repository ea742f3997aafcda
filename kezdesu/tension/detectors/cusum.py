"""Negative-binomial CUSUM for a multiplicative rise in appeals.

In-control model.  Fitted on up to ``history`` weeks that end where the CUSUM window
starts (so that a rise inside the window does not leak into its own baseline):
quasi-Poisson log-linear GLM with intercept, two annual harmonics (period 365.25/7
weeks, only with >= 2 years of history) and a linear trend (kept, as in Farrington,
only with >= 2 years of history, if significant at 5 % and if it does not predict
above the largest baseline count), with Farrington's down-weighting of past outbreaks.
It gives the in-control mean ``mu0_s`` of every week in the window and the dispersion
``phi`` (variance ``phi * mu``).  ``mu0_s`` is floored at 0.05 appeals a week, so a cell
that never had an appeal still has a chart (a burst of appeals then signals).
Defaults: ``window=26`` weeks, ``history=156`` weeks, at least 52 weeks of history.

Statistic.  For each week ``s`` of the window (``window`` weeks ending at ``t``)
the log-likelihood ratio of a negative binomial with mean ``mu1 = ratio * mu0_s``
against mean ``mu0_s``, both with the same size ``k_s = mu0_s / (phi - 1)`` (Poisson when
``phi == 1``), is accumulated: ``S_s = max(0, S_{s-1} + LLR_s)`` starting from
``S = 0`` at the window start.  An alarm is raised when ``S_s > h``; the statistic is
then reset to 0 (so a sustained rise alarms again after it rebuilds).

Decision interval.  ``h`` is chosen so that the in-control average run length is
``arl0`` weeks (default 500) for a constant mean equal to the window's average
``mu0`` and the fitted ``phi``: the ARL is computed with the Markov-chain approximation
of Brook & Evans (1972) (``N`` = 200 states on ``[0, h]``; within about 5 % of Monte
Carlo run lengths in spot checks) and ``h`` found by bisection.
For the default ``ratio=2, arl0=500`` the bisection results are tabulated below on a
grid of ``mu0`` and ``phi`` (regenerate with ``bench/bench_tension.py --cusum-table``,
which prints ``_build_table()``) and interpolated bilinearly in ``log mu0`` and
``log phi``; other settings are computed on demand and cached.  With a seasonal
``mu0_s`` the ARL is only approximately ``arl0``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats

from .farrington import coefficient_p_values, fit_quasi_poisson, nb_quantile
from .model import Detection

NAME = "nb_cusum"
SEASON_WEEKS = 365.25 / 7.0
DEFAULT_RATIO = 2.0
DEFAULT_ARL0 = 500.0
MARKOV_STATES = 200
# Annual harmonics in the in-control model (with >= 2 years of history).  Two follow
# semi-annual patterns too; in the benchmark they cut the CUSUM's false alarms from
# 0.67 % to 0.58 % of weeks and raised its detection from 41 % to 48 %.
HARMONICS = 2

# ------------------------------------------------------------ LLR and ARL


def llr_coefficients(mu0: np.ndarray, phi: np.ndarray | float, ratio: float) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(a, c)`` with ``LLR(y) = a * y + c`` for NB(mean ratio*mu0) vs NB(mean mu0).

    Both distributions have size ``k = mu0 / (phi - 1)``; Poisson where ``phi <= 1``.
    """
    mu0 = np.asarray(mu0, dtype=float)
    phi = np.broadcast_to(np.asarray(phi, dtype=float), mu0.shape)
    mu1 = ratio * mu0
    nb = phi > 1.0
    k = np.where(nb, mu0 / np.where(nb, phi - 1.0, 1.0), 1.0)
    a_nb = np.log(mu1 * (k + mu0)) - np.log(mu0 * (k + mu1))
    c_nb = k * (np.log(k + mu0) - np.log(k + mu1))
    a = np.where(nb, a_nb, math.log(ratio))
    c = np.where(nb, c_nb, -(ratio - 1.0) * mu0)
    return a, c


def _pmf(y: np.ndarray, mu0: float, phi: float) -> np.ndarray:
    if phi > 1.0:
        return stats.nbinom.pmf(y, mu0 / (phi - 1.0), 1.0 / phi)
    return stats.poisson.pmf(y, mu0)


def average_run_length(
    h: float, mu0: float, phi: float, ratio: float = DEFAULT_RATIO, *, true_mu: float | None = None,
    n_states: int = MARKOV_STATES,
) -> float:
    """Brook-Evans Markov-chain ARL of the CUSUM with interval ``h`` (from ``S = 0``).

    The chart is tuned for ``mu0 -> ratio * mu0``; counts are drawn with mean ``true_mu``
    (default ``mu0``: the in-control ARL).  Returns weeks; ``inf`` if the chart can
    never signal.
    """
    true_mu = mu0 if true_mu is None else true_mu
    a, c = (float(v) for v in llr_coefficients(np.array(mu0), phi, ratio))
    width = h / n_states
    # Counts above y_max push S past h from any state, so they only add to absorption.
    y_max = math.floor((h - c) / a) + 1
    y = np.arange(y_max + 1)
    pmf = _pmf(y, true_mu, phi)
    values = np.concatenate([[0.0], (np.arange(1, n_states + 1) - 0.5) * width])
    new = values[:, None] + a * y[None, :] + c
    target = np.where(new <= 0.0, 0, np.ceil(new / width).astype(int))
    target = np.where(new > h, -1, np.minimum(target, n_states))
    q = np.zeros((n_states + 1, n_states + 1))
    rows = np.broadcast_to(np.arange(n_states + 1)[:, None], target.shape)
    keep = target >= 0
    np.add.at(q, (rows[keep], target[keep]), np.broadcast_to(pmf, target.shape)[keep])
    try:
        arl = np.linalg.solve(np.eye(n_states + 1) - q, np.ones(n_states + 1))
    except np.linalg.LinAlgError:
        return math.inf
    return float(arl[0]) if arl[0] > 0 else math.inf


def solve_decision_interval(
    mu0: float, phi: float, ratio: float = DEFAULT_RATIO, arl0: float = DEFAULT_ARL0
) -> float:
    """Smallest ``h`` (to 0.005) whose in-control ARL reaches ``arl0`` (bisection)."""
    lo, hi = 0.01, 2.0
    while average_run_length(hi, mu0, phi, ratio) < arl0:
        lo, hi = hi, hi * 2.0
        if hi > 200:
            return hi
    while hi - lo > 0.005:
        mid = 0.5 * (lo + hi)
        if average_run_length(mid, mu0, phi, ratio) < arl0:
            lo = mid
        else:
            hi = mid
    return hi


# h for ratio=2, ARL0=500 on this grid (rows: mu0, columns: phi); generated by _build_table().
# mu0 steps by a factor sqrt(2) from 0.25 to 1024.  Above ~30 appeals a week a doubling is
# so many standard deviations that even h -> 0 keeps the ARL far above 500; the bisection
# then stops at its floor (0.014) and the chart signals as soon as one week's LLR is
# positive (about 1.4 * mu0).
H_GRID_MU0 = tuple(round(0.25 * 2 ** (i / 2), 4) for i in range(25))
H_GRID_PHI = (1.0, 1.25, 1.5, 2.0, 3.0, 5.0, 8.0)
H_TABLE: tuple[tuple[float, ...], ...] = (
    (3.344, 3.027, 2.832, 2.484, 2.094, 1.588, 1.254),
    (3.438, 3.266, 2.996, 2.691, 2.289, 1.833, 1.553),
    (3.734, 3.449, 3.230, 2.945, 2.562, 2.129, 1.775),
    (4.008, 3.551, 3.641, 3.172, 2.781, 2.332, 2.047),
    (4.113, 3.910, 3.727, 3.434, 3.062, 2.668, 2.262),
    (4.098, 4.051, 4.035, 3.738, 3.301, 2.922, 2.527),
    (4.410, 4.242, 4.105, 3.887, 3.570, 3.148, 2.785),
    (4.590, 4.469, 4.051, 4.055, 3.766, 3.418, 3.027),
    (4.484, 4.449, 4.328, 4.234, 3.977, 3.629, 3.289),
    (4.629, 4.520, 4.438, 4.340, 4.121, 3.844, 3.520),
    (4.480, 4.457, 4.449, 4.438, 4.273, 4.027, 3.746),
    (4.398, 4.445, 4.441, 4.375, 4.391, 4.180, 3.941),
    (4.102, 4.168, 4.297, 4.445, 4.414, 4.289, 4.105),
    (3.715, 3.934, 4.012, 4.348, 4.434, 4.367, 4.242),
    (1.965, 3.227, 3.891, 4.000, 4.410, 4.402, 4.340),
    (0.496, 2.246, 2.754, 3.805, 4.121, 4.395, 4.391),
    (0.014, 0.325, 1.697, 2.820, 3.895, 4.293, 4.387),
    (0.014, 0.014, 0.014, 1.565, 3.141, 4.055, 4.328),
    (0.014, 0.014, 0.014, 0.014, 2.133, 3.625, 4.125),
    (0.014, 0.014, 0.014, 0.014, 0.076, 2.797, 3.816),
    (0.014, 0.014, 0.014, 0.014, 0.014, 1.366, 3.152),
    (0.014, 0.014, 0.014, 0.014, 0.014, 0.014, 2.020),
    (0.014, 0.014, 0.014, 0.014, 0.014, 0.014, 0.103),
    (0.014, 0.014, 0.014, 0.014, 0.014, 0.014, 0.014),
    (0.014, 0.014, 0.014, 0.014, 0.014, 0.014, 0.014),
)


def _build_table() -> tuple[tuple[float, ...], ...]:
    return tuple(
        tuple(round(solve_decision_interval(m, p), 3) for p in H_GRID_PHI) for m in H_GRID_MU0
    )


@lru_cache(maxsize=4096)
def _h_cached(log_mu0_q: int, log_phi_q: int, ratio: float, arl0: float) -> float:
    return solve_decision_interval(math.exp(log_mu0_q / 40.0), math.exp(log_phi_q / 40.0), ratio, arl0)


def decision_interval(
    mu0: float, phi: float, ratio: float = DEFAULT_RATIO, arl0: float = DEFAULT_ARL0
) -> float:
    """Decision interval ``h`` for an in-control ARL of about ``arl0`` weeks.

    Uses the precomputed table for the defaults (clamped to its range) and an on-demand
    Markov-chain solution (``mu0``, ``phi`` rounded to 2.5 % steps, cached) otherwise.
    """
    mu0 = max(float(mu0), 1e-3)
    phi = max(float(phi), 1.0)
    if ratio == DEFAULT_RATIO and arl0 == DEFAULT_ARL0:
        lm = np.clip(math.log(mu0), math.log(H_GRID_MU0[0]), math.log(H_GRID_MU0[-1]))
        lp = np.clip(math.log(phi), 0.0, math.log(H_GRID_PHI[-1]))
        gm = np.log(H_GRID_MU0)
        gp = np.log(H_GRID_PHI)
        i = int(np.clip(np.searchsorted(gm, lm) - 1, 0, len(gm) - 2))
        j = int(np.clip(np.searchsorted(gp, lp) - 1, 0, len(gp) - 2))
        fm = (lm - gm[i]) / (gm[i + 1] - gm[i])
        fp = (lp - gp[j]) / (gp[j + 1] - gp[j])
        tab = H_TABLE
        return float(
            (1 - fm) * (1 - fp) * tab[i][j]
            + fm * (1 - fp) * tab[i + 1][j]
            + (1 - fm) * fp * tab[i][j + 1]
            + fm * fp * tab[i + 1][j + 1]
        )
    return _h_cached(round(40 * math.log(mu0)), round(40 * math.log(phi)), float(ratio), float(arl0))


# ------------------------------------------------------------ CUSUM path


@dataclass(frozen=True)
class CusumPath:
    """Per-week CUSUM over a window: statistic after each week (before reset), alarms, h."""

    statistic: np.ndarray
    alarms: np.ndarray
    previous: np.ndarray
    h: float


def cusum_path(
    counts: Sequence[float] | np.ndarray,
    mu0: Sequence[float] | np.ndarray,
    phi: float,
    *,
    ratio: float = DEFAULT_RATIO,
    h: float | None = None,
    arl0: float = DEFAULT_ARL0,
) -> CusumPath:
    """Run the NB CUSUM over ``counts`` with in-control means ``mu0`` (same length).

    ``statistic[i]`` is ``S_i`` before a reset, ``previous[i]`` the value carried into week
    ``i`` (0 after an alarm), ``alarms[i]`` is ``S_i > h``.  ``h`` defaults to
    :func:`decision_interval` at the mean of ``mu0``.  Raises ValueError on length
    mismatch or non-positive ``mu0``.
    """
    y = np.asarray(counts, dtype=float)
    m0 = np.asarray(mu0, dtype=float)
    if y.shape != m0.shape:
        raise ValueError("counts and mu0 must have the same length")
    if not (m0 > 0).all():
        raise ValueError("mu0 must be positive")
    if h is None:
        h = decision_interval(float(m0.mean()), phi, ratio, arl0)
    a, c = llr_coefficients(m0, phi, ratio)
    llr = a * y + c
    stat = np.empty_like(y)
    prev = np.empty_like(y)
    alarms = np.zeros(len(y), dtype=bool)
    s = 0.0
    for i, inc in enumerate(llr):
        prev[i] = s
        s = max(0.0, s + inc)
        stat[i] = s
        if s > h:
            alarms[i] = True
            s = 0.0  # reset after an alarm
    return CusumPath(stat, alarms, prev, float(h))


# ------------------------------------------------------------ baseline model


@dataclass(frozen=True)
class BaselineModel:
    """In-control means for weeks ``first .. t`` of each series and the dispersion."""

    first: int
    mu0: np.ndarray  # (S, t - first + 1)
    phi: np.ndarray  # (S,)
    ok: np.ndarray  # (S,) bool: fitted and usable
    n_history: int


def _design(weeks: np.ndarray, t: int, seasonal: bool, trend: bool) -> np.ndarray:
    rel = (weeks - t).astype(float)
    cols = [np.ones(len(weeks))]
    if trend:
        cols.append(rel / 52.0)
    if seasonal:
        for j in range(1, HARMONICS + 1):
            ang = 2.0 * np.pi * j * rel / SEASON_WEEKS
            cols.extend([np.cos(ang), np.sin(ang)])
    return np.column_stack(cols)


def fit_baseline(
    counts: np.ndarray,
    t: int,
    *,
    window: int,
    history: int,
    predict_from: int | None = None,
    min_history: int = 52,
    p_threshold_trend: float = 0.05,
) -> BaselineModel:
    """Fit the in-control model for rows of ``counts`` (``(S, >t)``) on the ``history``
    weeks before the CUSUM window and predict weeks ``predict_from .. t``.

    ``predict_from`` defaults to the window start.  Rows are marked not ``ok`` when
    fewer than ``min_history`` weeks precede the window or the fit fails.
    """
    y_all = np.asarray(counts, dtype=float)
    n_series = y_all.shape[0]
    win_start = t - window + 1
    first = win_start if predict_from is None else min(predict_from, win_start)
    first = max(first, 0)
    hist_start = max(0, win_start - history)
    n_hist = win_start - hist_start
    pred_weeks = np.arange(first, t + 1)
    if n_hist < min_history:
        return BaselineModel(first, np.full((n_series, len(pred_weeks)), np.nan), np.ones(n_series),
                             np.zeros(n_series, dtype=bool), n_hist)
    weeks = np.arange(hist_start, win_start)
    y = y_all[:, weeks]
    long_enough = n_hist >= 104
    mu0 = np.full((n_series, len(pred_weeks)), np.nan)
    phi = np.ones(n_series)
    ok = np.zeros(n_series, dtype=bool)
    # Rows without a single appeal need no fit: their in-control mean is the floor below.
    empty = y.sum(axis=1) == 0
    mu0[empty] = 0.0
    ok[empty] = True
    todo = ~empty
    if long_enough and todo.any():
        rows = np.flatnonzero(todo)
        x = _design(weeks, t, seasonal=True, trend=True)
        fit = fit_quasi_poisson(y[rows], x)
        xp = _design(pred_weeks, t, seasonal=True, trend=True)
        pred = np.exp(np.clip(fit.beta @ xp.T, -30, 30))
        keep = (
            fit.converged
            & (coefficient_p_values(fit, 1) < p_threshold_trend)
            & (pred.max(axis=1) <= y[rows].max(axis=1))
        )
        mu0[rows[keep]] = pred[keep]
        phi[rows[keep]] = fit.phi[keep]
        ok[rows[keep]] = True
        todo[rows[keep]] = False
    if todo.any():
        x = _design(weeks, t, seasonal=long_enough, trend=False)
        fit = fit_quasi_poisson(y[todo], x)
        xp = _design(pred_weeks, t, seasonal=long_enough, trend=False)
        mu0[todo] = np.exp(np.clip(fit.beta @ xp.T, -30, 30))
        phi[todo] = fit.phi
        ok[todo] = fit.converged
    # A baseline of (almost) only zeros gives mu0 ~ 1e-13 and LLRs dominated by a single
    # appeal; floor the in-control mean at 0.05 appeals/week, far below anything that
    # matters for the resolution.
    mu0 = np.maximum(mu0, 0.05)
    return BaselineModel(first, mu0, phi, ok, n_hist)


# ------------------------------------------------------------ detector


def nb_cusum_many(
    counts: Sequence[Sequence[int]] | np.ndarray,
    t: int,
    *,
    ratio: float = DEFAULT_RATIO,
    window: int = 26,
    history: int = 156,
    arl0: float = DEFAULT_ARL0,
    min_history: int = 52,
) -> list[Detection]:
    """NB CUSUM at week ``t`` for several aligned series (rows of ``counts``, each > ``t`` weeks).

    Returns one :class:`Detection` per row (``applicable=False`` with fewer than
    ``min_history`` weeks before the window).  Raises ValueError if ``t`` is outside a row.
    """
    if t < 0:
        raise ValueError("t must be >= 0")
    rows = [np.asarray(r[: t + 1], dtype=float) for r in counts]
    for r in rows:
        if len(r) <= t:
            raise ValueError(f"t={t} is outside the series ({len(r)} weeks)")
    if not rows:
        return []
    y_all = np.vstack(rows)
    window = min(window, t + 1)
    model = fit_baseline(y_all, t, window=window, history=history, min_history=min_history)
    out = []
    for s in range(y_all.shape[0]):
        observed = float(y_all[s, t])
        if not model.ok[s]:
            nan = float("nan")
            out.append(Detection(NAME, t, observed, nan, nan, False, nan, applicable=False))
            continue
        out.append(cusum_detection(y_all[s], t, model.mu0[s], float(model.phi[s]), ratio, arl0))
    return out


def cusum_detection(
    y: np.ndarray, t: int, mu0: np.ndarray, phi: float, ratio: float, arl0: float
) -> Detection:
    """CUSUM detection for week ``t`` of ``y`` given the in-control means ``mu0`` of the
    window ending at ``t`` (``len(mu0)`` weeks) and dispersion ``phi``."""
    window = len(mu0)
    ys = y[t - window + 1 : t + 1]
    path = cusum_path(ys, mu0, phi, ratio=ratio, arl0=arl0)
    a, c = llr_coefficients(mu0[-1:], phi, ratio)
    # Count at week t that would take the statistic past h from its carried-in value.
    threshold = float((path.h - path.previous[-1] - c[0]) / a[0])
    stat = float(path.statistic[-1])
    return Detection(
        detector=NAME,
        t=t,
        observed=float(y[t]),
        expected=float(mu0[-1]),
        threshold=max(threshold, 0.0),
        alarm=bool(path.alarms[-1]),
        score=stat / path.h,
        details={
            "statistic": stat,
            "h": path.h,
            "phi": phi,
            "size": float(mu0[-1] / (phi - 1.0)) if phi > 1.0 else float("inf"),
            "ratio": ratio,
            "window": float(window),
            "alarms_in_window": float(path.alarms.sum()),
        },
    )


def nb_cusum(
    counts: Sequence[int] | np.ndarray,
    t: int,
    *,
    ratio: float = DEFAULT_RATIO,
    window: int = 26,
    history: int = 156,
    arl0: float = DEFAULT_ARL0,
    min_history: int = 52,
) -> Detection:
    """NB CUSUM detection for week ``t`` of one series (see the module docstring).

    Returns a :class:`Detection`: ``expected`` is ``mu0_t``, ``threshold`` the count at
    ``t`` that would signal, ``score = S_t / h``.  Raises ValueError if ``t`` is outside
    ``counts``.
    """
    return nb_cusum_many(
        [counts], t, ratio=ratio, window=window, history=history, arl0=arl0, min_history=min_history
    )[0]


def seasonal_band(
    counts: np.ndarray, t: int, *, weeks: int = 52, alpha: float = 0.01, window: int = 26, history: int = 156
) -> tuple[int, np.ndarray, np.ndarray]:
    """Cheap per-week baseline and upper band for charts, from the CUSUM baseline model.

    Returns ``(first_week, expected, upper)`` covering weeks ``first_week .. t`` (at most
    ``weeks``); NaN arrays when the model cannot be fitted.
    """
    y = np.asarray(counts, dtype=float)[None, : t + 1]
    first = max(0, t - weeks + 1)
    model = fit_baseline(y, t, window=min(window, t + 1), history=history, predict_from=first)
    n = t - first + 1
    if not model.ok[0]:
        return first, np.full(n, np.nan), np.full(n, np.nan)
    mu0 = model.mu0[0][-n:]
    return first, mu0, nb_quantile(1.0 - alpha, mu0, np.full(n, model.phi[0]))


__all__ = [
    "NAME",
    "BaselineModel",
    "CusumPath",
    "average_run_length",
    "cusum_detection",
    "cusum_path",
    "decision_interval",
    "fit_baseline",
    "llr_coefficients",
    "nb_cusum",
    "nb_cusum_many",
    "seasonal_band",
    "solve_decision_interval",
]

