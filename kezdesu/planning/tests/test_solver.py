"""Behaviour of the pure planning engine (no Django, no database)."""

import dataclasses
import datetime
import itertools
import pickle
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kezdesu.planning.solver import (
    Assignment,
    BodySpec,
    Code,
    PlanningProblem,
    Week,
    Weights,
    check,
    explain_infeasible,
    greedy,
    plan_terms,
    solve,
)
from kezdesu.planning.solver.instances import (
    EXEMPT_BODIES,
    NON_EXEMPT_BODIES,
    REGIONS,
    disruption,
    half_year_weeks,
    national_instance,
    pick_disruption,
    working_days_in_week,
)
from kezdesu.planning.solver.reasons import reason

MONDAY = datetime.date(2027, 1, 4)
LIMIT = 10.0


def make_weeks(n: int = 12, split: int = 6, short: frozenset[int] = frozenset()) -> tuple[Week, ...]:
    """Weeks 0..n-1; quarter 1 holds the first `split`; weeks in `short` have 2 working days."""
    return tuple(
        Week(i, MONDAY + datetime.timedelta(weeks=i), 2 if i in short else 5, 1 if i < split else 2) for i in range(n)
    )


def small_problem(**changes) -> PlanningProblem:
    bodies = (
        BodySpec("agriculture", blocked_weeks=frozenset({0, 1, 2})),
        BodySpec("education"),
        BodySpec("health", blocked_weeks=frozenset({7, 8})),
        BodySpec("defence", exempt=True, min_meetings=0),
    )
    regions = ("astana", "almaty", "shymkent", "turkistan", "ulytau")
    scores = {(b.slug, r): (37 * i + 101 * j) % 1000 for i, b in enumerate(bodies) for j, r in enumerate(regions)}
    problem = PlanningProblem(
        bodies=bodies,
        regions=regions,
        weeks=make_weeks(short=frozenset({4})),
        scores=scores,
        min_gap_weeks=3,
    )
    return dataclasses.replace(problem, **changes)


def meetings_of(result, body: str) -> list[Assignment]:
    return [a for a in result.assignments if a.body == body]


@pytest.fixture(scope="module")
def small_result():
    problem = small_problem()
    return problem, solve(problem, time_limit_s=LIMIT)


@pytest.fixture(scope="module")
def national():
    problem = national_instance()
    return problem, solve(problem, time_limit_s=30.0)


def test_small_plan_is_optimal_and_valid(small_result):
    problem, result = small_result
    assert result.status == "optimal"
    assert result.gap == 0
    assert result.objective == result.bound
    assert check(problem, result.assignments) == ()
    assert result.objective == sum(result.terms.values())
    assert (result.terms, result.raw_terms) == plan_terms(problem, result.assignments)


def test_every_non_exempt_body_meets_each_quarter_within_bounds(small_result):
    problem, result = small_result
    for body in problem.bodies:
        if body.exempt:
            continue
        mine = meetings_of(result, body.slug)
        assert body.min_meetings <= len(mine) <= body.max_meetings
        assert {problem.week_by_index[a.week].quarter for a in mine} == {1, 2}


def test_blocked_and_short_weeks_are_avoided(small_result):
    problem, result = small_result
    for a in result.assignments:
        assert a.week not in problem.body_by_slug[a.body].blocked_weeks
        assert problem.week_by_index[a.week].working_days >= problem.min_working_days


def test_gap_and_no_repeat_region(small_result):
    problem, result = small_result
    for body in problem.bodies:
        mine = sorted(meetings_of(result, body.slug), key=lambda a: a.week)
        assert all(b.week - a.week >= problem.min_gap_weeks for a, b in itertools.pairwise(mine))
        assert len({a.region for a in mine}) == len(mine)


def test_region_capacity_is_respected_when_everybody_wants_the_same_region():
    problem = small_problem()
    scores = {(b.slug, "astana"): 1000 for b in problem.bodies}
    crowded = dataclasses.replace(problem, scores=scores, weights=Weights(spread=0, coverage=0))
    result = solve(crowded, time_limit_s=LIMIT)
    assert result.status == "optimal"
    load = Counter((a.region, a.week) for a in result.assignments)
    assert max(load.values()) == 1
    # With room for two visits a week in Astana, the optimiser uses it.
    roomy = dataclasses.replace(crowded, region_capacity={"astana": 2})
    roomy_result = solve(roomy, time_limit_s=LIMIT)
    assert check(roomy, roomy_result.assignments) == ()
    assert roomy_result.objective >= result.objective


