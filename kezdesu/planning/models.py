"""Clause 3.1: the half-year schedule drafted by the authorized body, agreed with the bodies,
submitted to the Government and approved by decree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanCharField, CleanTextField, max_length_check
from kezdesu.core.models import TimeStamped
from kezdesu.core.transitions import StatusChange


class Plan(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AGREED = "agreed", _("Agreed by the bodies")
        SUBMITTED = "submitted", _("Submitted to the Government")
        APPROVED = "approved", _("Approved by the Government")

    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half-year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    solver = models.JSONField(_("optimiser statistics"), default=dict, blank=True)
    progress = models.JSONField(_("optimiser progress"), default=list, blank=True)
    running = models.BooleanField(_("optimiser running"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decree_number = CleanCharField(_("decree number"), max_length=50, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # `version` numbers the drafts of one half-year; `row_version` guards the row against lost updates.
    row_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "-half", "-version"]
        verbose_name = _("half-year plan")
        verbose_name_plural = _("half-year plans")
        constraints = [
            models.UniqueConstraint(fields=["year", "half", "version"], name="plan_version_unique"),
            models.CheckConstraint(condition=models.Q(half__in=[1, 2]), name="plan_half_1_2"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-H{self.half} v{self.version}"

    @property
    def label(self) -> str:
        return f"{self.year}-H{self.half}"


class PlanTransition(StatusChange):
    """The plan's history: every status change with who, when and why."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="transitions")

    class Meta(StatusChange.Meta):
        verbose_name = _("plan status change")
        verbose_name_plural = _("plan status changes")


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    week_start = models.DateField(_("week"))
    pinned = models.BooleanField(_("agreed meeting (fixed)"), default=False)
    rationale = models.JSONField(_("rationale"), default=dict, blank=True)
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="plan_items")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["week_start", "body"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return f"{self.body.slug} {self.region.slug} {self.week_start}"


class PlanAgreement(TimeStamped):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting the body")
        AGREED = "agreed", _("Agreed")
        CHANGES = "changes", _("Changes requested")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="agreements")
    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    comment = CleanTextField(_("comment"), max_length=limits.COMMENT, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "body"], name="plan_agreement_unique"),
            max_length_check("comment", limits.COMMENT, name="plan_agreement_comment_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.body.slug}: {self.decision}"


class Unavailability(TimeStamped):
    """Dates when a body's first head cannot travel (the optimiser plans no meeting in those weeks)."""

    body = models.ForeignKey("registry.Body", on_delete=models.CASCADE, related_name="unavailability")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    reason = CleanCharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["start"]
        verbose_name = _("unavailability of the head")
        verbose_name_plural = _("unavailability of heads")
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")),
                                              name="unavailability_ordered")]

    def __str__(self) -> str:
        return f"{self.body.slug} {self.start}–{self.end}"
