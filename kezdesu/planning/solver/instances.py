"""Deterministic planning instances for the benchmark and the tests (pure: no Django, no I/O).

Scores are seeded pseudo-random stand-ins for the real evidence score (appeals per capita in the
body's sectors, open alerts, time since the last visit); the calendar is real: Monday-started weeks
with Kazakhstan's public holidays from the `holidays` package.
"""

import dataclasses
import datetime
import random
from collections.abc import Iterable

import holidays

from .model import Assignment, BodySpec, PlanningProblem, PlanResult, Week

NON_EXEMPT_BODIES = (
    "agriculture",
    "culture-information",
    "digital-development",
    "ecology",
    "education",
    "energy",
    "finance",
    "health",
    "industry-construction",
    "labour-social",
    "national-economy",
    "science-higher-education",
    "tourism-sports",
    "trade-integration",
    "transport",
    "water-irrigation",
)
EXEMPT_BODIES = ("defence", "emergency-situations", "foreign-affairs", "internal-affairs", "justice")
REGIONS = (
    "abai",
    "akmola",
    "aktobe",
    "almaty-region",
    "atyrau",
    "east-kazakhstan",
    "zhambyl",
    "zhetisu",
    "west-kazakhstan",
    "karaganda",
    "kostanay",
    "kyzylorda",
    "mangystau",
    "pavlodar",
    "north-kazakhstan",
    "turkistan",
    "ulytau",
    "astana",
    "almaty",
    "shymkent",
)
WEEKS_PER_HALF = 26


def working_days_in_week(monday: datetime.date, holiday_dates: Iterable[datetime.date]) -> int:
    """Returns the number of Monday–Friday days of the week starting `monday` that are not holidays."""
    off = set(holiday_dates)
    return sum(1 for d in range(5) if monday + datetime.timedelta(days=d) not in off)


def kazakhstan_holidays(years: Iterable[int]) -> frozenset[datetime.date]:
    """Returns Kazakhstan's public holidays (including moved days off) of the given years."""
    return frozenset(holidays.country_holidays("KZ", years=sorted(set(years))).keys())


def half_year_weeks(year: int, half: int, holiday_dates: Iterable[datetime.date] | None = None) -> tuple[Week, ...]:
    """Returns the 26 Monday-started weeks of the half-year, numbered 0..25.

    The first week starts on the first Monday on or after 1 January (half 1) or 1 July (half 2); a
    week belongs to the quarter of its Monday (1 or 2 within the half). In the rare year where the
    26th Monday already falls in the next half it is counted in quarter 2, the half's last quarter.
    Raises ValueError when `half` is not 1 or 2.
    """
    if half not in (1, 2):
        raise ValueError(f"half must be 1 or 2, not {half!r}")
    first_day = datetime.date(year, 1 if half == 1 else 7, 1)
    first_monday = first_day + datetime.timedelta(days=(7 - first_day.weekday()) % 7)
    off = kazakhstan_holidays([year, year + 1]) if holiday_dates is None else frozenset(holiday_dates)
    out = []
    for i in range(WEEKS_PER_HALF):
        monday = first_monday + datetime.timedelta(weeks=i)
        in_half = monday.year == year and (monday.month <= 6) == (half == 1)
        quarter = ((monday.month - 1) % 6) // 3 + 1 if in_half else 2
        out.append(Week(index=i, start=monday, working_days=working_days_in_week(monday, off), quarter=quarter))
    return tuple(out)


def _blocked(rng: random.Random, n_weeks: int) -> frozenset[int]:
    # A foreign visit or a budget session takes a run of 2–3 weeks; plus one or two single weeks.
    run = rng.randint(2, 3)
    start = rng.randrange(0, n_weeks - run)
    weeks = set(range(start, start + run))
    weeks.update(rng.sample(range(n_weeks), rng.randint(1, 2)))
    return frozenset(weeks)


