"""Local demo: DEBUG on, plain HTTP on 127.0.0.1, mail printed to the console."""

from .base import *  # noqa: F403

DEBUG = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
