"""Frozen inputs and outputs of the planning engine, and the plan evaluation shared by every solver.

The engine plans a half-year (two quarters, ~26 weeks) of meetings of the heads of central executive
bodies with the population, one meeting = one (body, region, week) `Assignment`.

Rules every solver and `check()` apply the same way:

* a non-exempt body meets at least once in every quarter present in `weeks` and between
  `min_meetings` and `max_meetings` times in total; an exempt body has no lower bound;
* a body meets at most once a week, never in one of its `blocked_weeks` nor in a week with fewer than
  `min_working_days` working days;
* two meetings of a body are at least `min_gap_weeks` week indices apart (a gap below 1 counts as 1);
* a body does not visit the same region twice unless `allow_repeat_region`;
* a region receives at most its capacity of visits per week;
* pinned (agreed) meetings are kept as they are. A pinned meeting is an agreed fact, so it wins over
  the body's blocked weeks, the working-day minimum, and the gap and repeat-region rules *between
  two pinned meetings*. It does not win over region capacity, over `max_meetings`, or over "once a
  week": those conflicts are reported as infeasible, because the agreement itself is contradictory.
"""

import dataclasses
import datetime
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from .reasons import Reason

STATUSES = ("optimal", "feasible", "infeasible", "unknown", "invalid")
TERMS = ("score", "coverage", "spread", "stability")


@dataclass(frozen=True)
class Week:
    """One Monday-started week of the half-year; `quarter` is 1 or 2 within the half."""

    index: int
    start: datetime.date
    working_days: int
    quarter: int


@dataclass(frozen=True)
class BodySpec:
    """A central executive body as the planner sees it."""

    slug: str
    exempt: bool = False
    min_meetings: int = 2
    max_meetings: int = 3
    blocked_weeks: frozenset[int] = frozenset()
    allow_repeat_region: bool = False


@dataclass(frozen=True, order=True)
class Assignment:
    """One planned meeting: the head of `body` meets the population of `region` in week `week`."""

    body: str
    region: str
    week: int


@dataclass(frozen=True)
class Weights:
    """Integer weights of the soft terms of the objective (all maximised).

    The defaults rank the terms so that one moved published meeting (stability) costs more than any
    single score (0..1000) plus a covered region can gain, and covering one more region is worth a
    quarter of the best score.
    """

    score: int = 1
    coverage: int = 250
    spread: int = 100
    stability: int = 2000


def _frozen_mapping(value: Mapping) -> Mapping:
    return MappingProxyType(dict(value))


@dataclass(frozen=True)
class PlanningProblem:
    """Everything a solver needs; immutable so results can be cached and compared safely."""

    bodies: tuple[BodySpec, ...]
    regions: tuple[str, ...]
    weeks: tuple[Week, ...]
    scores: Mapping[tuple[str, str], int] = field(default_factory=dict)
    region_capacity: Mapping[str, int] = field(default_factory=dict)
    default_capacity: int = 1
    min_gap_weeks: int = 4
    min_working_days: int = 3
    pinned: tuple[Assignment, ...] = ()
    previous: tuple[Assignment, ...] = ()
    weights: Weights = Weights()

    def __post_init__(self) -> None:
        # Callers may pass lists and dicts; store tuples and read-only mappings so the problem
        # really is immutable once built.
        object.__setattr__(self, "bodies", tuple(self.bodies))
        object.__setattr__(self, "regions", tuple(self.regions))
        object.__setattr__(self, "weeks", tuple(self.weeks))
        object.__setattr__(self, "pinned", tuple(self.pinned))
        object.__setattr__(self, "previous", tuple(self.previous))
        object.__setattr__(self, "scores", _frozen_mapping(self.scores))
        object.__setattr__(self, "region_capacity", _frozen_mapping(self.region_capacity))

    def __reduce__(self) -> tuple:
        # Read-only mappings do not pickle; rebuild from plain dicts so problems can cross process
        # boundaries (task queues, multiprocessing).
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        fields["scores"] = dict(self.scores)
        fields["region_capacity"] = dict(self.region_capacity)
        return (_rebuild_problem, (fields,))

    # Frozen dataclasses still allow cached_property (it writes the instance __dict__ directly).
    @cached_property
    def body_by_slug(self) -> Mapping[str, BodySpec]:
        return {b.slug: b for b in self.bodies}

    @cached_property
    def week_by_index(self) -> Mapping[int, Week]:
        return {w.index: w for w in self.weeks}

    @cached_property
    def sorted_weeks(self) -> tuple[Week, ...]:
        return tuple(sorted(self.weeks, key=lambda w: w.index))

    @cached_property
    def quarters(self) -> tuple[int, ...]:
        return tuple(sorted({w.quarter for w in self.weeks}))

    @cached_property
    def region_set(self) -> frozenset[str]:
        return frozenset(self.regions)

    @property
    def gap(self) -> int:
        """The effective minimum distance between two meetings of a body (at least 1: once a week)."""
        return max(1, self.min_gap_weeks)

    def capacity(self, region: str) -> int:
        """Returns the number of ministerial visits `region` can host in one week."""
        return self.region_capacity.get(region, self.default_capacity)

    def score(self, body: str, region: str) -> int:
        """Returns the recommendation score of the pair, 0 when unknown."""
        return self.scores.get((body, region), 0)

    def week_usable(self, body: BodySpec, week: Week) -> bool:
        """Returns whether a non-pinned meeting of `body` may take place in `week`."""
        return week.index not in body.blocked_weeks and week.working_days >= self.min_working_days

    @cached_property
    def pinned_by_body(self) -> Mapping[str, tuple[Assignment, ...]]:
        out: dict[str, list[Assignment]] = {}
        for a in dict.fromkeys(self.pinned):
            out.setdefault(a.body, []).append(a)
        return {k: tuple(sorted(v, key=lambda a: a.week)) for k, v in out.items()}

    @cached_property
    def spread_weeks(self) -> int:
        """Returns the number of weeks the even share of visits is computed over (at least 1)."""
        return max(1, sum(1 for w in self.weeks if w.working_days >= self.min_working_days))

    def required_meetings(self, body: BodySpec) -> int:
        """Returns the smallest number of meetings the rules allow for `body`."""
        if body.exempt:
            return 0
        return max(body.min_meetings, len(self.quarters))

    def with_changes(self, **changes) -> "PlanningProblem":
        """Returns a copy with the given fields replaced."""
        return dataclasses.replace(self, **changes)


