"""Meetings of first heads with the population (clause 1.1), the akimat's agreement and support
(clause 2), results and the commitments made there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.fields import CleanCharField, CleanTextField, max_length_check
from kezdesu.core.locale import language
from kezdesu.core.models import TimeStamped
from kezdesu.meetings.states import Status
from kezdesu.users.scoping import scope, scope_acting


def local_day(value: dt.datetime) -> dt.date:
    """The date of an instant in the project's time zone (settings.TIME_ZONE, Asia/Almaty), not UTC."""
    return timezone.localtime(value, timezone.get_default_timezone()).date()


def _hosted_by_q(body_ids) -> Q:
    return Q(body_id__in=body_ids) | Q(pk__in=MeetingCoHost.objects.filter(body_id__in=body_ids)
                                         .values("meeting_id"))


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """Authorized body and Government see all; a body its own and those it co-hosts; an akimat those
        in its region (drafts stay the hosts' own business until proposed to the akimat)."""
        return scope(self, user, body=lambda m: _hosted_by_q([m.body_id]),
                     region=lambda m: Q(region_id=m.region_id) & ~Q(status=Status.DRAFT))

    def run_by(self, user) -> MeetingQuerySet:
        """The meetings the user acts for (the QuerySet form of `services.in_scope`): a body its own (not
        those it co-hosts), an akimat those in its region, the authorized body's administrator all."""
        return scope_acting(self, user, body=lambda m: Q(body_id=m.body_id), region=lambda m: Q(region_id=m.region_id))

    def public(self) -> MeetingQuerySet:
        return self.filter(status__in=Status.PUBLIC_STATES)

    def with_end(self) -> MeetingQuerySet:
        """Annotate each meeting with `ends` (its start plus its planned duration), in SQL."""
        # SQLite multiplies a duration only by a plain IntegerField, hence the wrapper around the minutes.
        minutes = ExpressionWrapper(F("duration_minutes"), output_field=models.IntegerField())
        duration = ExpressionWrapper(Value(dt.timedelta(minutes=1), output_field=models.DurationField()) * minutes,
                                     output_field=models.DurationField())
        return self.annotate(ends=ExpressionWrapper(F("starts_at") + duration, output_field=models.DateTimeField()))

    def live(self, now: dt.datetime) -> MeetingQuerySet:
        """The meetings live at `now`: the rule of `Meeting.phase`, in SQL."""
        return self.with_end().filter(status__in=Status.LIVE_STATES, starts_at__lte=now, ends__gt=now)

    def hosted_by(self, *bodies) -> MeetingQuerySet:
        """Meetings any of `bodies` (Body rows or ids) holds, alone or as a co-host of a joint meeting."""
        return self.filter(_hosted_by_q([getattr(b, "pk", b) for b in bodies]))


@dataclass(frozen=True)
class Standing:
    """A head's standing on a meeting's day: in office, first head, acting, name and position as then."""

    in_office: bool
    first_head: bool
    acting: bool
    names: dict[str, str]
    positions: dict[str, str]
    frozen: bool  # taken from the meeting as held, not from today's Head row

    @property
    def full_name(self) -> str:
        lang = language()
        return self.names.get(lang) or self.names["kk"]

    @property
    def position(self) -> str:
        lang = language()
        return self.positions.get(lang) or self.positions["kk"]


class HeadStanding(models.Model):
    """The head's standing frozen when the meeting is held, so a later edit of a Head row never
    rewrites a past verdict (clause 1.1)."""

    head_in_office = models.BooleanField(_("head in office on the day"), null=True, editable=False)
    head_was_first = models.BooleanField(_("first head on the day"), null=True, editable=False)
    head_was_acting = models.BooleanField(_("acting on the day"), null=True, editable=False)
    head_name_kk = models.CharField(_("head's name on the day (Kazakh)"), max_length=200, blank=True, editable=False)
    head_name_ru = models.CharField(_("head's name on the day (Russian)"), max_length=200, blank=True, editable=False)
    head_name_en = models.CharField(_("head's name on the day (English)"), max_length=200, blank=True, editable=False)
    head_position_kk = models.CharField(_("head's position on the day (Kazakh)"), max_length=200, blank=True,
                                        editable=False)
    head_position_ru = models.CharField(_("head's position on the day (Russian)"), max_length=200, blank=True,
                                        editable=False)
    head_position_en = models.CharField(_("head's position on the day (English)"), max_length=200, blank=True,
                                        editable=False)

    class Meta:
        abstract = True

    def freeze_standing(self, day: dt.date) -> None:
        head = self.head
        self.head_in_office = head.in_office_on(day)
        self.head_was_first, self.head_was_acting = head.is_first_head, head.acting
        for lang in ("kk", "ru", "en"):
            setattr(self, f"head_name_{lang}", getattr(head, f"full_name_{lang}"))
            setattr(self, f"head_position_{lang}", getattr(head, f"position_{lang}"))

    def standing_on(self, day: dt.date) -> Standing:
        """The frozen standing once held; before that, the Head row's as of `day`."""
        if self.head_in_office is not None:
            return Standing(
                self.head_in_office, bool(self.head_was_first), bool(self.head_was_acting),
                {lang: getattr(self, f"head_name_{lang}") for lang in ("kk", "ru", "en")},
                {lang: getattr(self, f"head_position_{lang}") for lang in ("kk", "ru", "en")}, True)
        head = self.head
        return Standing(
            head.in_office_on(day), head.is_first_head, head.acting,
            {lang: getattr(head, f"full_name_{lang}") for lang in ("kk", "ru", "en")},
            {lang: getattr(head, f"position_{lang}") for lang in ("kk", "ru", "en")}, False)


