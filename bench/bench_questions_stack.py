"""Citizens' questions under concurrency on the production stack: 200 at once, on PostgreSQL and Redis.

    .venv/bin/python bench/bench_questions_stack.py

Starts `scripts/stack` (PostgreSQL, Redis, two gunicorn processes behind nginx, a worker; own directory
and ports), then:
1. 200 concurrent submissions through nginx from one address: exactly QUESTIONS_PER_HOUR may be accepted,
   the rest refused with 429 (by the application, or nginx's flood guard first), no server error.
2. 200 concurrent submissions spread over both gunicorn processes from 20 addresses (as nginx forwards
   them), 10 from each: exactly 20 × QUESTIONS_PER_HOUR accepted, no server error.
3. The audit trail's hash chain is intact (`verify_audit`).
Prints the figures; exit status 1 when a target is missed. Stops everything it started.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stackrun

LIMIT = 5  # kezdesu.questions.services.QUESTIONS_PER_HOUR
CONCURRENT = 200


def main() -> int:
    smoke = stackrun.smoke_module()
    with stackrun.stack("questions") as settings:
        smoke.BASE, smoke.WEB = settings["SITE_URL"], settings["STACK_WEB"].split(",")
        body = json.dumps({"meeting": settings["seed"]["meeting"], "text": "Ауылға ауыз су қашан келеді?"}).encode()

        def through_nginx(_i: int) -> int:
            return smoke.Client().request("/api/v1/questions/", body, {"Content-Type": "application/json"})[0]

        def direct(i: int) -> int:
            client = smoke.Client(smoke.WEB[i % 2])
            return client.request("/api/v1/questions/", body, {
                "Content-Type": "application/json", "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"198.51.100.{i % 20 + 1}"})[0]

        results = {}
        for name, fn, expected in (("nginx, one address", through_nginx, LIMIT),
                                   ("2 gunicorn, 20 addresses", direct, 20 * LIMIT)):
            started = time.perf_counter()
            with ThreadPoolExecutor(CONCURRENT) as pool:
                codes = collections.Counter(pool.map(fn, range(CONCURRENT)))
            wall = time.perf_counter() - started
            errors = sum(n for code, n in codes.items() if code >= 500)
            results[name] = (codes, wall, errors, expected)
            print(f"{name}: {CONCURRENT} concurrent in {wall:.1f} s: {dict(sorted(codes.items()))} "
                  f"(accepted {codes[201]}, expected {expected}; server errors {errors})")
        audit = stackrun.manage(settings, "verify_audit", "--json")
        print(f"audit chain: {audit.strip()}")
    ok = all(codes[201] == expected and errors == 0 for codes, _wall, errors, expected in results.values())
    ok = ok and json.loads(audit).get("ok", False)
    print(f"date {dt.date.today()}, machine: {stackrun.machine()}; {'OK' if ok else 'TARGET MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
