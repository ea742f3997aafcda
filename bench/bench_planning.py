"""Benchmark of the planning engine: national, scaled and disruption instances.

Run from the repository root: `.venv/bin/python bench/bench_planning.py [--quick] [--strict] [--seed N]`.
Prints one line per figure; `--quick` shortens the time limits for a smoke run; `--strict` exits
with status 1 when a target is missed (timings depend on the machine, so it is off by default);
`--seed` draws other stand-in instances of the same size (0, the default, is the reference).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kezdesu.planning.solver import PlanResult, check, greedy, solve
from kezdesu.planning.solver.instances import (
    disruption,
    national_instance,
    pick_disruption,
    scaled_instance,
)

WORKERS = 2


def _line(name: str, result: PlanResult, **extra: object) -> str:
    parts = [
        f"{name}:",
        f"status={result.status}",
        f"objective={result.objective:.0f}",
        f"bound={result.bound:.0f}",
        f"gap={result.gap:.2%}",
        f"wall={result.wall_s:.2f}s",
    ]
    parts.extend(f"{k}={v}" for k, v in extra.items())
    return " ".join(parts)


def _verdict(ok: bool, target: str) -> str:
    return f"  target {target}: {'met' if ok else 'MISSED'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short time limits (smoke run)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--seed", type=int, default=0, help="seed of the stand-in instances")
    args = parser.parse_args()
    national_limit, scaled_limit = (5.0, 15.0) if args.quick else (10.0, 60.0)
    missed = []

    problem = national_instance(seed=args.seed)
    started = time.perf_counter()
    base = greedy(problem)
    greedy_s = time.perf_counter() - started
    result = solve(problem, time_limit_s=national_limit, workers=WORKERS)
    ratio = result.objective / base.objective if base.objective else float("nan")
    print(
        _line(
            "national",
            result,
            greedy=f"{base.objective:.0f}",
            greedy_wall=f"{greedy_s:.2f}s",
            ratio=f"{ratio:.3f}",
            meetings=len(result.assignments),
            regions_covered=result.raw_terms.get("coverage"),
            violations=len(check(problem, result.assignments)),
        )
    )
    ok = result.status == "optimal" and result.wall_s <= 10.0
    print(_verdict(ok, "proven optimal in <= 10 s"))
    if not ok:
        missed.append("national")

    scaled = scaled_instance(seed=args.seed)
    started = time.perf_counter()
    scaled_base = greedy(scaled)
    scaled_greedy_s = time.perf_counter() - started
    scaled_result = solve(scaled, time_limit_s=scaled_limit, workers=WORKERS)
    print(
        _line(
            "scaled",
            scaled_result,
            bodies=len(scaled.bodies),
            districts=len(scaled.regions),
            weeks=len(scaled.weeks),
            greedy=f"{scaled_base.objective:.0f}",
            greedy_wall=f"{scaled_greedy_s:.2f}s",
            violations=len(check(scaled, scaled_result.assignments)),
        )
    )
    ok = scaled_result.has_plan and scaled_result.gap <= 0.01 and scaled_result.wall_s <= 60.0
    print(_verdict(ok, "gap <= 1% within 60 s"))
    if not ok:
        missed.append("scaled")

    if result.has_plan:
        body, weeks = pick_disruption(problem, result)
        replan_problem = disruption(problem, result, body, weeks)
        replan = solve(replan_problem, time_limit_s=national_limit, workers=WORKERS)
        print(
            _line(
                "disruption",
                replan,
                body=body,
                blocked_weeks=f"{weeks[0]}-{weeks[-1]}",
                published=len(result.assignments),
                moved=replan.moved_from_previous,
                violations=len(check(replan_problem, replan.assignments)),
            )
        )
        ok = replan.has_plan and replan.moved_from_previous <= 3
        print(_verdict(ok, "<= 3 published meetings moved"))
        if not ok:
            missed.append("disruption")
    else:
        print("disruption: skipped (no national plan)")
        missed.append("disruption")

    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