class Meeting(TimeStamped, HeadStanding):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled (from the plan)")
        UNSCHEDULED = "unscheduled", _("Unscheduled (social tension)")
        ADDITIONAL = "additional", _("Additional")

    Status = Status

    body = models.ForeignKey("registry.Body", verbose_name=_("body"), on_delete=models.PROTECT,
                             related_name="meetings")
    head = models.ForeignKey("registry.Head", verbose_name=_("held by"), on_delete=models.PROTECT,
                             related_name="meetings")
    region = models.ForeignKey("registry.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="meetings")
    settlement = CleanCharField(_("settlement"), max_length=200)
    venue = CleanCharField(_("venue"), max_length=300)
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"), default=120)
    format = models.CharField(_("format"), max_length=12, choices=Format.choices, default=Format.IN_PERSON)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SCHEDULED)
    topics = CleanTextField(_("topics"), max_length=limits.TOPICS, blank=True)
    rationale = models.JSONField(_("rationale"), default=dict, blank=True,
                                 help_text=_("The evidence that chose the region (clause 1.2)."))
    rationale_text = CleanTextField(_("why this region"), max_length=limits.RATIONALE, blank=True)
    stream_url = models.URLField(_("stream link"), max_length=limits.URL, blank=True)
    capacity = models.PositiveIntegerField(_("seats for citizens"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    status_reason = CleanTextField(_("reason"), max_length=limits.COMMENT, blank=True)
    agreed_at = models.DateTimeField(_("agreed with the akimat"), null=True, blank=True)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["body", "starts_at"]), models.Index(fields=["region", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["agreed", "announced", "held", "reported"]) | Q(agreed_at__isnull=False),
                name="meeting_agreed_has_time",
            ),
            max_length_check("topics", limits.TOPICS, name="meeting_topics_max_length"),
            max_length_check("rationale_text", limits.RATIONALE, name="meeting_rationale_text_max_length"),
            max_length_check("status_reason", limits.COMMENT, name="meeting_status_reason_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.body.short_name} — {self.region.name}, {self.starts_at:%d.%m.%Y}"

    @property
    def day(self) -> dt.date:
        """The meeting's date in Asia/Almaty: the day its heads are judged on."""
        return local_day(self.starts_at)

    @property
    def standing(self) -> Standing:
        return self.standing_on(self.day)

    @property
    def ends_at(self) -> dt.datetime:
        """The planned end: the start plus the planned duration."""
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    def phase(self, now: dt.datetime) -> str:
        """"before" the start; "live" from the start to the planned end in a state that can be held
        (`Status.LIVE_STATES`); "after" otherwise. `MeetingQuerySet.live` is the same rule in SQL."""
        if now < self.starts_at:
            return "before"
        if now < self.ends_at and self.status in Status.LIVE_STATES:
            return "live"
        return "after"


class MeetingCoHost(TimeStamped, HeadStanding):
    """A body co-hosting a joint meeting, with its own first head present; the meeting counts for it too."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="cohosts")
    body = models.ForeignKey("registry.Body", verbose_name=_("co-hosting body"), on_delete=models.PROTECT,
                             related_name="cohosted_meetings")
    head = models.ForeignKey("registry.Head", verbose_name=_("its head present"), on_delete=models.PROTECT,
                             related_name="cohosted_meetings")

    class Meta:
        ordering = ["meeting", "body__slug"]
        verbose_name = _("co-host")
        verbose_name_plural = _("co-hosts")
        constraints = [models.UniqueConstraint(fields=["meeting", "body"], name="cohost_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.body.short_name}"

    @property
    def standing(self) -> Standing:
        return self.standing_on(self.meeting.day)


class AkimatAgreement(TimeStamped):
    """One round of the akimat's agreement: the body's request and the akimat's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting the akimat")
        AGREE = "agree", _("Agreed")
        COUNTER = "counter", _("Counter-proposed")
        DECLINE = "decline", _("Declined")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agreements")
    round = models.PositiveSmallIntegerField(_("round"))
    # The akimat asked: that of the meeting's region when the round opened (clause 1.1).
    region = models.ForeignKey("registry.Region", verbose_name=_("akimat of the region"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_starts_at = models.DateTimeField(_("requested date and time"))
    requested_venue = CleanCharField(_("requested venue"), max_length=300)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    proposed_starts_at = models.DateTimeField(_("akimat's date and time"), null=True, blank=True)
    proposed_venue = CleanCharField(_("akimat's venue"), max_length=300, blank=True)
    comment = CleanTextField(_("comment"), max_length=limits.COMMENT, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "round"]
        verbose_name = _("akimat agreement")
        verbose_name_plural = _("akimat agreements")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "round"], name="agreement_round_unique"),
            max_length_check("comment", limits.COMMENT, name="agreement_comment_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}#{self.round} {self.decision}"


class SupportItem(TimeStamped):
    """Clause 2: organisational, informational and technical support by the akimat."""

    class Kind(models.TextChoices):
        VENUE = "venue", _("Venue")
        ANNOUNCEMENT = "announcement", _("Announcement to residents")
        STREAMING = "streaming", _("Live streaming")
        SIGN_LANGUAGE = "sign_language", _("Sign-language interpreter")
        TRANSPORT = "transport", _("Transport")
        SECURITY = "security", _("Security")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="support_items")
    kind = models.CharField(_("item"), max_length=20, choices=Kind.choices)
    owner = CleanCharField(_("responsible"), max_length=200, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    note = CleanCharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["meeting", "kind"]
        verbose_name = _("support item")
        verbose_name_plural = _("support checklist")
        constraints = [models.UniqueConstraint(fields=["meeting", "kind"], name="support_item_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {'✓' if self.done else '…'}"


class Transition(models.Model):
    """The meeting's history: every status change with who, when and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(max_length=12, choices=Status.choices)
    target = models.CharField(max_length=12, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = CleanTextField(max_length=limits.COMMENT, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [max_length_check("comment", limits.COMMENT, name="transition_comment_max_length")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class MeetingResult(TimeStamped):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="result")
    attendance = models.PositiveIntegerField(_("attendance"))
    online_viewers = models.PositiveIntegerField(_("online viewers"), null=True, blank=True)
    speakers = models.PositiveIntegerField(_("speakers"), default=0)
    summary = CleanTextField(_("summary"), max_length=limits.SUMMARY, blank=True)
    media_links = models.JSONField(_("media and stream links"), default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("meeting results")
        verbose_name_plural = _("meeting results")
        constraints = [max_length_check("summary", limits.SUMMARY, name="result_summary_max_length")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.attendance}"


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommitmentQuerySet:
        return scope(self, user,
                     body=lambda m: Q(meeting__body_id=m.body_id) | Q(responsible_body_id=m.body_id),
                     region=lambda m: Q(meeting__region_id=m.region_id) | Q(responsible_region_id=m.region_id))

    def open(self) -> CommitmentQuerySet:
        return self.filter(status__in=[Commitment.Status.OPEN, Commitment.Status.IN_PROGRESS])


class Commitment(TimeStamped):
    """What was promised at a meeting; public and followed up to closure."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="commitments")
    text = CleanTextField(_("what was promised"), max_length=limits.COMMITMENT)
    responsible_body = models.ForeignKey("registry.Body", verbose_name=_("responsible body"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="commitments")
    responsible_region = models.ForeignKey("registry.Region", verbose_name=_("responsible akimat"), null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="commitments")
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    evidence = CleanTextField(_("evidence"), max_length=limits.EVIDENCE, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="commitment_progress_max_100"),
            models.CheckConstraint(
                condition=Q(responsible_body__isnull=False) | Q(responsible_region__isnull=False),
                name="commitment_has_responsible",
            ),
            models.CheckConstraint(condition=~Q(status="done") | Q(progress=100), name="commitment_done_is_100"),
            max_length_check("text", limits.COMMITMENT, name="commitment_text_max_length"),
            max_length_check("evidence", limits.EVIDENCE, name="commitment_evidence_max_length"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS) and self.deadline < today
