"""Greedy baseline: a quick valid plan, used for comparison and as CP-SAT's starting hint.

1. Pinned meetings are placed, then every previous (published) meeting that is still allowed.
2. Each body, most constrained first, picks its meeting weeks with a small dynamic programme over
   weeks: as many meetings as allowed, every quarter covered, the gap respected, the least loaded
   weeks preferred (spread).
3. Meeting slots receive regions in order of value (score, plus the coverage bonus while the region
   is still unvisited), highest first, within region capacity. A slot that is not needed and whose
   best region is worth nothing is dropped; a needed slot that finds no region moves to another week
   of its quarter.

If keeping the previous plan leaves a body no valid weeks, the heuristic starts again without it.
"""

import heapq
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from .explain import check, explain_infeasible, validate
from .model import Assignment, BodySpec, PlanningProblem, PlanResult, plan_terms, relative_gap, upper_bound
from .reasons import Code, reason


@dataclass
class _State:
    problem: PlanningProblem
    plan: set[Assignment] = field(default_factory=set)
    pinned: frozenset[Assignment] = frozenset()
    rw_load: Counter = field(default_factory=Counter)
    week_load: Counter = field(default_factory=Counter)
    body_plan: dict[str, list[Assignment]] = field(default_factory=lambda: defaultdict(list))

    def region_open(self, body: BodySpec, region: str, week: int) -> bool:
        if self.rw_load[region, week] >= self.problem.capacity(region):
            return False
        return body.allow_repeat_region or all(a.region != region for a in self.body_plan[body.slug])

    def week_open(self, week: int, others: list[int]) -> bool:
        return all(abs(week - o) >= self.problem.gap for o in others)

    def place(self, a: Assignment) -> None:
        self.plan.add(a)
        self.rw_load[a.region, a.week] += 1
        self.week_load[a.week] += 1
        self.body_plan[a.body].append(a)

    def allowed(self, a: Assignment) -> bool:
        """Returns whether a non-pinned meeting can join the current plan without breaking a rule."""
        p = self.problem
        body = p.body_by_slug.get(a.body)
        week = p.week_by_index.get(a.week)
        if body is None or week is None or a.region not in p.region_set:
            return False
        mine = self.body_plan[a.body]
        return (
            p.week_usable(body, week)
            and len(mine) < body.max_meetings
            and self.week_open(a.week, [m.week for m in mine])
            and self.region_open(body, a.region, a.week)
        )


class _Candidate(NamedTuple):
    """A week `_pick_weeks` may use: `fixed` weeks already hold a meeting of the body (`pinned` ones
    by agreement); `cost` is the week's load, which the choice keeps low."""

    week: int
    quarter: int
    fixed: bool
    pinned: bool
    cost: int


# best[j][(count, mask)] = (cost, previous position, previous key) of the cheapest sequence ending at j.
_Table = list[dict[tuple[int, int], tuple[int, int, tuple[int, int] | None]]]


def _candidates(state: _State, body: BodySpec, fixed: dict[int, bool]) -> list[_Candidate]:
    p = state.problem
    cand = []
    for w in p.sorted_weeks:
        if w.index in fixed:
            cand.append(_Candidate(w.index, w.quarter, True, fixed[w.index], 0))
        elif p.week_usable(body, w) and any(state.region_open(body, r, w.index) for r in p.regions):
            cand.append(_Candidate(w.index, w.quarter, False, False, state.week_load[w.index]))
    return cand


def _pick_weeks(state: _State, body: BodySpec) -> list[int] | None:
    """Returns the new weeks for `body` (fixed weeks excluded), or None if no valid set exists."""
    p = state.problem
    fixed = {a.week: a in state.pinned for a in state.body_plan[body.slug]}
    if body.max_meetings <= 0 and not fixed:
        return [] if p.required_meetings(body) == 0 else None
    full = 0 if body.exempt else (1 << len(p.quarters)) - 1
    cand = _candidates(state, body, fixed)
    fixed_pos = [i for i, c in enumerate(cand) if c.fixed]
    best = _sequences(p, cand, fixed_pos, target=body.max_meetings)
    end = _cheapest_end(best, fixed_pos, full=full, need=p.required_meetings(body))
    if end is None:
        return [] if not fixed_pos and full == 0 and p.required_meetings(body) == 0 else None
    j, key = end
    chosen = []
    while j != -1:
        if not cand[j].fixed:
            chosen.append(cand[j].week)
        _, j, key = best[j][key]
    return sorted(chosen)


