"""Production: every secret from the environment, HTTPS only, nothing insecure by default."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ENV, MIDDLEWARE

if not ENV.secret_key or len(ENV.secret_key) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters in production")
SECRET_KEY = ENV.secret_key
if not ENV.audit_hmac_key or len(ENV.audit_hmac_key) < 32 or ENV.audit_hmac_key == ENV.secret_key:
    raise ImproperlyConfigured("AUDIT_HMAC_KEY must be set to at least 32 random characters, other than SECRET_KEY, "
                               "in production")
AUDIT_HMAC_KEY = ENV.audit_hmac_key
# Staff logins take a second factor in production unless the environment says otherwise.
STAFF_2FA_REQUIRED = True if ENV.staff_2fa_required is None else ENV.staff_2fa_required
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = ENV.secure_ssl_redirect
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names that WhiteNoise serves as immutable (a year-long cache header); `collectstatic` runs
    # at every start (deploy/kezdesu-web.service, scripts/stack).
    "staticfiles": {"BACKEND": "config.storage.StaticStorage"},
}
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "whitenoise.middleware.WhiteNoiseMiddleware")
# Probes and the metrics scraper talk plain HTTP to the local proxy or the application port.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
