"""The meeting lifecycle through its services, with real reference data and real roles."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail

from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent, Notification
from kezdesu.core.responses import http_status
from kezdesu.meetings.lifecycle import TRANSITIONS, allowed_targets
from kezdesu.meetings.models import AkimatAgreement, Meeting, Status, SupportItem
from kezdesu.meetings.services import (
    commitment_create,
    commitment_update,
    meeting_create,
    meeting_record_results,
    meeting_transition,
    meeting_update,
    support_item_set,
)
from kezdesu.meetings.tests.factories import at
from kezdesu.registry.models import Body, Head, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
FUTURE = dt.date(2030, 5, 14)


@pytest.fixture
def world(reference):
    health = Body.objects.get(slug="health")
    turkistan = Region.objects.get(slug="turkistan")
    return {
        "body": health,
        "head": HeadFactory(body=health),
        "region": turkistan,
        "coordinator": staff(Role.BODY_COORDINATOR, body=health),
        "akimat": staff(Role.AKIMAT_COORDINATOR, region=turkistan),
        "other_akimat": staff(Role.AKIMAT_COORDINATOR, region=Region.objects.get(slug="abai")),
        "other_body": staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="energy")),
        "admin": staff(Role.AUTHORIZED_ADMIN),
        "analyst": staff(Role.AUTHORIZED_ANALYST),
    }


def draft(w, day=FUTURE) -> Meeting:
    return meeting_create(actor=w["coordinator"], body=w["body"], head=w["head"], region=w["region"],
                          settlement="Кентау", venue="Мәдениет үйі", starts_at=at(day), topics="Емханалар")


def move(w, meeting, target, who="coordinator", **kw) -> Meeting:
    meeting.refresh_from_db()
    try:
        return meeting_transition(actor=w[who], meeting=meeting, target=target, expected_version=meeting.version,
                                  **kw)
    finally:
        meeting.refresh_from_db()


def test_happy_path_to_reported(world):
    m = draft(world)
    move(world, m, Status.PROPOSED)
    assert AkimatAgreement.objects.get(meeting=m).decision == AkimatAgreement.Decision.PENDING
    move(world, m, Status.AGREED, who="akimat")
    assert m.agreed_at is not None
    assert SupportItem.objects.filter(meeting=m).count() == len(SupportItem.Kind.values)
    move(world, m, Status.ANNOUNCED, who="akimat")
    with mock.patch("django.utils.timezone.now", return_value=at(FUTURE, 15)):
        move(world, m, Status.HELD)
    with pytest.raises(ApplicationError) as err:
        move(world, m, Status.REPORTED)
    assert err.value.code == "results_missing"
    meeting_record_results(actor=world["coordinator"], meeting=m, attendance=240, speakers=14,
                           media_links=["https://example.kz/video"])
    move(world, m, Status.REPORTED)
    assert list(m.transitions.values_list("target", flat=True)) == [
        "proposed", "agreed", "announced", "held", "reported"]
    assert AuditEvent.objects.filter(object_type="meetings.meeting", object_id=str(m.pk)).count() == 6


def test_counter_proposal_accepted_takes_the_akimats_date_and_venue(world):
    m = draft(world)
    move(world, m, Status.PROPOSED)
    new_time = at(FUTURE + dt.timedelta(days=7), 15)
    move(world, m, Status.RETURNED, who="akimat", comment="Залда жөндеу жүріп жатыр",
         proposed_starts_at=new_time, proposed_venue="Облыстық филармония")
    assert m.status_reason == "Залда жөндеу жүріп жатыр"
    move(world, m, Status.AGREED)
    m.refresh_from_db()
    assert (m.starts_at, m.venue, m.status) == (new_time, "Облыстық филармония", Status.AGREED)


def test_counter_proposal_must_change_something(world):
    m = draft(world)
    move(world, m, Status.PROPOSED)
    with pytest.raises(ApplicationError) as err:
        move(world, m, Status.RETURNED, who="akimat", comment="басқа күн")
    assert err.value.code == "counter_needs_change"
    m.refresh_from_db()
    assert m.status == Status.PROPOSED


def test_decline_then_propose_again_opens_a_second_round(world):
    m = draft(world)
    move(world, m, Status.PROPOSED)
    with pytest.raises(ApplicationError) as err:
        move(world, m, Status.DECLINED, who="akimat")
    assert err.value.code == "reason_required"
    move(world, m, Status.DECLINED, who="akimat", comment="Осы аптада сайлау")
    meeting_update(actor=world["coordinator"], meeting=m, expected_version=m.version,
                   starts_at=at(FUTURE + dt.timedelta(days=14)))
    move(world, m, Status.PROPOSED)
    assert list(m.agreements.values_list("round", "decision")) == [(1, "decline"), (2, "pending")]


@pytest.mark.parametrize(("source", "target"), [
    (Status.DRAFT, Status.AGREED), (Status.DRAFT, Status.HELD), (Status.PROPOSED, Status.REPORTED),
])
def test_illegal_moves_are_refused_and_change_nothing(world, source, target):
    m = draft(world)
    if source == Status.PROPOSED:
        move(world, m, Status.PROPOSED)
    m.refresh_from_db()
    version, events = m.version, AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as err:
        move(world, m, target, who="akimat" if target == Status.AGREED else "coordinator")
    assert err.value.code in ("illegal_transition", "role_cannot")
    m.refresh_from_db()
    assert (m.status, m.version, AuditEvent.objects.count()) == (source, version, events)


@pytest.mark.parametrize(("who", "code"), [("other_akimat", "not_yours"), ("analyst", "role_cannot"),
                                           ("other_body", "role_cannot")])
def test_only_the_regions_akimat_agrees(world, who, code):
    m = draft(world)
    move(world, m, Status.PROPOSED)
    with pytest.raises(ApplicationError) as err:
        move(world, m, Status.AGREED, who=who)
    assert (err.value.code, http_status(err.value)) == (code, 403)
    m.refresh_from_db()
    assert m.status == Status.PROPOSED


def test_another_body_cannot_draft_for_health(world):
    with pytest.raises(ApplicationError) as err:
        meeting_create(actor=world["other_body"], body=world["body"], head=world["head"], region=world["region"],
                       settlement="x", venue="y", starts_at=at(FUTURE))
    assert err.value.code == "not_yours"
    assert not Meeting.objects.exists()


def test_head_must_belong_to_the_body(world):
    stranger = Head.objects.exclude(body=world["body"]).first() or HeadFactory()
    with pytest.raises(ApplicationError) as err:
        meeting_create(actor=world["coordinator"], body=world["body"], head=stranger, region=world["region"],
                       settlement="x", venue="y", starts_at=at(FUTURE))
    assert err.value.code == "head_of_other_body"


def test_second_editor_gets_a_conflict(world):
    m = draft(world)
    stale = Meeting.objects.get(pk=m.pk)
    meeting_update(actor=world["coordinator"], meeting=m, expected_version=m.version, venue="Жаңа зал")
    with pytest.raises(ApplicationError) as err:
        meeting_update(actor=world["coordinator"], meeting=stale, expected_version=stale.version, venue="Ескі зал")
    assert err.value.code == "conflict" and http_status(err.value) == 409
    assert Meeting.objects.get(pk=m.pk).venue == "Жаңа зал"


def test_cannot_be_held_before_it_starts(world):
    m = draft(world)
    move(world, m, Status.PROPOSED)
    move(world, m, Status.AGREED, who="akimat")
    move(world, m, Status.ANNOUNCED)
    with pytest.raises(ApplicationError) as err:
        move(world, m, Status.HELD)
    assert err.value.code == "not_started"


@pytest.mark.parametrize("target", [Status.CANCELLED, Status.POSTPONED])
def test_cancel_and_postpone_need_a_reason(world, target):
    m = draft(world)
    move(world, m, Status.PROPOSED)
    with pytest.raises(ApplicationError) as err:
        move(world, m, target)
    assert err.value.code == "reason_required"
    m.refresh_from_db()
    assert m.status == Status.PROPOSED
    move(world, m, target, comment="Министр шетелдік іссапарда")
    assert m.status == target and m.status_reason == "Министр шетелдік іссапарда"


def test_error_messages_are_translated(world):
    from django.utils import translation

    m = draft(world)
    messages = {}
    for lang in ("en", "ru", "kk"):
        with translation.override(lang), pytest.raises(ApplicationError) as err:
            move(world, m, Status.HELD)
        assert err.value.code == "illegal_transition"
        messages[lang] = err.value.message
    assert messages["en"] == "A meeting cannot move from “Draft” to “Held”."
    assert messages["ru"].startswith("Встречу нельзя перевести из статуса «Черновик»")
    assert messages["kk"].startswith("Кездесуді «") and "ауыстыруға болмайды" in messages["kk"]


def test_notifications_reach_the_akimat_by_mail_and_in_app(world, django_capture_on_commit_callbacks):
    m = draft(world)
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves after the commit
        move(world, m, Status.PROPOSED)
    assert Notification.objects.filter(user=world["akimat"]).count() == 1
    assert world["akimat"].email in mail.outbox[-1].to
    assert "http://" in mail.outbox[-1].body  # the link in the mail is absolute (SITE_URL)
    assert not Notification.objects.filter(user=world["other_akimat"]).exists()


def test_support_checklist_is_ticked_by_the_akimat(world):
    m = draft(world)
    move(world, m, Status.PROPOSED)
    move(world, m, Status.AGREED, who="akimat")
    item = m.support_items.get(kind=SupportItem.Kind.SIGN_LANGUAGE)
    support_item_set(actor=world["akimat"], item=item, done=True, owner="Әкімдіктің ішкі саясат бөлімі")
    item.refresh_from_db()
    assert item.done and item.done_by == world["akimat"]
    with pytest.raises(ApplicationError) as err:
        support_item_set(actor=world["other_akimat"], item=item, done=False)
    assert err.value.code == "not_yours"
    item.refresh_from_db()
    assert item.done


def test_commitments_follow_up_to_closure(world):
    m = draft(world, day=dt.date(2026, 3, 3))
    Meeting.objects.filter(pk=m.pk).update(status=Status.HELD, agreed_at=at(dt.date(2026, 2, 1)))
    m.refresh_from_db()
    c = commitment_create(actor=world["coordinator"], meeting=m, text="Кентауда емхана салу",
                          deadline=dt.date(2026, 12, 1), responsible_region=world["region"])
    c = commitment_update(actor=world["akimat"], commitment=c, expected_version=c.version, progress=40,
                          evidence="Жобалау басталды")
    assert (c.status, c.progress) == ("in_progress", 40)
    with pytest.raises(ApplicationError) as err:
        commitment_update(actor=world["akimat"], commitment=c, expected_version=c.version, progress=90,
                          status="done")
    assert err.value.code == "bad_progress"
    c = commitment_update(actor=world["coordinator"], commitment=c, expected_version=c.version, progress=100)
    assert c.status == "done" and c.closed_at
    with pytest.raises(ApplicationError) as err:
        commitment_update(actor=world["other_akimat"], commitment=c, expected_version=c.version, progress=50)
    assert err.value.code == "not_yours"
    c.refresh_from_db()
    assert (c.status, c.progress) == ("done", 100)


def test_transition_table_is_consistent():
    for (source, target), rule in TRANSITIONS.items():
        assert source != target and rule.roles
        # Moves kept for a change of place or time are never offered as buttons.
        assert (target in allowed_targets(source, next(iter(rule.roles)))) != rule.on_change_only
    assert allowed_targets(Status.REPORTED, Role.BODY_COORDINATOR) == []
    assert Status.CANCELLED not in allowed_targets(Status.HELD, Role.AUTHORIZED_ADMIN)