def _cheapest_end(best: _Table, fixed_pos: list[int], *, full: int, need: int) -> tuple[int, tuple[int, int]] | None:
    """Returns (position, key) that ends the valid sequence with the most meetings, then the lowest cost:
    it covers the quarters in `full`, holds at least `need` meetings and leaves no fixed week after."""
    finish: tuple[int, int, int, tuple[int, int]] | None = None  # (-count, cost, position, key)
    for j, table in enumerate(best):
        if any(j < f for f in fixed_pos):
            continue
        for (count, mask), (cost, _, _) in table.items():
            if mask & full != full or count < need:
                continue
            option = (-count, cost, j, (count, mask))
            if finish is None or option < finish:
                finish = option
    return None if finish is None else (finish[2], finish[3])


def _sequences(p: PlanningProblem, cand: list[_Candidate], fixed_pos: list[int], *, target: int) -> _Table:
    """Returns the dynamic-programming table over valid week sequences of at most `target` meetings
    that skip no fixed week and keep the gap (except between two pinned weeks)."""
    qbit = {q: 1 << i for i, q in enumerate(p.quarters)}

    def fixed_between(i: int, j: int) -> bool:
        return any(i < f < j for f in fixed_pos)

    best: _Table = [{} for _ in cand]
    for j, cj in enumerate(cand):
        if not fixed_between(-1, j):
            best[j][1, qbit[cj.quarter]] = (cj.cost, -1, None)
        for i, ci in enumerate(cand[:j]):
            if not best[i] or fixed_between(i, j) or (cj.week - ci.week < p.gap and not (ci.pinned and cj.pinned)):
                continue
            for (count, mask), (cost, _, _) in best[i].items():
                if count >= target:
                    continue
                k = (count + 1, mask | qbit[cj.quarter])
                if k not in best[j] or cost + cj.cost < best[j][k][0]:
                    best[j][k] = (cost + cj.cost, i, (count, mask))
    return best


def _value(problem: PlanningProblem, covered: Counter, body: str, region: str) -> int:
    w = problem.weights
    return w.score * problem.score(body, region) + (w.coverage if covered[region] == 0 else 0)


def _best_region(state: _State, covered: Counter, body: BodySpec, week: int) -> tuple[int, str] | None:
    options = [
        (_value(state.problem, covered, body.slug, r), r)
        for r in state.problem.regions
        if state.region_open(body, r, week)
    ]
    if not options:
        return None
    value = max(v for v, _ in options)
    return value, min(r for v, r in options if v == value)


def _needed(state: _State, body: BodySpec, week: int, pending: dict[str, set[int]]) -> bool:
    """Returns whether dropping the slot of `body` in `week` would break its quota."""
    if body.exempt:
        return False
    p = state.problem
    weeks = [a.week for a in state.body_plan[body.slug]] + [w for w in pending[body.slug] if w != week]
    if len(weeks) < p.required_meetings(body):
        return True
    quarter = p.week_by_index[week].quarter
    return all(p.week_by_index[w].quarter != quarter for w in weeks)


def _relocate(state: _State, covered: Counter, body: BodySpec, week: int, pending: dict[str, set[int]]) -> bool:
    """Moves a needed slot to another week of its quarter that has a region left; returns success."""
    p = state.problem
    quarter = p.week_by_index[week].quarter
    others = [a.week for a in state.body_plan[body.slug]] + [w for w in pending[body.slug] if w != week]
    options = []
    for w in p.sorted_weeks:
        if w.quarter != quarter or w.index == week or not p.week_usable(body, w):
            continue
        if not state.week_open(w.index, others):
            continue
        best = _best_region(state, covered, body, w.index)
        if best is not None:
            options.append((-best[0], state.week_load[w.index], w.index, best[1]))
    if not options:
        return False
    _, _, w, region = min(options)
    pending[body.slug].discard(week)
    state.place(Assignment(body.slug, region, w))
    covered[region] += 1
    return True


