from django.db import models
from django.utils.translation import gettext_lazy as _

from kezdesu.core.errors import Refusal


class MeetingError(models.TextChoices):
    ILLEGAL_TRANSITION = "illegal_transition", _("A meeting cannot move from “%(source)s” to “%(target)s”.")
    NOT_YOURS = "not_yours", _("This meeting is outside your organisation's scope.")
    ROLE_CANNOT = "role_cannot", _("Your role cannot move a meeting to “%(target)s”.")
    REASON_REQUIRED = "reason_required", _("Please give a reason.")
    CONFLICT = "conflict", _("Someone else changed this meeting after you opened it. Reload and try again.")
    NOT_STARTED = "not_started", _("A meeting cannot be marked as held before it starts.")
    RESULTS_MISSING = "results_missing", _("Record attendance before marking the results as reported.")
    HEAD_OF_OTHER_BODY = "head_of_other_body", _("The person holding the meeting must be a head of this body.")
    NOT_EDITABLE = "not_editable", _("A meeting can no longer be edited once it is held, reported or cancelled.")
    COUNTER_NEEDS_CHANGE = "counter_needs_change", _("A counter-proposal must change the date or the venue.")
    BAD_PROGRESS = "bad_progress", _("Progress must be between 0 and 100; a done commitment is at 100.")
    NEEDS_RESPONSIBLE = "needs_responsible", _("Name the responsible body or akimat.")
    NOT_HELD = "not_held", _("Results can only be recorded for a held meeting.")
    HEAD_NOT_IN_OFFICE = "head_not_in_office", _(
        "%(name)s is not in office as a head of this body on %(date)s, the day of the meeting.")
    BODY_NOT_IN_OFFICE = "body_not_in_office", _(
        "%(body)s is not in the registry on %(date)s, the day of the meeting (in office %(start)s – %(end)s).")
    COUNTER_SUPERSEDED = "counter_superseded", _(
        "The akimat's counter-proposal no longer applies to this meeting. Propose the meeting to the akimat again.")
    COHOST_IS_HOST = "cohost_is_host", _("The meeting's own body cannot also be its co-host.")
    COHOST_TWICE = "cohost_twice", _("A body can co-host a meeting only once.")
    REAGREE_ONLY = "reagree_only", _("A meeting goes back to the akimat this way only when its place or time changes.")


# The kinds of refusal among these codes (kezdesu/core/responses.py answers each with its HTTP status).
REFUSALS = {
    MeetingError.NOT_YOURS: Refusal.FORBIDDEN,
    MeetingError.ROLE_CANNOT: Refusal.FORBIDDEN,
    MeetingError.CONFLICT: Refusal.CONFLICT,
}
