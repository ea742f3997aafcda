"""Value objects shared by the tension detectors.

Everything here is a frozen dataclass so that results can be cached, compared in
tests and handed to the Django layer without defensive copies.  No Django imports.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# Appeal kinds as they come from the registry (ru/kk forms are mapped by the caller).
APPEAL_KINDS = ("complaint", "request", "proposal", "report")

# Assessment levels in increasing order of urgency.  "mandatory" is the level at which
# clause 1.3 of Resolution No. 12 (2024) is taken to require an unscheduled meeting.
LEVELS = ("normal", "watch", "warning", "mandatory")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}


def _frozen_mapping(value: Mapping[str, float] | None) -> Mapping[str, float]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class WeeklySeries:
    """Weekly appeal counts of one region x sector cell.

    Week ``i`` starts on ``start + 7 * i`` days.  ``population`` (same length as
    ``counts``) is optional and only used as an offset by Farrington.
    """

    key: str
    start: datetime.date
    counts: tuple[int, ...]
    population: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if any(c < 0 for c in self.counts):
            raise ValueError(f"{self.key}: counts must be non-negative")
        if self.population is not None and len(self.population) != len(self.counts):
            raise ValueError(f"{self.key}: population must have one value per week")

    def week_start(self, t: int) -> datetime.date:
        """Return the first day of week ``t`` (0-based)."""
        return self.start + datetime.timedelta(days=7 * t)


@dataclass(frozen=True)
class Detection:
    """Outcome of one detector for week ``t``.

    ``score`` is detector specific but always scaled so that ``score > 1`` means
    "beyond the detector's own threshold" (exceedance for Farrington, z/3 for EARS
    C1/C2, C3/2 for C3, S/h for CUSUM).  ``applicable`` is False when the history is too
    short; then the numbers are NaN and ``alarm`` is False.
    """

    detector: str
    t: int
    observed: float
    expected: float
    threshold: float
    alarm: bool
    score: float
    applicable: bool = True
    details: Mapping[str, float] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "details", _frozen_mapping(self.details))


@dataclass(frozen=True)
class AppealFact:
    """The few facts about one appeal that the escalation signal needs."""

    kind: str
    signatories: int = 1
    text: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class EscalationSignal:
    """Escalation evidence for one week of appeals.

    ``keywords`` holds category labels (e.g. ``"hunger_strike"``), ``hits`` the number
    of appeals matching each label, ``strength`` is "none", "weak" or "strong".
    """

    complaint_share: float
    collective: int
    keywords: tuple[str, ...]
    score: float
    n_appeals: int = 0
    strength: str = "none"
    hits: Mapping[str, float] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hits", _frozen_mapping(self.hits))


@dataclass(frozen=True)
class ContentCounts:
    """What the escalation signal needs from a span of ``weeks`` weeks of one cell's appeals.

    ``appeals``, ``complaints`` and ``collective`` (appeals with many signatories) are counts;
    ``hits`` maps a keyword category to the number of appeals whose text names it.  One week's
    counts describe the week assessed; the sum over the weeks before it is the cell's usual rate.
    """

    appeals: int = 0
    complaints: int = 0
    collective: int = 0
    hits: Mapping[str, float] = field(default_factory=dict, hash=False)
    weeks: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "hits", _frozen_mapping(self.hits))


@dataclass(frozen=True)
class Reason:
    """Why an assessment reached its level: a code and its parameters (plain JSON values); the
    Django layer words it in the reader's language."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def as_json(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


NO_ESCALATION = EscalationSignal(complaint_share=0.0, collective=0, keywords=(), score=0.0)


@dataclass(frozen=True)
class Assessment:
    """Combined verdict for one series at week ``t`` with the evidence behind it.

    ``recent_*`` tuples cover the weeks ``recent_start_t .. t`` (at most 52): the counts,
    and a cheap seasonal baseline/upper band from the CUSUM baseline model (NaN where
    it could not be fitted) meant for charts; the alarm decision itself comes from
    ``detections``.
    """

    key: str
    t: int
    week_start: datetime.date
    level: str
    score: float
    detections: tuple[Detection, ...]
    escalation: EscalationSignal
    fired: tuple[str, ...]
    observed: float = float("nan")
    expected: float = float("nan")
    threshold: float = float("nan")
    primary: str = ""
    reasons: tuple[Reason, ...] = ()
    recent_start_t: int = 0
    recent_counts: tuple[int, ...] = ()
    recent_expected: tuple[float, ...] = ()
    recent_upper: tuple[float, ...] = ()

    def detection(self, detector: str) -> Detection | None:
        """Return the detection of the named detector, or None if it was not run."""
        for det in self.detections:
            if det.detector == detector:
                return det
        return None
