"""Citizens' registrations to attend a meeting in person."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from kezdesu.core.fields import CleanCharField
from kezdesu.core.models import TimeStamped


def registration_code() -> str:
    """Return a short code a citizen shows at the entrance (no look-alike characters)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "R-" + "".join(secrets.choice(alphabet) for _ in range(8))


class Registration(TimeStamped):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Seat confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="registrations")
    # Private: never shown on public pages nor in the open API.
    name = CleanCharField(_("name"), max_length=200)
    contact = CleanCharField(_("contact"), max_length=200, help_text=_("Stored normalised, to find duplicates."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    code = models.CharField(_("registration code"), max_length=12, unique=True, default=registration_code)
    # The language of the page the citizen registered on: later mail about the seat is written in it.
    language = models.CharField(_("language"), max_length=2, default="kk")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["meeting", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "contact"], name="registration_once_per_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.status})"
