"""Reference data: regions, central executive bodies (clause 1), their first heads, sectors."""

from __future__ import annotations

import datetime as dt
import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.actors import SYSTEM
from kezdesu.core.calendar import within
from kezdesu.core.fields import CleanCharField, CleanTextField, max_length_check
from kezdesu.core.locale import language
from kezdesu.core.models import TimeStamped

# Words that say what kind of unit a region is, in the three languages.
_KIND_WORDS = re.compile(r"\s*\b(облысы|қаласы|область|город|Region)\b\s*", re.IGNORECASE)


class Trilingual(models.Model):
    """Names in Kazakh, Russian and English; `name` picks the active language, Kazakh first."""

    name_kk = CleanCharField(_("name (Kazakh)"), max_length=300)
    name_ru = CleanCharField(_("name (Russian)"), max_length=300)
    name_en = CleanCharField(_("name (English)"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = language()
        return getattr(self, f"name_{lang}", None) or self.name_kk


class Region(Trilingual, TimeStamped):
    """An oblast or a city of republican significance, each with its own akimat (clause 2)."""

    class Kind(models.TextChoices):
        OBLAST = "oblast", _("Region (oblast)")
        CITY = "city", _("City of republican significance")

    kato_code = models.CharField(_("KATO code"), max_length=9, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    centre_kk = CleanCharField(_("centre (Kazakh)"), max_length=100)
    centre_ru = CleanCharField(_("centre (Russian)"), max_length=100)
    centre_en = CleanCharField(_("centre (English)"), max_length=100)
    population = models.PositiveIntegerField(_("population"))
    population_year = models.PositiveSmallIntegerField(_("population as of year"))
    population_confirmed = models.BooleanField(_("population confirmed"), default=False)

    class Meta:
        ordering = ["kato_code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    @property
    def centre(self) -> str:
        """The administrative centre in the active language, Kazakh first (as `name`)."""
        return getattr(self, f"centre_{language()}", None) or self.centre_kk

    @property
    def short_name(self) -> str:
        """The name without the word for its kind ("Абай облысы" → "Абай"), for tight places: grids, the map.

        Almaty's oblast keeps its word where its name is the city's (kk, en), so the two are never confused."""
        name = _KIND_WORDS.sub(" ", self.name).strip() or self.name
        return self.name if self.slug == "almaty-region" and name in ("Алматы", "Almaty") else name


class BodyQuerySet(models.QuerySet):
    def visible_to(self, user) -> BodyQuerySet:
        # The registry of bodies is public reference data: every staff member reads all of it.
        return self if user is SYSTEM or user.is_authenticated else self.none()

    def valid_on(self, day: dt.date) -> BodyQuerySet:
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def valid_during(self, start: dt.date, end: dt.date) -> BodyQuerySet:
        return self.filter(valid_from__lte=end).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))


class Body(Trilingual, TimeStamped):
    """A central executive body. Renaming closes one row and opens its successor, keeping history."""

    slug = models.SlugField(_("slug"), unique=True)
    short_kk = CleanCharField(_("short name (Kazakh)"), max_length=120, blank=True)
    short_ru = CleanCharField(_("short name (Russian)"), max_length=120, blank=True)
    short_en = CleanCharField(_("short name (English)"), max_length=120, blank=True)
    exempt = models.BooleanField(_("exempt from the resolution"), default=False)
    exempt_basis = CleanCharField(_("basis of the exemption"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    predecessor = models.OneToOneField(
        "self", verbose_name=_("predecessor"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="successor",
    )
    basis = CleanCharField(_("legal basis of the current name"), max_length=300, blank=True)
    confirmed = models.BooleanField(_("data confirmed"), default=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("central executive body")
        verbose_name_plural = _("central executive bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="body_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(exempt=False) | ~Q(exempt_basis=""), name="body_exempt_has_basis",
            ),
        ]

    @property
    def short_name(self) -> str:
        lang = language()
        return getattr(self, f"short_{lang}", "") or self.name


class Head(TimeStamped):
    """Who was first head (or acting first head) of a body over which dates (clause 1.1)."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="heads")
    full_name_kk = CleanCharField(_("full name (Kazakh)"), max_length=200)
    full_name_ru = CleanCharField(_("full name (Russian)"), max_length=200)
    full_name_en = CleanCharField(_("full name (English)"), max_length=200)
    position_kk = CleanCharField(_("position (Kazakh)"), max_length=200, blank=True)
    position_ru = CleanCharField(_("position (Russian)"), max_length=200, blank=True)
    position_en = CleanCharField(_("position (English)"), max_length=200, blank=True)
    acting = models.BooleanField(_("acting"), default=False)
    is_first_head = models.BooleanField(
        _("first head"), default=True,
        help_text=_("Deputies may be recorded too; only first heads' meetings count toward the quota."),
    )
    start = models.DateField(_("tenure start"))
    end = models.DateField(_("tenure end"), null=True, blank=True)

    class Meta:
        ordering = ["body", "-start"]
        verbose_name = _("head")
        verbose_name_plural = _("heads")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="head_tenure_ordered",
            ),
        ]

    @property
    def full_name(self) -> str:
        lang = language()
        return getattr(self, f"full_name_{lang}", "") or self.full_name_kk

    @property
    def position(self) -> str:
        """The position in the reader's language ("Minister" on English pages), Kazakh when not given."""
        lang = language()
        return getattr(self, f"position_{lang}", "") or self.position_kk

    def __str__(self) -> str:
        return self.full_name

    def in_office_on(self, day: dt.date) -> bool:
        return within(day, self.start, self.end)


class Sector(Trilingual, TimeStamped):
    """A field of citizens' issues; appeals, questions and alerts carry one."""

    slug = models.SlugField(_("slug"), unique=True)
    keywords = CleanTextField(_("keywords"), max_length=limits.KEYWORDS, blank=True,
                              help_text=_("Words that route text to this sector."))
    bodies = models.ManyToManyField(Body, verbose_name=_("responsible bodies"), related_name="sectors", blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [max_length_check("keywords", limits.KEYWORDS, name="sector_keywords_max_length")]
