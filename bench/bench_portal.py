"""Throughput of the public pages against a hello-world WSGI app under the same gunicorn settings.

Run from the repository root:  .venv/bin/python bench/bench_portal.py [--seconds 10]
(needs wrk and redis-server: `scripts/system-deps wrk redis`).

1. Loads the reference data and the demo data (`load_reference`, `load_demo`) into a fresh SQLite file in a
   temporary directory, and collects the static files the production settings need.
2. Starts a throwaway Redis (no persistence) on a free loopback port as the shared cache (CACHE_URL).
3. Serves, one after the other, a hello-world WSGI app and the application with gunicorn on 127.0.0.1
   with the same settings: 2 sync workers, production settings (DEBUG off), no access log.
4. Drives each address with wrk: 16 connections, 2 threads, `--seconds` each after a warm-up.
   The application is measured twice: with the page cache off (PORTAL_CACHE_SECONDS=0: every request
   renders its page) and with the page cache warm.
5. Prints requests per second, p50/p99 latency and the ratio of each page to hello world; targets:
   ≥ 0.3 for the home page, the meetings list and a meeting page, ≥ 0.2 for the commitments list, the
   public API list and the iCal feed (warm cache). Exit status 1 when a target is missed or a request fails.
   Every process it starts is stopped and the temporary directory removed.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
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
CONNECTIONS, THREADS, WORKERS = 16, 2, 2
HELLO = '''def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [b"Hello, world!"]
'''
TARGETS = {"home": 0.3, "meetings list": 0.3, "meeting page": 0.3, "commitments": 0.2, "API meetings list": 0.2,
           "iCal feed": 0.2}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited early")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in time")


def gunicorn(app: str, port: int, env: dict, cwd: pathlib.Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
         "--worker-class", "sync", "--log-level", "warning"],
        env=env, cwd=cwd, start_new_session=True, stdout=subprocess.DEVNULL)


def wrk(url: str, seconds: int) -> dict:
    """Requests per second, latency percentiles and failures of `url` under wrk."""
    out = subprocess.run(["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "10s",
                          "--latency", url],
                         capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(share: str) -> float:
        value, unit = re.search(rf"^\s+{share}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failures = (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return {"rate": rate, "p50": latency("50"), "p99": latency("99"), "failures": failures}


def load(env: dict) -> dict[str, str]:
    """Create the schema, the reference and demo data; return the pages to measure."""
    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)

    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    manage("load_reference")
    manage("load_demo")
    found = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.db.models import Count\n"
         "from kezdesu.portal.selectors import public_meetings\n"
         "m = public_meetings().annotate(n=Count('questions')).order_by('-n', 'pk').first()\n"
         "print(m.pk)"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()[-1]
    return {"home": "/kk/", "meetings list": "/kk/meetings/", "meeting page": f"/kk/meetings/{found}/",
            "commitments": "/kk/commitments/", "API meetings list": "/api/v1/meetings/",
            "iCal feed": "/kk/ical/all.ics"}


def measure(url: str, pages: dict[str, str], seconds: int) -> dict[str, dict]:
    results = {}
    for name, path in pages.items():
        wrk(url + path, 2)  # warm-up: every worker has loaded its code, templates and (if on) the cached page
        results[name] = wrk(url + path, seconds)
    return results


def report(hello: dict, runs: dict[str, dict], pages: dict[str, str], seconds: int) -> bool:
    """Print each page's rate against hello world; True when every target is met with the cache warm."""
    print(f"\ngunicorn: {WORKERS} sync workers; wrk: {CONNECTIONS} connections, {THREADS} threads, "
          f"{seconds} s per address; load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"hello world: {hello['rate']:.0f} requests/s (p50 {hello['p50']:.2f} ms, p99 {hello['p99']:.2f} ms)\n")
    print(f"{'page':<20}{'path':<22}{'target':>7}" + "".join(f"{label:>36}" for label in runs))
    print(f"{'':<49}" + f"{'req/s  ratio  p50 ms  p99 ms':>36}" * len(runs))
    met = hello["failures"] == 0
    for name, path in pages.items():
        row = f"{name:<20}{path[:21]:<22}{TARGETS[name]:>7.1f}"
        for label, results in runs.items():
            r = results[name]
            ratio = r["rate"] / hello["rate"]
            row += f"{r['rate']:>13.0f}{ratio:>7.3f}{r['p50']:>8.1f}{r['p99']:>8.1f}"
            if label == "page cache warm":
                met = met and ratio >= TARGETS[name] and r["failures"] == 0
        print(row)
    failures = {label: sum(r["failures"] for r in results.values()) for label, results in runs.items()}
    print(f"\nfailed requests (errors, timeouts): {failures}; targets (warm page cache): "
          f"{'met' if met else 'NOT met'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="seconds of load per page (default 10)")
    args = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: scripts/system-deps wrk redis", file=sys.stderr)
            return 2
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="kezdesu-bench-portal-"))
    procs: list[subprocess.Popen] = []
    try:
        redis_port = free_port()
        procs.append(subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=workdir, start_new_session=True, stdout=subprocess.DEVNULL))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
               "SECRET_KEY": secrets.token_urlsafe(64), "AUDIT_HMAC_KEY": secrets.token_urlsafe(32),
               "DEBUG": "false", "SECURE_SSL_REDIRECT": "false", "ALLOWED_HOSTS": "127.0.0.1",
               "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "CACHE_URL": f"redis://127.0.0.1:{redis_port}/0",
               "STATIC_ROOT": str(workdir / "static"), "MEDIA_ROOT": str(workdir / "media")}
        t0 = time.perf_counter()
        pages = load(env)
        print(f"demo data loaded in {time.perf_counter() - t0:.0f} s; load average before the runs: "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        (workdir / "hello.py").write_text(HELLO)

        port = free_port()
        server = gunicorn("hello:application", port, env, workdir)
        procs.append(server)
        wait_until_up(f"http://127.0.0.1:{port}/", server)
        wrk(f"http://127.0.0.1:{port}/", 2)
        hello = wrk(f"http://127.0.0.1:{port}/", args.seconds)
        stop(server)

        runs = {}
        for label, seconds_kept in (("page cache off", "0"), ("page cache warm", "60")):
            port = free_port()
            server = gunicorn("config.wsgi:application", port, {**env, "PORTAL_CACHE_SECONDS": seconds_kept}, ROOT)
            procs.append(server)
            wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
            runs[label] = measure(f"http://127.0.0.1:{port}", pages, args.seconds)
            stop(server)

        return 0 if report(hello, runs, pages, args.seconds) else 1
    finally:
        for proc in reversed(procs):
            stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
