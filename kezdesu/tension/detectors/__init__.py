"""Pure detection engine for rising social tension in citizens' appeals.

Weekly appeal counts per region x sector are checked with the improved Farrington
method (EARS C1-C3 when the history is short), a negative-binomial CUSUM and
escalation signals from the appeals' content; :func:`assess`/:func:`scan` combine
them into a level ("normal", "watch", "warning", "mandatory").  Clause 1.3 of
Government Resolution No. 12 (2024) asks for unscheduled ministerial meetings where
such tension is predicted or arises; "mandatory" marks those cells.

No Django here: inputs and outputs are the frozen dataclasses of :mod:`.model`, and
time is never read from the clock (the week index ``t`` is passed in).
"""

from .combine import VERY_HIGH_SCORE, assess, scan
from .cusum import cusum_path, decision_interval, nb_cusum, nb_cusum_many
from .ears import ears, ears_statistics
from .escalation import escalation, escalation_counts, keyword_categories, normalise, tally
from .farrington import farrington_flexible, farrington_flexible_many
from .model import (
    APPEAL_KINDS,
    LEVEL_RANK,
    LEVELS,
    NO_ESCALATION,
    AppealFact,
    Assessment,
    ContentCounts,
    Detection,
    EscalationSignal,
    Reason,
    WeeklySeries,
)

__all__ = [
    "APPEAL_KINDS",
    "LEVELS",
    "LEVEL_RANK",
    "NO_ESCALATION",
    "VERY_HIGH_SCORE",
    "AppealFact",
    "Assessment",
    "ContentCounts",
    "Detection",
    "EscalationSignal",
    "Reason",
    "WeeklySeries",
    "assess",
    "cusum_path",
    "decision_interval",
    "ears",
    "ears_statistics",
    "escalation",
    "escalation_counts",
    "farrington_flexible",
    "farrington_flexible_many",
    "keyword_categories",
    "nb_cusum",
    "nb_cusum_many",
    "normalise",
    "scan",
    "tally",
]
