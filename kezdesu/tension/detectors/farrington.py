"""Improved Farrington detector (Noufaily et al. 2013, Stat Med 32:1206-1222).

This follows R ``surveillance::farringtonFlexible`` with ``noPeriods=10``,
``pastWeeksNotIncluded=26``, ``thresholdMethod="nbPlugin"``; with
``threshold_method="nbPlugin", trend_test="r"`` the thresholds equal R's (checked
against surveillance 1.20.3 by ``test_matches_r_farrington_flexible``, both with
integer and with date epochs).  The defaults differ in two documented places (steps 5
and 6):

1. Reference weeks: the current week ``t`` and the same week in each of the previous
   ``b`` years.  Without a ``start`` date a year is 52 weeks (R with integer epochs);
   with a date the week nearest to "same day one year earlier" on the same weekday is
   used (R with ``epochAsDate=TRUE``).  If fewer than ``b`` years are available the
   detector uses as many as there are (at least ``min_years``, default 2); with less
   history it returns ``applicable=False``.
2. Baseline: windows of ``2w+1`` weeks around every reference week form seasonal level
   ``no_periods``; the weeks between two windows are cut into ``no_periods - 1`` blocks
   (levels ``1..no_periods-1``).  The ``past_weeks_not_included + 1`` most recent weeks
   (including ``t``) are left out so that an ongoing rise does not inflate the baseline.
3. Quasi-Poisson GLM, log link: intercept + linear time trend + seasonal factor
   (+ optional ``log(population)`` offset), fitted by IRLS (R ``glm.fit`` defaults:
   start ``mu = y + 0.1``, relative deviance tolerance 1e-8, 25 iterations).
   Dispersion ``phi = max(1, Pearson chi2 / df)``.
4. Re-weighting: Anscombe residuals ``s_i`` scaled by ``sqrt(phi (1 - h_ii))``; weights
   ``gamma * s_i**-2`` for ``s_i > 2.58`` and ``gamma`` otherwise, ``gamma`` making the
   weights sum to ``n``; refit and recompute ``phi``.
5. The trend is kept only with at least three years of history, a 5 % significant
   t-test and a prediction not above the largest baseline count; otherwise the model
   is refitted without it.  The t-test uses the Pearson dispersion of the re-weighted
   fit (``trend_test="quasi"``); surveillance 1.20 divides by the fitted means once
   more by accident (see :func:`r_summary_dispersion`), which ``trend_test="r"``
   reproduces.  A fit that does not converge with the trend is retried
   without; if that fails too the detection is not applicable.
6. Threshold: ``1 - alpha`` quantile of a negative binomial with mean ``mu0`` (the
   point prediction) and size ``mu0 / (phi' - 1)``; Poisson when ``phi' == 1``.  Alarm
   when the observed count exceeds the threshold and, as in Farrington's original
   "limit54" rule, at least 5 appeals arrived in the last 4 weeks (and it is not 0).
   A baseline without any appeal gives ``mu0 = 0`` and threshold 0.

   ``threshold_method="nbPlugin"`` is R's plug-in: ``phi'`` = the re-weighted ``phi``.
   ``threshold_method="nbPredictive"`` (the default) uses the re-weighted ``phi`` plus the
   estimation variance of the prediction, ``phi' = phi + mu0 * Var(eta0_hat)`` (Farrington
   1996's ``tau = phi + Var(mu0_hat) / mu0``, as an NB dispersion), and two tests at
   ``alpha / 2`` each: this week's count above the ``1 - alpha/2`` quantile (the reported
   threshold), or this week's and last week's counts together above the ``1 - alpha/2``
   quantile of an NB with mean ``2 mu0`` while this week is above ``mu0`` (a rise spread over
   two weeks).  Why (decision 0123): R's plug-in ignores the uncertainty of ``mu0`` and gave
   a false positive rate of 1.2 % at ``alpha = 0.01`` in ``bench/bench_tension.py``; the
   earlier default took the *unweighted* ``phi``, which counts the past outbreaks the
   re-weighting leaves out, and lost a fifth of the detections to R.  The expectation
   ``mu0`` is the re-weighted one in both methods.

The exceedance score is ``(observed - expected) / (threshold - expected)`` with the
denominator floored at 0.5 (tiny baselines), so ``score > 1`` roughly means "beyond the
threshold".  (R reports this score with the link-scale prediction in the nbPlugin
case; we use the response scale, which is what the formula means.)

All fitting is vectorised over series that share the same week ``t`` (the design matrix
only depends on ``t``), which is what makes scanning hundreds of cells cheap.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special, stats

from .model import Detection

NAME = "farrington"
WEEKS_PER_YEAR = 52

# Clamp for the linear predictor: keeps exp() finite and stops IRLS from chasing
# fitted means of exactly zero when a seasonal block has only zero counts (R converges
# there too, to means around 1e-10; both are "zero" for every practical purpose).
_ETA_MIN, _ETA_MAX = -30.0, 30.0


# --------------------------------------------------------------------------- GLM core


@dataclass(frozen=True)
class GlmFit:
    """A batch of Poisson/quasi-Poisson fits sharing one design matrix.

    Arrays have a leading series axis ``S``: ``beta (S, p)``, ``mu (S, n)``,
    ``cov_unscaled (S, p, p)`` = ``(X'WX)^-1``, ``dispersion (S,)`` = weighted Pearson
    chi2 / df (what R's ``summary.glm`` uses), ``phi (S,)`` = ``max(1, dispersion)``,
    ``converged (S,)``.
    """

    beta: np.ndarray
    mu: np.ndarray
    cov_unscaled: np.ndarray
    dispersion: np.ndarray
    phi: np.ndarray
    converged: np.ndarray
    df_resid: int
    prior_weights: np.ndarray | None = None
    phi_unweighted: np.ndarray | None = None


def _batched_solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve ``a[s] x[s] = b[s]`` for every s; pseudo-inverse where ``a[s]`` is singular."""
    try:
        return np.linalg.solve(a, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        # Rare: a seasonal block whose fitted means underflowed.  The pseudo-inverse gives
        # the minimum-norm solution, which predicts the same means.
        return np.einsum("sij,sj->si", np.linalg.pinv(a), b)


def _batched_inverse(a: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(a)


def poisson_irls(
    y: np.ndarray,
    x: np.ndarray,
    offset: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    *,
    maxit: int = 25,
    tol: float = 1e-8,
) -> GlmFit:
    """Fit log-link Poisson GLMs by IRLS, one per row of ``y`` (shape ``(S, n)``).

    ``x`` is the shared ``(n, p)`` design, ``offset``/``weights`` are ``(S, n)`` or None.
    Returns a :class:`GlmFit`; non-convergence is reported in ``converged`` rather than
    raised, mirroring R's ``glm.fit``.
    """
    y = np.asarray(y, dtype=float)
    n_series, n = y.shape
    p = x.shape[1]
    off = np.zeros_like(y) if offset is None else offset
    pw = np.ones_like(y) if weights is None else weights
    mu = y + 0.1
    eta = np.log(mu)
    # The deviance 2 sum(pw (y log y - y log mu - y + mu)) as constants plus two row-wise dot products.
    pw_y = pw * y
    dev_const = np.sum(pw * (special.xlogy(y, y) - y), axis=1)
    dev_old = 2.0 * (dev_const - np.einsum("ij,ij->i", pw_y, eta) + np.einsum("ij,ij->i", pw, mu))
    converged = np.zeros(n_series, dtype=bool)
    beta = np.zeros((n_series, p))
    products, scatter = _distinct_products(x) if n_series >= _DISTINCT_FROM else (_outer(x), np.arange(p * p))
    # Each row stops at its own convergence, as R's glm.fit does for one series.
    live = np.arange(n_series)
    for _ in range(maxit):
        every = len(live) == n_series  # no copies while no row has stopped
        off_l, pw_l, pw_y_l = (off, pw, pw_y) if every else (off[live], pw[live], pw_y[live])
        eta_l, mu_l = (eta, mu) if every else (eta[live], mu[live])
        w = mu_l if weights is None else pw_l * mu_l
        wz = w * (eta_l if offset is None else eta_l - off_l)  # w * z, z the working response
        wz += pw_y_l
        wz -= w
        # X'WX of every row at once: one matrix product with the design's distinct column products.
        xtwx = (w @ products)[:, scatter].reshape(len(live), p, p)
        b = _batched_solve(xtwx, wz @ x)
        eta_l = b @ x.T
        if offset is not None:
            eta_l += off_l
        np.clip(eta_l, _ETA_MIN, _ETA_MAX, out=eta_l)
        mu_l = np.exp(eta_l)
        # y log mu is y * eta here: mu = exp(eta) exactly.
        pw_mu = np.sum(mu_l, axis=1) if weights is None else np.einsum("ij,ij->i", pw_l, mu_l)
        dev = 2.0 * (dev_const[live] - np.einsum("ij,ij->i", pw_y_l, eta_l) + pw_mu)
        if every:
            beta, eta, mu = b, eta_l, mu_l
        else:
            beta[live], eta[live], mu[live] = b, eta_l, mu_l
        done = np.abs(dev - dev_old[live]) / (np.abs(dev) + 0.1) < tol
        dev_old[live] = dev
        converged[live[done]] = True
        live = live[~done]
        if not len(live):
            break
    w = pw * mu
    cov = _batched_inverse((w @ products)[:, scatter].reshape(n_series, p, p))
    df_resid = n - p
    if df_resid > 0:
        dispersion = np.sum(pw * (y - mu) ** 2 / mu, axis=1) / df_resid
    else:
        dispersion = np.full(n_series, np.nan)
    phi = np.where(np.isfinite(dispersion), np.maximum(dispersion, 1.0), 1.0)
    ok = converged & np.isfinite(beta).all(axis=1)
    return GlmFit(beta, mu, cov, dispersion, phi, ok, df_resid, weights)


def _outer(x: np.ndarray) -> np.ndarray:
    """Row-wise outer products of the design, ``(n, p * p)``: ``X'WX = w @ outer`` for all series."""
    return np.einsum("ni,nj->nij", x, x).reshape(x.shape[0], -1)


_DISTINCT_FROM = 32  # rows from which finding the distinct products pays for itself


def _distinct_products(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct columns of :func:`_outer` and where each of the ``p * p`` goes: a seasonal design's
    indicator columns make most products equal (or zero), so ``w @ products`` is several times cheaper."""
    products, scatter = np.unique(_outer(x), axis=1, return_inverse=True)
    return products, scatter.reshape(-1)


def hat_values(fit: GlmFit, x: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Diagonal of the GLM hat matrix ``W^1/2 X (X'WX)^-1 X' W^1/2``, shape ``(S, n)``."""
    w = fit.mu if weights is None else weights * fit.mu
    n_series, p = fit.cov_unscaled.shape[:2]
    return w * (fit.cov_unscaled.reshape(n_series, p * p) @ _outer(x).T)


def anscombe_residuals(y: np.ndarray, fit: GlmFit, x: np.ndarray) -> np.ndarray:
    """Standardised Anscombe residuals of a Poisson fit as in surveillance's ``anscombe.residuals``."""
    mu = fit.mu
    h = np.minimum(hat_values(fit, x), 1.0 - 1e-10)
    a = 1.5 * (np.power(y, 2.0 / 3.0) * np.power(mu, -1.0 / 6.0) - np.sqrt(mu))
    return a / np.sqrt(fit.phi[:, None] * (1.0 - h))


def farrington_weights(s: np.ndarray, threshold: float = 2.58) -> np.ndarray:
    """Outbreak down-weighting: ``gamma * s**-2`` above ``threshold``, ``gamma`` below (sum = n)."""
    big = s > threshold
    inv2 = np.where(big, 1.0 / np.where(big, s, 1.0) ** 2, 1.0)
    gamma = s.shape[1] / inv2.sum(axis=1, keepdims=True)
    return gamma * inv2


def fit_quasi_poisson(
    y: np.ndarray,
    x: np.ndarray,
    offset: np.ndarray | None = None,
    *,
    reweight: bool = True,
    weights_threshold: float = 2.58,
) -> GlmFit:
    """Quasi-Poisson fit with Farrington's re-weighting of past outbreaks (one refit).

    Returns the re-weighted :class:`GlmFit` (``phi_unweighted`` keeps the first fit's
    dispersion); ``converged`` requires both fits to converge.
    """
    first = poisson_irls(y, x, offset)
    if not reweight:
        return first
    omega = farrington_weights(anscombe_residuals(y, first, x), weights_threshold)
    second = poisson_irls(y, x, offset, omega)
    return GlmFit(
        second.beta,
        second.mu,
        second.cov_unscaled,
        second.dispersion,
        second.phi,
        first.converged & second.converged,
        second.df_resid,
        omega,
        first.phi,
    )


def r_summary_dispersion(y: np.ndarray, fit: GlmFit) -> np.ndarray:
    """The dispersion R's ``summary.glm`` reports for a farringtonFlexible model.

    surveillance's ``algo.farrington.fitGLM.flexible`` overwrites ``model$weights`` (the
    IRLS working weights ``omega * mu``) with the prior weights ``omega``, so the later
    trend test divides the squared working residuals by ``mu`` once too little:
    ``sum(omega (y - mu)^2 / mu^2) / df``.  Only used with ``trend_test="r"``.
    """
    omega = np.ones_like(y) if fit.prior_weights is None else fit.prior_weights
    return np.sum(omega * (y - fit.mu) ** 2 / fit.mu**2, axis=1) / max(fit.df_resid, 1)


def coefficient_p_values(fit: GlmFit, column: int, dispersion: np.ndarray | None = None) -> np.ndarray:
    """Two-sided t-test p-values of one coefficient (quasi family: t with ``df_resid``).

    ``dispersion`` defaults to the fit's Pearson estimate.
    """
    disp = fit.dispersion if dispersion is None else dispersion
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(disp * fit.cov_unscaled[:, column, column])
        tstat = fit.beta[:, column] / se
    p = 2.0 * stats.t.sf(np.abs(tstat), max(fit.df_resid, 1))
    return np.where(np.isfinite(p), p, 1.0)


# ------------------------------------------------------------------- quantiles


def nb_quantile(q: float, mu: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """``q``-quantile of a count with mean ``mu`` and variance ``phi * mu``.

    Negative binomial (size ``mu / (phi - 1)``, prob ``1 / phi``) where ``phi > 1``,
    Poisson where ``phi == 1``, as R ``qnbinom``/``qpois`` in surveillance's nbPlugin;
    0 where ``mu == 0``.
    """
    mu = np.asarray(mu, dtype=float)
    phi = np.broadcast_to(np.asarray(phi, dtype=float), mu.shape)
    out = np.zeros_like(mu)
    nb = (phi > 1.0) & (mu > 0)
    po = (phi <= 1.0) & (mu > 0)
    if nb.any():
        out[nb] = stats.nbinom.ppf(q, mu[nb] / (phi[nb] - 1.0), 1.0 / phi[nb])
    if po.any():
        out[po] = stats.poisson.ppf(q, mu[po])
    return out


def nb_upper_tail(y: np.ndarray, mu: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """``P(Y >= y)`` under the same count distribution as :func:`nb_quantile`."""
    y = np.asarray(y, dtype=float)
    mu = np.asarray(mu, dtype=float)
    phi = np.broadcast_to(np.asarray(phi, dtype=float), mu.shape)
    out = np.where(y > 0, 0.0, 1.0)  # the value for mu == 0
    nb = (phi > 1.0) & (mu > 0)
    po = (phi <= 1.0) & (mu > 0)
    if nb.any():
        out[nb] = stats.nbinom.sf(y[nb] - 1, mu[nb] / (phi[nb] - 1.0), 1.0 / phi[nb])
    if po.any():
        out[po] = stats.poisson.sf(y[po] - 1, mu[po])
    return out


# --------------------------------------------------------------- reference weeks


def _years_back(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        # 29 February in a non-leap year: R's seq(by = "-1 year") rolls over to 1 March.
        return datetime.date(day.year - years, 3, 1)


def _calendar_offset(day: datetime.date, years: int) -> int:
    """Weeks between ``day`` and the same-weekday date nearest to ``day`` minus ``years`` years."""
    ref = _years_back(day, years)
    # R's algo.farrington.referencetimepoints: shift to the weekday of `day` (A), try the
    # other side one week away (B), keep the nearer one (A on ties).
    shift = (ref.isoweekday() % 7) - (day.isoweekday() % 7)
    a = ref - datetime.timedelta(days=shift)
    b = a + datetime.timedelta(days=-7 if a > ref else 7)
    chosen = b if abs((b - ref).days) < abs((a - ref).days) else a
    return (day - chosen).days // 7


def reference_offsets(t: int, b: int, w: int, start: datetime.date | None = None) -> tuple[int, ...]:
    """Return ``(0, o1, ..., ob')``: weeks back to the reference weeks that fit in the history.

    ``b' <= b`` is the number of previous years whose window ``o_j +- w`` lies within
    weeks ``0..t``.
    """
    offsets = [0]
    day = None if start is None else start + datetime.timedelta(days=7 * t)
    for j in range(1, b + 1):
        off = WEEKS_PER_YEAR * j if day is None else _calendar_offset(day, j)
        if t - off - w < 0:
            break
        offsets.append(off)
    return tuple(offsets)


@dataclass(frozen=True)
class FarringtonDesign:
    """Baseline rows (as offsets ``<= 0`` from ``t``) and the design matrices."""

    rows: np.ndarray
    levels: np.ndarray
    x_trend: np.ndarray
    x_flat: np.ndarray
    x0_trend: np.ndarray
    x0_flat: np.ndarray


@lru_cache(maxsize=256)
def farrington_design(
    offsets: tuple[int, ...], w: int, no_periods: int, past_weeks_not_included: int
) -> FarringtonDesign:
    """Build the baseline design for reference ``offsets`` (see :func:`reference_offsets`).

    Mirrors surveillance's ``blocks()``; raises ValueError when the seasonal blocks do
    not fit between two windows (too many periods for the window size).
    """
    p = no_periods
    span = offsets[-1] + w + 1
    now = span - 1
    refs = [now - o for o in offsets]
    factors = np.zeros(span, dtype=int)
    factors[now - w : now + 1] = p
    for i in range(1, len(refs)):
        ref = refs[i]
        factors[ref - w : ref + w + 1] = p
        if p != 1:
            period = refs[i - 1] - 2 * w - 1 - ref
            if period < p - (2 * w + 1):
                raise ValueError("too many seasonal periods for the window size")
            lengths = [period // (p - 1)] * (p - 1)
            for j in range(period % (p - 1)):
                lengths[j] += 1
            pos = ref + w + 1
            for j, length in enumerate(lengths, start=1):
                factors[pos : pos + length] = j
                pos += length
    used = factors > 0
    used[max(0, now - past_weeks_not_included) : now + 1] = False
    local = np.flatnonzero(used)
    rows = local - now
    levels = factors[local]
    cols = [np.ones(len(rows)), rows.astype(float)]
    x0 = [1.0, 0.0]
    if p > 1:
        for level in range(2, p + 1):
            cols.append((levels == level).astype(float))
            x0.append(1.0 if level == p else 0.0)
    x_trend = np.column_stack(cols)
    x0_trend = np.asarray(x0)
    keep = [0, *range(2, x_trend.shape[1])]
    return FarringtonDesign(
        rows=rows,
        levels=levels,
        x_trend=x_trend,
        x_flat=x_trend[:, keep],
        x0_trend=x0_trend,
        x0_flat=x0_trend[keep],
    )


# ------------------------------------------------------------------- detector


def _not_applicable(t: int, observed: float, reason: float) -> Detection:
    nan = float("nan")
    return Detection(
        detector=NAME,
        t=t,
        observed=observed,
        expected=nan,
        threshold=nan,
        alarm=False,
        score=nan,
        applicable=False,
        details={"reason": reason},
    )


def _unweighted_phi(fit: GlmFit) -> np.ndarray:
    return fit.phi if fit.phi_unweighted is None else fit.phi_unweighted


def _quad(x0: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """``x0' C x0`` for every series' unscaled covariance ``C``."""
    return np.einsum("i,sij,j->s", x0, cov, x0)


def _fit_farrington_rows(
    y: np.ndarray,
    offset: np.ndarray | None,
    offset_now: np.ndarray,
    design: FarringtonDesign,
    *,
    b_eff: int,
    reweight: bool,
    weights_threshold: float,
    p_threshold_trend: float,
    trend_test: str,
) -> tuple[np.ndarray, ...]:
    """Fit with trend, keep it where allowed, refit the rest without.

    Returns per-row arrays ``(eta0, phi, phi_unweighted, var_eta_unscaled, converged,
    do_trend, trend_coef)``.
    """
    n_series = y.shape[0]
    eta = np.full(n_series, np.nan)
    phi = np.ones(n_series)
    phi_unweighted = np.ones(n_series)
    var_eta = np.zeros(n_series)
    converged = np.zeros(n_series, dtype=bool)
    trend_coef = np.zeros(n_series)

    fit_t = fit_quasi_poisson(y, design.x_trend, offset, reweight=reweight, weights_threshold=weights_threshold)
    eta_t = fit_t.beta @ design.x0_trend + offset_now
    dispersion = r_summary_dispersion(y, fit_t) if trend_test == "r" and reweight else None
    significant = coefficient_p_values(fit_t, 1, dispersion) < p_threshold_trend
    with np.errstate(over="ignore"):
        no_extrapolation = np.exp(eta_t) <= y.max(axis=1)
    do_trend = fit_t.converged & significant & no_extrapolation & (b_eff >= 3)
    eta[do_trend] = eta_t[do_trend]
    phi[do_trend] = fit_t.phi[do_trend]
    phi_unweighted[do_trend] = _unweighted_phi(fit_t)[do_trend]
    var_eta[do_trend] = _quad(design.x0_trend, fit_t.cov_unscaled)[do_trend]
    converged[do_trend] = True
    trend_coef[do_trend] = fit_t.beta[do_trend, 1]

    flat = ~do_trend
    if flat.any():
        fit_f = fit_quasi_poisson(
            y[flat],
            design.x_flat,
            None if offset is None else offset[flat],
            reweight=reweight,
            weights_threshold=weights_threshold,
        )
        eta[flat] = fit_f.beta @ design.x0_flat + offset_now[flat]
        phi[flat] = fit_f.phi
        phi_unweighted[flat] = _unweighted_phi(fit_f)
        var_eta[flat] = _quad(design.x0_flat, fit_f.cov_unscaled)
        converged[flat] = fit_f.converged
    return eta, phi, phi_unweighted, var_eta, converged, do_trend, trend_coef


THRESHOLD_METHODS = ("nbPredictive", "nbPlugin")

# details["reason"] codes for applicable=False detections.
REASON_SHORT_HISTORY = 1.0
REASON_NO_CONVERGENCE = 2.0


def _as_matrix(rows: Sequence[Sequence[float]] | np.ndarray, t: int, what: str) -> np.ndarray:
    if isinstance(rows, np.ndarray) and rows.ndim == 2:
        if rows.shape[1] <= t:
            raise ValueError(f"t={t} is outside the {what} ({rows.shape[1]} weeks)")
        return np.asarray(rows[:, : t + 1], dtype=float)
    out = []
    for row in rows:
        if len(row) <= t:
            raise ValueError(f"t={t} is outside the {what} ({len(row)} weeks)")
        out.append(np.asarray(row[: t + 1], dtype=float))
    return np.vstack(out) if out else np.zeros((0, t + 1))


def _check_options(t: int, *, threshold_method: str, trend_test: str) -> None:
    """Raises ValueError for a negative ``t`` or an unknown option."""
    if t < 0:
        raise ValueError("t must be >= 0")
    if threshold_method not in THRESHOLD_METHODS:
        raise ValueError(f"unknown threshold_method {threshold_method!r}")
    if trend_test not in ("quasi", "r"):
        raise ValueError(f"unknown trend_test {trend_test!r}")


def _population_offsets(
    population: Sequence[Sequence[float]] | np.ndarray | None, t: int, idx: np.ndarray, n_series: int
) -> tuple[np.ndarray | None, np.ndarray]:
    """Returns (log population of the reference weeks, of week ``t``), or (None, zeros) without a
    population.  Raises ValueError for a wrong number of rows or a non-positive population."""
    if population is None:
        return None, np.zeros(n_series)
    pop = _as_matrix(population, t, "population")
    if pop.shape[0] != n_series:
        raise ValueError("population needs one row per series")
    if not (pop[:, idx] > 0).all() or not (pop[:, t] > 0).all():
        raise ValueError("population must be positive")
    return np.log(pop[:, idx]), np.log(pop[:, t])


def _evaluate(
    y: np.ndarray,
    observed: np.ndarray,
    previous: np.ndarray,
    recent: np.ndarray,
    offset: np.ndarray | None,
    offset_now: np.ndarray,
    design: FarringtonDesign,
    *,
    b_eff: int,
    alpha: float,
    reweight: bool,
    weights_threshold: float,
    p_threshold_trend: float,
    limit54: tuple[int, int],
    trend_test: str,
    threshold_method: str,
) -> dict[str, np.ndarray]:
    """The detector on rows that each hold one baseline ``y`` (``(R, n)``, the design's rows), the
    observed count, the week before's and the appeals of the last weeks; a row may be any series at any week.

    Returns arrays of ``R``: ``mu0``, ``ok``, ``upper``, ``alarm``, ``score``, ``enough``, ``p_value``
    and the fit's ``phi_threshold``, ``phi``, ``phi_unweighted``, ``var_eta``, ``do_trend``, ``trend_coef``.
    """
    n_series = y.shape[0]

    # A baseline without a single appeal has expectation 0 (log-linear fits would chase
    # -inf until the iteration limit): threshold 0, so any appeals can alarm if limit54
    # allows.  Only the other rows are fitted.
    eta = np.full(n_series, -np.inf)
    phi = np.ones(n_series)
    phi_unweighted = np.ones(n_series)
    var_eta = np.zeros(n_series)
    converged = np.ones(n_series, dtype=bool)
    do_trend = np.zeros(n_series, dtype=bool)
    trend_coef = np.zeros(n_series)
    active = np.flatnonzero(y.sum(axis=1) > 0)
    if len(active):
        fitted = _fit_farrington_rows(
            y[active],
            None if offset is None else offset[active],
            offset_now[active],
            design,
            b_eff=b_eff,
            reweight=reweight,
            weights_threshold=weights_threshold,
            p_threshold_trend=p_threshold_trend,
            trend_test=trend_test,
        )
        (
            eta[active],
            phi[active],
            phi_unweighted[active],
            var_eta[active],
            converged[active],
            do_trend[active],
            trend_coef[active],
        ) = fitted

    with np.errstate(over="ignore"):
        mu0 = np.exp(eta)  # exp(-inf) = 0 for empty baselines
    ok = converged & np.isfinite(mu0)
    mu0_ok = np.where(ok, mu0, 1.0)
    if threshold_method == "nbPredictive":
        # Var(y_t - mu0_hat) = phi mu0 + mu0^2 Var(eta0_hat): Farrington's tau, as an NB dispersion, with the
        # re-weighted phi (the unweighted one counts the past outbreaks the re-weighting leaves out).
        var_eta = phi * var_eta
        phi_threshold = phi + mu0_ok * var_eta
        # Two tests at alpha / 2 each: this week alone, and this week with the one before (a rise spread
        # over two weeks), the second only for a week above its expectation.
        upper = nb_quantile(1.0 - alpha / 2, mu0_ok, phi_threshold)
        upper_two = nb_quantile(1.0 - alpha / 2, 2 * mu0_ok, phi_threshold)
        rise = (observed > upper) | ((observed + previous > upper_two) & (observed > mu0_ok))
    else:
        var_eta = phi * var_eta
        phi_threshold = phi
        upper = nb_quantile(1.0 - alpha, mu0_ok, phi_threshold)
        rise = observed > upper
    p_value = nb_upper_tail(observed, mu0_ok, phi_threshold)
    enough = recent >= limit54[0]
    alarm = ok & enough & rise & (observed != 0)
    score = (observed - mu0_ok) / np.maximum(upper - mu0_ok, 0.5)
    return {"mu0": mu0, "ok": ok, "upper": upper, "alarm": alarm, "score": score, "enough": enough,
            "p_value": p_value, "phi_threshold": phi_threshold, "phi": phi, "phi_unweighted": phi_unweighted,
            "var_eta": var_eta, "do_trend": do_trend, "trend_coef": trend_coef}


def farrington_flexible_many(
    counts: Sequence[Sequence[int]] | np.ndarray,
    t: int,
    *,
    alpha: float = 0.01,
    b: int = 5,
    w: int = 3,
    no_periods: int = 10,
    past_weeks_not_included: int = 26,
    population: Sequence[Sequence[float]] | np.ndarray | None = None,
    start: datetime.date | None = None,
    reweight: bool = True,
    weights_threshold: float = 2.58,
    p_threshold_trend: float = 0.05,
    limit54: tuple[int, int] = (5, 4),
    min_years: int = 2,
    trend_test: str = "quasi",
    threshold_method: str = "nbPredictive",
) -> list[Detection]:
    """Run the improved Farrington detector at week ``t`` for several aligned series.

    ``counts`` rows (and ``population`` rows if given, all > 0) must have more than ``t``
    weeks; only weeks ``0..t`` are used.  ``trend_test="quasi"`` tests the trend with the
    Pearson dispersion (Noufaily et al.); ``"r"`` reproduces surveillance 1.20's
    dispersion quirk (see :func:`r_summary_dispersion`) for exact comparisons with R.
    ``threshold_method`` is "nbPredictive" (default) or R's "nbPlugin" (module doc, step 6).
    Returns one :class:`Detection` per row, in order.  Raises ValueError for ``t``
    outside a row, a non-positive population or an unknown option.
    """
    _check_options(t, threshold_method=threshold_method, trend_test=trend_test)
    y_all = _as_matrix(counts, t, "series")
    n_series = y_all.shape[0]
    if n_series == 0:
        return []
    observed = y_all[:, t]
    offsets = reference_offsets(t, b, w, start)
    if len(offsets) - 1 < min_years:
        return [_not_applicable(t, float(o), REASON_SHORT_HISTORY) for o in observed]
    design = farrington_design(offsets, w, no_periods, past_weeks_not_included)
    idx = t + design.rows
    y = y_all[:, idx]

    offset, offset_now = _population_offsets(population, t, idx, n_series)
    first = max(0, t - limit54[1] + 1)
    recent = y_all[:, first : t + 1].sum(axis=1)
    previous = y_all[:, t - 1] if t >= 1 else np.zeros(n_series)
    r = _evaluate(y, observed, previous, recent, offset, offset_now, design, b_eff=len(offsets) - 1, alpha=alpha,
                  reweight=reweight, weights_threshold=weights_threshold, p_threshold_trend=p_threshold_trend,
                  limit54=limit54, trend_test=trend_test, threshold_method=threshold_method)
    mu0, ok, upper, alarm, score, enough = r["mu0"], r["ok"], r["upper"], r["alarm"], r["score"], r["enough"]
    phi_threshold, phi, phi_unweighted, var_eta = r["phi_threshold"], r["phi"], r["phi_unweighted"], r["var_eta"]
    do_trend, trend_coef, p_value, b_eff = r["do_trend"], r["trend_coef"], r["p_value"], len(offsets) - 1

    out: list[Detection] = []
    for s in range(n_series):
        if not ok[s]:
            out.append(_not_applicable(t, float(observed[s]), REASON_NO_CONVERGENCE))
            continue
        out.append(
            Detection(
                detector=NAME,
                t=t,
                observed=float(observed[s]),
                expected=float(mu0[s]),
                threshold=float(upper[s]),
                alarm=bool(alarm[s]),
                score=float(score[s]),
                details={
                    "phi": float(phi_threshold[s]),
                    "phi_reweighted": float(phi[s]),
                    "phi_unweighted": float(phi_unweighted[s]),
                    "var_eta": float(var_eta[s]),
                    "trend": float(do_trend[s]),
                    "trend_coef": float(trend_coef[s]),
                    "years": float(b_eff),
                    "n_baseline": float(len(idx)),
                    "p_value": float(p_value[s]),
                    "enough_cases": float(enough[s]),
                    "alpha": float(alpha),
                },
            )
        )
    return out


def farrington_flexible(
    counts: Sequence[int] | np.ndarray,
    t: int,
    *,
    alpha: float = 0.01,
    b: int = 5,
    w: int = 3,
    no_periods: int = 10,
    past_weeks_not_included: int = 26,
    population: Sequence[float] | np.ndarray | None = None,
    start: datetime.date | None = None,
    reweight: bool = True,
    weights_threshold: float = 2.58,
    p_threshold_trend: float = 0.05,
    limit54: tuple[int, int] = (5, 4),
    min_years: int = 2,
    trend_test: str = "quasi",
    threshold_method: str = "nbPredictive",
) -> Detection:
    """Improved Farrington detection for week ``t`` of one weekly count series.

    Returns a :class:`Detection` (``applicable=False`` with fewer than ``min_years``
    previous years or if the GLM does not converge).  Raises ValueError if ``t`` is
    outside ``counts``.  See the module docstring for the algorithm.
    """
    return farrington_flexible_many(
        [counts],
        t,
        alpha=alpha,
        b=b,
        w=w,
        no_periods=no_periods,
        past_weeks_not_included=past_weeks_not_included,
        population=None if population is None else [population],
        start=start,
        reweight=reweight,
        weights_threshold=weights_threshold,
        p_threshold_trend=p_threshold_trend,
        limit54=limit54,
        min_years=min_years,
        trend_test=trend_test,
        threshold_method=threshold_method,
    )[0]


@dataclass(frozen=True)
class Backtest:
    """The detector at each of the last weeks of many series: arrays ``(S, W)`` for weeks
    ``first_t .. first_t + W - 1``.  ``upper`` and ``expected`` are NaN where the detector does not
    apply (history too short, no convergence) and, like R's ``upperbound``, where too few appeals
    arrived in the last weeks for an alarm (``enough`` False)."""

    first_t: int
    upper: np.ndarray
    expected: np.ndarray
    alarm: np.ndarray
    applicable: np.ndarray
    enough: np.ndarray


BLOCK_ROWS = 2048  # series-weeks fitted together: bounds memory at a few tens of MB


def farrington_backtest(
    counts: Sequence[Sequence[int]] | np.ndarray,
    weeks: int,
    *,
    alpha: float = 0.01,
    start: datetime.date | None = None,
    population: np.ndarray | None = None,
    b: int = 5,
    w: int = 3,
    no_periods: int = 10,
    past_weeks_not_included: int = 26,
    reweight: bool = True,
    weights_threshold: float = 2.58,
    p_threshold_trend: float = 0.05,
    limit54: tuple[int, int] = (5, 4),
    min_years: int = 2,
    trend_test: str = "quasi",
    threshold_method: str = "nbPredictive",
) -> Backtest:
    """Run the detector at each of the last ``weeks`` weeks of every row of ``counts`` (``(S, T)``, all
    rows the same length), each week seeing only the weeks before it, as R's ``farringtonFlexible`` with
    ``range`` = the last weeks.  The fits of all series and weeks that share reference weeks are done
    together, in blocks of BLOCK_ROWS.  Options as :func:`farrington_flexible_many`; raises ValueError
    for an unknown option or a ``weeks`` outside ``1..T``."""
    y_all = np.asarray(counts, dtype=float)
    if y_all.ndim != 2:
        raise ValueError("counts must be a 2-d array: one row per series")
    n_series, n_weeks = y_all.shape
    if not 1 <= weeks <= n_weeks:
        raise ValueError(f"weeks must be between 1 and {n_weeks}")
    _check_options(n_weeks - 1, threshold_method=threshold_method, trend_test=trend_test)
    first_t = n_weeks - weeks
    shape = (n_series, weeks)
    out = Backtest(first_t, np.full(shape, np.nan), np.full(shape, np.nan), np.zeros(shape, dtype=bool),
                   np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool))
    log_pop = None if population is None else np.log(np.asarray(population, dtype=float))
    groups: dict[tuple[int, ...], list[int]] = {}
    for t in range(first_t, n_weeks):
        offsets = reference_offsets(t, b, w, start)
        if len(offsets) - 1 >= min_years:
            groups.setdefault(offsets, []).append(t)
    options = {"alpha": alpha, "reweight": reweight, "weights_threshold": weights_threshold,
               "p_threshold_trend": p_threshold_trend, "limit54": limit54, "trend_test": trend_test,
               "threshold_method": threshold_method}
    for offsets, ts in groups.items():
        design = farrington_design(offsets, w, no_periods, past_weeks_not_included)
        # Every (series, week) of the group as one row: its baseline, observed count, recent appeals.
        rows = [(s, t) for s in range(n_series) for t in ts]
        for begin in range(0, len(rows), BLOCK_ROWS):
            block = np.array(rows[begin : begin + BLOCK_ROWS])
            _backtest_block(y_all, log_pop, block, design, len(offsets) - 1, limit54[1], out, options)
    return out


def _backtest_block(y_all: np.ndarray, log_pop: np.ndarray | None, block: np.ndarray, design: FarringtonDesign,
                    b_eff: int, recent_weeks: int, out: Backtest, options: dict) -> None:
    series, ts = block[:, 0], block[:, 1]
    idx = ts[:, None] + design.rows[None, :]
    y = y_all[series[:, None], idx]
    observed = y_all[series, ts]
    recent = sum(y_all[series, np.maximum(ts - k, 0)] * (ts - k >= 0) for k in range(recent_weeks))
    offset = None if log_pop is None else log_pop[series[:, None], idx]
    offset_now = np.zeros(len(block)) if log_pop is None else log_pop[series, ts]
    previous = np.where(ts >= 1, y_all[series, np.maximum(ts - 1, 0)], 0.0)
    r = _evaluate(y, observed, previous, recent, offset, offset_now, design, b_eff=b_eff, **options)
    cols = ts - out.first_t
    shown = r["ok"] & r["enough"]
    out.upper[series, cols] = np.where(shown, r["upper"], np.nan)
    out.expected[series, cols] = np.where(r["ok"], r["mu0"], np.nan)
    out.alarm[series, cols] = r["alarm"]
    out.applicable[series, cols] = r["ok"]
    out.enough[series, cols] = r["enough"]


def min_history_weeks(b: int = 2, w: int = 3) -> int:
    """Smallest ``t`` (0-based) at which ``b`` previous 52-week years are available."""
    return WEEKS_PER_YEAR * b + w


__all__ = [
    "NAME",
    "Backtest",
    "FarringtonDesign",
    "GlmFit",
    "anscombe_residuals",
    "coefficient_p_values",
    "farrington_backtest",
    "farrington_design",
    "farrington_flexible",
    "farrington_flexible_many",
    "farrington_weights",
    "fit_quasi_poisson",
    "hat_values",
    "min_history_weeks",
    "nb_quantile",
    "nb_upper_tail",
    "poisson_irls",
    "r_summary_dispersion",
    "reference_offsets",
]
