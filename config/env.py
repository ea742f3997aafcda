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


def cache_config(url: str) -> dict:
    """CACHES["default"] from a URL: redis:// or rediss:// (Redis), db://table (a table in the project's
    database, shared by every process), file:///directory, locmem:// (this process only)."""
    scheme, _, rest = url.partition("://")
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db" and rest:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest}
    if scheme == "file" and rest:
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": rest}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "kezdesu"}
    raise ImproperlyConfigured(f"CACHE_URL must be redis://, rediss://, db://table, file:///dir or locmem://, "
                               f"got {url!r}")


def admins(pairs: tuple[str, ...]) -> list[tuple[str, str]]:
    """ADMINS from "Name <address>" (or a bare address) items."""
    result = []
    for item in pairs:
        name, _, address = item.rpartition("<")
        address = address.rstrip(">").strip() if address else item.strip()
        result.append((name.strip() or address, address))
    return result


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
    # Days before an agreed meeting within which `prepare_briefings` makes its briefing pack.
    briefing_days_before: int
    # --- running as a service (background work, mail, cache, proxies, operations) ---
    # Absolute base of links in mail, e.g. https://kezdesu.gov.kz (no trailing slash).
    site_url: str
    email_host_user: str
    email_host_password: str
    email_use_tls: bool
    email_use_ssl: bool
    email_timeout: int
    # Sending attempts before a notice's mail is given up.
    email_max_attempts: int
    # django.core.cache URL: redis://host:6379/0, db:// (shared table), locmem:// (one process only).
    cache_url: str
    # Seconds a public page stays in the shared page cache (it is replaced at once when its data changes),
    # and the s-maxage / stale-while-revalidate its answer tells the proxy's micro-cache (browsers revalidate).
    portal_cache_seconds: int
    portal_max_age: int
    portal_stale_seconds: int
    # Addresses of reverse proxies whose X-Forwarded-For is believed (nginx on the same host by default).
    trusted_proxies: tuple[str, ...]
    # Who may read /metrics (client addresses, exact).
    metrics_allowed: tuple[str, ...]
    # Seconds without a heartbeat after which a running job counts as abandoned by its worker.
    job_stale_seconds: int
    # Attempts of an abandoned job before it is marked failed.
    job_max_attempts: int
    # /readyz fails when the oldest waiting task has waited longer than this (no worker is running).
    queue_max_age_seconds: int
    # Where uploaded appeals files wait for the worker (shared by web and worker processes).
    media_root: str
    # Where `collectstatic` puts the hashed static files that WhiteNoise (or nginx) serves.
    static_root: str
    # "Name <address>" pairs separated by commas: who receives server error reports.
    admins: tuple[str, ...]
    # "json" (one JSON object per line) or "text".
    log_format: str
    log_level: str

    # --- Security (docs/security.md) ---
    # Previous secret keys, still accepted for signed values while a rotation settles (comma-separated).
    secret_key_fallbacks: tuple[str, ...]
    # Key of the audit chain's HMAC; required in production, derived from SECRET_KEY elsewhere.
    audit_hmac_key: str | None
    # Retired audit keys, still needed to verify the rows they signed (comma-separated).
    audit_hmac_old_keys: tuple[str, ...]
    # Key of the HMAC that stands for citizens' e-mail addresses (supports, follow-up subscriptions); derived
    # from SECRET_KEY when unset. Changing it forgets who supported what and voids unsubscribe links.
    contact_hash_key: str | None
    # Where `audit_checkpoint` appends signed checkpoints (JSON Lines); keep it off the database host.
    audit_checkpoint_file: Path
    # Failed logins before an account or an address is locked out, and for how many minutes.
    login_failure_limit: int
    login_lockout_minutes: int
    # Whether staff must use a second factor (TOTP); the production settings default it to true.
    staff_2fa_required: bool | None
    # Minutes of inactivity after which a staff session ends.
    session_idle_minutes: int

    # --- Counting readings of the resolution (docs/decisions) ---
    # Whether a meeting held online only (no venue in the region) counts toward the quarterly quota.
    online_meetings_count: bool
    # Whether an unscheduled meeting (clause 1.3) also counts toward the quarterly quota (clause 1.1).
    unscheduled_count_for_quarter: bool
    # Days in office within a quarter that make the quarter owed; 0: owed if in office on its last day.
    quarter_min_days_in_office: int
    # Whether "before 15 June/December" (clauses 3.1, 3.3) still allows the 15th (docs/decisions/0021).
    half_year_deadline_inclusive: bool

    # Limits of an appeals import (see kezdesu/tension/importer.py and docs/security.md).
    import_max_bytes: int
    import_max_rows: int
    import_max_field_chars: int
    import_max_line_chars: int
    import_max_xlsx_uncompressed_bytes: int
    import_max_xlsx_ratio: int
    import_max_json_depth: int


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
        briefing_days_before=_int("BRIEFING_DAYS_BEFORE", 3),
        site_url=(os.environ.get("SITE_URL") or "http://127.0.0.1:8000").rstrip("/"),
        email_host_user=os.environ.get("EMAIL_HOST_USER", ""),
        email_host_password=os.environ.get("EMAIL_HOST_PASSWORD", ""),
        email_use_tls=_bool("EMAIL_USE_TLS", False),
        email_use_ssl=_bool("EMAIL_USE_SSL", False),
        email_timeout=_int("EMAIL_TIMEOUT", 10),
        email_max_attempts=_int("EMAIL_MAX_ATTEMPTS", 8),
        cache_url=os.environ.get("CACHE_URL") or "db://kezdesu_cache",
        portal_cache_seconds=_int("PORTAL_CACHE_SECONDS", 60),
        portal_max_age=_int("PORTAL_MAX_AGE", 10),
        portal_stale_seconds=_int("PORTAL_STALE_SECONDS", 30),
        trusted_proxies=_list("TRUSTED_PROXIES", ("127.0.0.1", "::1")),
        metrics_allowed=_list("METRICS_ALLOWED", ("127.0.0.1", "::1")),
        job_stale_seconds=_int("JOB_STALE_SECONDS", 900),
        job_max_attempts=_int("JOB_MAX_ATTEMPTS", 2),
        queue_max_age_seconds=_int("QUEUE_MAX_AGE_SECONDS", 300),
        media_root=os.environ.get("MEDIA_ROOT") or str(BASE_DIR / "var" / "media"),
        static_root=os.environ.get("STATIC_ROOT") or str(BASE_DIR / "var" / "static"),
        admins=_list("ADMINS", ()),
        log_format=os.environ.get("LOG_FORMAT", "json"),
        log_level=os.environ.get("LOG_LEVEL", "INFO"),

        secret_key_fallbacks=_list("SECRET_KEY_FALLBACKS", ()),
        audit_hmac_key=os.environ.get("AUDIT_HMAC_KEY") or None,
        audit_hmac_old_keys=_list("AUDIT_HMAC_OLD_KEYS", ()),
        contact_hash_key=os.environ.get("CONTACT_HASH_KEY") or None,
        audit_checkpoint_file=Path(os.environ.get("AUDIT_CHECKPOINT_FILE")
                                   or BASE_DIR / "var" / "audit-checkpoints.jsonl"),
        login_failure_limit=_int("LOGIN_FAILURE_LIMIT", 5),
        login_lockout_minutes=_int("LOGIN_LOCKOUT_MINUTES", 30),
        staff_2fa_required=_bool("STAFF_2FA_REQUIRED", False) if os.environ.get("STAFF_2FA_REQUIRED") else None,
        session_idle_minutes=_int("SESSION_IDLE_MINUTES", 30),

        online_meetings_count=_bool("ONLINE_MEETINGS_COUNT", False),
        unscheduled_count_for_quarter=_bool("UNSCHEDULED_COUNT_FOR_QUARTER", True),
        quarter_min_days_in_office=_int("QUARTER_MIN_DAYS_IN_OFFICE", 0),
        half_year_deadline_inclusive=_bool("HALF_YEAR_DEADLINE_INCLUSIVE", True),

        import_max_bytes=_int("IMPORT_MAX_BYTES", 50_000_000),
        import_max_rows=_int("IMPORT_MAX_ROWS", 500_000),
        import_max_field_chars=_int("IMPORT_MAX_FIELD_CHARS", 10_000),
        import_max_line_chars=_int("IMPORT_MAX_LINE_CHARS", 100_000),
        import_max_xlsx_uncompressed_bytes=_int("IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES", 200_000_000),
        import_max_xlsx_ratio=_int("IMPORT_MAX_XLSX_RATIO", 100),
        import_max_json_depth=_int("IMPORT_MAX_JSON_DEPTH", 2),
    )
