"""Errors are codes: every service raises `ApplicationError(code)` with one of these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A refusal the user can understand: `code` for machines, `message` (translated) for people."""

    def __init__(self, code: models.TextChoices, message: str | None = None, *, status: int = 400, **params):
        self.code = code
        self.params = params
        self.status = status
        text = message if message is not None else code.label
        self.message = str(text) % params if params else str(text)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class CoreError(models.TextChoices):
    PERMISSION_DENIED = "permission_denied", _("You do not have permission to do this.")
    NOT_FOUND = "not_found", _("Not found.")
    CONFLICT = "conflict", _("Someone else changed this record after you opened it. Reload and try again.")
    INVALID = "invalid", _("The data is not valid.")
