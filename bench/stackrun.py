"""Shared by the stack benchmarks: start `scripts/stack` in its own directory and ports, talk to it, stop it."""

from __future__ import annotations

import contextlib
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT_OFFSET = "100"  # away from the ports CI's own stack uses


def smoke_module():
    """scripts/smoke as a module: its HTTP client (cookies, CSRF, TLS to the stack's own certificate)."""
    loader = importlib.machinery.SourceFileLoader("kezdesu_smoke", str(ROOT / "scripts" / "smoke"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("kezdesu_smoke", loader))
    loader.exec_module(module)
    return module


@contextlib.contextmanager
def stack(name: str, *, workers: int = 1) -> Iterator[dict]:
    """Start the stack; yield its settings (env file + seed), then stop it whatever happens."""
    directory = Path(f"/tmp/kezdesu-bench-{name}")  # noqa: S108 — removed by `scripts/stack down`
    env = {**os.environ, "STACK_DIR": str(directory), "STACK_WORKERS": str(workers),
           "STACK_PORT_OFFSET": PORT_OFFSET}
    try:
        subprocess.run([str(ROOT / "scripts" / "stack"), "up"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        settings = dict(line.split("=", 1) for line in (directory / "env").read_text().splitlines() if "=" in line)
        settings["dir"] = str(directory)
        settings["seed"] = json.loads((directory / "seed.json").read_text())
        yield settings
    finally:
        subprocess.run([str(ROOT / "scripts" / "stack"), "down"], cwd=ROOT, env=env, check=False)


def manage(settings: dict, *args: str, capture: bool = True) -> str:
    """Run a management command with the stack's settings."""
    env = {**os.environ, **{k: v for k, v in settings.items() if k.isupper()}}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                            capture_output=capture, text=True)
    return result.stdout if capture else ""


def machine() -> str:
    cpus = os.cpu_count()
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))) // 1024 // 1024
    return f"{cpus} cores, {mem} GiB, Python {sys.version.split()[0]}"
