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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .explain import explain_infeasible, validate
from .model import Assignment, BodySpec, PlanningProblem, PlanResult, plan_terms, relative_gap, upper_bound
from .reasons import Code, Reason, reason

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
    # Diagnose form only: assumption literal index -> the constraint group it switches on.
    groups: dict[int, Reason] = field(default_factory=dict)


class _Builder:
    """The steps the model forms share. With `diagnose`, each constraint group is enforced only under
    an assumption literal, so an infeasibility core names the groups in conflict."""

    def __init__(self, problem: PlanningProblem, *, diagnose: bool = False) -> None:
        self.problem = problem
        self.m = cp_model.CpModel()
        self.built = _Built(model=self.m)
        self.diagnose = diagnose
        self.pinned = set(problem.pinned)
        self.pin_count_br = Counter((a.body, a.region) for a in self.pinned)
        self.open_regions = [r for r in problem.regions if problem.capacity(r) > 0]

    def group(self, why: Reason) -> cp_model.IntVar | None:
        if not self.diagnose:
            return None
        lit = self.m.new_bool_var(f"{why.code}[{','.join(map(str, why.params.values()))}]")
        self.m.add_assumption(lit)
        self.built.groups[lit.index] = why
        return lit

    @staticmethod
    def post(constraint: cp_model.Constraint, lit: cp_model.IntVar | None) -> None:
        if lit is not None:
            constraint.only_enforce_if(lit)

    def bodies(self) -> Iterator[tuple[BodySpec, tuple[Assignment, ...]]]:
        """Yields (body, its pinned meetings) of every body that may hold a meeting."""
        for body in self.problem.bodies:
            pins = self.problem.pinned_by_body.get(body.slug, ())
            if body.max_meetings > 0 or pins:
                yield body, pins

    # --- x[b, r, w] and y[b, w] (full, placement and diagnose forms) ---------------------------------------

    def week_vars(self, body: BodySpec, pins: tuple[Assignment, ...], allowed: list[str]) -> dict[str, list]:
        """Creates x and y of `body` (x only for `allowed` regions, or pinned ones in unusable weeks);
        returns the x variables per region."""
        pinned_regions_by_week: dict[int, set[str]] = defaultdict(set)
        for a in pins:
            pinned_regions_by_week[a.week].add(a.region)
        per_region: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for w in self.problem.sorted_weeks:
            if self.problem.week_usable(body, w):
                regions = allowed
            else:
                regions = sorted(pinned_regions_by_week.get(w.index, ()))
            self._week_cell(body.slug, w.index, regions, per_region)
        return per_region

    def _week_cell(self, b: str, week: int, regions: list[str], per_region: dict[str, list]) -> None:
        m, built = self.m, self.built
        cell = []
        for r in regions:
            v = m.new_bool_var(f"x[{b},{r},{week}]")
            built.x[b, r, week] = v
            cell.append(v)
            per_region[r].append(v)
            if Assignment(b, r, week) in self.pinned:
                m.add(v == 1)
        if cell:
            yv = m.new_bool_var(f"y[{b},{week}]")
            built.y[b, week] = yv
            m.add(sum(cell) == yv)

    def repeat_rule(self, body: BodySpec, per_region: dict[str, list]) -> None:
        """At most one visit per (body, region), more only where pinned meetings already repeat it."""
        if body.allow_repeat_region:
            return
        lit = self.group(reason(Code.CORE_REPEAT_REGION, body=body.slug))
        for r, vs in per_region.items():
            if len(vs) > 1:
                self.post(self.m.add(sum(vs) <= max(1, self.pin_count_br[body.slug, r])), lit)

    def week_capacity(self) -> dict[str, list]:
        """Region capacity per week; returns the x variables per region."""
        by_r: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        by_rw: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        for (_, r, w), v in self.built.x.items():
            by_rw[r, w].append(v)
            by_r[r].append(v)
        cap_lits: dict[str, cp_model.IntVar | None] = {}
        for (r, _), vs in sorted(by_rw.items()):
            cap = self.problem.capacity(r)
            if len(vs) > cap:
                if r not in cap_lits:
                    cap_lits[r] = self.group(reason(Code.CORE_CAPACITY, region=r, capacity=cap))
                self.post(self.m.add(sum(vs) <= cap), cap_lits[r])
        return by_r

    # --- z[b, r] and y[b, w] (master form) ---------------------------------------------------------------

    def master_vars(self, body: BodySpec, pins: tuple[Assignment, ...]) -> None:
        """Creates z (visits per region) and y of `body`, linked by "as many visits as meeting weeks"."""
        m, built, b = self.m, self.built, body.slug
        pin_weeks = {a.week for a in pins}
        for r in sorted(set(self.open_regions) | {a.region for a in pins}):
            k = self.pin_count_br[b, r]
            top = body.max_meetings if body.allow_repeat_region else max(1, k)
            built.z[b, r] = m.new_int_var(k, max(k, top), f"z[{b},{r}]")
        for w in self.problem.sorted_weeks:
            if w.index in pin_weeks or self.problem.week_usable(body, w):
                built.y[b, w.index] = m.new_bool_var(f"y[{b},{w.index}]")
                if w.index in pin_weeks:
                    m.add(built.y[b, w.index] == 1)
        m.add(
            sum(v for (bb, _), v in built.z.items() if bb == b)
            == sum(built.y[b, w.index] for w in self.problem.sorted_weeks if (b, w.index) in built.y)
        )

    def master_capacity(self) -> dict[str, list]:
        """Region capacity summed over the half-year; returns the z variables per region."""
        by_r: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for (_, r), v in self.built.z.items():
            by_r[r].append(v)
        for r, vs in by_r.items():
            # Each visit takes one of the region's weekly slots somewhere in the half-year.
            self.m.add(sum(vs) <= self.problem.capacity(r) * len(self.problem.weeks))
        return by_r

    def master_kept(self, a: Assignment) -> cp_model.IntVar | None:
        zv, yv = self.built.z.get((a.body, a.region)), self.built.y.get((a.body, a.week))
        if zv is None or yv is None:
            return None
        k = self.m.new_bool_var(f"kept[{a.body},{a.region},{a.week}]")
        self.m.add(k <= zv)
        self.m.add(k <= yv)
        return k

    # --- rules on y, shared by every form ----------------------------------------------------------------

    def count_and_gap_rules(self, body: BodySpec, pins: tuple[Assignment, ...]) -> None:
        """Between min and max meetings, one in every quarter (non-exempt bodies), the minimum gap."""
        b, m = body.slug, self.m
        ys = [(w, self.built.y[b, w.index]) for w in self.problem.sorted_weeks if (b, w.index) in self.built.y]
        total = sum(v for _, v in ys)
        self.post(m.add(total <= body.max_meetings), self.group(reason(Code.CORE_MAX, body=b, max=body.max_meetings)))
        if not body.exempt:
            if body.min_meetings > 0:
                self.post(
                    m.add(total >= body.min_meetings), self.group(reason(Code.CORE_MIN, body=b, min=body.min_meetings))
                )
            for q in self.problem.quarters:
                self.post(
                    m.add(sum(v for w, v in ys if w.quarter == q) >= 1),
                    self.group(reason(Code.CORE_QUARTER, body=b, quarter=q)),
                )
        if self.problem.gap > 1:
            self._gap_rule(body, ys, {a.week for a in pins})

    def _gap_rule(self, body: BodySpec, ys: list, pin_weeks: set[int]) -> None:
        """At most one meeting in any `gap` consecutive weeks (more only where pinned weeks are)."""
        gap = self.problem.gap
        lit = self.group(reason(Code.CORE_GAP, body=body.slug, gap=gap))
        last_end = None
        for i, (w0, _) in enumerate(ys):
            window = [(w, v) for w, v in ys[i:] if w.index - w0.index < gap]
            end = window[-1][0].index
            # A window ending where the previous one ended is contained in it: skip it.
            if len(window) < 2 or end == last_end:
                continue
            last_end = end
            allowed_here = max(1, sum(1 for w, _ in window if w.index in pin_weeks))
            self.post(self.m.add(sum(v for _, v in window) <= allowed_here), lit)

    # --- objective --------------------------------------------------------------------------------------

    def maximize(
        self,
        by_r: dict[str, list],
        visits: Iterable[tuple[str, str, cp_model.IntVar]],
        kept: Callable[[Assignment], cp_model.IntVar | None],
    ) -> None:
        """Sets the objective: scores of the (body, region, var) `visits`, coverage, spread and stability
        (`kept(a)` returns the variable that is 1 when previous meeting `a` is kept, or None)."""
        wt = self.problem.weights
        objective = []
        if wt.score:
            objective.extend(wt.score * self.problem.score(b, r) * v for b, r, v in visits if self.problem.score(b, r))
        if wt.coverage:
            objective.extend(self._coverage(by_r))
        if wt.spread and self.built.y:
            objective.extend(self._spread())
        previous = list(dict.fromkeys(self.problem.previous))
        if wt.stability and previous:
            for a in previous:
                v = kept(a)
                if v is not None:
                    self.built.kept[a] = v
            objective.append(wt.stability * (sum(self.built.kept.values()) - len(previous)))
        self.m.maximize(sum(objective))

    def _coverage(self, by_r: dict[str, list]) -> list:
        terms = []
        for r, vs in by_r.items():
            c = self.m.new_bool_var(f"cov[{r}]")
            self.built.cov[r] = c
            self.m.add(c <= sum(vs))
            terms.append(self.problem.weights.coverage * c)
        return terms

    def _spread(self) -> list:
        """Returns the penalties of visits above the even weekly share, share = ceil(total / weeks)."""
        m, built, problem = self.m, self.built, self.problem
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
        terms = []
        for w, vs in sorted(load.items()):
            e = m.new_int_var(0, len(vs), f"excess[{w}]")
            built.excess[w] = e
            m.add(e >= sum(vs) - share)
            terms.append(-problem.weights.spread * e)
        return terms