def _greedy_plan(problem: PlanningProblem, *, keep_previous: bool) -> list[Assignment] | None:
    state = _State(problem=problem, pinned=frozenset(problem.pinned))
    for a in sorted(set(problem.pinned)):
        state.place(a)
    if keep_previous:
        for a in sorted(set(problem.previous) - state.plan):
            if state.allowed(a):
                state.place(a)
    pending = _reserve_weeks(state)
    if pending is None or not _assign_regions(state, pending):
        return None
    return sorted(state.plan)


def _reserve_weeks(state: _State) -> dict[str, set[int]] | None:
    """Returns the weeks each body will meet in (step 2), most constrained body first; None when a
    body has no valid set of weeks left."""
    problem = state.problem

    def slack(body: BodySpec) -> tuple[int, str]:
        usable = sum(1 for w in problem.weeks if problem.week_usable(body, w))
        return usable, body.slug

    pending: dict[str, set[int]] = defaultdict(set)
    for body in sorted(problem.bodies, key=slack):
        weeks = _pick_weeks(state, body)
        if weeks is None:
            return None
        pending[body.slug] = set(weeks)
        for w in weeks:
            # Reserve the week so later bodies see its load when they spread out.
            state.week_load[w] += 1
    return pending


def _slot_heap(state: _State, covered: Counter, pending: dict[str, set[int]]) -> list[tuple[int, str, int, str]]:
    """Returns a heap of (-value, body, week, best region) of every pending slot ("" and -1 without one)."""
    heap: list[tuple[int, str, int, str]] = []
    for body in state.problem.bodies:
        for w in pending[body.slug]:
            best = _best_region(state, covered, body, w)
            heapq.heappush(heap, (-(best[0] if best else -1), body.slug, w, best[1] if best else ""))
    return heap


def _assign_regions(state: _State, pending: dict[str, set[int]]) -> bool:
    """Gives the pending meeting slots regions, best value first (step 3); returns False when a needed
    slot finds no region in any week of its quarter."""
    problem = state.problem
    covered = Counter(a.region for a in state.plan)
    heap = _slot_heap(state, covered, pending)
    while heap:
        neg, slug, w, region = heapq.heappop(heap)
        body = problem.body_by_slug[slug]
        if w not in pending[slug]:
            continue
        current = _best_region(state, covered, body, w)
        if current is not None and (current[0] != -neg or current[1] != region):
            heapq.heappush(heap, (-current[0], slug, w, current[1]))
            continue
        needed = _needed(state, body, w, pending)
        state.week_load[w] -= 1  # the reservation becomes a real meeting or is released
        if current is None or (current[0] <= 0 and not needed):
            if needed and not _relocate(state, covered, body, w, pending):
                return False
            pending[slug].discard(w)
            continue
        pending[slug].discard(w)
        state.place(Assignment(slug, region, w))
        covered[region] += 1
    return True


def greedy(problem: PlanningProblem) -> PlanResult:
    """Returns a valid plan found greedily (status "feasible"), with an honest bound and gap.

    Status "invalid" / "infeasible" come with the pre-check explanations; "unknown" means the
    heuristic found no plan although none of the pre-checks failed (CP-SAT may still find one).
    """
    started = time.perf_counter()
    invalid = validate(problem)
    if invalid:
        return PlanResult(status="invalid", explanation=invalid, wall_s=time.perf_counter() - started, engine="greedy")
    reasons = explain_infeasible(problem)
    if reasons:
        return PlanResult(
            status="infeasible", explanation=reasons, wall_s=time.perf_counter() - started, engine="greedy"
        )
    plan = None
    for keep_previous in (True, False) if problem.previous else (False,):
        plan = _greedy_plan(problem, keep_previous=keep_previous)
        if plan is not None and not check(problem, plan):
            break
        plan = None
    if plan is None:
        return PlanResult(
            status="unknown",
            explanation=(reason(Code.GREEDY_NO_PLAN),),
            wall_s=time.perf_counter() - started,
            engine="greedy",
        )
    terms, raw = plan_terms(problem, plan)
    objective = sum(terms.values())
    bound = max(objective, upper_bound(problem))
    return PlanResult(
        status="feasible",
        assignments=tuple(plan),
        objective=objective,
        bound=bound,
        gap=relative_gap(objective, bound),
        wall_s=time.perf_counter() - started,
        terms=terms,
        raw_terms=raw,
        moved_from_previous=raw["stability"],
        engine="greedy",
    )
