"""HTTP load benchmark of the public portal: the meetings list and the meeting pages under 50 users.

Run from the repository root:  .venv/bin/python bench/bench_portal.py [--quick]

1. Loads 5,000 meetings (with results and commitments) and 100,000 questions into a fresh SQLite file
   in a temporary directory (bulk inserts, one transaction).
2. Serves the app with gunicorn on 127.0.0.1 (a free port, sync workers) with the production settings:
   DEBUG off, SECRET_KEY from the environment, SECURE_SSL_REDIRECT=false, ALLOWED_HOSTS=127.0.0.1,
   DATABASE_URL pointing at the file. `collectstatic` fills STATIC_ROOT (var/static), which the
   manifest storage of the production settings needs to render pages.
3. Runs locust headless against it: 50 users, each waiting 0.5–2 s between requests (a citizen reading
   pages), for 60 s (10 s with --quick) once all users run, on loopback only, after a short warm-up of
   the workers.
4. Prints p50/p95/p99 and the error count per page and overall; the target is p95 <= 200 ms with no
   errors (exit status 1 when missed). Every process it starts is stopped, the temporary directory removed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
BIN = pathlib.Path(sys.executable).parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

N_MEETINGS = 5_000
N_QUESTIONS = 100_000
TARGET_P95_MS = 200
# Users start over two seconds and the statistics restart once all run: 50 first requests in the same
# instant measure the ramp, not the steady load.
SPAWN_RATE = 25

LOCUSTFILE = '''
import json
import random

from locust import HttpUser, between, task

DATA = json.load(open({data!r}))


class Citizen(HttpUser):
    wait_time = between(0.5, 2.0)

    @task(2)
    def meetings_list(self):
        when = random.choice(["upcoming", "past", "past"])
        params = {{"when": when}}
        if random.random() < 0.4:
            params["region"] = random.choice(DATA["regions"])
        if random.random() < 0.2:
            params["body"] = random.choice(DATA["bodies"])
        if random.random() < 0.5 and not params.get("region"):
            params["page"] = random.randint(1, DATA["pages"][when])
        self.client.get("/meetings/", params=params, name="/meetings/")

    @task(3)
    def meeting_page(self):
        self.client.get(f"/meetings/{{random.choice(DATA['meetings'])}}/", name="/meetings/[id]/")
'''


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(db: pathlib.Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{db}",
    }


def load(rng: random.Random) -> dict:
    """Create the schema and the data in the configured database; return what the load test requests."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction
    from django.utils import timezone

    from kezdesu.meetings.models import Commitment, Meeting, MeetingResult
    from kezdesu.questions.models import Question
    from kezdesu.registry.models import Body, Head, Region, Sector
    from kezdesu.registry.services import reference_load

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    reference_load(actor=None)
    t0 = time.perf_counter()
    now = timezone.now()
    regions, sectors = list(Region.objects.all()), list(Sector.objects.all())
    bodies = list(Body.objects.filter(valid_to__isnull=True))
    with transaction.atomic():
        Head.objects.bulk_create(Head(body=b, full_name_kk=f"Басшы {i}", full_name_ru=f"Руководитель {i}",
                                      full_name_en=f"Head {i}", start=dt.date(2024, 1, 1))
                                 for i, b in enumerate(bodies))
        heads = {h.body_id: h for h in Head.objects.all()}
        start = now - dt.timedelta(days=3 * 365)
        meetings = []
        for i in range(N_MEETINGS):
            starts_at = (start + dt.timedelta(days=rng.uniform(0, 3.5 * 365))).replace(minute=0, second=0,
                                                                                        microsecond=0)
            body, region = rng.choice(bodies), rng.choice(regions)
            if starts_at < now:
                status = rng.choices(["reported", "held", "cancelled"], [80, 15, 5])[0]
            else:
                status = rng.choices(["announced", "agreed", "proposed", "draft"], [60, 15, 15, 10])[0]
            agreed = status in ("agreed", "announced", "held", "reported")
            meetings.append(Meeting(
                body=body, head=heads[body.pk], region=region, settlement=region.centre_kk,
                venue=f"Мәдениет үйі № {i % 40 + 1}", starts_at=starts_at, status=status,
                format=rng.choice(["in_person", "hybrid", "online"]), kind=rng.choice(["scheduled"] * 8 + [
                    "unscheduled", "additional"]),
                topics="Ауыз су, жолдар, денсаулық сақтау, білім беру", capacity=rng.choice([None, 150, 300]),
                stream_url="https://video.example.kz/live" if rng.random() < 0.5 else "",
                agreed_at=starts_at - dt.timedelta(days=20) if agreed else None,
                held_at=starts_at if status in ("held", "reported") else None,
            ))
        Meeting.objects.bulk_create(meetings, batch_size=2000)
        meetings = list(Meeting.objects.only("id", "status", "starts_at", "region_id", "body_id"))
        held = [m for m in meetings if m.status in ("held", "reported")]
        MeetingResult.objects.bulk_create(
            (MeetingResult(meeting=m, attendance=rng.randint(80, 400), speakers=rng.randint(5, 30),
                           summary="Тұрғындар ауыз су мен жолдар туралы сұрады.") for m in held), batch_size=2000)
        commitments = []
        for m in held:
            for k in range(rng.randint(0, 3)):
                progress = rng.randrange(0, 110, 10)
                commitments.append(Commitment(
                    meeting=m, text=f"Міндеттеме {k + 1}: ауылға су құбырын тарту", responsible_body_id=m.body_id,
                    deadline=(m.starts_at + dt.timedelta(days=180)).date(), progress=progress,
                    status="done" if progress == 100 else ("open" if progress == 0 else "in_progress")))
        Commitment.objects.bulk_create(commitments, batch_size=2000)
        open_for_questions = [m for m in meetings if m.status in ("announced", "held", "reported")]
        questions = []
        for n in range(N_QUESTIONS):
            m = rng.choice(open_for_questions)
            if m.status == "announced":
                status = rng.choices(["received", "published", "rejected"], [40, 50, 10])[0]
            else:
                status = rng.choices(["answered", "published", "rejected", "resolved"], [60, 20, 10, 10])[0]
            questions.append(Question(
                meeting_id=m.pk, region_id=m.region_id, sector=rng.choice(sectors), text=f"Сұрақ {n}: ауылда "
                "ауыз су қашан болады және жол қашан жөнделеді?", author_name="Азамат", author_contact="+77010000000",
                status=status, answer="Жауап: жұмыс жоспарға енгізілді." if status in ("answered", "resolved") else "",
                published_at=m.starts_at if status != "received" else None,
                rejection_reason="Тақырыптан тыс" if status == "rejected" else "",
            ))
            if len(questions) == 5000:
                Question.objects.bulk_create(questions)
                questions = []
        Question.objects.bulk_create(questions)
    public = [m for m in meetings if m.status in ("announced", "held", "reported")]
    upcoming = sum(1 for m in public if m.starts_at >= now)
    print(f"loaded {len(meetings)} meetings ({len(public)} public), {Question.objects.count()} questions, "
          f"{Commitment.objects.count()} commitments in {time.perf_counter() - t0:.1f} s")
    data = {
        "meetings": [m.pk for m in public],
        "regions": [r.slug for r in regions],
        "bodies": [b.slug for b in bodies],
        "pages": {"upcoming": max(1, upcoming // 20), "past": max(1, (len(public) - upcoming) // 20)},
    }
    connections.close_all()
    return data


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited early")
        try:
            with urllib.request.urlopen(url + "/meetings/", timeout=2) as response:  # noqa: S310 — loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def warm_up(url: str, data: dict, *, rounds: int) -> None:
    """Let every worker load its templates and translations before the clock starts."""
    for i in range(rounds):
        for path in ("/meetings/", "/meetings/?when=past", f"/meetings/{data['meetings'][i]}/"):
            with urllib.request.urlopen(url + path, timeout=10) as response:  # noqa: S310 — loopback
                response.read()


def stop(proc: subprocess.Popen | None) -> None:
    """Stop a process started in its own session, with all its children (gunicorn workers)."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def percentile(times: dict[int, int], share: float) -> int:
    """The response time (ms) under which `share` of the requests fall, from locust's histogram."""
    total, seen = sum(times.values()), 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= share * total:
            return ms
    return 0


def report(stats_json: pathlib.Path, seconds: int) -> bool:
    entries = json.loads(stats_json.read_text())
    overall: dict[int, int] = {}
    rows = []
    for entry in entries:
        times = {int(float(ms)): n for ms, n in entry["response_times"].items()}
        for ms, n in times.items():
            overall[ms] = overall.get(ms, 0) + n
        rows.append((entry["name"], entry["num_requests"], entry["num_failures"], times))
    rows.append(("all", sum(r[1] for r in rows), sum(r[2] for r in rows), overall))
    print(f"\n{'page':<18}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for name, count, errors, times in rows:
        print(f"{name:<18}{count:>9}{errors:>8}{percentile(times, .5):>8}{percentile(times, .95):>8}"
              f"{percentile(times, .99):>8}")
    _, count, errors, times = rows[-1]
    p95 = percentile(times, .95)
    met = p95 <= TARGET_P95_MS and errors == 0 and count > 0
    print(f"\n{seconds} s, 50 users, {count / seconds:.0f} requests/s: p50 {percentile(times, .5)} ms, p95 {p95} ms, "
          f"p99 {percentile(times, .99)} ms, errors {errors}; target p95 <= {TARGET_P95_MS} ms with no errors: "
          f"{'met' if met else 'NOT met'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="run the load for 10 s instead of 60 s")
    parser.add_argument("--workers", type=int, default=3, choices=range(2, 5), help="gunicorn workers (2-4)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    seconds = 10 if args.quick else 60
    ramp = -(-args.users // SPAWN_RATE)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="kezdesu-bench-"))
    env = environment(workdir / "bench.sqlite3")
    os.environ.update(env)
    server = locust = None
    try:
        data = load(random.Random(args.seed))
        (workdir / "data.json").write_text(json.dumps(data))
        (workdir / "locustfile.py").write_text(LOCUSTFILE.format(data=str(workdir / "data.json")))
        url = f"http://127.0.0.1:{free_port()}"
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", url.removeprefix("http://"),
             "--workers", str(args.workers), "--preload", "--log-level", "warning", "--chdir", str(ROOT)],
            env=env, cwd=ROOT, start_new_session=True)
        wait_until_up(url, server)
        warm_up(url, data, rounds=10 * args.workers)
        print(f"gunicorn: {args.workers} workers on {url}; locust: {args.users} users for {seconds} s")
        locust = subprocess.Popen(
            [str(BIN / "locust"), "-f", str(workdir / "locustfile.py"), "--headless", "--host", url,
             "-u", str(args.users), "-r", str(SPAWN_RATE), "--reset-stats", "-t", f"{seconds + ramp}s",
             "--json-file", str(workdir / "result"), "--skip-log", "--loglevel", "ERROR"],
            cwd=workdir, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        locust.wait(timeout=seconds + ramp + 60)
        return 0 if report(workdir / "result.json", seconds) else 1
    finally:
        stop(locust)
        stop(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