def _rebuild_problem(fields: dict) -> PlanningProblem:
    return PlanningProblem(**fields)


@dataclass(frozen=True)
class PlanResult:
    """What a solver returns.

    `objective` is the sum of `terms` (the weighted soft terms: score and coverage are positive,
    spread and stability are penalties and so zero or negative); `raw_terms` holds the unweighted
    quantities (score points, regions covered, visits above the even weekly share, published
    meetings moved). When no plan was found `objective` is 0, `gap` is 1.0, `assignments` is empty
    and `explanation` says why (`kezdesu.planning.messages` words it).
    `gap` is |objective - bound| / max(1, |objective|).
    """

    status: str
    assignments: tuple[Assignment, ...] = ()
    objective: float = 0.0
    bound: float = 0.0
    gap: float = 1.0
    wall_s: float = 0.0
    terms: Mapping[str, float] = field(default_factory=dict)
    explanation: tuple[Reason, ...] = ()
    moved_from_previous: int = 0
    raw_terms: Mapping[str, int] = field(default_factory=dict)
    engine: str = "cp-sat"

    @property
    def has_plan(self) -> bool:
        """Returns whether `assignments` is a plan satisfying every hard constraint."""
        return self.status in ("optimal", "feasible")


def relative_gap(objective: float, bound: float) -> float:
    """Returns |objective - bound| / max(1, |objective|)."""
    return abs(objective - bound) / max(1.0, abs(objective))


def plan_terms(problem: PlanningProblem, assignments: Iterable[Assignment]) -> tuple[dict[str, float], dict[str, int]]:
    """Returns (weighted terms, raw terms) of a plan, exactly as the CP-SAT objective counts them.

    Raw terms: `score` = sum of scores of the planned (body, region) pairs, `coverage` = regions
    visited at least once, `spread` = visits above ceil(total / usable weeks) summed over weeks,
    `stability` = previous assignments not kept exactly.
    """
    plan = list(dict.fromkeys(assignments))
    w = problem.weights
    score = sum(problem.score(a.body, a.region) for a in plan)
    covered = len({a.region for a in plan} & problem.region_set)
    share = math.ceil(len(plan) / problem.spread_weeks) if plan else 0
    load = Counter(a.week for a in plan)
    excess = sum(max(0, n - share) for n in load.values())
    planned = set(plan)
    moved = sum(1 for a in dict.fromkeys(problem.previous) if a not in planned)
    raw = {"score": score, "coverage": covered, "spread": excess, "stability": moved}
    terms = {
        "score": float(w.score * score),
        "coverage": float(w.coverage * covered),
        "spread": float(-w.spread * excess),
        "stability": float(-w.stability * moved),
    }
    return terms, raw


def upper_bound(problem: PlanningProblem) -> float:
    """Returns a cheap valid upper bound on the objective: best scores per body, every region covered.

    The penalties are at best zero, so ignoring them keeps the bound valid.
    """
    w = problem.weights
    best = 0
    total_max = 0
    for body in problem.bodies:
        n = max(0, body.max_meetings)
        total_max += n
        scores = sorted((problem.score(body.slug, r) for r in problem.regions), reverse=True)
        if body.allow_repeat_region and scores:
            best += scores[0] * n
        else:
            best += sum(scores[:n])
    return float(w.score * best + w.coverage * min(len(problem.regions), total_max))
