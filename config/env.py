"""The one place where the environment is read: every variable, its type and its default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def _list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _date(name: str, default: date) -> date:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an ISO date, got {raw!r}") from exc


@dataclass(frozen=True)
class Env:
    secret_key: str | None
    debug: bool
    allowed_hosts: tuple[str, ...]
    csrf_trusted_origins: tuple[str, ...]
    database_url: str
    time_zone: str
    email_url_host: str
    email_port: int
    default_from_email: str
    secure_ssl_redirect: bool
    # Clause 4: in force from the day after adoption until the publication date is confirmed.
    resolution_in_force: date
    # Whether a meeting held by an acting first head counts toward the quarterly quota.
    acting_head_counts: bool
    # Days an unscheduled meeting must be held within after a mandatory tension alert.
    tension_deadline_days: int
    # Whether deadlines on non-working days move to the next working day.
    deadlines_move_to_working_day: bool
    # Whether "before 15 June/December" (clauses 3.1, 3.3) still allows the 15th (docs/decisions/0021).
    half_year_deadline_inclusive: bool


def read_env() -> Env:
    return Env(
        secret_key=os.environ.get("SECRET_KEY") or None,
        debug=_bool("DEBUG", False),
        allowed_hosts=_list("ALLOWED_HOSTS", ("127.0.0.1", "localhost")),
        csrf_trusted_origins=_list("CSRF_TRUSTED_ORIGINS", ()),
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'kezdesu.sqlite3'}",
        time_zone=os.environ.get("TIME_ZONE", "Asia/Almaty"),
        email_url_host=os.environ.get("EMAIL_HOST", "localhost"),
        email_port=_int("EMAIL_PORT", 25),
        default_from_email=os.environ.get("DEFAULT_FROM_EMAIL", "kezdesu@localhost"),
        secure_ssl_redirect=_bool("SECURE_SSL_REDIRECT", True),
        resolution_in_force=_date("RESOLUTION_IN_FORCE", date(2024, 1, 18)),
        acting_head_counts=_bool("ACTING_HEAD_COUNTS", True),
        tension_deadline_days=_int("TENSION_DEADLINE_DAYS", 14),
        deadlines_move_to_working_day=_bool("DEADLINES_MOVE_TO_WORKING_DAY", True),
        half_year_deadline_inclusive=_bool("HALF_YEAR_DEADLINE_INCLUSIVE", True),
    )
