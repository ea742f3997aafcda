"""Clause 3.2: the procedure for holding meetings, approved by the authorized body and brought to the
central executive bodies, versioned, with who acknowledged receipt.

The quarterly report itself is `compliance.QuarterlyReport`; half-year results and the schedule annex
are generated from data and stored nowhere.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanCharField, CleanTextField, max_length_check
from kezdesu.core.models import TimeStamped


class ProcedureQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProcedureQuerySet:
        """Published rules are read by every staff member who holds a role."""
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
        lang = (get_language() or "kk")[:2]
        return getattr(self, f"title_{lang}", "") or self.title_kk

    @property
    def text(self) -> str:
        lang = (get_language() or "kk")[:2]
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
