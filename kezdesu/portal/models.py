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


def subscription_secret() -> str:
    return secrets.token_urlsafe(24)


class Subscription(TimeStamped):
    """A citizen follows a meeting, a region or a body by e-mail, without an account (double opt-in).

    The address is personal data: it is kept only while the subscription is pending or active, and deleted
    with the row on unsubscribing. Links in mail are HMACs of the row's `secret` (config CONTACT_HASH_KEY):
    neither the address nor a link can be read from the table alone.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Active")

    # Private: never shown on public pages, in the open API or in logs.
    email = models.EmailField(_("e-mail"), max_length=254)
    contact_hash = models.CharField(max_length=64, editable=False)
    meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="subscriptions")
    region = models.ForeignKey("registry.Region", verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="subscriptions")
    body = models.ForeignKey("registry.Body", verbose_name=_("body"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="subscriptions")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    # Mail to the subscriber is written in the language of the page they subscribed on.
    language = models.CharField(_("language"), max_length=2, default="kk")
    secret = models.CharField(max_length=40, default=subscription_secret, editable=False)
    expires_at = models.DateTimeField(_("confirm before"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("follow-up subscription")
        verbose_name_plural = _("follow-up subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(meeting__isnull=False, region__isnull=True, body__isnull=True)
                           | models.Q(meeting__isnull=True, region__isnull=False, body__isnull=True)
                           | models.Q(meeting__isnull=True, region__isnull=True, body__isnull=False)),
                name="subscription_follows_one_thing"),
            models.UniqueConstraint(fields=["contact_hash", "meeting"], condition=models.Q(meeting__isnull=False),
                                    name="subscription_once_per_meeting"),
            models.UniqueConstraint(fields=["contact_hash", "region"], condition=models.Q(region__isnull=False),
                                    name="subscription_once_per_region"),
            models.UniqueConstraint(fields=["contact_hash", "body"], condition=models.Q(body__isnull=False),
                                    name="subscription_once_per_body"),
        ]
        indexes = [models.Index(fields=["status", "meeting"]), models.Index(fields=["status", "region"]),
                   models.Index(fields=["status", "body"])]

    def __str__(self) -> str:
        return f"subscription {self.pk} ({self.status})"
