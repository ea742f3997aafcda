"""Citizens' questions: asked in advance on the portal or raised at a meeting."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanCharField, CleanTextField, max_length_check
from kezdesu.core.models import TimeStamped
from kezdesu.core.transitions import StatusChange
from kezdesu.users.models import Role
from kezdesu.users.scoping import SEES_ALL, scope


def tracking_code() -> str:
    """Return a short code a citizen can use to follow a question (no look-alike characters)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "Q-" + "".join(secrets.choice(alphabet) for _ in range(8))


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuestionQuerySet:
        """Moderators and the authorized body see all; a body its meetings' questions; an akimat its region's."""
        return scope(self, user, sees_all=(*SEES_ALL, Role.MODERATOR),
                     body=lambda m: Q(meeting__body_id=m.body_id), region=lambda m: Q(region_id=m.region_id))

    def public(self) -> QuestionQuerySet:
        return self.filter(status__in=Question.PUBLIC_STATUSES)


class Question(TimeStamped):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        ANSWERED = "answered", _("Answered")
        REFERRED = "referred", _("Referred to another body")
        RESOLVED = "resolved", _("Resolved")

    class Origin(models.TextChoices):
        PORTAL = "portal", _("Asked in advance on the portal")
        MEETING = "meeting", _("Raised at the meeting")

    class Handling(models.TextChoices):
        NONE = "", _("—")
        ON_THE_SPOT = "on_the_spot", _("Answered on the spot")
        IN_WRITING = "in_writing", _("Answered in writing")
        UNDER_CONTROL = "under_control", _("Taken under control")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.ANSWERED, Status.REFERRED, Status.RESOLVED)

    meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="questions")
    region = models.ForeignKey("registry.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="questions")
    sector = models.ForeignKey("registry.Sector", verbose_name=_("sector"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="questions")
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.PORTAL)
    text = CleanTextField(_("question"), max_length=limits.QUESTION)
    language = models.CharField(_("language"), max_length=2, default="kk")
    # Private: never shown on public pages nor in the open API.
    author_name = CleanCharField(_("name"), max_length=200, blank=True)
    author_contact = CleanCharField(_("contact"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    rejection_reason = CleanCharField(_("reason for rejection"), max_length=300, blank=True)
    handling = models.CharField(_("handling"), max_length=14, choices=Handling.choices, blank=True, default="")
    answer = CleanTextField(_("answer"), max_length=limits.ANSWER, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    referred_to = models.ForeignKey("registry.Body", verbose_name=_("referred to"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="referred_questions")
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, default=tracking_code)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Confirmed supports from citizens, kept beside the question so lists can be ordered by it.
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            max_length_check("text", limits.QUESTION, name="question_text_max_length"),
            max_length_check("answer", limits.ANSWER, name="question_answer_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code}: {self.text[:60]}"


class SupportRequest(TimeStamped):
    """A citizen asked to support a question and was sent a one-time link; the support counts once it is opened.

    The address itself is never stored: only its keyed hash (to find a second support from it) and the
    hash of the link's token.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="support_requests")
    contact_hash = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=2, default="kk")
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")

    def __str__(self) -> str:
        return f"support request {self.pk} for question {self.question_id}"


class QuestionSupport(TimeStamped):
    """One confirmed support of a question by one e-mail address (kept as its keyed hash)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="supports")
    contact_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["question", "contact_hash"], name="question_support_once_per_contact"),
        ]

    def __str__(self) -> str:
        return f"support {self.pk} of question {self.question_id}"


class AnswerMode(models.TextChoices):
    """How a body answers a published question (each maps to a status and a handling in the services)."""

    AT_MEETING = "at_meeting", _("Answered at the meeting")
    IN_WRITING = "in_writing", _("Answered in writing")
    REFERRED = "referred", _("Referred to another body")


class QuestionTransition(StatusChange):
    """The question's history: moderation, answer, referral and resolution with who and when."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="transitions")

    class Meta(StatusChange.Meta):
        verbose_name = _("question status change")
        verbose_name_plural = _("question status changes")
