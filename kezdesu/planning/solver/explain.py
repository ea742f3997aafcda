"""Input validation, cheap infeasibility pre-checks and the hard-constraint checker.

All three return tuples of `Reason`s (a code and the values involved; empty = nothing wrong); none of
them raises on malformed input. `kezdesu.planning.messages` words the reasons for people.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from .model import Assignment, BodySpec, PlanningProblem
from .reasons import Code, Reason, reason


def validate(problem: PlanningProblem) -> tuple[Reason, ...]:
    """Returns the reasons the problem is malformed (unknown slugs, duplicates, negative values)."""
    return (
        *_duplicates(problem),
        *_week_errors(problem),
        *_bound_errors(problem),
        *_score_errors(problem),
        *_capacity_errors(problem),
        *_weight_errors(problem),
        *_pin_errors(problem),
    )


def _duplicates(problem: PlanningProblem) -> list[Reason]:
    out = []
    for code, name, items in (
        (Code.DUPLICATE_BODY, "body", [b.slug for b in problem.bodies]),
        (Code.DUPLICATE_REGION, "region", list(problem.regions)),
        (Code.DUPLICATE_WEEK, "week", [w.index for w in problem.weeks]),
    ):
        for item, n in sorted(Counter(items).items(), key=lambda kv: str(kv[0])):
            if n > 1:
                out.append(Reason(code, {name: item, "times": n}))
    return out


def _week_errors(problem: PlanningProblem) -> list[Reason]:
    out = []
    for w in problem.weeks:
        if w.quarter < 1:
            out.append(reason(Code.BAD_QUARTER, week=w.index, quarter=w.quarter))
        if not 0 <= w.working_days <= 7:
            out.append(reason(Code.BAD_WORKING_DAYS, week=w.index, days=w.working_days))
    return out


def _bound_errors(problem: PlanningProblem) -> list[Reason]:
    return [
        reason(Code.NEGATIVE_BOUNDS, body=b.slug) for b in problem.bodies if b.min_meetings < 0 or b.max_meetings < 0
    ]


def _score_errors(problem: PlanningProblem) -> list[Reason]:
    out = []
    bodies, regions = problem.body_by_slug, problem.region_set
    for (body, region), value in sorted(problem.scores.items()):
        if body not in bodies or region not in regions:
            out.append(reason(Code.SCORE_UNKNOWN_PAIR, body=body, region=region))
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            out.append(reason(Code.BAD_SCORE, body=body, region=region, value=repr(value)))
    return out


def _capacity_errors(problem: PlanningProblem) -> list[Reason]:
    out = []
    for region, cap in sorted(problem.region_capacity.items()):
        if region not in problem.region_set:
            out.append(reason(Code.CAPACITY_UNKNOWN_REGION, region=region))
        elif cap < 0:
            out.append(reason(Code.NEGATIVE_CAPACITY, region=region, capacity=cap))
    if problem.default_capacity < 0:
        out.append(reason(Code.NEGATIVE_DEFAULT_CAPACITY))
    return out


def _weight_errors(problem: PlanningProblem) -> list[Reason]:
    return [
        reason(Code.NEGATIVE_WEIGHT, term=name)
        for name in ("score", "coverage", "spread", "stability")
        if getattr(problem.weights, name) < 0
    ]


def _pin_errors(problem: PlanningProblem) -> list[Reason]:
    out = []
    for a in problem.pinned:
        if a.body not in problem.body_by_slug:
            out.append(_about(Code.PIN_UNKNOWN_BODY, a))
        if a.region not in problem.region_set:
            out.append(_about(Code.PIN_UNKNOWN_REGION, a))
        if a.week not in problem.week_by_index:
            out.append(_about(Code.PIN_WEEK_OUTSIDE, a))
    return out


def _about(code: Code, a: Assignment, **params: object) -> Reason:
    """Returns a reason about one meeting: its body, region and week come first."""
    return Reason(code, {"body": a.body, "region": a.region, "week": a.week, **params})


class _Candidate(NamedTuple):
    """A week the body could meet in; `pinned` weeks hold one of its pinned meetings."""

    week: int
    quarter: int
    pinned: bool


def _candidate_weeks(problem: PlanningProblem, body: BodySpec) -> list[_Candidate]:
    """Returns every week the body could meet in, sorted."""
    pinned_weeks = {a.week for a in problem.pinned_by_body.get(body.slug, ())}
    return [
        _Candidate(w.index, w.quarter, w.index in pinned_weeks)
        for w in problem.sorted_weeks
        if w.index in pinned_weeks or problem.week_usable(body, w)
    ]


def feasible_counts(problem: PlanningProblem, body: BodySpec, *, cover_quarters: bool) -> set[int]:
    """Returns every number of meetings the body can hold in its candidate weeks.

    Respects the gap (except between two pinned weeks), includes every pinned week, and when
    `cover_quarters` is true, meets in every quarter. Regions and capacity are ignored. Counts are
    capped at max_meetings + 1, which is enough to compare with the bounds.
    """
    cand = _candidate_weeks(problem, body)
    full = (1 << len(problem.quarters)) - 1 if cover_quarters else 0
    pinned_pos = [i for i, c in enumerate(cand) if c.pinned]
    states = _count_states(problem, cand, pinned_pos, cap=body.max_meetings + 1)
    counts: set[int] = set()
    if not pinned_pos and full == 0:
        counts.add(0)
    for j, ending in enumerate(states):
        if any(j < p for p in pinned_pos):  # a pinned week after j would be left out
            continue
        counts.update(count for count, mask in ending if mask & full == full)
    return counts


def _count_states(
    problem: PlanningProblem, cand: list[_Candidate], pinned_pos: list[int], *, cap: int
) -> list[set[tuple[int, int]]]:
    """Returns, per candidate position j, the (count, quarter mask) of every valid week sequence whose
    last week is j: it skips no pinned week and keeps the gap (except between two pinned weeks)."""
    gap = problem.gap
    qbit = {q: 1 << i for i, q in enumerate(problem.quarters)}

    def pinned_strictly_between(i: int, j: int) -> bool:
        return any(i < p < j for p in pinned_pos)

    states: list[set[tuple[int, int]]] = [set() for _ in cand]
    for j, (week_j, quarter_j, pinned_j) in enumerate(cand):
        if not pinned_strictly_between(-1, j):
            states[j].add((1, qbit[quarter_j]))
        for i, (week_i, _, pinned_i) in enumerate(cand[:j]):
            if not states[i] or pinned_strictly_between(i, j):
                continue
            if week_j - week_i < gap and not (pinned_i and pinned_j):
                continue
            states[j].update((min(cap, count + 1), mask | qbit[quarter_j]) for count, mask in states[i])
    return states


def _body_reasons(problem: PlanningProblem, body: BodySpec) -> list[Reason]:
    """Returns why `body` alone makes the problem infeasible: the first failing check's reasons."""
    out = _pin_conflicts(problem, body)
    if out or body.exempt:
        return out
    for step in (_bound_conflicts, _quarter_gaps, _count_conflicts, _region_shortage):
        out = step(problem, body)
        if out:
            break
    return out