def national_instance(year: int = 2027, half: int = 1, seed: int = 0) -> PlanningProblem:
    """Returns the national problem: 16 non-exempt and 5 exempt bodies, 20 regions, 26 weeks.

    Exempt bodies are present so the engine sees the whole register, with max_meetings 0: the
    resolution does not oblige them, so the draft plans none for them.
    """
    # Seeded stand-in data: repeatability matters, unpredictability does not.
    rng = random.Random(seed * 7919 + year * 2 + half)  # noqa: S311
    weeks = half_year_weeks(year, half)
    need = {r: rng.uniform(0.3, 1.0) for r in REGIONS}
    scores: dict[tuple[str, str], int] = {}
    bodies = []
    for slug in NON_EXEMPT_BODIES:
        bodies.append(BodySpec(slug=slug, blocked_weeks=_blocked(rng, len(weeks))))
        for region in REGIONS:
            # About one pair in six has no evidence at all (no appeals in the body's sectors).
            if rng.random() < 0.15:
                continue
            affinity = rng.random()
            scores[slug, region] = round(1000 * (0.4 * need[region] + 0.6 * affinity))
    bodies.extend(BodySpec(slug=slug, exempt=True, min_meetings=0, max_meetings=0) for slug in EXEMPT_BODIES)
    return PlanningProblem(
        bodies=tuple(sorted(bodies, key=lambda b: b.slug)),
        regions=REGIONS,
        weeks=weeks,
        scores=scores,
    )


def scaled_instance(seed: int = 0) -> PlanningProblem:
    """Returns a stress instance: 60 bodies, 200 districts, the 26 weeks of the first half of 2027.

    Districts fall into 12 clusters (economic profiles); a body's score for a district mixes the
    district's need, the body's affinity to its cluster and noise.
    """
    # Seeded stand-in data: repeatability matters, unpredictability does not.
    rng = random.Random(10_000 + seed)  # noqa: S311
    weeks = half_year_weeks(2027, 1)
    districts = tuple(f"district-{i:03d}" for i in range(1, 201))
    cluster = {d: rng.randrange(12) for d in districts}
    need = {d: rng.uniform(0.2, 1.0) for d in districts}
    bodies = []
    scores: dict[tuple[str, str], int] = {}
    for i in range(1, 61):
        slug = f"body-{i:02d}"
        bodies.append(BodySpec(slug=slug, blocked_weeks=_blocked(rng, len(weeks))))
        affinity = [rng.random() for _ in range(12)]
        for d in districts:
            value = 0.35 * need[d] + 0.45 * affinity[cluster[d]] + 0.2 * rng.random()
            scores[slug, d] = round(1000 * value)
    return PlanningProblem(bodies=tuple(bodies), regions=districts, weeks=weeks, scores=scores)


def mid_half_weeks(problem: PlanningProblem, length: int = 5) -> tuple[int, ...]:
    """Returns the indices of `length` consecutive weeks centred on the middle of the half-year."""
    ordered = [w.index for w in problem.sorted_weeks]
    start = max(0, (len(ordered) - length) // 2)
    return tuple(ordered[start : start + length])


def pick_disruption(problem: PlanningProblem, result: PlanResult, length: int = 5) -> tuple[str, tuple[int, ...]]:
    """Returns (body, weeks): mid-half weeks and the first body (by slug) with a meeting in them.

    Raises ValueError when no planned meeting falls in those weeks.
    """
    weeks = mid_half_weeks(problem, length)
    hit = sorted(a.body for a in result.assignments if a.week in weeks)
    if not hit:
        raise ValueError("no planned meeting falls in the middle weeks of the half-year")
    return hit[0], weeks


def disruption(problem: PlanningProblem, result: PlanResult, body: str, weeks: Iterable[int]) -> PlanningProblem:
    """Returns the re-planning problem after `body`'s head becomes unavailable in `weeks`.

    The published plan (`result.assignments`) becomes `previous`, so moving its meetings costs
    stability; nothing is pinned. Raises KeyError for an unknown body.
    """
    spec = problem.body_by_slug[body]
    changed = dataclasses.replace(spec, blocked_weeks=spec.blocked_weeks | frozenset(weeks))
    bodies = tuple(changed if b.slug == body else b for b in problem.bodies)
    previous: tuple[Assignment, ...] = tuple(result.assignments)
    return dataclasses.replace(problem, bodies=bodies, previous=previous, pinned=())