def test_binding_capacity_still_yields_the_proven_optimum():
    every_week = frozenset(range(12))
    bodies = tuple(
        BodySpec(f"body-{i}", min_meetings=2, max_meetings=2, blocked_weeks=every_week - {2, 8}) for i in range(3)
    )
    regions = ("astana", "almaty", "shymkent", "turkistan", "ulytau", "abai")
    problem = PlanningProblem(
        bodies=bodies,
        regions=regions,
        weeks=make_weeks(),
        scores={(b.slug, "astana"): 1000 for b in bodies},
        min_gap_weeks=3,
    )
    result = solve(problem, time_limit_s=LIMIT)
    # All three want Astana, but it hosts one visit a week and they can only meet in weeks 2 and 8:
    # two Astana visits (2000) + five regions covered (1250) - four visits above the weekly share (400).
    assert result.status == "optimal"
    assert result.objective == result.bound == 2850
    assert result.raw_terms == {"score": 2000, "coverage": 5, "spread": 4, "stability": 0}
    assert check(problem, result.assignments) == ()


def test_repeat_region_only_when_allowed():
    problem = small_problem(weights=Weights(coverage=0, spread=0))
    scores = {(b.slug, "ulytau"): 1000 for b in problem.bodies}
    strict = dataclasses.replace(problem, scores=scores)
    result = solve(strict, time_limit_s=LIMIT)
    assert all(n == 1 for n in Counter((a.body, a.region) for a in result.assignments).values())
    bodies = tuple(dataclasses.replace(b, allow_repeat_region=b.slug == "education") for b in problem.bodies)
    loose = dataclasses.replace(strict, bodies=bodies)
    result = solve(loose, time_limit_s=LIMIT)
    assert check(loose, result.assignments) == ()
    assert Counter((a.body, a.region) for a in result.assignments)["education", "ulytau"] == 3


def test_pinned_meetings_are_kept_and_win_over_blocked_weeks_and_gap():
    problem = small_problem()
    # Both in weeks agriculture blocked, one week apart: agreed meetings override those rules.
    pins = (Assignment("agriculture", "ulytau", 1), Assignment("agriculture", "astana", 2))
    pinned = dataclasses.replace(problem, pinned=pins)
    result = solve(pinned, time_limit_s=LIMIT)
    assert result.status == "optimal"
    assert set(pins) <= set(result.assignments)
    assert check(pinned, result.assignments) == ()
    others = [a for a in meetings_of(result, "agriculture") if a not in pins]
    assert all(abs(a.week - p.week) >= problem.min_gap_weeks for a in others for p in pins)


def test_exempt_body_is_not_forced():
    problem = small_problem()
    every_week = frozenset(w.index for w in problem.weeks)
    bodies = tuple(dataclasses.replace(b, blocked_weeks=every_week) if b.exempt else b for b in problem.bodies)
    result = solve(dataclasses.replace(problem, bodies=bodies), time_limit_s=LIMIT)
    assert result.status == "optimal"
    assert meetings_of(result, "defence") == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda plan: [*plan, Assignment("education", "ulytau", 5)], (Code.ABOVE_MAX, "education")),
        (
            lambda plan: [a for a in plan if not (a.body == "education" and a.week >= 6)],
            (Code.QUARTER_MISSED, "education"),
        ),
        (
            lambda plan: [Assignment(a.body, a.region, 1) if a.body == "agriculture" else a for a in plan],
            (Code.MEETING_IN_BLOCKED_WEEK, "agriculture"),
        ),
        (
            lambda plan: [Assignment(a.body, a.region, 4) if a.body == "education" else a for a in plan],
            (Code.MEETING_IN_SHORT_WEEK, "education"),
        ),
        (
            lambda plan: [Assignment(a.body, "astana", a.week) if a.body == "health" else a for a in plan],
            (Code.REGION_REPEATED, "health"),
        ),
        (lambda plan: [*plan, Assignment("nobody", "astana", 3)], (Code.MEETING_UNKNOWN_BODY, "nobody")),
        (lambda plan: [*plan, Assignment("education", "atlantis", 3)], (Code.MEETING_UNKNOWN_REGION, "education")),
    ],
)
def test_check_catches_each_kind_of_violation(small_result, edit, expected):
    problem, result = small_result
    assert check(problem, result.assignments) == ()
    violations = check(problem, edit(list(result.assignments)))
    assert expected in {(v.code, v.params.get("body")) for v in violations}, violations


