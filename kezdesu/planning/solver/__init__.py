"""Pure planning engine of the half-year schedule (no Django): frozen dataclasses in, frozen out.

`solve` runs CP-SAT, `greedy` the baseline, `check` re-checks a hand-edited plan and
`explain_infeasible` runs the cheap pre-checks that name what makes a problem unsolvable. Findings are
`Reason`s (a `Code` and its values), never sentences: the Django layer words them.
"""

from .cpsat import solve
from .explain import check, explain_infeasible, validate
from .greedy import greedy
from .model import (
    STATUSES,
    TERMS,
    Assignment,
    BodySpec,
    PlanningProblem,
    PlanResult,
    Week,
    Weights,
    plan_terms,
    upper_bound,
)
from .reasons import Code, Reason

__all__ = [
    "STATUSES",
    "TERMS",
    "Assignment",
    "BodySpec",
    "Code",
    "PlanResult",
    "PlanningProblem",
    "Reason",
    "Week",
    "Weights",
    "check",
    "explain_infeasible",
    "greedy",
    "plan_terms",
    "solve",
    "upper_bound",
    "validate",
]
