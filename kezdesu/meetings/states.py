"""The states of a meeting and the named sets of them, written once.

Kept apart from the models so that the pure rules of the resolution (compliance/rules.py) can name them
without loading the ORM.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed to the akimat")
    RETURNED = "returned", _("Counter-proposed by the akimat")
    DECLINED = "declined", _("Declined by the akimat")
    AGREED = "agreed", _("Agreed")
    ANNOUNCED = "announced", _("Announced")
    HELD = "held", _("Held")
    REPORTED = "reported", _("Results recorded")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# Held, with or without results recorded: the meeting took place.
Status.HELD_STATES = frozenset({Status.HELD, Status.REPORTED})
# Agreed with the akimat and not held yet.
Status.AGREED_STATES = frozenset({Status.AGREED, Status.ANNOUNCED})
# Sent to the akimat and not (or no longer) agreed.
Status.UNAGREED_STATES = frozenset({Status.PROPOSED, Status.RETURNED, Status.DECLINED, Status.POSTPONED})
# What the public portal shows.
Status.PUBLIC_STATES = frozenset({Status.ANNOUNCED, *Status.HELD_STATES})
# A meeting in one of these states is live while its time window runs (Meeting.phase, MeetingQuerySet.live):
# announced and not yet marked held, or marked held while it is still going on.
Status.LIVE_STATES = frozenset({Status.ANNOUNCED, Status.HELD})
