"""Clause 1.3: what fulfils an obligation to hold an unscheduled meeting, its working-day deadline, alerts
no body is bound to answer, and who sees obligations. Dates are pinned; boundaries to the second."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from kezdesu.core.actors import SYSTEM
from kezdesu.core.models import AuditEvent
from kezdesu.meetings.models import MeetingCoHost
from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.registry.models import Body, Region, Sector
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.tension.models import Obligation, TensionAlert
from kezdesu.tension.services import meeting_answers, obligations_review, tension_scan
from kezdesu.tension.tests.factories import AS_OF, history
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db

OPENED = dt.date(2026, 11, 2)     # Monday
DEADLINE = dt.date(2026, 11, 16)  # Monday
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


@pytest.fixture
def obligation(reference):
    """An open obligation of the Ministry of Labour to meet Mangystau's residents by 16 November 2026."""
    alert = TensionAlert.objects.create(
        fingerprint="mangystau:jobs", region=Region.objects.get(slug="mangystau"),
        sector=Sector.objects.get(slug="jobs-wages"), level="mandatory", peak_level="mandatory", score=9.0,
        week_start=OPENED - dt.timedelta(days=7), opened_on=OPENED)
    labour = Body.objects.get(slug="labour-social")
    return Obligation.objects.create(alert=alert, body=labour, deadline=DEADLINE)


def meeting(ob, *, starts_at=None, head=None, region=None, kind="unscheduled", status="held", agreed_at="auto"):
    starts_at = starts_at or at(DEADLINE - dt.timedelta(days=3))
    fields = {"body": ob.body, "head": head or HeadFactory(body=ob.body), "region": region or ob.alert.region,
              "kind": kind, "status": status, "starts_at": starts_at}
    if agreed_at != "auto":
        fields["agreed_at"] = agreed_at
    return MeetingFactory(**fields)


def review_on(day):
    obligations_review(as_of=day)


def test_a_held_meeting_of_the_first_head_fulfils_it_with_history_and_audit(obligation):
    answering = meeting(obligation)
    review_on(DEADLINE)
    obligation.refresh_from_db()
    assert (obligation.status, obligation.meeting) == ("fulfilled", answering)
    assert [(t.source, t.target, t.actor) for t in obligation.transitions.all()] == [("open", "fulfilled", None)]
    event = AuditEvent.objects.get(action="obligation.fulfilled", object_id=str(obligation.pk))
    assert event.actor_label == "system" and event.after["meeting_id"] == answering.pk
    alert = obligation.alert
    alert.refresh_from_db()
    assert alert.status == "answered" and alert.transitions.get().target == "answered"


@pytest.mark.parametrize(("case", "reason"), [
    ("deputy", "not_first_head"),
    ("other_region", "other_region"),
    ("scheduled", "not_unscheduled"),
    ("agreed_one_second_after_start", "agreed_after_start"),
    ("never_agreed", "not_agreed"),
    ("before_the_alert", "before_alert"),
    ("day_after_deadline_just_after_midnight_in_almaty", "after_deadline"),
    ("announced_only", "not_yet_held"),
])
def test_meetings_that_do_not_fulfil_it(obligation, case, reason):
    start = at(DEADLINE - dt.timedelta(days=3))
    kwargs = {
        "deputy": {"head": HeadFactory(body=obligation.body, is_first_head=False)},
        "other_region": {"region": Region.objects.get(slug="abai")},
        "scheduled": {"kind": "scheduled"},
        "agreed_one_second_after_start": {"starts_at": start, "agreed_at": start + dt.timedelta(seconds=1)},
        "never_agreed": {"status": "proposed", "agreed_at": None},
        "before_the_alert": {"starts_at": at(OPENED - dt.timedelta(days=1))},
        # 00:30 on 17 November in Almaty is still 16 November in UTC: the local day decides.
        "day_after_deadline_just_after_midnight_in_almaty": {
            "starts_at": dt.datetime(2026, 11, 17, 0, 30, tzinfo=ALMATY)},
        "announced_only": {"status": "announced"},
    }[case]
    m = meeting(obligation, **kwargs)
    obligation.refresh_from_db()
    assert meeting_answers(obligation, m) == reason
    review_on(DEADLINE)
    obligation.refresh_from_db()
    assert obligation.status == "open"
    review_on(DEADLINE + dt.timedelta(days=1))
    obligation.refresh_from_db()
    assert obligation.status == "missed"


def test_boundaries_that_still_fulfil_it(obligation):
    start = dt.datetime(2026, 11, 16, 23, 30, tzinfo=ALMATY)  # the deadline day, late evening (18:30 UTC)
    m = meeting(obligation, starts_at=start, agreed_at=start)  # agreed at the very second it starts
    assert meeting_answers(obligation, m) == "answers"
    review_on(DEADLINE + dt.timedelta(days=1))
    obligation.refresh_from_db()
    assert obligation.status == "fulfilled"


