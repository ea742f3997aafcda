"""EARS C1, C2 and C3 (Hutwagner et al. 2003; CDC Early Aberration Reporting System).

Applied to weekly counts (EARS was designed for days; the rules carry over unchanged):

* C1 at week ``t``: ``z_t = (y_t - m) / s`` with ``m``, ``s`` the mean and sample sd
  (ddof=1) of weeks ``t-7 .. t-1``.  Alarm when ``z_t > 3`` (i.e. ``y_t > m + 3 s``).
* C2: the same with a two-week guard band, baseline weeks ``t-9 .. t-3``.  Alarm when
  ``z_t > 3``.
* C3: ``C3_t = sum_{i=0..2} max(0, z2_{t-i} - 1)`` where ``z2`` is the C2 statistic;
  alarm when ``C3_t > 2``.

``s`` is floored at ``sd_floor`` (default 1 appeal): a flat baseline would otherwise
give ``s = 0`` and a division by zero, and a spread of less than one appeal is
sampling noise for integer counts anyway.

``score`` is ``z/3`` for C1/C2 and ``C3/2`` for C3, so ``score > 1`` is an alarm.
``threshold`` is the count that would make the statistic reach its limit: ``m + 3 s``
for C1/C2; for C3 the count at week ``t`` that brings ``C3_t`` to 2 given the two previous
weeks (``m + s (1 + max(0, 2 - prev))``), so C3 can alarm below it when the previous weeks
already carry the statistic past 2.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .model import Detection

METHODS = ("C1", "C2", "C3")
BASELINE_WEEKS = 7
Z_LIMIT = 3.0
C3_LIMIT = 2.0
DEFAULT_SD_FLOOR = 1.0


def _lag(method: str) -> int:
    return {"C1": 0, "C2": 2, "C3": 2}[method]


def baseline_stats(
    counts: Sequence[int] | np.ndarray, lag: int, sd_floor: float = DEFAULT_SD_FLOOR
) -> tuple[np.ndarray, np.ndarray]:
    """Rolling baseline mean and floored sd for every week (NaN where the baseline is incomplete).

    The baseline of week ``t`` is weeks ``t-7-lag .. t-1-lag``.  Returns ``(mean, sd)``
    arrays of ``len(counts)``.
    """
    y = np.asarray(counts, dtype=float)
    n = len(y)
    mean = np.full(n, np.nan)
    sd = np.full(n, np.nan)
    first = BASELINE_WEEKS + lag
    if n > first:
        windows = sliding_window_view(y[: n - lag - 1], BASELINE_WEEKS)
        mean[first:] = windows.mean(axis=1)
        sd[first:] = np.maximum(windows.std(axis=1, ddof=1), sd_floor)
    return mean, sd


def ears_statistics(
    counts: Sequence[int] | np.ndarray, method: str = "C2", *, sd_floor: float = DEFAULT_SD_FLOOR
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised EARS for all weeks.

    Returns ``(statistic, expected, threshold)`` arrays of ``len(counts)`` with NaN where
    the method is not applicable yet (weeks < 7, 9, 11 for C1, C2, C3).  Raises
    ValueError for an unknown method.
    """
    if method not in METHODS:
        raise ValueError(f"unknown EARS method {method!r}")
    y = np.asarray(counts, dtype=float)
    mean, sd = baseline_stats(y, _lag(method), sd_floor)
    z = (y - mean) / sd
    if method != "C3":
        return z, mean, mean + Z_LIMIT * sd
    excess = np.maximum(z - 1.0, 0.0)  # NaN stays NaN
    stat = np.full(len(y), np.nan)
    prev = np.full(len(y), np.nan)
    if len(y) > 2:
        stat[2:] = excess[2:] + excess[1:-1] + excess[:-2]
        prev[2:] = excess[1:-1] + excess[:-2]
    threshold = mean + sd * (1.0 + np.maximum(C3_LIMIT - prev, 0.0))
    return stat, mean, threshold


def _limit(method: str) -> float:
    return C3_LIMIT if method == "C3" else Z_LIMIT


def ears(
    counts: Sequence[int] | np.ndarray, t: int, *, method: str = "C2", sd_floor: float = DEFAULT_SD_FLOOR
) -> Detection:
    """EARS ``method`` ("C1", "C2" or "C3") at week ``t``.

    Returns a :class:`Detection` named ``"ears_c1"`` etc.; ``applicable=False`` when
    ``t`` is too early for the baseline.  Raises ValueError for an unknown method or a
    ``t`` outside ``counts``.
    """
    if not 0 <= t < len(counts):
        raise ValueError(f"t={t} is outside the series ({len(counts)} weeks)")
    y = np.asarray(counts[: t + 1], dtype=float)
    stat, mean, threshold = ears_statistics(y, method, sd_floor=sd_floor)
    name = f"ears_{method.lower()}"
    limit = _limit(method)
    s = stat[t]
    if not np.isfinite(s):
        nan = float("nan")
        return Detection(name, t, float(y[t]), nan, nan, False, nan, applicable=False)
    return Detection(
        detector=name,
        t=t,
        observed=float(y[t]),
        expected=float(mean[t]),
        threshold=float(threshold[t]),
        alarm=bool(s > limit),
        score=float(s / limit),
        details={"statistic": float(s), "limit": limit},
    )


def ears_alarms(
    counts: Sequence[int] | np.ndarray, method: str = "C2", *, sd_floor: float = DEFAULT_SD_FLOOR
) -> np.ndarray:
    """Boolean alarm flag for every week (False where not applicable); used by the benchmark."""
    stat, _, _ = ears_statistics(counts, method, sd_floor=sd_floor)
    return np.nan_to_num(stat, nan=-np.inf) > _limit(method)


__all__ = ["METHODS", "baseline_stats", "ears", "ears_alarms", "ears_statistics"]