def _pin_conflicts(problem: PlanningProblem, body: BodySpec) -> list[Reason]:
    pins = problem.pinned_by_body.get(body.slug, ())
    out = [
        reason(Code.PINS_SAME_WEEK, body=body.slug, count=n, week=week)
        for week, n in sorted(Counter(a.week for a in pins).items())
        if n > 1
    ]
    if len(pins) > body.max_meetings:
        out.append(reason(Code.PINS_ABOVE_MAX, body=body.slug, count=len(pins), max=body.max_meetings))
    return out


def _bound_conflicts(problem: PlanningProblem, body: BodySpec) -> list[Reason]:
    if body.min_meetings > body.max_meetings:
        return [reason(Code.MIN_ABOVE_MAX, body=body.slug, min=body.min_meetings, max=body.max_meetings)]
    if body.max_meetings < len(problem.quarters):
        return [reason(Code.MAX_BELOW_QUARTERS, body=body.slug, max=body.max_meetings, quarters=len(problem.quarters))]
    return []


def _quarter_gaps(problem: PlanningProblem, body: BodySpec) -> list[Reason]:
    """Returns a reason for every quarter in which the body has no week left to meet."""
    out = []
    cand_quarters = {c.quarter for c in _candidate_weeks(problem, body)}
    for q in problem.quarters:
        if q in cand_quarters:
            continue
        weeks_q = [w for w in problem.weeks if w.quarter == q]
        blocked = sum(1 for w in weeks_q if w.index in body.blocked_weeks)
        short = sum(
            1 for w in weeks_q if w.index not in body.blocked_weeks and w.working_days < problem.min_working_days
        )
        out.append(
            reason(
                Code.QUARTER_WITHOUT_WEEK,
                body=body.slug,
                quarter=q,
                weeks=len(weeks_q),
                blocked=blocked,
                short=short,
                min_working_days=problem.min_working_days,
            )
        )
    return out