@pytest.mark.parametrize(("acting_counts", "expected"), [(True, "fulfilled"), (False, "missed")])
def test_an_acting_first_head_counts_per_setting(obligation, settings, acting_counts, expected):
    settings.KEZDESU = {**settings.KEZDESU, "ACTING_HEAD_COUNTS": acting_counts}
    meeting(obligation, head=HeadFactory(body=obligation.body, acting=True))
    review_on(DEADLINE + dt.timedelta(days=1))
    obligation.refresh_from_db()
    assert obligation.status == expected


def test_a_pending_agreed_meeting_is_linked_until_it_is_held(obligation):
    pending = meeting(obligation, status="agreed")
    review_on(DEADLINE - dt.timedelta(days=5))
    obligation.refresh_from_db()
    assert (obligation.status, obligation.meeting) == ("open", pending)


def test_the_deadline_on_a_saturday_moves_to_monday(cells, settings):
    settings.KEZDESU = {**settings.KEZDESU, "TENSION_DEADLINE_DAYS": 17}
    tension_scan(as_of=AS_OF)  # 25 Nov 2026 + 17 days = Saturday 12 December
    deadlines = set(Obligation.objects.values_list("deadline", flat=True))
    assert deadlines == {dt.date(2026, 12, 14)}


def test_an_alert_whose_every_responsible_body_is_exempt_says_so(reference, client):
    mangystau, public_order = Region.objects.get(slug="mangystau"), Sector.objects.get(slug="public-order")
    assert not public_order.bodies.filter(exempt=False).exists()
    history(mangystau, public_order, last=40, signatories=120, seed=3,
            texts=["Жұмысшылар аштық жариялады", "Рабочие объявили забастовку"])
    tension_scan(as_of=AS_OF)
    alert = TensionAlert.objects.get(region=mangystau, sector=public_order)
    assert alert.level == "mandatory" and alert.status == "unbound" and not alert.obligations.exists()
    assert alert.transitions.get().target == "unbound"
    again = tension_scan(as_of=AS_OF)
    assert not again.opened and TensionAlert.objects.filter(region=mangystau, sector=public_order).count() == 1
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    page = client.get("/staff/tension/").content.decode()
    assert str(TensionAlert.Status.UNBOUND.label) in page or "unbound" in page


def test_obligations_are_visible_by_body_region_and_role(obligation):
    labour, other = obligation.body, Body.objects.get(slug="health")
    mangystau, abai = obligation.alert.region, Region.objects.get(slug="abai")

    def seen(user):
        return list(Obligation.objects.visible_to(user))

    assert seen(staff(Role.BODY_COORDINATOR, body=labour)) == [obligation]
    assert seen(staff(Role.BODY_COORDINATOR, body=other)) == []
    assert seen(staff(Role.AKIMAT_COORDINATOR, region=mangystau)) == [obligation]
    assert seen(staff(Role.AKIMAT_COORDINATOR, region=abai)) == []
    assert seen(staff(Role.GOVERNMENT_VIEWER)) == [obligation]
    assert seen(staff(Role.MODERATOR)) == []
    assert seen(SYSTEM) == [obligation]
    with pytest.raises(TypeError):
        Obligation.objects.visible_to(None)


def test_closing_an_alert_withdraws_open_obligations_through_the_table(obligation):
    from kezdesu.tension.services import ScanResult, _close

    _close(obligation.alert, as_of=DEADLINE, actor=SYSTEM, result=ScanResult(week_start=OPENED, series=0))
    obligation.refresh_from_db()
    assert obligation.status == "withdrawn"
    assert obligation.transitions.get().target == "withdrawn"
    assert AuditEvent.objects.filter(action="obligation.withdrawn", object_id=str(obligation.pk)).exists()
    assert timezone.is_aware(obligation.transitions.get().at)


def test_a_joint_meeting_fulfils_the_obligation_of_its_cohost(obligation):
    host = Body.objects.get(slug="health")
    joint = MeetingFactory(body=host, head=HeadFactory(body=host), region=obligation.alert.region,
                           kind="unscheduled", status="held", starts_at=at(DEADLINE - dt.timedelta(days=3)))
    MeetingCoHost.objects.create(meeting=joint, body=obligation.body, head=HeadFactory(body=obligation.body))
    assert meeting_answers(obligation, joint) == "answers"
    review_on(DEADLINE)
    obligation.refresh_from_db()
    assert (obligation.status, obligation.meeting) == ("fulfilled", joint)


def test_a_joint_meeting_where_the_cohost_sent_a_deputy_does_not(obligation):
    host = Body.objects.get(slug="health")
    joint = MeetingFactory(body=host, head=HeadFactory(body=host), region=obligation.alert.region,
                           kind="unscheduled", status="held", starts_at=at(DEADLINE - dt.timedelta(days=3)))
    MeetingCoHost.objects.create(meeting=joint, body=obligation.body,
                                 head=HeadFactory(body=obligation.body, is_first_head=False))
    assert meeting_answers(obligation, joint) == "not_first_head"
    review_on(DEADLINE)
    obligation.refresh_from_db()
    assert obligation.status == "open"
