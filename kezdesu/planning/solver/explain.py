"""Input validation, cheap infeasibility pre-checks and the hard-constraint checker.

All three return tuples of human-readable sentences (empty = nothing wrong); none of them raises on
malformed input, so callers can show the sentences to the analyst as they are.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable

from .model import Assignment, BodySpec, PlanningProblem


def validate(problem: PlanningProblem) -> tuple[str, ...]:
    """Returns the reasons the problem is malformed (unknown slugs, duplicates, negative values)."""
    out: list[str] = []
    for kind, items in (
        ("body", [b.slug for b in problem.bodies]),
        ("region", list(problem.regions)),
        ("week index", [w.index for w in problem.weeks]),
    ):
        for item, n in sorted(Counter(items).items(), key=lambda kv: str(kv[0])):
            if n > 1:
                out.append(f"Duplicate {kind} {item!r} ({n} times).")
    for w in problem.weeks:
        if w.quarter < 1:
            out.append(f"Week {w.index}: quarter must be 1 or more, not {w.quarter}.")
        if not 0 <= w.working_days <= 7:
            out.append(f"Week {w.index}: working_days must be between 0 and 7, not {w.working_days}.")
    for b in problem.bodies:
        if b.min_meetings < 0 or b.max_meetings < 0:
            out.append(f"{b.slug}: min_meetings and max_meetings must not be negative.")
    bodies, regions = problem.body_by_slug, problem.region_set
    for (body, region), value in sorted(problem.scores.items()):
        if body not in bodies or region not in regions:
            out.append(f"Score given for unknown pair ({body}, {region}).")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            out.append(f"Score of ({body}, {region}) must be a non-negative integer, not {value!r}.")
    for region, cap in sorted(problem.region_capacity.items()):
        if region not in regions:
            out.append(f"Capacity given for unknown region {region!r}.")
        elif cap < 0:
            out.append(f"Capacity of region {region} must not be negative, not {cap}.")
    if problem.default_capacity < 0:
        out.append("default_capacity must not be negative.")
    for name in ("score", "coverage", "spread", "stability"):
        if getattr(problem.weights, name) < 0:
            out.append(f"Weight {name} must not be negative.")
    for a in problem.pinned:
        if a.body not in bodies:
            out.append(f"Pinned meeting {_fmt(a)} names unknown body {a.body!r}.")
        if a.region not in regions:
            out.append(f"Pinned meeting {_fmt(a)} names unknown region {a.region!r}.")
        if a.week not in problem.week_by_index:
            out.append(f"Pinned meeting {_fmt(a)} names a week outside the half-year.")
    return tuple(out)


def _fmt(a: Assignment) -> str:
    return f"({a.body}, {a.region}, week {a.week})"


def _candidate_weeks(problem: PlanningProblem, body: BodySpec) -> list[tuple[int, int, bool]]:
    """Returns (week index, quarter, pinned) of every week the body could meet in, sorted."""
    pinned_weeks = {a.week for a in problem.pinned_by_body.get(body.slug, ())}
    return [
        (w.index, w.quarter, w.index in pinned_weeks)
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
    gap = problem.gap
    quarters = problem.quarters
    full = (1 << len(quarters)) - 1 if cover_quarters else 0
    qbit = {q: 1 << i for i, q in enumerate(quarters)}
    cap = body.max_meetings + 1
    n = len(cand)
    # pinned_between[i][j]: is some pinned week strictly between positions i and j (i may be -1)?
    pinned_pos = [i for i, c in enumerate(cand) if c[2]]

    def pinned_strictly_between(i: int, j: int) -> bool:
        return any(i < p < j for p in pinned_pos)

    # states[j] = {(count, mask)} for sequences whose last chosen week is position j.
    states: list[set[tuple[int, int]]] = [set() for _ in range(n)]
    for j in range(n):
        if not pinned_strictly_between(-1, j):
            states[j].add((1, qbit[cand[j][1]]))
        for i in range(j):
            if not states[i] or pinned_strictly_between(i, j):
                continue
            if cand[j][0] - cand[i][0] < gap and not (cand[i][2] and cand[j][2]):
                continue
            for count, mask in states[i]:
                states[j].add((min(cap, count + 1), mask | qbit[cand[j][1]]))
    counts: set[int] = set()
    if not pinned_pos and full == 0:
        counts.add(0)
    for j in range(n):
        if pinned_strictly_between(j, n):
            continue
        for count, mask in states[j]:
            if mask & full == full:
                counts.add(count)
    return counts


def _body_reasons(problem: PlanningProblem, body: BodySpec) -> list[str]:
    out: list[str] = []
    slug = body.slug
    pins = problem.pinned_by_body.get(slug, ())
    for week, n in sorted(Counter(a.week for a in pins).items()):
        if n > 1:
            out.append(f"{slug}: {n} pinned meetings in week {week}, but a head meets at most once a week.")
    if len(pins) > body.max_meetings:
        out.append(f"{slug}: {len(pins)} pinned meetings exceed max_meetings {body.max_meetings}.")
    if out:
        return out
    if body.exempt:
        return out
    nq = len(problem.quarters)
    if body.min_meetings > body.max_meetings:
        out.append(f"{slug}: min_meetings {body.min_meetings} is above max_meetings {body.max_meetings}.")
        return out
    if body.max_meetings < nq:
        out.append(f"{slug}: max_meetings {body.max_meetings} is below the {nq} quarters that each need a meeting.")
        return out
    cand = _candidate_weeks(problem, body)
    for q in problem.quarters:
        if any(c[1] == q for c in cand):
            continue
        weeks_q = [w for w in problem.weeks if w.quarter == q]
        blocked = sum(1 for w in weeks_q if w.index in body.blocked_weeks)
        short = sum(
            1 for w in weeks_q if w.index not in body.blocked_weeks and w.working_days < problem.min_working_days
        )
        out.append(
            f"{slug}: no week left to meet in quarter {q} — of its {len(weeks_q)} weeks, {blocked} are blocked "
            f"by the body and {short} have fewer than {problem.min_working_days} working days "
            f"(rule: at least one meeting per quarter)."
        )
    if out:
        return out
    need = problem.required_meetings(body)
    counts = feasible_counts(problem, body, cover_quarters=True)
    if not counts:
        by_quarter = "; ".join(
            f"quarter {q}: weeks " + ", ".join(str(c[0]) for c in cand if c[1] == q) for q in problem.quarters
        )
        out.append(
            f"{slug}: cannot meet once in every quarter with meetings at least {problem.gap} weeks apart "
            f"in its usable weeks ({by_quarter}) (rules: one meeting per quarter, minimum gap, blocked weeks)."
        )
    elif max(counts) < need:
        out.append(
            f"{slug}: needs {need} meetings (min_meetings {body.min_meetings}, one per quarter) but at most "
            f"{max(counts)} fit in its usable weeks at least {problem.gap} weeks apart."
        )
    elif min(counts) > body.max_meetings:
        out.append(
            f"{slug}: its pinned meetings force at least {min(counts)} meetings, above max_meetings "
            f"{body.max_meetings}."
        )
    elif not any(need <= c <= body.max_meetings for c in counts):
        out.append(
            f"{slug}: no number of meetings between {need} and {body.max_meetings} fits its usable and pinned "
            f"weeks at least {problem.gap} weeks apart."
        )
    if out or body.allow_repeat_region:
        return out
    pinned_regions = {a.region for a in pins}
    open_regions = {r for r in problem.regions if problem.capacity(r) > 0} | pinned_regions
    # Two pinned meetings may share a region, so they lower the number of distinct regions needed.
    distinct_needed = need - (len(pins) - len(pinned_regions))
    if len(open_regions) < distinct_needed:
        out.append(
            f"{slug}: needs {distinct_needed} meetings in different regions but only {len(open_regions)} "
            f"regions have capacity (rule: no repeat region)."
        )
    return out


def explain_infeasible(problem: PlanningProblem) -> tuple[str, ...]:
    """Returns sentences naming the body, quarter and constraint that make the problem infeasible.

    These are necessary conditions checked cheaply before solving; an empty answer does not prove
    feasibility (only the solver can). Malformed input is reported with the `validate` sentences.
    """
    invalid = validate(problem)
    if invalid:
        return invalid
    out: list[str] = []
    for body in problem.bodies:
        out.extend(_body_reasons(problem, body))
    pinned_load = Counter((a.region, a.week) for a in dict.fromkeys(problem.pinned))
    for (region, week), n in sorted(pinned_load.items()):
        cap = problem.capacity(region)
        if n > cap:
            out.append(
                f"Region {region}, week {week}: {n} pinned meetings but the akimat can host {cap} a week "
                f"(rule: region capacity)."
            )
    if out:
        return tuple(out)
    # Aggregate demand against supply: each non-exempt body needs one visit slot in every quarter
    # its pinned meetings leave uncovered, and a slot is one unit of a region's weekly capacity in a
    # week someone can use, less the slots pinned meetings already take.
    usable = {w.index for w in problem.weeks if w.working_days >= problem.min_working_days}
    per_week = sum(problem.capacity(r) for r in problem.regions)
    forced = [b for b in problem.bodies if not b.exempt]
    pins = list(dict.fromkeys(problem.pinned))
    quarter_of = {w.index: w.quarter for w in problem.weeks}
    for q in problem.quarters:
        pinned_here = {a.body for a in pins if quarter_of[a.week] == q}
        demand = sum(1 for b in forced if b.slug not in pinned_here)
        taken = sum(1 for a in pins if a.week in usable and quarter_of[a.week] == q)
        supply = per_week * sum(1 for w in usable if quarter_of[w] == q) - taken
        if demand > supply:
            out.append(
                f"Quarter {q}: {demand} bodies each need a meeting but the regions offer only {supply} free "
                f"visit slots in its usable weeks (rule: region capacity)."
            )
    pin_count = Counter(a.body for a in pins)
    need = sum(max(0, problem.required_meetings(b) - pin_count[b.slug]) for b in forced)
    supply = per_week * len(usable) - sum(1 for a in pins if a.week in usable)
    if not out and need > supply:
        out.append(
            f"The bodies need {need} more meetings but the regions offer only {supply} free visit slots "
            f"in the half-year (rule: region capacity)."
        )
    return tuple(out)


def check(problem: PlanningProblem, assignments: Iterable[Assignment]) -> tuple[str, ...]:
    """Returns every hard-constraint violation of a (possibly hand-edited) plan; empty means valid.

    Applies the rules documented in `model`, including the exceptions granted to pinned meetings.
    """
    plan = list(assignments)
    out: list[str] = []
    bodies, weeks, regions = problem.body_by_slug, problem.week_by_index, problem.region_set
    for a, n in sorted(Counter(plan).items()):
        if n > 1:
            out.append(f"{a.body}: meeting {_fmt(a)} appears {n} times.")
    plan = list(dict.fromkeys(plan))
    known: list[Assignment] = []
    for a in plan:
        bad = False
        if a.body not in bodies:
            out.append(f"{_fmt(a)}: unknown body {a.body!r}.")
            bad = True
        if a.region not in regions:
            out.append(f"{_fmt(a)}: unknown region {a.region!r}.")
            bad = True
        if a.week not in weeks:
            out.append(f"{_fmt(a)}: week {a.week} is outside the half-year.")
            bad = True
        if not bad:
            known.append(a)
    pinned = set(problem.pinned)
    planned = set(plan)
    for a in sorted(pinned - planned):
        out.append(f"{a.body}: pinned meeting {_fmt(a)} is missing from the plan.")

    by_body: dict[str, list[Assignment]] = defaultdict(list)
    for a in known:
        by_body[a.body].append(a)
    for body in problem.bodies:
        mine = sorted(by_body.get(body.slug, []), key=lambda a: (a.week, a.region))
        slug = body.slug
        for a in mine:
            if a in pinned:
                continue
            week = weeks[a.week]
            if a.week in body.blocked_weeks:
                out.append(f"{slug}: meeting {_fmt(a)} falls in a week the body blocked.")
            if week.working_days < problem.min_working_days:
                out.append(
                    f"{slug}: meeting {_fmt(a)} falls in a week with {week.working_days} working days "
                    f"(minimum {problem.min_working_days})."
                )
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                if a.week == b.week:
                    out.append(f"{slug}: two meetings in week {a.week} ({a.region}, {b.region}).")
                elif b.week - a.week < problem.gap and not (a in pinned and b in pinned):
                    out.append(f"{slug}: meetings in weeks {a.week} and {b.week} are closer than {problem.gap} weeks.")
                if a.region == b.region and not body.allow_repeat_region and not (a in pinned and b in pinned):
                    out.append(f"{slug}: visits region {a.region} twice (weeks {a.week} and {b.week}).")
        if len(mine) > body.max_meetings:
            out.append(f"{slug}: {len(mine)} meetings, above max_meetings {body.max_meetings}.")
        if body.exempt:
            continue
        if len(mine) < body.min_meetings:
            out.append(f"{slug}: {len(mine)} meetings, below min_meetings {body.min_meetings}.")
        met = {weeks[a.week].quarter for a in mine}
        for q in problem.quarters:
            if q not in met:
                out.append(f"{slug}: no meeting in quarter {q} (rule: at least one meeting per quarter).")
    load = Counter((a.region, a.week) for a in known)
    for (region, week), n in sorted(load.items()):
        cap = problem.capacity(region)
        if n > cap:
            out.append(f"Region {region}, week {week}: {n} visits but capacity {cap}.")
    return tuple(out)