def _count_conflicts(problem: PlanningProblem, body: BodySpec) -> list[Reason]:
    """Returns why no number of meetings allowed by the bounds fits the body's usable weeks."""
    slug, gap = body.slug, problem.gap
    need = problem.required_meetings(body)
    counts = feasible_counts(problem, body, cover_quarters=True)
    if not counts:
        cand = _candidate_weeks(problem, body)
        by_quarter = [[q, [c.week for c in cand if c.quarter == q]] for q in problem.quarters]
        return [reason(Code.QUARTERS_UNREACHABLE, body=slug, gap=gap, weeks_by_quarter=by_quarter)]
    if max(counts) < need:
        return [reason(Code.TOO_FEW_FIT, body=slug, need=need, min=body.min_meetings, most=max(counts), gap=gap)]
    if min(counts) > body.max_meetings:
        return [reason(Code.PINS_FORCE_ABOVE_MAX, body=slug, least=min(counts), max=body.max_meetings)]
    if not any(need <= c <= body.max_meetings for c in counts):
        return [reason(Code.NO_COUNT_FITS, body=slug, need=need, max=body.max_meetings, gap=gap)]
    return []


def _region_shortage(problem: PlanningProblem, body: BodySpec) -> list[Reason]:
    if body.allow_repeat_region:
        return []
    pins = problem.pinned_by_body.get(body.slug, ())
    pinned_regions = {a.region for a in pins}
    open_regions = {r for r in problem.regions if problem.capacity(r) > 0} | pinned_regions
    # Two pinned meetings may share a region, so they lower the number of distinct regions needed.
    distinct_needed = problem.required_meetings(body) - (len(pins) - len(pinned_regions))
    if len(open_regions) < distinct_needed:
        return [reason(Code.TOO_FEW_OPEN_REGIONS, body=body.slug, need=distinct_needed, open=len(open_regions))]
    return []


def explain_infeasible(problem: PlanningProblem) -> tuple[Reason, ...]:
    """Returns reasons naming the body, quarter and constraint that make the problem infeasible.

    These are necessary conditions checked cheaply before solving; an empty answer does not prove
    feasibility (only the solver can). Malformed input is reported with the `validate` reasons.
    """
    invalid = validate(problem)
    if invalid:
        return invalid
    out = [r for body in problem.bodies for r in _body_reasons(problem, body)]
    out.extend(_pinned_overload(problem))
    if out:
        return tuple(out)
    return tuple(_supply_shortage(problem))


def _pinned_overload(problem: PlanningProblem) -> list[Reason]:
    pinned_load = Counter((a.region, a.week) for a in dict.fromkeys(problem.pinned))
    return [
        reason(Code.PINS_OVER_CAPACITY, region=region, week=week, count=n, capacity=problem.capacity(region))
        for (region, week), n in sorted(pinned_load.items())
        if n > problem.capacity(region)
    ]


def _supply_shortage(problem: PlanningProblem) -> list[Reason]:
    """Returns where demand for visits exceeds the regions' free slots, per quarter, else per half-year.

    Each non-exempt body needs one visit slot in every quarter its pinned meetings leave uncovered,
    and a slot is one unit of a region's weekly capacity in a week someone can use, less the slots
    pinned meetings already take.
    """
    usable = frozenset(w.index for w in problem.weeks if w.working_days >= problem.min_working_days)
    pins = list(dict.fromkeys(problem.pinned))
    out = [r for q in problem.quarters if (r := _quarter_shortage(problem, q, usable, pins)) is not None]
    if out:
        return out
    pin_count = Counter(a.body for a in pins)
    need = sum(max(0, problem.required_meetings(b) - pin_count[b.slug]) for b in problem.bodies if not b.exempt)
    supply = _slots_per_week(problem) * len(usable) - sum(1 for a in pins if a.week in usable)
    return [reason(Code.HALF_OVER_CAPACITY, need=need, supply=supply)] if need > supply else []


def _slots_per_week(problem: PlanningProblem) -> int:
    return sum(problem.capacity(r) for r in problem.regions)


def _quarter_shortage(
    problem: PlanningProblem, q: int, usable: frozenset[int], pins: list[Assignment]
) -> Reason | None:
    quarter_of = {w.index: w.quarter for w in problem.weeks}
    pinned_here = {a.body for a in pins if quarter_of[a.week] == q}
    demand = sum(1 for b in problem.bodies if not b.exempt and b.slug not in pinned_here)
    taken = sum(1 for a in pins if a.week in usable and quarter_of[a.week] == q)
    supply = _slots_per_week(problem) * sum(1 for w in usable if quarter_of[w] == q) - taken
    return reason(Code.QUARTER_OVER_CAPACITY, quarter=q, demand=demand, supply=supply) if demand > supply else None


