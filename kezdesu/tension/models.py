"""Clause 1.3: citizens' appeals, the tension alerts raised from them, and the obligation of the
responsible bodies' first heads to hold an unscheduled meeting in that region."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanCharField, CleanTextField, max_length_check
from kezdesu.core.models import TimeStamped
from kezdesu.core.transitions import StatusChange
from kezdesu.users.scoping import scope


class ImportBatch(TimeStamped):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file_name = CleanCharField(_("file"), max_length=300)
    file_format = models.CharField(_("format"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("created"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("already present"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rejected"), default=0)
    rejected = models.JSONField(_("rejected rows"), default=list, blank=True)
    error = CleanTextField(_("error"), max_length=limits.COMMENT, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("appeals import")
        verbose_name_plural = _("appeals imports")
        constraints = [max_length_check("error", limits.COMMENT, name="import_error_max_length")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows_created}/{self.rows_total})"

    @property
    def rejected_rows(self) -> list[dict]:
        """The stored rejected rows, each with its reason in the active language."""
        from kezdesu.tension.errors import RowError

        return [{**r, "reason": RowError(r["code"]).label if r.get("code") in RowError.values else r.get("code")}
                for r in self.rejected]


class Appeal(models.Model):
    """One citizens' appeal as imported from the appeals register (no personal data kept)."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        REQUEST = "request", _("Request")
        PROPOSAL = "proposal", _("Proposal")
        REPORT = "report", _("Report")

    # Unique through a constraint of Meta, not `unique=True`: PostgreSQL then keeps one index on it, without
    # the second (varchar_pattern_ops) index Django adds for LIKE, which nothing asks of it (decision 0122).
    external_id = models.CharField(_("external id"), max_length=64)
    received_on = models.DateField(_("received"))
    # Millions of rows arrive in bulk: each reference is checked against the registry lookups while the
    # file is read, so the database neither checks the foreign keys row by row at commit nor keeps an
    # index the composite one below already covers (PROTECT still guards deletes). See decision 0071.
    week_start = models.DateField(_("week"))  # Monday of received_on: the series' bucket
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="appeals",
                               db_constraint=False, db_index=False)
    sector = models.ForeignKey("registry.Sector", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="appeals", db_constraint=False, db_index=False)
    recipient_body = models.ForeignKey("registry.Body", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="appeals", db_constraint=False, db_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    signatories = models.PositiveIntegerField(_("signatories"), default=1)
    text = CleanTextField(_("text"), max_length=limits.APPEAL_TEXT, blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              db_constraint=False)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [models.Index(fields=["region", "sector", "week_start"])]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="one_appeal_per_external_id"),
            max_length_check("text", limits.APPEAL_TEXT, name="appeal_text_max_length"),
            models.CheckConstraint(condition=Q(signatories__gte=1, signatories__lte=limits.SIGNATORIES_MAX),
                                   name="appeal_signatories_in_range"),
        ]

    def __str__(self) -> str:
        return self.external_id


class WeeklyCount(models.Model):
    """Appeals of one region × sector × kind in one week, kept up to date by every import: the series the
    scan reads (summing a few thousand rows instead of millions of appeals)."""

    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey("registry.Sector", on_delete=models.PROTECT, related_name="+")
    week_start = models.DateField(_("week"))
    kind = models.CharField(_("kind"), max_length=10, choices=Appeal.Kind.choices)
    appeals = models.PositiveIntegerField(_("appeals"), default=0)
    collective = models.PositiveIntegerField(_("collective appeals"), default=0)

    class Meta:
        verbose_name = _("weekly appeal count")
        verbose_name_plural = _("weekly appeal counts")
        constraints = [models.UniqueConstraint(fields=["region", "sector", "week_start", "kind"],
                                               name="one_count_per_cell_week_kind")]

    def __str__(self) -> str:
        return f"{self.region_id}:{self.sector_id} {self.week_start} {self.kind}: {self.appeals}"


