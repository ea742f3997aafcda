"""Clause 3.2: the procedure for holding meetings, approved by the authorized body and brought to the
central executive bodies, versioned, with who acknowledged receipt.

The quarterly report itself is `compliance.QuarterlyReport` (its history is `QuarterlyReportTransition`);
the half-year results are generated from data and frozen in a `HalfYearSubmission` when the authorized
body sends them to the Office of the Government (clause 3.3).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.actors import SYSTEM
from kezdesu.core.fields import CleanCharField, CleanTextField, max_length_check
from kezdesu.core.locale import language
from kezdesu.core.models import TimeStamped
from kezdesu.core.transitions import StatusChange


class ProcedureQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProcedureQuerySet:
        """Published rules are read by every staff member who holds a role."""
        if user is SYSTEM:
            return self
        if user is None:
            raise TypeError("a scope needs a user or SYSTEM, never None")
        membership = getattr(user, "membership", None) if getattr(user, "is_authenticated", False) else None
        return self if membership is not None else self.none()

    def in_force_on(self, day: dt.date) -> ProcedureQuerySet:
        return self.filter(effective_from__lte=day)


class ProcedureDocument(TimeStamped):
    """One published version of the procedure; a new version supersedes it from its effective date."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title_kk = CleanCharField(_("title (Kazakh)"), max_length=300)
    title_ru = CleanCharField(_("title (Russian)"), max_length=300)
    title_en = CleanCharField(_("title (English)"), max_length=300, blank=True)
    text_kk = CleanTextField(_("text (Kazakh)"), max_length=limits.PROCEDURE)
    text_ru = CleanTextField(_("text (Russian)"), max_length=limits.PROCEDURE)
    effective_from = models.DateField(_("effective from"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("procedure document")
        verbose_name_plural = _("procedure documents")
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="procedure_version_positive"),
            models.CheckConstraint(condition=~Q(title_kk="") & ~Q(title_ru="") & ~Q(text_kk="") & ~Q(text_ru=""),
                                   name="procedure_kk_ru_filled"),
            max_length_check("text_kk", limits.PROCEDURE, name="procedure_text_kk_max_length"),
            max_length_check("text_ru", limits.PROCEDURE, name="procedure_text_ru_max_length"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.title}"

    @property
    def title(self) -> str:
        lang = language()
        return getattr(self, f"title_{lang}", "") or self.title_kk

    @property
    def text(self) -> str:
        lang = language()
        return getattr(self, f"text_{lang}", "") or self.text_kk


class ProcedureAcknowledgement(models.Model):
    """A body coordinator confirms receipt of one version (once)."""

    document = models.ForeignKey(ProcedureDocument, verbose_name=_("procedure document"), on_delete=models.CASCADE,
                                 related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="procedure_acknowledgements")
    at = models.DateTimeField(_("acknowledged"))

    class Meta:
        ordering = ["document", "at"]
        verbose_name = _("acknowledgement of the procedure")
        verbose_name_plural = _("acknowledgements of the procedure")
        constraints = [models.UniqueConstraint(fields=["document", "user"], name="procedure_ack_once_per_user")]

    def __str__(self) -> str:
        return f"v{self.document.version} ← {self.user}"


class QuarterlyReportTransition(StatusChange):
    """The history of a quarterly report (clause 1.4): who submitted it and when."""

    report = models.ForeignKey("compliance.QuarterlyReport", on_delete=models.CASCADE, related_name="transitions")

    class Meta(StatusChange.Meta):
        verbose_name = _("quarterly report status change")
        verbose_name_plural = _("quarterly report status changes")


class HalfYearSubmission(TimeStamped):
    """Clause 3.3: the half-year results as sent to the Office of the Government, frozen at sending."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not sent yet")
        SUBMITTED = "submitted", _("Sent to the Office of the Government")

    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half-year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    snapshot = models.JSONField(_("figures as sent"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "-half"]
        verbose_name = _("half-year results sent")
        verbose_name_plural = _("half-year results sent")
        constraints = [
            models.UniqueConstraint(fields=["year", "half"], name="one_results_submission_per_half"),
            models.CheckConstraint(condition=Q(half__in=[1, 2]), name="results_submission_half_1_2"),
            models.CheckConstraint(condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                                   name="results_submitted_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-H{self.half}: {self.status}"


class HalfYearSubmissionTransition(StatusChange):
    submission = models.ForeignKey(HalfYearSubmission, on_delete=models.CASCADE, related_name="transitions")

    class Meta(StatusChange.Meta):
        verbose_name = _("half-year results status change")
        verbose_name_plural = _("half-year results status changes")


class BriefingPackQuerySet(models.QuerySet):
    def visible_to(self, user) -> BriefingPackQuerySet:
        """Whoever sees the meeting sees its packs (`Meeting.visible_to`)."""
        from kezdesu.meetings.models import Meeting

        return self.filter(meeting__in=Meeting.objects.visible_to(user))


class BriefingPack(models.Model):
    """One file of the briefing pack prepared for the head before an agreed meeting: one language, one format.

    Every generation adds a file per language and format; the newest of each is the one offered. A pack is
    current while the meeting is as it was when the pack was made (`meeting_version`).
    """

    class Language(models.TextChoices):
        KK = "kk", _("Kazakh")
        RU = "ru", _("Russian")

    class Format(models.TextChoices):
        DOCX = "docx", "DOCX"
        PDF = "pdf", "PDF"

    meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="briefing_packs")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    file = models.FileField(_("file"), upload_to="briefings/%Y/%m/", max_length=300)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    meeting_version = models.PositiveIntegerField(_("meeting version"))
    generated_at = models.DateTimeField(_("generated"), db_index=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("generated by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = BriefingPackQuerySet.as_manager()

    class Meta:
        ordering = ["-generated_at", "language", "format"]
        verbose_name = _("briefing pack")
        verbose_name_plural = _("briefing packs")
        constraints = [
            models.CheckConstraint(condition=Q(language__in=["kk", "ru"]), name="briefing_language_kk_ru"),
            models.CheckConstraint(condition=Q(format__in=["docx", "pdf"]), name="briefing_format_docx_pdf"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.language}.{self.format} {self.generated_at:%Y-%m-%d %H:%M}"
