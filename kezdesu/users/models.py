"""Staff accounts and what each may see: one Membership per user names the role and its scope."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kezdesu.core.models import TimeStamped


class Role(models.TextChoices):
    AUTHORIZED_ADMIN = "authorized_admin", _("Authorized body: administrator")
    AUTHORIZED_ANALYST = "authorized_analyst", _("Authorized body: analyst")
    BODY_COORDINATOR = "body_coordinator", _("Body coordinator")
    AKIMAT_COORDINATOR = "akimat_coordinator", _("Akimat coordinator")
    GOVERNMENT_VIEWER = "government_viewer", _("Office of the Government")
    MODERATOR = "moderator", _("Moderator")


class User(AbstractUser):
    """A staff account. Citizens do not need one: the portal is open to read and to ask."""

    middle_name = models.CharField(_("patronymic"), max_length=150, blank=True)
    language = models.CharField(_("preferred language"), max_length=2, default="kk",
                                choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def membership(self) -> Membership | None:
        """Return the user's active membership (cached on the instance), or None."""
        if not hasattr(self, "_membership_cache"):
            self._membership_cache = (
                Membership.objects.select_related("body", "region").filter(user=self, active=True).first()
                if self.pk else None
            )
        return self._membership_cache

    @property
    def role(self) -> str | None:
        m = self.membership
        return m.role if m else None


class Membership(TimeStamped):
    """The user's role; body coordinators are tied to one body, akimat coordinators to one region."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    body = models.ForeignKey("registry.Body", verbose_name=_("body"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="memberships")
    region = models.ForeignKey("registry.Region", verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="memberships")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(active=True), name="one_active_membership"),
            models.CheckConstraint(
                condition=(
                    (Q(role=Role.BODY_COORDINATOR) & Q(body__isnull=False) & Q(region__isnull=True))
                    | (Q(role=Role.AKIMAT_COORDINATOR) & Q(region__isnull=False) & Q(body__isnull=True))
                    | (~Q(role__in=[Role.BODY_COORDINATOR, Role.AKIMAT_COORDINATOR])
                       & Q(body__isnull=True) & Q(region__isnull=True))
                ),
                name="membership_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.body or self.region
        return f"{self.user} — {self.get_role_display()}" + (f" ({scope})" if scope else "")
