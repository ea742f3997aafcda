"""Errors are codes: every service raises `ApplicationError(code)` with one of these.

A service says only what went wrong. Which codes are refusals of a particular kind (forbidden, not
found, conflict, too many requests) each app's `errors.py` declares in its `REFUSALS`; the web and API
layers turn a kind into an HTTP status in `kezdesu.core.responses`. Every other code is invalid input.
"""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A refusal the user can understand: `code` for machines, `message` (translated) for people."""

    def __init__(self, code: models.TextChoices, message: str | None = None, **params):
        self.code = code
        self.params = params
        text = message if message is not None else code.label
        self.message = str(text) % params if params else str(text)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class Refusal(enum.Enum):
    """The kind of a refusal, declared per code in each app's `REFUSALS` (the default is INVALID)."""

    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    TOO_MANY = "too_many"


class CoreError(models.TextChoices):
    CONFLICT = "conflict", _("Someone else changed this record after you opened it. Reload and try again.")
    INVALID = "invalid", _("The data is not valid.")


class TransitionError(models.TextChoices):
    ILLEGAL = "illegal_transition", _("This record cannot move from “%(source)s” to “%(target)s”.")
    ROLE_CANNOT = "role_cannot", _("Your role cannot make this change.")
    REASON_REQUIRED = "reason_required", _("Give a reason for this change.")


REFUSALS = {
    CoreError.CONFLICT: Refusal.CONFLICT,
    TransitionError.ILLEGAL: Refusal.CONFLICT,
    TransitionError.ROLE_CANNOT: Refusal.FORBIDDEN,
}
