"""What the engine says about a problem or a plan: a code naming the rule and the values involved.

The engine words nothing: `kezdesu.planning.messages` turns each code into a sentence in the reader's
language. Parameter values are plain JSON values (strings, integers, lists of them) so a reason can be
stored with the plan and worded again later.
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


class Code(enum.StrEnum):
    # Malformed input (`validate`).
    DUPLICATE_BODY = "duplicate_body"
    DUPLICATE_REGION = "duplicate_region"
    DUPLICATE_WEEK = "duplicate_week"
    BAD_QUARTER = "bad_quarter"
    BAD_WORKING_DAYS = "bad_working_days"
    NEGATIVE_BOUNDS = "negative_bounds"
    SCORE_UNKNOWN_PAIR = "score_unknown_pair"
    BAD_SCORE = "bad_score"
    CAPACITY_UNKNOWN_REGION = "capacity_unknown_region"
    NEGATIVE_CAPACITY = "negative_capacity"
    NEGATIVE_DEFAULT_CAPACITY = "negative_default_capacity"
    NEGATIVE_WEIGHT = "negative_weight"
    PIN_UNKNOWN_BODY = "pin_unknown_body"
    PIN_UNKNOWN_REGION = "pin_unknown_region"
    PIN_WEEK_OUTSIDE = "pin_week_outside"
    # Infeasible before solving (`explain_infeasible`).
    PINS_SAME_WEEK = "pins_same_week"
    PINS_ABOVE_MAX = "pins_above_max"
    MIN_ABOVE_MAX = "min_above_max"
    MAX_BELOW_QUARTERS = "max_below_quarters"
    QUARTER_WITHOUT_WEEK = "quarter_without_week"
    QUARTERS_UNREACHABLE = "quarters_unreachable"
    TOO_FEW_FIT = "too_few_fit"
    PINS_FORCE_ABOVE_MAX = "pins_force_above_max"
    NO_COUNT_FITS = "no_count_fits"
    TOO_FEW_OPEN_REGIONS = "too_few_open_regions"
    PINS_OVER_CAPACITY = "pins_over_capacity"
    QUARTER_OVER_CAPACITY = "quarter_over_capacity"
    HALF_OVER_CAPACITY = "half_over_capacity"
    # Hard-rule violations of a plan (`check`).
    MEETING_REPEATED = "meeting_repeated"
    MEETING_UNKNOWN_BODY = "meeting_unknown_body"
    MEETING_UNKNOWN_REGION = "meeting_unknown_region"
    MEETING_WEEK_OUTSIDE = "meeting_week_outside"
    PIN_MISSING = "pin_missing"
    MEETING_IN_BLOCKED_WEEK = "meeting_in_blocked_week"
    MEETING_IN_SHORT_WEEK = "meeting_in_short_week"
    TWO_MEETINGS_IN_WEEK = "two_meetings_in_week"
    MEETINGS_TOO_CLOSE = "meetings_too_close"
    REGION_REPEATED = "region_repeated"
    ABOVE_MAX = "above_max"
    BELOW_MIN = "below_min"
    QUARTER_MISSED = "quarter_missed"
    REGION_OVER_CAPACITY = "region_over_capacity"
    # The constraint groups of an infeasibility core found by CP-SAT, and what the solver concludes.
    CORE_REPEAT_REGION = "core_repeat_region"
    CORE_MAX = "core_max"
    CORE_MIN = "core_min"
    CORE_QUARTER = "core_quarter"
    CORE_GAP = "core_gap"
    CORE_CAPACITY = "core_capacity"
    PROVEN_CONFLICT = "proven_conflict"
    PROVEN_NO_CORE = "proven_no_core"
    USABLE_WEEKS = "usable_weeks"
    NO_USABLE_WEEKS = "no_usable_weeks"
    MODEL_REJECTED = "model_rejected"
    TIME_LIMIT = "time_limit"
    GREEDY_NO_PLAN = "greedy_no_plan"


@dataclass(frozen=True)
class Reason:
    """One finding: `code` says which rule, `params` the values the sentence names (read-only)."""

    code: Code
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", Code(self.code))
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __reduce__(self) -> tuple:
        # A read-only mapping does not pickle; rebuild from a plain dict (results cross processes).
        return (Reason, (self.code, dict(self.params)))

    def as_dict(self) -> dict:
        """Returns {"code": …, "params": {…}}, the form stored with a plan (JSON)."""
        return {"code": str(self.code), "params": dict(self.params)}


def reason(code: Code, **params: object) -> Reason:
    """Returns Reason(code, params); the keyword form keeps call sites short."""
    return Reason(code, params)
