"""Guards on what citizens send without an account: the per-client rate limit and contact clean-up.

The client is known only by a salted hash of its IP address, kept in the shared cache for the limit's
window (every web process of every server counts in the same place); the address itself is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import zlib

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections, router, transaction
from django.utils.crypto import salted_hmac

_PHONE = re.compile(r"^\+?[\d\s().-]+$")


def client_fingerprint(client_ip: str) -> str:
    """Return a salted hash of the client's address (the salt is the project's secret key)."""
    return salted_hmac("kezdesu.questions.intake.client", client_ip or "unknown", algorithm="sha256").hexdigest()


def throttle_allows(*, scope: str, client_ip: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt of the client in `scope`; return False once it is over `limit` in the window."""
    key = f"kezdesu:throttle:{scope}:{client_fingerprint(client_ip)}"
    if not isinstance(cache, DatabaseCache):  # Redis counts atomically
        return _count(key, window_seconds) <= limit
    # The database cache reads then writes: one transaction per count, and on PostgreSQL a lock on the
    # key, so that processes counting the same client at once do not lose counts. (SQLite's IMMEDIATE
    # transactions already take the write lock at BEGIN.)
    alias = router.db_for_write(cache.cache_model_class)
    with transaction.atomic(using=alias):
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(key.encode())])
        return _count(key, window_seconds) <= limit


def _count(key: str, window_seconds: int) -> int:
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, timeout=window_seconds)
        return 1


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


def normalise_email(raw: str) -> str | None:
    """Return the e-mail address in lower case, or None when `raw` is not one."""
    value = normalise_contact(raw)
    return value if value and "@" in value else None


def contact_hash(address: str) -> str:
    """Return the keyed hash that stands for a normalised e-mail address (CONTACT_HASH_KEY): equal addresses
    give equal hashes, and without the key a hash cannot be checked against a guessed address."""
    return hmac.new(settings.CONTACT_HASH_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def token_digest(token: str) -> str:
    """Return how a one-time link's random token is stored (its SHA-256): a copy of the table opens no link."""
    return hashlib.sha256(token.encode()).hexdigest()
