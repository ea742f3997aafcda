"""Settings shared by every environment; values that differ come from `config.env`."""

from __future__ import annotations

import datetime as dt
import hashlib

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, admins, cache_config, read_env

ENV = read_env()

SECRET_KEY = ENV.secret_key or "insecure-development-key-change-me"
SECRET_KEY_FALLBACKS = list(ENV.secret_key_fallbacks)
DEBUG = ENV.debug
ALLOWED_HOSTS = list(ENV.allowed_hosts)
CSRF_TRUSTED_ORIGINS = list(ENV.csrf_trusted_origins)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "kezdesu.core",
    "kezdesu.users",
    "kezdesu.registry",
    "kezdesu.meetings",
    "kezdesu.questions",
    "kezdesu.compliance",
    "kezdesu.planning",
    "kezdesu.tension",
    "kezdesu.reports",
    "kezdesu.dashboards",
    "kezdesu.portal",
    "kezdesu.api",
]

MIDDLEWARE = [
    "kezdesu.core.operations.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kezdesu.core.middleware.RejectNullBytesMiddleware",
    # Stored public pages are answered here, before the session, locale and CSRF middleware (kezdesu/portal).
    "kezdesu.portal.pagecache.PageCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kezdesu.core.middleware.KazakhFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kezdesu.users.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "kezdesu.core.middleware.InvalidRecordMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kezdesu.users.context_processors.membership",
                "kezdesu.questions.context_processors.moderation",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Web server and worker write to one file: WAL lets readers go on during a write, and a writer waits
    # (busy timeout) instead of failing with "database is locked"; IMMEDIATE takes the write lock up front.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Kazakh is the default language; Russian and English follow.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = ENV.time_zone

STATIC_URL = "/static/"
STATIC_ROOT = ENV.static_root
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_ROOT = ENV.media_root

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": ENV.email_url_host, "port": ENV.email_port, "username": ENV.email_host_user,
                    "password": ENV.email_host_password, "use_tls": ENV.email_use_tls,
                    "use_ssl": ENV.email_use_ssl, "timeout": ENV.email_timeout},
    },
}
DEFAULT_FROM_EMAIL = ENV.default_from_email
SERVER_EMAIL = ENV.default_from_email
ADMINS = admins(ENV.admins)

# Background work: tasks wait in the project's own database; `manage.py worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# One cache for every process (rate limits must hold across them): Redis in production, a table otherwise.
CACHES = {"default": cache_config(ENV.cache_url)}
# Public pages in that cache, and the caching headers of their answers (kezdesu/portal/pagecache.py).
PORTAL_CACHE = {"SECONDS": ENV.portal_cache_seconds, "MAX_AGE": ENV.portal_max_age,
                "STALE": ENV.portal_stale_seconds}

# Nothing is loaded from another origin: government networks are closed.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "kezdesu.api.pagination.BoundedLimitOffsetPagination",
    "DEFAULT_PARSER_CLASSES": [
        "kezdesu.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "kezdesu.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kezdesu API",
    "DESCRIPTION": "Meetings of heads of central executive bodies with the population",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

KEZDESU = {
    "RESOLUTION_IN_FORCE": ENV.resolution_in_force,
    "ACTING_HEAD_COUNTS": ENV.acting_head_counts,
    "TENSION_DEADLINE_DAYS": ENV.tension_deadline_days,
    "DEADLINES_MOVE_TO_WORKING_DAY": ENV.deadlines_move_to_working_day,
    "BRIEFING_DAYS_BEFORE": ENV.briefing_days_before,
    "SITE_URL": ENV.site_url,
    "EMAIL_MAX_ATTEMPTS": ENV.email_max_attempts,
    "TRUSTED_PROXIES": ENV.trusted_proxies,
    "METRICS_ALLOWED": ENV.metrics_allowed,
    "JOB_STALE_SECONDS": ENV.job_stale_seconds,
    "JOB_MAX_ATTEMPTS": ENV.job_max_attempts,
    "QUEUE_MAX_AGE_SECONDS": ENV.queue_max_age_seconds,
    "ONLINE_MEETINGS_COUNT": ENV.online_meetings_count,
    "UNSCHEDULED_COUNT_FOR_QUARTER": ENV.unscheduled_count_for_quarter,
    "QUARTER_MIN_DAYS_IN_OFFICE": ENV.quarter_min_days_in_office,
    "HALF_YEAR_DEADLINE_INCLUSIVE": ENV.half_year_deadline_inclusive,
}

# --- Security: logins, second factor, sessions, audit chain (docs/security.md) -------------------------

# Axes comes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "kezdesu.users.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = ENV.login_failure_limit
AXES_COOLOFF_TIME = dt.timedelta(minutes=ENV.login_lockout_minutes)
# Each on its own: an account is locked whatever the address, and an address whatever the account.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kezdesu.users.auth.lockout_response"
# The client address as the rate limits see it: REMOTE_ADDR, or the one a trusted proxy appended.
AXES_CLIENT_IP_CALLABLE = "kezdesu.users.auth.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]

# Staff must confirm a one-time code (TOTP or a recovery code) after the password when this is true.
STAFF_2FA_REQUIRED = bool(ENV.staff_2fa_required)
OTP_TOTP_ISSUER = "Kezdesu"
# A staff session ends after this many minutes without a request.
SESSION_IDLE_MINUTES = ENV.session_idle_minutes

# The audit chain's key never lives in the database. Outside production it is derived from SECRET_KEY so
# that the demo and the tests need no extra variable; production requires its own (config/settings/production).
AUDIT_HMAC_KEY = ENV.audit_hmac_key or hashlib.sha256(("kezdesu-audit:" + SECRET_KEY).encode()).hexdigest()
# Citizens' e-mail addresses are kept as HMACs under this key (docs/decisions/0110-supports-without-accounts.md).
CONTACT_HASH_KEY = ENV.contact_hash_key or hashlib.sha256(("kezdesu-contact:" + SECRET_KEY).encode()).hexdigest()
AUDIT_HMAC_OLD_KEYS = list(ENV.audit_hmac_old_keys)
AUDIT_CHECKPOINT_FILE = ENV.audit_checkpoint_file

# An appeals file beyond these is refused (whole file) or its row rejected; see docs/security.md.
IMPORT_LIMITS = {
    "MAX_BYTES": ENV.import_max_bytes,
    "MAX_ROWS": ENV.import_max_rows,
    "MAX_FIELD_CHARS": ENV.import_max_field_chars,
    "MAX_LINE_CHARS": ENV.import_max_line_chars,
    "MAX_XLSX_UNCOMPRESSED_BYTES": ENV.import_max_xlsx_uncompressed_bytes,
    "MAX_XLSX_RATIO": ENV.import_max_xlsx_ratio,
    "MAX_JSON_DEPTH": ENV.import_max_json_depth,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "kezdesu.core.operations.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if ENV.log_format == "json" else "text"},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["require_debug_false"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "kezdesu": {"handlers": ["console"], "level": ENV.log_level, "propagate": False},
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        "django.tasks": {"handlers": ["console"], "level": ENV.log_level, "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "level": ENV.log_level, "propagate": False},
        # Checkpoints go to the log too, so that the central log keeps a copy the database cannot rewrite.
        "kezdesu.audit.checkpoint": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
