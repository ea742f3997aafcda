"""Combine detectors and escalation into one level per region x sector and week.

Detectors run for week ``t``:

* primary: improved Farrington (``alpha``) when at least two previous years exist,
  otherwise EARS C2 (with C1 and C3 as supporting evidence);
* NB CUSUM (sustained rises; secondary);
* escalation signal of the week's appeals.

Level rules (first that matches):

* ``mandatory`` - primary alarm and either a strong escalation (collective appeal,
  strike, hunger strike, rally or self-harm keywords) or a very high exceedance
  (primary score >= ``VERY_HIGH_SCORE`` = 3, i.e. the count is three times as far above
  the expectation as the threshold is);
* ``warning`` - primary alarm; or a secondary statistical alarm (CUSUM, EARS C1/C3)
  together with any escalation (weak or strong);
* ``watch`` - a secondary statistical alarm alone, or any escalation (weak or strong);
* ``normal`` - otherwise.

``reasons`` are :class:`Reason` codes (``primary_alarm`` with the detector, ``very_high``,
``secondary_alarm``, ``escalation`` with its strength), worded by the Django layer.

The combined ``score`` orders assessments within and across levels and is
``max(0, s_primary, s_cusum) + 0.5 * escalation.score`` where the statistical scores
are the detectors' own (``> 1`` beyond their threshold); NaN scores count as 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from . import cusum as cusum_mod
from . import ears as ears_mod
from .escalation import escalation_counts, tally
from .farrington import farrington_flexible_many, nb_quantile
from .model import AppealFact, Assessment, ContentCounts, Detection, EscalationSignal, Reason, WeeklySeries

VERY_HIGH_SCORE = 3.0
RECENT_WEEKS = 52
CUSUM_WINDOW = 26
CUSUM_HISTORY = 156


def _finite(x: float) -> float:
    return x if math.isfinite(x) else 0.0


def _farrington_for(series: Sequence[WeeklySeries], t: int, alpha: float) -> list[Detection]:
    """Batch Farrington over series that share a start date and population presence."""
    out: list[Detection | None] = [None] * len(series)
    groups: dict[tuple, list[int]] = {}
    for i, s in enumerate(series):
        if len(s.counts) <= t:
            raise ValueError(f"{s.key}: t={t} is outside the series ({len(s.counts)} weeks)")
        groups.setdefault((s.start, s.population is not None), []).append(i)
    for (start, has_pop), idx in groups.items():
        counts = np.array([series[i].counts[: t + 1] for i in idx], dtype=float)
        pop = np.array([series[i].population[: t + 1] for i in idx], dtype=float) if has_pop else None
        dets = farrington_flexible_many(counts, t, alpha=alpha, population=pop, start=start)
        for i, det in zip(idx, dets, strict=True):
            out[i] = det
    return [d for d in out if d is not None]


def _cusum_models(series: Sequence[WeeklySeries], t: int) -> list[tuple[np.ndarray, float, bool]]:
    """The CUSUM in-control model of every series at week ``t``, fitted together: (means of the last
    weeks, dispersion, fitted) per series."""
    y = np.array([s.counts[: t + 1] for s in series], dtype=float)
    window = min(CUSUM_WINDOW, t + 1)
    first = max(0, t - RECENT_WEEKS + 1)
    model = cusum_mod.fit_baseline(y, t, window=window, history=CUSUM_HISTORY, predict_from=first)
    return [(model.mu0[i], float(model.phi[i]), bool(model.ok[i])) for i in range(len(series))]


def _cusum_and_band(
    counts: np.ndarray, t: int, alpha: float, model: tuple[np.ndarray, float, bool]
) -> tuple[Detection, int, np.ndarray, np.ndarray]:
    """One baseline fit serves both the CUSUM and the chart band of the last 52 weeks."""
    y = counts[None, : t + 1].astype(float)
    window = min(CUSUM_WINDOW, t + 1)
    first = max(0, t - RECENT_WEEKS + 1)
    n = t - first + 1
    mu0_all, phi, ok = model
    if not ok:
        nan = float("nan")
        det = Detection(cusum_mod.NAME, t, float(counts[t]), nan, nan, False, nan, applicable=False)
        return det, first, np.full(n, np.nan), np.full(n, np.nan)
    mu0 = mu0_all[-n:]
    det = cusum_mod.cusum_detection(
        y[0], t, mu0[-window:], phi, cusum_mod.DEFAULT_RATIO, cusum_mod.DEFAULT_ARL0
    )
    upper = nb_quantile(1.0 - alpha, mu0, np.full(n, phi))
    return det, first, mu0, upper


def _level(
    primary: Detection | None, secondary_alarm: bool, esc: EscalationSignal
) -> tuple[str, tuple[Reason, ...]]:
    primary_alarm = bool(primary is not None and primary.alarm)
    very_high = bool(primary_alarm and primary is not None and primary.score >= VERY_HIGH_SCORE)
    reasons: list[Reason] = []
    if primary_alarm:
        reasons.append(Reason("primary_alarm", {"detector": primary.detector}))  # type: ignore[union-attr]
    if very_high:
        reasons.append(Reason("very_high"))
    if secondary_alarm:
        reasons.append(Reason("secondary_alarm"))
    if esc.strength != "none":
        reasons.append(Reason("escalation", {"strength": esc.strength}))
    return _grade(primary_alarm, very_high, secondary_alarm, esc.strength), tuple(reasons)


def _grade(primary_alarm: bool, very_high: bool, secondary_alarm: bool, strength: str) -> str:
    """Returns the alert level the alarms and the escalation strength reach together."""
    escalated = strength != "none"
    if primary_alarm and (strength == "strong" or very_high):
        return "mandatory"
    if primary_alarm or (secondary_alarm and escalated):
        return "warning"
    if secondary_alarm or escalated:
        return "watch"
    return "normal"


def _statistical(
    counts: np.ndarray, t: int, farrington: Detection
) -> tuple[Detection | None, list[Detection], list[Detection]]:
    """Returns (primary detection, detections so far, secondary EARS detections): Farrington when it
    applies, else EARS C2 leads and C1 and C3 back it up."""
    if farrington.applicable:
        return farrington, [farrington], []
    c1, c2, c3 = (ears_mod.ears(counts, t, method=m) for m in ears_mod.METHODS)
    return (c2 if c2.applicable else None), [farrington, c1, c2, c3], [c1, c3]


def _assess_one(
    series: WeeklySeries,
    t: int,
    content: ContentCounts,
    usual: ContentCounts | None,
    alpha: float,
    farrington: Detection,
    cusum_model: tuple[np.ndarray, float, bool],
) -> Assessment:
    counts = np.asarray(series.counts, dtype=float)
    primary, detections, secondary_ears = _statistical(counts, t, farrington)
    cusum_det, first, band_mu, band_upper = _cusum_and_band(counts, t, alpha, cusum_model)
    detections.append(cusum_det)
    esc = escalation_counts(content, usual)

    secondary_alarm = cusum_det.alarm or any(d.alarm for d in secondary_ears)
    level, reasons = _level(primary, secondary_alarm, esc)
    fired = tuple(d.detector for d in detections if d.alarm)
    if esc.strength != "none":
        fired = (*fired, "escalation")
    stat = max(
        0.0,
        _finite(primary.score) if primary is not None else 0.0,
        _finite(cusum_det.score),
    )
    score = stat + 0.5 * esc.score
    nan = float("nan")
    return Assessment(
        key=series.key,
        t=t,
        week_start=series.week_start(t),
        level=level,
        score=score,
        detections=tuple(detections),
        escalation=esc,
        fired=fired,
        observed=float(counts[t]),
        expected=primary.expected if primary is not None else nan,
        threshold=primary.threshold if primary is not None else nan,
        primary=primary.detector if primary is not None else "",
        reasons=reasons,
        recent_start_t=first,
        recent_counts=tuple(int(c) for c in series.counts[first : t + 1]),
        recent_expected=tuple(float(v) for v in band_mu),
        recent_upper=tuple(float(v) for v in band_upper),
    )


def assess(
    series: WeeklySeries,
    *,
    t: int,
    appeals_this_week: Iterable[AppealFact] = (),
    alpha: float = 0.01,
    content: ContentCounts | None = None,
    usual: ContentCounts | None = None,
) -> Assessment:
    """Assess week ``t`` of ``series`` (see the module docstring for the rules).

    The week's escalation comes from ``content`` when given, else from ``appeals_this_week``;
    ``usual`` (the counts of the weeks before) is the cell's usual rate of each wording.

    Returns an :class:`Assessment` with the detections, escalation and a 52-week chart
    band.  Raises ValueError if ``t`` is outside the series.
    """
    if not 0 <= t < len(series.counts):
        raise ValueError(f"{series.key}: t={t} is outside the series ({len(series.counts)} weeks)")
    farrington = _farrington_for([series], t, alpha)[0]
    week = content if content is not None else tally(appeals_this_week)
    return _assess_one(series, t, week, usual, alpha, farrington, _cusum_models([series], t)[0])


def scan(
    series_list: Sequence[WeeklySeries],
    *,
    t: int,
    appeals: Mapping[str, Iterable[AppealFact]] | None = None,
    alpha: float = 0.01,
    content: Mapping[str, ContentCounts] | None = None,
    usual: Mapping[str, ContentCounts] | None = None,
) -> list[Assessment]:
    """Assess week ``t`` (same index in every series) of many series, Farrington batched.

    ``appeals`` maps a series key to that week's appeals, or ``content`` to their counts;
    ``usual`` a key to the counts of the weeks before (the cell's usual rates).  Returns
    assessments in input order.  Raises ValueError if ``t`` is outside any series.
    """
    if t < 0:
        raise ValueError("t must be >= 0")
    farrington = _farrington_for(series_list, t, alpha)
    models = _cusum_models(series_list, t) if series_list else []
    appeals = appeals or {}
    content = content or {}
    usual = usual or {}
    return [
        _assess_one(s, t, content[s.key] if s.key in content else tally(appeals.get(s.key, ())),
                    usual.get(s.key), alpha, det, model)
        for s, det, model in zip(series_list, farrington, models, strict=True)
    ]


__all__ = ["VERY_HIGH_SCORE", "assess", "scan"]