def test_check_catches_gap_capacity_and_missing_pin():
    problem = small_problem(pinned=(Assignment("education", "astana", 0),))
    plan = [
        Assignment("education", "astana", 0),
        Assignment("education", "almaty", 6),
        Assignment("education", "shymkent", 7),
        Assignment("health", "almaty", 6),
        Assignment("agriculture", "ulytau", 3),
        Assignment("agriculture", "turkistan", 10),
        Assignment("health", "ulytau", 0),
    ]
    violations = check(problem, plan)
    assert reason(Code.MEETINGS_TOO_CLOSE, body="education", week=6, other=7, gap=3) in violations
    assert reason(Code.REGION_OVER_CAPACITY, region="almaty", week=6, count=2, capacity=1) in violations
    missing = reason(Code.PIN_MISSING, body="education", region="astana", week=0)
    assert missing not in violations
    assert missing in check(problem, plan[1:])


def test_body_blocking_all_of_quarter_one_is_infeasible_with_explanation():
    problem = small_problem()
    quarter_one = frozenset(w.index for w in problem.weeks if w.quarter == 1)
    bodies = tuple(
        dataclasses.replace(b, blocked_weeks=quarter_one) if b.slug == "health" else b for b in problem.bodies
    )
    blocked = dataclasses.replace(problem, bodies=bodies)
    result = solve(blocked, time_limit_s=LIMIT)
    assert result.status == "infeasible"
    assert result.assignments == ()
    assert {(r.code, r.params["body"], r.params["quarter"]) for r in result.explanation} == {
        (Code.QUARTER_WITHOUT_WEEK, "health", 1)
    }
    assert explain_infeasible(blocked) == result.explanation
    assert greedy(blocked).status == "infeasible"


def test_gap_leaving_no_way_to_cover_both_quarters_is_explained():
    # Usable only in weeks 5 (quarter 1) and 6 (quarter 2), one week apart, but the gap is 3 weeks.
    bodies = (BodySpec("health", blocked_weeks=frozenset(range(12)) - {5, 6}),)
    problem = PlanningProblem(bodies=bodies, regions=("astana", "almaty"), weeks=make_weeks(), min_gap_weeks=3)
    result = solve(problem, time_limit_s=LIMIT)
    assert result.status == "infeasible"
    assert result.explanation == (
        reason(Code.QUARTERS_UNREACHABLE, body="health", gap=3, weeks_by_quarter=[[1, [5]], [2, [6]]]),
    )


def test_capacity_conflict_found_by_cp_sat_is_explained():
    every_week = frozenset(range(12))
    bodies = tuple(
        BodySpec(f"body-{i}", min_meetings=2, max_meetings=2, blocked_weeks=every_week - {2, 8}) for i in range(3)
    )
    # Six visits, but two regions x two usable weeks offer four slots: no single body is to blame.
    problem = PlanningProblem(bodies=bodies, regions=("astana", "almaty"), weeks=make_weeks(), min_gap_weeks=3)
    assert explain_infeasible(problem) == ()
    result = solve(problem, time_limit_s=LIMIT)
    assert result.status == "infeasible"
    head, *rest = result.explanation
    assert head.code == Code.PROVEN_CONFLICT
    assert reason(Code.CORE_CAPACITY, region="astana", capacity=1) in rest
    assert reason(Code.USABLE_WEEKS, body="body-0", weeks=[2, 8]) in rest


def test_invalid_input_is_reported_not_raised():
    problem = small_problem(pinned=(Assignment("nobody", "astana", 99),))
    result = solve(problem, time_limit_s=LIMIT)
    assert result.status == "invalid"
    assert [r.code for r in result.explanation] == [Code.PIN_UNKNOWN_BODY, Code.PIN_WEEK_OUTSIDE]
    assert result.explanation[0].params == {"body": "nobody", "region": "astana", "week": 99}


def test_resolving_with_the_published_plan_keeps_every_meeting(small_result):
    problem, result = small_result
    again = solve(dataclasses.replace(problem, previous=result.assignments), time_limit_s=LIMIT)
    assert again.status == "optimal"
    assert again.moved_from_previous == 0
    assert set(again.assignments) == set(result.assignments)


def test_greedy_plan_is_valid_and_never_beats_the_optimum(small_result):
    problem, result = small_result
    base = greedy(problem)
    assert base.status == "feasible"
    assert check(problem, base.assignments) == ()
    assert base.objective <= result.objective <= base.bound


def test_progress_is_reported(small_result):
    problem, _ = small_result
    seen = []
    result = solve(problem, time_limit_s=LIMIT, on_progress=lambda *args: seen.append(args))
    assert seen
    wall, objective, bound = seen[-1]
    assert wall >= 0 and objective == result.objective and bound >= objective


