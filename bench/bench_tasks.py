"""The task queue on the production stack (PostgreSQL): throughput of the workers, and a 1 M-row import.

    .venv/bin/python bench/bench_tasks.py [--tasks 1000] [--rows 1000000]

Starts `scripts/stack` without workers (own directory and ports), then:
1. Queues `--tasks` no-op tasks and starts 2 workers (`manage.py worker --batch`): prints the time from
   the first task started to the last one finished and the throughput, and the wall time including the
   workers' start-up.
2. Uploads an appeals file of `--rows` rows through nginx as the analyst, with one worker running:
   prints the wall time until the batch page shows it imported, and the resident memory of the web
   processes (both gunicorn processes and their workers) before the upload and after the import.
Stops everything it started.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from django.conf import settings as django_settings
from django.tasks import task

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stackrun
from bench_import import make_file

ROOT = stackrun.ROOT


if django_settings.configured:  # imported by the workers (Django set up); not when run as the benchmark

    @task()
    def noop_task() -> None:
        """The task measured in part 1: it does nothing, so the figure is the queue's own cost."""


def web_rss_mib(settings: dict) -> float:
    """Resident memory of every gunicorn process of the stack (masters and workers)."""
    total = 0
    for pidfile in Path(settings["dir"]).glob("gunicorn-*.pid"):
        master = int(pidfile.read_text())
        children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True, check=False)
        for pid in [master, *map(int, children.stdout.split())]:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total / 1024


def workers(settings: dict, count: int, *extra: str) -> list[subprocess.Popen]:
    env = {**os.environ, **{k: v for k, v in settings.items() if k.isupper()}}
    return [subprocess.Popen([sys.executable, "manage.py", "worker", "--worker-id", f"bench-{i}", "--interval", "0.1",
                              *extra], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for i in range(count)]


def queue_noops(settings: dict, count: int) -> None:
    code = ("import django; django.setup()\n"
            "from bench.bench_tasks import noop_task\n"
            f"for _ in range({count}): noop_task.enqueue()\n")
    env = {**os.environ, **{k: v for k, v in settings.items() if k.isupper()}}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def drained_span(settings: dict) -> tuple[int, float]:
    code = ("import django; django.setup()\n"
            "from django.db.models import Max, Min\n"
            "from django_tasks_db.models import DBTaskResult\n"
            "q = DBTaskResult.objects.filter(task_path='bench.bench_tasks.noop_task', status='SUCCESSFUL')\n"
            "a = q.aggregate(s=Min('started_at'), f=Max('finished_at'))\n"
            "print(q.count(), (a['f'] - a['s']).total_seconds())\n")
    env = {**os.environ, **{k: v for k, v in settings.items() if k.isupper()}}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    done, span = out.stdout.split()
    return int(done), float(span)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    smoke = stackrun.smoke_module()
    with stackrun.stack("tasks", workers=0) as settings:
        smoke.BASE, smoke.WEB = settings["SITE_URL"], settings["STACK_WEB"].split(",")

        queue_noops(settings, args.tasks)
        started = time.perf_counter()
        for p in workers(settings, 2, "--batch"):
            p.wait()
        wall = time.perf_counter() - started
        done, span = drained_span(settings)
        print(f"{done} no-op tasks, 2 workers: {span:.1f} s first start → last finish "
              f"({done / span:.0f} tasks/s); {wall:.1f} s with the workers' start-up")

        analyst = smoke.Client()
        token = analyst.csrf("/accounts/login/")
        seed = settings["seed"]
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": seed["username"],
                                       "password": seed["password"]}).encode()
        analyst.request("/accounts/login/", form, {"Content-Type": "application/x-www-form-urlencoded"})
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "appeals.csv"
            make_file(path, args.rows)
            size = path.stat().st_size / 2**20
            running = workers(settings, 1)
            try:
                analyst.request("/staff/tension/")  # every web process has served a page before measuring
                before = web_rss_mib(settings)
                token = analyst.csrf("/staff/tension/import/")
                body, content_type = smoke.multipart({"csrfmiddlewaretoken": token}, "file", "appeals.csv",
                                                     path.read_bytes())
                started = time.perf_counter()
                _status, headers, _ = analyst.request("/staff/tension/import/", body, {"Content-Type": content_type})
                answered = time.perf_counter() - started
                del body
                batch = urllib.parse.urlparse(headers["Location"]).path
                while 'class="kpis"' not in (page := analyst.request(batch)[2]):
                    if "msg--error" in page:
                        print("the import failed")
                        return 1
                    time.sleep(1)
                wall = time.perf_counter() - started
                after = web_rss_mib(settings)
            finally:
                for p in running:
                    p.terminate()
                    p.wait()
        created = re.search(r'<div class="kpi"><b>(\d+)</b>', page)
        print(f"import of {args.rows:,} rows ({size:.0f} MiB) as a task: upload answered in {answered:.1f} s, "
              f"imported in {wall:.1f} s ({created.group(1) if created else '?'} rows read); web processes "
              f"{before:.0f} MiB before, {after:.0f} MiB after")
    print(f"date {dt.date.today()}, machine: {stackrun.machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