def _full_rules(builder: _Builder) -> dict[str, list]:
    """Posts every rule of the exact model (x for every allowed triple); returns x per region."""
    for body, pins in builder.bodies():
        per_region = builder.week_vars(body, pins, builder.open_regions)
        builder.repeat_rule(body, per_region)
        builder.count_and_gap_rules(body, pins)
    return builder.week_capacity()


def _build_full(problem: PlanningProblem) -> _Built:
    """Returns the exact model: x[b, r, w] for every allowed triple."""
    builder = _Builder(problem)
    by_r = _full_rules(builder)
    x = builder.built.x
    builder.maximize(by_r, ((b, r, v) for (b, r, _), v in x.items()), lambda a: x.get((a.body, a.region, a.week)))
    return builder.built


def _build_master(problem: PlanningProblem) -> _Built:
    """Returns the master relaxation: no week x region variables; z[b, r] = visits of b to r, y[b, w] as
    in the full model, region capacity only summed over the half-year. Every full plan maps to a
    master solution of the same objective, so the master's bound bounds the full problem."""
    builder = _Builder(problem)
    for body, pins in builder.bodies():
        builder.master_vars(body, pins)
        builder.count_and_gap_rules(body, pins)
    by_r = builder.master_capacity()
    builder.maximize(by_r, ((b, r, v) for (b, r), v in builder.built.z.items()), builder.master_kept)
    return builder.built


