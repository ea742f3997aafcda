"""How the web and API layers answer a refused request: the HTTP status of an error code.

Services raise codes only. Each app's `errors.py` declares in `REFUSALS` which of its codes are
forbidden, not found, conflicts or too many requests; this module collects those declarations once and
holds the one table from a kind of refusal to an HTTP status.
"""

from __future__ import annotations

from functools import cache
from http import HTTPStatus
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.module_loading import module_has_submodule

from kezdesu.core.errors import ApplicationError, Refusal

STATUS = {
    Refusal.INVALID: HTTPStatus.BAD_REQUEST,
    Refusal.FORBIDDEN: HTTPStatus.FORBIDDEN,
    Refusal.NOT_FOUND: HTTPStatus.NOT_FOUND,
    Refusal.CONFLICT: HTTPStatus.CONFLICT,
    Refusal.TOO_MANY: HTTPStatus.TOO_MANY_REQUESTS,
}


@cache
def refusals() -> dict[tuple[type, str], Refusal]:
    """Every app's `REFUSALS`, keyed by (enum, value): two apps may use the same value for different codes."""
    table: dict[tuple[type, str], Refusal] = {}
    for config in apps.get_app_configs():
        if config.name.startswith("kezdesu.") and module_has_submodule(config.module, "errors"):
            for code, refusal in getattr(import_module(f"{config.name}.errors"), "REFUSALS", {}).items():
                table[(type(code), code.value)] = refusal
    return table


def refusal(err: ApplicationError) -> Refusal:
    """The kind of refusal `err` is (INVALID unless its app's `REFUSALS` says otherwise)."""
    code = err.code
    return refusals().get((type(code), getattr(code, "value", code)), Refusal.INVALID)


def http_status(err: ApplicationError) -> int:
    """The HTTP status that answers `err` (400 unless its code is declared another kind of refusal)."""
    return int(STATUS[refusal(err)])


def field_messages(err: ValidationError) -> dict[str, list[str]]:
    """The messages of a `full_clean()` failure by field (`__all__` for the whole record)."""
    if hasattr(err, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in err.message_dict.items()}
    return {"__all__": [str(m) for m in err.messages]}