def test_national_instance_shape():
    problem = national_instance()
    assert len(problem.bodies) == 21
    assert {b.slug for b in problem.bodies if b.exempt} == set(EXEMPT_BODIES)
    assert {b.slug for b in problem.bodies if not b.exempt} == set(NON_EXEMPT_BODIES)
    assert problem.regions == REGIONS and len(REGIONS) == 20
    assert len(problem.weeks) == 26
    assert problem.weeks[0].start == datetime.date(2027, 1, 4)
    assert all(w.start.weekday() == 0 for w in problem.weeks)
    assert [w.quarter for w in problem.weeks] == [1] * 13 + [2] * 13
    # 4 January 2027 is a moved day off and 7 January is Orthodox Christmas.
    assert problem.weeks[0].working_days == 3
    # Nauryz: 22-24 March 2027.
    assert problem.week_by_index[11].working_days == 2
    assert national_instance() == problem


def test_second_half_weeks_and_working_days():
    weeks = half_year_weeks(2027, 2)
    assert weeks[0].start == datetime.date(2027, 7, 5)
    assert weeks[0].working_days == 4  # 6 July, Capital Day
    assert {w.quarter for w in weeks if w.start.month >= 10} == {2}
    assert working_days_in_week(datetime.date(2027, 3, 22), {datetime.date(2027, 3, 22)}) == 4
    with pytest.raises(ValueError):
        half_year_weeks(2027, 3)


def test_national_plan_is_optimal_and_disruption_moves_few(national):
    problem, result = national
    assert result.status == "optimal"
    assert check(problem, result.assignments) == ()
    assert not any(a.body in EXEMPT_BODIES for a in result.assignments)
    body, weeks = pick_disruption(problem, result)
    replan_problem = disruption(problem, result, body, weeks)
    assert replan_problem.previous == result.assignments
    replan = solve(replan_problem, time_limit_s=30.0)
    assert replan.status == "optimal"
    assert check(replan_problem, replan.assignments) == ()
    assert not any(a.body == body and a.week in weeks for a in replan.assignments)
    assert 1 <= replan.moved_from_previous <= 3


@st.composite
def random_problems(draw) -> PlanningProblem:
    n_weeks = draw(st.integers(4, 10))
    split = draw(st.integers(1, n_weeks - 1))
    weeks = tuple(
        Week(i, MONDAY + datetime.timedelta(weeks=i), draw(st.integers(0, 5)), 1 if i < split else 2)
        for i in range(n_weeks)
    )
    regions = tuple(f"r{i}" for i in range(draw(st.integers(1, 4))))
    bodies = []
    for i in range(draw(st.integers(1, 4))):
        low = draw(st.integers(0, 3))
        bodies.append(
            BodySpec(
                f"b{i}",
                exempt=draw(st.booleans()),
                min_meetings=low,
                max_meetings=low + draw(st.integers(0, 2)),
                blocked_weeks=frozenset(draw(st.sets(st.integers(0, n_weeks - 1), max_size=n_weeks // 2))),
                allow_repeat_region=draw(st.booleans()),
            )
        )
    scores = {(b.slug, r): draw(st.integers(0, 1000)) for b in bodies for r in regions}
    pins = draw(
        st.lists(
            st.builds(
                Assignment,
                st.sampled_from([b.slug for b in bodies]),
                st.sampled_from(regions),
                st.integers(0, n_weeks - 1),
            ),
            max_size=2,
        )
    )
    return PlanningProblem(
        bodies=tuple(bodies),
        regions=regions,
        weeks=weeks,
        scores=scores,
        region_capacity={r: draw(st.integers(0, 2)) for r in regions},
        min_gap_weeks=draw(st.integers(1, 4)),
        pinned=tuple(pins),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_problems())
def test_any_returned_plan_passes_check(problem):
    result = solve(problem, time_limit_s=5.0)
    base = greedy(problem)
    assert result.status in ("optimal", "feasible", "infeasible")
    if result.has_plan:
        assert check(problem, result.assignments) == ()
    else:
        assert result.explanation
    if base.has_plan:
        assert check(problem, base.assignments) == ()
        assert result.has_plan and result.objective >= base.objective
    if result.status == "optimal":
        assert result.objective == result.bound


def test_problem_and_result_survive_pickling(small_result):
    problem, result = small_result
    # Only bytes pickled a line earlier are loaded: nothing untrusted.
    assert pickle.loads(pickle.dumps(problem)) == problem  # noqa: S301
    assert pickle.loads(pickle.dumps(result)) == result  # noqa: S301
