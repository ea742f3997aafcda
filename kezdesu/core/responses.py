"""How the web and API layers answer a refused request: the HTTP status of an error code."""

from __future__ import annotations

from kezdesu.core.errors import ApplicationError


def http_status(err: ApplicationError) -> int:
    """The HTTP status that answers `err` (400 unless its code says otherwise)."""
    return err.status
