"""The CP-SAT model of the half-year schedule.

Variables: x[b, r, w] = body b meets in region r in week w (created only where allowed), y[b, w] = body
b meets in week w (= sum over r of x, so at most one meeting a week), z[b, r] = visits of b to r,
cov[r] = region r is visited, excess[w] = visits in week w above the even share, share =
ceil(total visits / usable weeks).

The gap rule is written as "at most one meeting in any window of `gap` consecutive weeks" and the
repeat rule as "at most one visit per (body, region)": both are cliques, far stronger in the LP
relaxation than pairwise conflicts.

The objective depends on regions only through the (body, region) visits and on weeks only through
each body's meeting weeks, and region capacity (the only rule tying regions to weeks) rarely binds.
So `solve` first optimises the aggregated master (z and y, no x: no week permutations of the same
plan to tell apart, a small LP), then places the chosen visits in weeks with the exact model
restricted to them. When the placement reaches the master's value — the usual case — the plan is
proven optimal; otherwise the full x model continues from the best plan, and the reported bound is
the smaller of the two proven bounds.
"""

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .explain import explain_infeasible, validate
from .model import Assignment, PlanningProblem, PlanResult, plan_terms, relative_gap, upper_bound

ProgressCallback = Callable[[float, float, float], None]


@dataclass
class _Built:
    model: cp_model.CpModel
    x: dict[tuple[str, str, int], cp_model.IntVar] = field(default_factory=dict)
    y: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    z: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    cov: dict[str, cp_model.IntVar] = field(default_factory=dict)
    excess: dict[int, cp_model.IntVar] = field(default_factory=dict)
    kept: dict[Assignment, cp_model.IntVar] = field(default_factory=dict)
    share: cp_model.IntVar | None = None
    # Diagnose mode only: assumption literal index -> the constraint it switches on, in words.
    groups: dict[int, str] = field(default_factory=dict)