class WeeklyKeywordCount(models.Model):
    """Appeals of one region × sector and week whose text names one escalation category (strike, unpaid
    wages…): the cell's usual rate of each wording, so a wording present every week is not a rise."""

    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey("registry.Sector", on_delete=models.PROTECT, related_name="+")
    week_start = models.DateField(_("week"))
    category = models.CharField(_("category"), max_length=20)
    appeals = models.PositiveIntegerField(_("appeals"), default=0)

    class Meta:
        verbose_name = _("weekly escalation wording count")
        verbose_name_plural = _("weekly escalation wording counts")
        constraints = [models.UniqueConstraint(fields=["region", "sector", "week_start", "category"],
                                               name="one_keyword_count_per_cell_week")]

    def __str__(self) -> str:
        return f"{self.region_id}:{self.sector_id} {self.week_start} {self.category}: {self.appeals}"


class TensionAlertQuerySet(models.QuerySet):
    def visible_to(self, user) -> TensionAlertQuerySet:
        """The roles that see all see every alert; a body the alerts it holds an obligation of (as the
        obligation scope says); an akimat its region's."""
        return scope(self, user, body=lambda m: Q(pk__in=Obligation.objects.visible_to(user).values("alert_id")),
                     region=lambda m: Q(region_id=m.region_id))

    def open(self) -> TensionAlertQuerySet:
        return self.filter(status=TensionAlert.Status.OPEN)

    def current(self) -> TensionAlertQuerySet:
        """Alerts the scan still follows: open ones and those no bound body can answer."""
        return self.filter(status__in=TensionAlert.CURRENT)


class TensionAlert(TimeStamped):
    class Level(models.TextChoices):
        WATCH = "watch", _("Watch")
        WARNING = "warning", _("Warning")
        MANDATORY = "mandatory", _("Unscheduled meeting required")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UNBOUND = "unbound", _("No bound body: every responsible body is exempt")
        ANSWERED = "answered", _("Answered by a meeting")
        CLOSED = "closed", _("Closed: back to normal")

    CURRENT = (Status.OPEN, Status.UNBOUND)

    fingerprint = models.CharField(max_length=120, db_index=True)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="alerts")
    sector = models.ForeignKey("registry.Sector", on_delete=models.PROTECT, related_name="alerts")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    peak_level = models.CharField(_("highest level"), max_length=10, choices=Level.choices)
    score = models.FloatField(_("score"))
    week_start = models.DateField(_("week"))
    evidence = models.JSONField(_("evidence"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TensionAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-score"]
        verbose_name = _("tension alert")
        verbose_name_plural = _("tension alerts")
        constraints = [
            models.UniqueConstraint(fields=["fingerprint"], condition=Q(status__in=["open", "unbound"]),
                                    name="one_current_alert_per_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.region} / {self.sector}: {self.get_level_display()}"


class AlertTransition(StatusChange):
    alert = models.ForeignKey(TensionAlert, on_delete=models.CASCADE, related_name="transitions")

    class Meta(StatusChange.Meta):
        verbose_name = _("alert status change")
        verbose_name_plural = _("alert status changes")


class ObligationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ObligationQuerySet:
        """The authorized body and the Government see all; a body its own; an akimat its region's."""
        return scope(self, user, body=lambda m: Q(body_id=m.body_id), region=lambda m: Q(alert__region_id=m.region_id))


class Obligation(TimeStamped):
    """Clause 1.3: the body's first head must meet the region's residents by the deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Fulfilled")
        MISSED = "missed", _("Deadline missed")
        WITHDRAWN = "withdrawn", _("Withdrawn: tension subsided")

    alert = models.ForeignKey(TensionAlert, on_delete=models.CASCADE, related_name="obligations")
    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="obligations")
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="obligations")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["deadline"]
        verbose_name = _("unscheduled meeting obligation")
        verbose_name_plural = _("unscheduled meeting obligations")
        constraints = [models.UniqueConstraint(fields=["alert", "body"], name="one_obligation_per_body")]

    def __str__(self) -> str:
        return f"{self.body.slug} → {self.alert.region.slug} by {self.deadline}"


class ObligationTransition(StatusChange):
    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="transitions")

    class Meta(StatusChange.Meta):
        verbose_name = _("obligation status change")
        verbose_name_plural = _("obligation status changes")
