"""Guards on what citizens send without an account: the per-client rate limit and contact clean-up.

The client is known only by a salted hash of its IP address, kept in the cache for the limit's window;
the address itself is never stored.
"""

from __future__ import annotations

import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.crypto import salted_hmac

_PHONE = re.compile(r"^\+?[\d\s().-]+$")


def client_fingerprint(client_ip: str) -> str:
    """Return a salted hash of the client's address (the salt is the project's secret key)."""
    return salted_hmac("kezdesu.questions.intake.client", client_ip or "unknown", algorithm="sha256").hexdigest()


def throttle_allows(*, scope: str, client_ip: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt of the client in `scope`; return False once it is over `limit` in the window."""
    key = f"kezdesu:throttle:{scope}:{client_fingerprint(client_ip)}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def normalise_contact(raw: str) -> str | None:
    """Return an e-mail in lower case or a phone as "+digits" ("" when empty); None when it is neither."""
    value = " ".join((raw or "").split())
    if not value:
        return ""
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            return None
        return value.lower()
    if not _PHONE.match(value):
        return None
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("8"):  # the domestic trunk prefix: 8 701 … is +7 701 …
        digits = "7" + digits[1:]
    elif len(digits) == 10 and digits.startswith("7"):  # a Kazakh mobile written without the country code
        digits = "7" + digits
    if not 10 <= len(digits) <= 15:
        return None
    return "+" + digits