def _build(
    problem: PlanningProblem,
    *,
    master: bool = False,
    chosen: Mapping[str, Mapping[str, int]] | None = None,
    diagnose: bool = False,
) -> _Built:
    """Returns a CP-SAT model of the problem in one of four forms.

    * full (default): x[b, r, w] for every allowed triple; exact.
    * `master`: no week x region variables; z[b, r] = visits of b to r, y[b, w] as in the full
      model, region capacity only summed over the half-year. A relaxation: every full plan maps to
      a master solution of the same objective, so the master's bound bounds the full problem.
    * `chosen`: the full model restricted to the (body, region) visit counts a master solution chose;
      it places those visits in weeks. Reaching the master's objective proves optimality.
    * `diagnose`: the full model without objective, its constraint groups on assumption literals so
      an infeasibility core can name the groups in conflict.
    """
    m = cp_model.CpModel()
    built = _Built(model=m)
    pinned = set(problem.pinned)
    pin_count_br = Counter((a.body, a.region) for a in pinned)
    weeks = problem.sorted_weeks
    gap = problem.gap
    open_regions = [r for r in problem.regions if problem.capacity(r) > 0]

    def group(text: str) -> cp_model.IntVar | None:
        if not diagnose:
            return None
        lit = m.new_bool_var(text)
        m.add_assumption(lit)
        built.groups[lit.index] = text
        return lit

    def post(constraint: cp_model.Constraint, lit: cp_model.IntVar | None) -> None:
        if lit is not None:
            constraint.only_enforce_if(lit)

    for body in problem.bodies:
        b = body.slug
        pins = problem.pinned_by_body.get(b, ())
        if body.max_meetings <= 0 and not pins:
            continue
        pinned_regions_by_week: dict[int, set[str]] = defaultdict(set)
        for a in pins:
            pinned_regions_by_week[a.week].add(a.region)
        pin_weeks = set(pinned_regions_by_week)
        if master:
            for r in sorted(set(open_regions) | {a.region for a in pins}):
                k = pin_count_br[b, r]
                top = body.max_meetings if body.allow_repeat_region else max(1, k)
                built.z[b, r] = m.new_int_var(k, max(k, top), f"z[{b},{r}]")
            for w in weeks:
                if w.index in pin_weeks or problem.week_usable(body, w):
                    built.y[b, w.index] = m.new_bool_var(f"y[{b},{w.index}]")
                    if w.index in pin_weeks:
                        m.add(built.y[b, w.index] == 1)
            m.add(
                sum(v for (bb, _), v in built.z.items() if bb == b)
                == sum(built.y[b, w.index] for w in weeks if (b, w.index) in built.y)
            )
        else:
            visits = chosen.get(b, {}) if chosen is not None else None
            allowed = [r for r in open_regions if visits.get(r, 0) > 0] if visits is not None else open_regions
            per_region: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for w in weeks:
                if problem.week_usable(body, w):
                    regions = allowed
                else:
                    regions = sorted(pinned_regions_by_week.get(w.index, ()))
                cell = []
                for r in regions:
                    v = m.new_bool_var(f"x[{b},{r},{w.index}]")
                    built.x[b, r, w.index] = v
                    cell.append(v)
                    per_region[r].append(v)
                    if Assignment(b, r, w.index) in pinned:
                        m.add(v == 1)
                if cell:
                    yv = m.new_bool_var(f"y[{b},{w.index}]")
                    built.y[b, w.index] = yv
                    m.add(sum(cell) == yv)
            if visits is not None:
                for r, k in visits.items():
                    m.add(sum(per_region.get(r, [])) == k)
            elif not body.allow_repeat_region:
                lit = group(f"{b} visits each region at most once")
                for r, vs in per_region.items():
                    if len(vs) > 1:
                        post(m.add(sum(vs) <= max(1, pin_count_br[b, r])), lit)

        ys = [(w, built.y[b, w.index]) for w in weeks if (b, w.index) in built.y]
        total = sum(v for _, v in ys)
        post(m.add(total <= body.max_meetings), group(f"{b} holds at most {body.max_meetings} meetings"))
        if not body.exempt:
            if body.min_meetings > 0:
                post(m.add(total >= body.min_meetings), group(f"{b} holds at least {body.min_meetings} meetings"))
            for q in problem.quarters:
                post(
                    m.add(sum(v for w, v in ys if w.quarter == q) >= 1),
                    group(f"{b} meets at least once in quarter {q}"),
                )
        if gap > 1:
            lit = group(f"{b}'s meetings are at least {gap} weeks apart")
            last_end = None
            for i, (w0, _) in enumerate(ys):
                window = [(w, v) for w, v in ys[i:] if w.index - w0.index < gap]
                end = window[-1][0].index
                # A window ending where the previous one ended is contained in it: skip it.
                if len(window) < 2 or end == last_end:
                    continue
                last_end = end
                allowed_here = max(1, sum(1 for w, _ in window if w.index in pin_weeks))
                post(m.add(sum(v for _, v in window) <= allowed_here), lit)

    by_r: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    if master:
        for (_, r), v in built.z.items():
            by_r[r].append(v)
        for r, vs in by_r.items():
            # Each visit takes one of the region's weekly slots somewhere in the half-year.
            m.add(sum(vs) <= problem.capacity(r) * len(weeks))
    else:
        by_rw: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        for (_, r, w), v in built.x.items():
            by_rw[r, w].append(v)
            by_r[r].append(v)
        cap_lits: dict[str, cp_model.IntVar | None] = {}
        for (r, _), vs in sorted(by_rw.items()):
            cap = problem.capacity(r)
            if len(vs) > cap:
                if r not in cap_lits:
                    cap_lits[r] = group(f"region {r} hosts at most {cap} visit(s) a week")
                post(m.add(sum(vs) <= cap), cap_lits[r])

    if diagnose:
        return built

    wt = problem.weights
    objective = []
    if wt.score:
        if master:
            objective.extend(wt.score * problem.score(b, r) * v for (b, r), v in built.z.items() if problem.score(b, r))
        else:
            objective.extend(
                wt.score * problem.score(b, r) * v for (b, r, _), v in built.x.items() if problem.score(b, r)
            )
    if wt.coverage:
        for r, vs in by_r.items():
            c = m.new_bool_var(f"cov[{r}]")
            built.cov[r] = c
            m.add(c <= sum(vs))
            objective.append(wt.coverage * c)
    if wt.spread and built.y:
        n_weeks = problem.spread_weeks
        max_total = sum(b.max_meetings for b in problem.bodies) + len(problem.pinned)
        share = m.new_int_var(0, -(-max_total // n_weeks), "share")
        built.share = share
        total = sum(built.y.values())
        # share = ceil(total / n_weeks), written linearly.
        m.add(share * n_weeks >= total)
        m.add(share * n_weeks <= total + n_weeks - 1)
        load: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (_, w), v in built.y.items():
            load[w].append(v)
        for w, vs in sorted(load.items()):
            e = m.new_int_var(0, len(vs), f"excess[{w}]")
            built.excess[w] = e
            m.add(e >= sum(vs) - share)
            objective.append(-wt.spread * e)
    previous = list(dict.fromkeys(problem.previous))
    if wt.stability and previous:
        for a in previous:
            if master:
                zv, yv = built.z.get((a.body, a.region)), built.y.get((a.body, a.week))
                if zv is None or yv is None:
                    continue
                k = m.new_bool_var(f"kept[{a.body},{a.region},{a.week}]")
                m.add(k <= zv)
                m.add(k <= yv)
                built.kept[a] = k
            elif (a.body, a.region, a.week) in built.x:
                built.kept[a] = built.x[a.body, a.region, a.week]
        objective.append(wt.stability * (sum(built.kept.values()) - len(previous)))
    m.maximize(sum(objective))
    return built


def _add_hint(built: _Built, problem: PlanningProblem, plan: Iterable[Assignment]) -> None:
    """Hints a complete solution (every model variable) built from `plan`."""
    plan = set(plan)
    m = built.model
    chosen = {(a.body, a.region, a.week) for a in plan}
    for key, v in built.x.items():
        m.add_hint(v, key in chosen)
    busy = {(a.body, a.week) for a in plan}
    for key, v in built.y.items():
        m.add_hint(v, key in busy)
    visits = Counter((a.body, a.region) for a in plan)
    for key, v in built.z.items():
        m.add_hint(v, visits[key])
    visited = {a.region for a in plan}
    for r, v in built.cov.items():
        m.add_hint(v, r in visited)
    if built.z:  # in the other forms `kept` holds x variables, already hinted
        for a, v in built.kept.items():
            m.add_hint(v, a in plan)
    if built.share is not None:
        share = -(-len(plan) // problem.spread_weeks)
        m.add_hint(built.share, share)
        load = Counter(a.week for a in plan)
        for w, v in built.excess.items():
            m.add_hint(v, max(0, load[w] - share))


def _extract(solver: cp_model.CpSolver, built: _Built) -> tuple[Assignment, ...]:
    return tuple(sorted(Assignment(b, r, w) for (b, r, w), v in built.x.items() if solver.boolean_value(v)))


def _integral(bound: float) -> float:
    """Returns a maximisation bound rounded down: objectives are integers, CP-SAT's bound a float."""
    return float(math.floor(bound + 1e-6)) if math.isfinite(bound) else bound


def _configure(solver: cp_model.CpSolver, workers: int, time_limit_s: float) -> None:
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
    # The bound comes from the LP relaxation: with few workers the default portfolio runs only the
    # light LP (linearization level 1) whose bound stalls; the "max_lp" worker proves optimality.
    if workers == 1:
        solver.parameters.linearization_level = 2
    elif workers <= 4:
        solver.parameters.subsolvers.extend(["max_lp", "core", "quick_restart", "default_lp"][:workers])


class _Progress(cp_model.CpSolverSolutionCallback):
    """Forwards each improving solution; `exact` says the model's own bound bounds the problem
    (true for the full model, not for the restricted placement model)."""

    def __init__(self, on_progress: ProgressCallback, started: float, bound: float, *, exact: bool) -> None:
        super().__init__()
        self._on_progress = on_progress
        self._started = started
        self._bound = bound
        self._exact = exact

    def on_solution_callback(self) -> None:
        objective = self.objective_value
        bound = min(self._bound, _integral(self.best_objective_bound)) if self._exact else self._bound
        self._on_progress(time.perf_counter() - self._started, objective, max(bound, objective))


def diagnose(problem: PlanningProblem, *, time_limit_s: float = 10.0) -> tuple[str, ...]:
    """Returns the constraint groups of an infeasibility core found by CP-SAT, as sentences.

    Returns an empty tuple when CP-SAT finds the problem feasible or cannot decide in time.
    """
    built = _build(problem, diagnose=True)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # cores from assumptions are only reliable single-threaded
    solver.parameters.max_time_in_seconds = time_limit_s
    if solver.solve(built.model) != cp_model.INFEASIBLE:
        return ()
    return tuple(built.groups[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in built.groups)


def _infeasible(problem: PlanningProblem, time_limit_s: float, wall_s: float) -> PlanResult:
    core = diagnose(problem, time_limit_s=min(10.0, max(1.0, time_limit_s)))
    head = "CP-SAT proved that no plan satisfies all hard constraints together"
    if core:
        # Blocked and short weeks are fixed in the model, so they never appear in the core itself:
        # name the usable weeks of the bodies involved, which is usually where the conflict starts.
        weeks_left = []
        for body in problem.bodies:
            if any(line.startswith(f"{body.slug} ") or line.startswith(f"{body.slug}'") for line in core):
                usable = [w.index for w in problem.sorted_weeks if problem.week_usable(body, w)]
                if len(usable) < len(problem.weeks):
                    listed = ", ".join(map(str, usable)) or "none"
                    weeks_left.append(f"{body.slug} can meet only in weeks {listed} (blocked or short weeks)")
        explanation = (head + "; these constraints conflict:", *core, *weeks_left)
    else:
        explanation = (
            head + "; the likely causes are region capacity in weeks that many bodies share, and the minimum "
            "gap with blocked weeks leaving too few weeks in a quarter.",
        )
    return PlanResult(status="infeasible", explanation=explanation, wall_s=wall_s)


def solve(
    problem: PlanningProblem,
    *,
    time_limit_s: float = 30.0,
    workers: int = 2,
    on_progress: ProgressCallback | None = None,
) -> PlanResult:
    """Returns the best plan CP-SAT finds within `time_limit_s` (everything included).

    Status "optimal" means proven optimal; "feasible" a valid plan with `gap` to the proven bound;
    "infeasible" comes with `explanation` naming bodies, quarters and constraints; "invalid" means
    malformed input (the explanation says what); "unknown" means no plan was found in time.
    `on_progress(seconds since the call, objective, bound)` is called (possibly from a solver thread)
    whenever a better plan or bound is known. Never raises for infeasible or malformed input. The
    greedy start and model building are not interruptible, so a very small limit can be overrun.

    The search runs in up to three steps: the master relaxation (which body visits which region,
    and in which weeks each body meets) gives a bound; the visits it chose are then placed in weeks
    under region capacity, which proves optimality when it reaches the bound; only if that fails is
    the full model searched, from the best plan known.
    """
    from .greedy import greedy  # greedy does not import this module; the local import keeps it acyclic

    started = time.perf_counter()

    def remaining() -> float:
        return time_limit_s - (time.perf_counter() - started)

    invalid = validate(problem)
    if invalid:
        return PlanResult(status="invalid", explanation=invalid, wall_s=time.perf_counter() - started)
    reasons = explain_infeasible(problem)
    if reasons:
        return PlanResult(status="infeasible", explanation=reasons, wall_s=time.perf_counter() - started)

    start_plan = greedy(problem)
    best_plan: tuple[Assignment, ...] | None = start_plan.assignments if start_plan.has_plan else None
    best_obj = start_plan.objective if best_plan is not None else -math.inf
    bound = upper_bound(problem)
    engine = "greedy"

    def report() -> None:
        if on_progress is not None and best_plan is not None:
            on_progress(time.perf_counter() - started, best_obj, max(bound, best_obj))

    def consider(plan: tuple[Assignment, ...], source: str) -> None:
        nonlocal best_plan, best_obj, engine
        value = sum(plan_terms(problem, plan)[0].values())
        if value > best_obj:
            best_plan, best_obj, engine = plan, value, source
            report()

    report()

    # 1. Master relaxation.
    master = _build(problem, master=True)
    if best_plan is not None:
        _add_hint(master, problem, best_plan)
    solver = cp_model.CpSolver()
    _configure(solver, workers, remaining() * 0.7)
    code = solver.solve(master.model)
    if code == cp_model.INFEASIBLE:
        return _infeasible(problem, remaining(), time.perf_counter() - started)
    if code == cp_model.MODEL_INVALID:
        detail = master.model.validate() or "CP-SAT rejected the model."
        return PlanResult(status="invalid", explanation=(detail,), wall_s=time.perf_counter() - started)
    master_found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if master_found:  # with status UNKNOWN the reported bound is meaningless (0)
        bound = min(bound, _integral(solver.best_objective_bound))
        report()

    # 2. Place the master's visits in weeks under capacity.
    if master_found and remaining() > 0 and best_obj < bound:
        chosen: dict[str, dict[str, int]] = defaultdict(dict)
        for (b, r), v in master.z.items():
            k = solver.value(v)
            if k:
                chosen[b][r] = k
        busy = {key for key, v in master.y.items() if solver.boolean_value(v)}
        stage = _build(problem, chosen=chosen)
        for key, v in stage.y.items():
            stage.model.add_hint(v, key in busy)
        solver2 = cp_model.CpSolver()
        # Leave the full model time to continue if the placement is hard.
        _configure(solver2, workers, remaining() * 0.6)
        callback = _Progress(on_progress, started, bound, exact=False) if on_progress else None
        code2 = solver2.solve(stage.model, callback)
        if code2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            consider(_extract(solver2, stage), "cp-sat")

    # 3. The full model, when the master's choice could not be placed at the bound.
    if remaining() > 0.5 and best_obj < bound:
        full = _build(problem)
        if best_plan is not None:
            _add_hint(full, problem, best_plan)
        solver3 = cp_model.CpSolver()
        _configure(solver3, workers, remaining())
        callback = _Progress(on_progress, started, bound, exact=True) if on_progress else None
        code3 = solver3.solve(full.model, callback)
        if code3 == cp_model.INFEASIBLE:
            return _infeasible(problem, remaining(), time.perf_counter() - started)
        if code3 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bound = min(bound, _integral(solver3.best_objective_bound))
            consider(_extract(solver3, full), "cp-sat")

    wall_s = time.perf_counter() - started
    if best_plan is None:
        return PlanResult(
            status="unknown",
            explanation=(f"No plan found within the time limit of {time_limit_s:g} s.",),
            bound=bound,
            wall_s=wall_s,
        )
    terms, raw = plan_terms(problem, best_plan)
    objective = sum(terms.values())
    # Objective and bound are integers: reaching the bound is a proof of optimality.
    status = "optimal" if objective >= bound else "feasible"
    bound = max(bound, objective)
    return PlanResult(
        status=status,
        assignments=tuple(best_plan),
        objective=objective,
        bound=bound,
        gap=relative_gap(objective, bound),
        wall_s=wall_s,
        terms=terms,
        raw_terms=raw,
        moved_from_previous=raw["stability"],
        engine=engine,
    )