def check(problem: PlanningProblem, assignments: Iterable[Assignment]) -> tuple[Reason, ...]:
    """Returns every hard-constraint violation of a (possibly hand-edited) plan; empty means valid.

    Applies the rules documented in `model`, including the exceptions granted to pinned meetings.
    """
    plan = list(assignments)
    out = [_about(Code.MEETING_REPEATED, a, times=n) for a, n in sorted(Counter(plan).items()) if n > 1]
    plan = list(dict.fromkeys(plan))
    known: list[Assignment] = []
    for a in plan:
        unknown = _unknown_parts(problem, a)
        out.extend(unknown)
        if not unknown:
            known.append(a)
    pinned = set(problem.pinned)
    out.extend(_about(Code.PIN_MISSING, a) for a in sorted(pinned - set(plan)))
    by_body: dict[str, list[Assignment]] = defaultdict(list)
    for a in known:
        by_body[a.body].append(a)
    for body in problem.bodies:
        mine = sorted(by_body.get(body.slug, []), key=lambda a: (a.week, a.region))
        out.extend(_week_violations(problem, body, mine, pinned))
        out.extend(_pair_violations(problem, body, mine, pinned))
        out.extend(_count_violations(problem, body, mine))
    load = Counter((a.region, a.week) for a in known)
    out.extend(
        reason(Code.REGION_OVER_CAPACITY, region=region, week=week, count=n, capacity=problem.capacity(region))
        for (region, week), n in sorted(load.items())
        if n > problem.capacity(region)
    )
    return tuple(out)


def _unknown_parts(problem: PlanningProblem, a: Assignment) -> list[Reason]:
    out = []
    if a.body not in problem.body_by_slug:
        out.append(_about(Code.MEETING_UNKNOWN_BODY, a))
    if a.region not in problem.region_set:
        out.append(_about(Code.MEETING_UNKNOWN_REGION, a))
    if a.week not in problem.week_by_index:
        out.append(_about(Code.MEETING_WEEK_OUTSIDE, a))
    return out


def _week_violations(
    problem: PlanningProblem, body: BodySpec, mine: list[Assignment], pinned: set[Assignment]
) -> list[Reason]:
    """Returns the body's unpinned meetings in weeks it blocked or with too few working days."""
    out = []
    for a in mine:
        if a in pinned:
            continue
        days = problem.week_by_index[a.week].working_days
        if a.week in body.blocked_weeks:
            out.append(_about(Code.MEETING_IN_BLOCKED_WEEK, a))
        if days < problem.min_working_days:
            out.append(_about(Code.MEETING_IN_SHORT_WEEK, a, days=days, minimum=problem.min_working_days))
    return out


def _pair_violations(
    problem: PlanningProblem, body: BodySpec, mine: list[Assignment], pinned: set[Assignment]
) -> list[Reason]:
    """Returns the once-a-week, gap and repeat-region violations between two meetings of the body."""
    out = []
    slug = body.slug
    for i, a in enumerate(mine):
        for b in mine[i + 1 :]:
            both_pinned = a in pinned and b in pinned
            if a.week == b.week:
                out.append(reason(Code.TWO_MEETINGS_IN_WEEK, body=slug, week=a.week, region=a.region, other=b.region))
            elif b.week - a.week < problem.gap and not both_pinned:
                out.append(reason(Code.MEETINGS_TOO_CLOSE, body=slug, week=a.week, other=b.week, gap=problem.gap))
            if a.region == b.region and not body.allow_repeat_region and not both_pinned:
                out.append(reason(Code.REGION_REPEATED, body=slug, region=a.region, week=a.week, other=b.week))
    return out


def _count_violations(problem: PlanningProblem, body: BodySpec, mine: list[Assignment]) -> list[Reason]:
    """Returns the body's violations of max_meetings, min_meetings and once a quarter."""
    out = []
    slug = body.slug
    if len(mine) > body.max_meetings:
        out.append(reason(Code.ABOVE_MAX, body=slug, count=len(mine), max=body.max_meetings))
    if body.exempt:
        return out
    if len(mine) < body.min_meetings:
        out.append(reason(Code.BELOW_MIN, body=slug, count=len(mine), min=body.min_meetings))
    met = {problem.week_by_index[a.week].quarter for a in mine}
    out.extend(reason(Code.QUARTER_MISSED, body=slug, quarter=q) for q in problem.quarters if q not in met)
    return out
