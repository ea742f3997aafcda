"""Reminders for everyone who owes the next step; each is sent once (see `core.notifications`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kezdesu.compliance.rules import Quarter
from kezdesu.compliance.selectors import compliance_for
from kezdesu.core.actors import SYSTEM
from kezdesu.core.calendar import WorkingCalendar, working_calendar
from kezdesu.core.notifications import notify, per_reader
from kezdesu.meetings.models import AkimatAgreement, Commitment, Meeting, MeetingResult, Status
from kezdesu.registry.models import Body
from kezdesu.users.selectors import coordinators

AKIMAT_ANSWER_DAYS = 3
RESULTS_DAYS = 3
COMMITMENT_WARNING_DAYS = 5


@dataclass
class ReminderCounts:
    akimat_silent: int = 0
    meeting_tomorrow: int = 0
    results_missing: int = 0
    commitment_due: int = 0
    commitment_overdue: int = 0
    quarter_at_risk: int = 0


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def reminders_send(*, today: dt.date, calendar: WorkingCalendar | None = None) -> ReminderCounts:
    """Send every reminder that is due on `today`; returns how many notices were new."""
    cal = calendar or working_calendar()
    counts = ReminderCounts()

    for agreement in AkimatAgreement.objects.filter(decision=AkimatAgreement.Decision.PENDING,
                                                    meeting__status=Status.PROPOSED).select_related("meeting"):
        if cal.working_days_between(_local_date(agreement.requested_at), today) >= AKIMAT_ANSWER_DAYS:
            m = agreement.meeting
            counts.akimat_silent += notify(
                users=coordinators(region_id=m.region_id), key=f"reminder:akimat-silent:{agreement.pk}",
                subject=_("The akimat has not answered a meeting request for 3 working days"),
                body=per_reader(m.__str__), url=reverse("meetings:detail", args=[m.pk]))

    tomorrow = today + dt.timedelta(days=1)
    for m in Meeting.objects.filter(status__in=[Status.AGREED, Status.ANNOUNCED]).select_related("body", "region"):
        if _local_date(m.starts_at) == tomorrow:
            counts.meeting_tomorrow += notify(
                users=coordinators(body_id=m.body_id) + coordinators(region_id=m.region_id),
                key=f"reminder:tomorrow:{m.pk}:{tomorrow.isoformat()}", subject=_("The meeting is tomorrow"),
                body=per_reader(m.__str__), url=reverse("meetings:detail", args=[m.pk]))

    recorded = MeetingResult.objects.values("meeting_id")
    for m in Meeting.objects.filter(status__in=[Status.ANNOUNCED, Status.HELD]).exclude(pk__in=recorded) \
            .select_related("body", "region"):
        if cal.working_days_between(_local_date(m.starts_at), today) >= RESULTS_DAYS:
            counts.results_missing += notify(
                users=coordinators(body_id=m.body_id), key=f"reminder:results:{m.pk}",
                subject=_("Results of the meeting are not recorded yet"), body=per_reader(m.__str__),
                url=reverse("meetings:detail", args=[m.pk]))

    horizon = cal.add_working_days(today, COMMITMENT_WARNING_DAYS)
    for c in Commitment.objects.open().filter(deadline__lte=horizon).select_related("meeting"):
        users = coordinators(body_id=c.meeting.body_id)
        if c.responsible_body_id and c.responsible_body_id != c.meeting.body_id:
            users += coordinators(body_id=c.responsible_body_id)
        if c.responsible_region_id:
            users += coordinators(region_id=c.responsible_region_id)
        if c.deadline < today:
            counts.commitment_overdue += notify(
                users=users, key=f"reminder:commitment-overdue:{c.pk}", subject=_("A commitment is overdue"),
                body=c.text, url=reverse("meetings:detail", args=[c.meeting_id]))
        else:
            counts.commitment_due += notify(
                users=users, key=f"reminder:commitment-due:{c.pk}",
                subject=_("A commitment is due within 5 working days"), body=c.text,
                url=reverse("meetings:detail", args=[c.meeting_id]))

    quarter = Quarter.of(today)
    for row in compliance_for(user=SYSTEM, quarters=[quarter], today=today):
        if row.status == "at_risk":
            body = Body.objects.get(slug=row.body)
            counts.quarter_at_risk += notify(
                users=coordinators(body_id=body.pk), key=f"reminder:at-risk:{body.slug}:{quarter}",
                subject=_("The quarter ends in under 3 weeks and no meeting is agreed"),
                body=per_reader(lambda body=body: f"{body.name} — {quarter}"), url="/staff/")
    return counts