def _build_placement(problem: PlanningProblem, chosen: Mapping[str, Mapping[str, int]]) -> _Built:
    """Returns the exact model restricted to the (body, region) visit counts a master solution chose:
    it places those visits in weeks. Reaching the master's objective proves optimality."""
    builder = _Builder(problem)
    m = builder.m
    for body, pins in builder.bodies():
        visits = chosen.get(body.slug, {})
        allowed = [r for r in builder.open_regions if visits.get(r, 0) > 0]
        per_region = builder.week_vars(body, pins, allowed)
        for r, k in visits.items():
            m.add(sum(per_region.get(r, [])) == k)
        builder.count_and_gap_rules(body, pins)
    by_r = builder.week_capacity()
    x = builder.built.x
    builder.maximize(by_r, ((b, r, v) for (b, r, _), v in x.items()), lambda a: x.get((a.body, a.region, a.week)))
    return builder.built


def _build_diagnose(problem: PlanningProblem) -> _Built:
    """Returns the exact model without objective, each constraint group on an assumption literal."""
    builder = _Builder(problem, diagnose=True)
    _full_rules(builder)
    return builder.built


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


def diagnose(problem: PlanningProblem, *, time_limit_s: float = 10.0) -> tuple[Reason, ...]:
    """Returns the constraint groups of an infeasibility core found by CP-SAT.

    Returns an empty tuple when CP-SAT finds the problem feasible or cannot decide in time.
    """
    built = _build_diagnose(problem)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # cores from assumptions are only reliable single-threaded
    solver.parameters.max_time_in_seconds = time_limit_s
    if solver.solve(built.model) != cp_model.INFEASIBLE:
        return ()
    return tuple(built.groups[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in built.groups)


def _infeasible(problem: PlanningProblem, time_limit_s: float, wall_s: float) -> PlanResult:
    core = diagnose(problem, time_limit_s=min(10.0, max(1.0, time_limit_s)))
    if not core:
        return PlanResult(status="infeasible", explanation=(reason(Code.PROVEN_NO_CORE),), wall_s=wall_s)
    # Blocked and short weeks are fixed in the model, so they never appear in the core itself: name
    # the usable weeks of the bodies involved, which is usually where the conflict starts.
    involved = {r.params.get("body") for r in core}
    weeks_left = []
    for body in problem.bodies:
        if body.slug not in involved:
            continue
        usable = [w.index for w in problem.sorted_weeks if problem.week_usable(body, w)]
        if not usable:
            weeks_left.append(reason(Code.NO_USABLE_WEEKS, body=body.slug))
        elif len(usable) < len(problem.weeks):
            weeks_left.append(reason(Code.USABLE_WEEKS, body=body.slug, weeks=usable))
    explanation = (reason(Code.PROVEN_CONFLICT), *core, *weeks_left)
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

    search = _Search(problem, time_limit_s=time_limit_s, workers=workers, on_progress=on_progress)
    invalid = validate(problem)
    if invalid:
        return PlanResult(status="invalid", explanation=invalid, wall_s=search.elapsed())
    reasons = explain_infeasible(problem)
    if reasons:
        return PlanResult(status="infeasible", explanation=reasons, wall_s=search.elapsed())
    search.start(greedy(problem))
    stopped = search.master_then_placement() or search.full_model()
    return stopped or search.result()


class _Search:
    """The state of one `solve` call: the best plan so far, the best proven bound, the clock."""

    def __init__(
        self, problem: PlanningProblem, *, time_limit_s: float, workers: int, on_progress: ProgressCallback | None
    ) -> None:
        self.started = time.perf_counter()
        self.problem = problem
        self.time_limit_s = time_limit_s
        self.workers = workers
        self.on_progress = on_progress
        self.best_plan: tuple[Assignment, ...] | None = None
        self.best_obj = -math.inf
        self.bound = math.inf
        self.engine = "greedy"

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def remaining(self) -> float:
        return self.time_limit_s - self.elapsed()

    def report(self) -> None:
        if self.on_progress is not None and self.best_plan is not None:
            self.on_progress(self.elapsed(), self.best_obj, max(self.bound, self.best_obj))

    def consider(self, plan: tuple[Assignment, ...], source: str) -> None:
        value = sum(plan_terms(self.problem, plan)[0].values())
        if value > self.best_obj:
            self.best_plan, self.best_obj, self.engine = plan, value, source
            self.report()

    def start(self, start_plan: PlanResult) -> None:
        """Takes the greedy plan as the best so far and the cheap upper bound as the bound."""
        self.bound = upper_bound(self.problem)
        if start_plan.has_plan:
            self.best_plan, self.best_obj = start_plan.assignments, start_plan.objective
        self.report()

    def _solver(self, share: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        _configure(solver, self.workers, self.remaining() * share)
        return solver

    def _callback(self, *, exact: bool) -> "_Progress | None":
        return _Progress(self.on_progress, self.started, self.bound, exact=exact) if self.on_progress else None

    def master_then_placement(self) -> PlanResult | None:
        """Steps 1 and 2: solves the master relaxation for a bound, then places its visits in weeks.

        Returns a final result when the master proves the problem infeasible or rejects the model.
        """
        problem = self.problem
        master = _build_master(problem)
        if self.best_plan is not None:
            _add_hint(master, problem, self.best_plan)
        solver = self._solver(0.7)
        code = solver.solve(master.model)
        if code == cp_model.INFEASIBLE:
            return _infeasible(problem, self.remaining(), self.elapsed())
        if code == cp_model.MODEL_INVALID:
            rejected = reason(Code.MODEL_REJECTED, detail=master.model.validate())
            return PlanResult(status="invalid", explanation=(rejected,), wall_s=self.elapsed())
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None  # with status UNKNOWN the reported bound is meaningless (0)
        self.bound = min(self.bound, _integral(solver.best_objective_bound))
        self.report()
        if self.remaining() > 0 and self.best_obj < self.bound:
            self._place(master, solver)
        return None

    def _place(self, master: _Built, solver: cp_model.CpSolver) -> None:
        chosen: dict[str, dict[str, int]] = defaultdict(dict)
        for (b, r), v in master.z.items():
            k = solver.value(v)
            if k:
                chosen[b][r] = k
        busy = {key for key, v in master.y.items() if solver.boolean_value(v)}
        stage = _build_placement(self.problem, chosen)
        for key, v in stage.y.items():
            stage.model.add_hint(v, key in busy)
        # Leave the full model time to continue if the placement is hard.
        placer = self._solver(0.6)
        code = placer.solve(stage.model, self._callback(exact=False))
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.consider(_extract(placer, stage), "cp-sat")

    def full_model(self) -> PlanResult | None:
        """Step 3: the full model, when the master's choice could not be placed at the bound.

        Returns a final result when it proves the problem infeasible.
        """
        if self.remaining() <= 0.5 or self.best_obj >= self.bound:
            return None
        full = _build_full(self.problem)
        if self.best_plan is not None:
            _add_hint(full, self.problem, self.best_plan)
        solver = self._solver(1.0)
        code = solver.solve(full.model, self._callback(exact=True))
        if code == cp_model.INFEASIBLE:
            return _infeasible(self.problem, self.remaining(), self.elapsed())
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.bound = min(self.bound, _integral(solver.best_objective_bound))
            self.consider(_extract(solver, full), "cp-sat")
        return None

    def result(self) -> PlanResult:
        wall_s = self.elapsed()
        if self.best_plan is None:
            return PlanResult(
                status="unknown",
                explanation=(reason(Code.TIME_LIMIT, seconds=f"{self.time_limit_s:g}"),),
                bound=self.bound,
                wall_s=wall_s,
            )
        terms, raw = plan_terms(self.problem, self.best_plan)
        objective = sum(terms.values())
        # Objective and bound are integers: reaching the bound is a proof of optimality.
        status = "optimal" if objective >= self.bound else "feasible"
        bound = max(self.bound, objective)
        return PlanResult(
            status=status,
            assignments=tuple(self.best_plan),
            objective=objective,
            bound=bound,
            gap=relative_gap(objective, bound),
            wall_s=wall_s,
            terms=terms,
            raw_terms=raw,
            moved_from_previous=raw["stability"],
            engine=self.engine,
        )
