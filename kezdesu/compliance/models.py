from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanTextField, max_length_check
from kezdesu.core.models import TimeStamped


class QuarterlyReport(TimeStamped):
    """Clause 1.4: a body's generalised information on the meetings of one quarter."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    body = models.ForeignKey("registry.Body", verbose_name=_("body"), on_delete=models.PROTECT,
                             related_name="quarterly_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    comment = CleanTextField(_("coordinator's comment"), max_length=limits.REPORT_COMMENT, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    snapshot = models.JSONField(_("figures as submitted"), default=dict, blank=True)

    class Meta:
        ordering = ["-year", "-quarter", "body"]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "quarter"], name="one_report_per_body_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="report_quarter_1_4"),
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | models.Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
            max_length_check("comment", limits.REPORT_COMMENT, name="report_comment_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.body.slug} {self.year}-Q{self.quarter}"
