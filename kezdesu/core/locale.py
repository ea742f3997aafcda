"""The active language and the project's time zone, each read one way."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language


def language() -> str:
    """The two-letter code of the active language (kk, ru or en); the default language when none is active."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def local_zone() -> dt.tzinfo:
    """The project's time zone (settings.TIME_ZONE, Asia/Almaty by default), in which days are counted."""
    return timezone.get_default_timezone()
