"""The staff pages for meetings, through HTTP as each role."""

import datetime as dt

import pytest

from kezdesu.meetings.models import Meeting, Status
from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(reference):
    health = Body.objects.get(slug="health")
    turkistan = Region.objects.get(slug="turkistan")
    return {
        "health": health, "turkistan": turkistan, "head": HeadFactory(body=health),
        "coordinator": staff(Role.BODY_COORDINATOR, body=health),
        "akimat": staff(Role.AKIMAT_COORDINATOR, region=turkistan),
        "other_akimat": staff(Role.AKIMAT_COORDINATOR, region=Region.objects.get(slug="abai")),
        "moderator": staff(Role.MODERATOR),
    }


def test_coordinator_drafts_and_proposes_through_the_pages(client, w):
    client.force_login(w["coordinator"])
    assert client.get("/staff/meetings/new/").status_code == 200
    response = client.post("/staff/meetings/new/", {
        "head": w["head"].pk, "region": w["turkistan"].pk, "settlement": "Кентау", "venue": "Мәдениет үйі",
        "starts_at": "2030-05-14T11:00", "duration_minutes": 120, "format": "in_person", "kind": "scheduled",
        "topics": "Емхана",
    })
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/meetings/{meeting.pk}/"
    page = client.get(response.url).content.decode()
    assert "Кентау" in page
    client.post(f"/staff/meetings/{meeting.pk}/transition/", {"target": "proposed", "version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.status == Status.PROPOSED


def test_invalid_draft_keeps_what_was_typed(client, w):
    client.force_login(w["coordinator"])
    response = client.post("/staff/meetings/new/", {"settlement": "Кентау", "starts_at": "not a date"})
    assert response.status_code == 200
    assert 'value="Кентау"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_akimat_counter_proposes_and_stale_form_gets_conflict(client, w):
    m = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status="proposed",
                       starts_at=at(dt.date(2030, 5, 14)))
    client.force_login(w["akimat"])
    page = client.get(f"/staff/meetings/{m.pk}/").content.decode()
    assert 'value="returned"' in page and 'value="agreed"' in page
    client.post(f"/staff/meetings/{m.pk}/transition/", {
        "target": "returned", "version": m.version, "comment": "Зал бос емес",
        "proposed_starts_at": "2030-05-21T15:00", "proposed_venue": "Филармония"})
    m.refresh_from_db()
    assert m.status == Status.RETURNED
    stale = client.post(f"/staff/meetings/{m.pk}/transition/", {"target": "agreed", "version": m.version - 1},
                        follow=True)
    assert "Reload and try again" in stale.content.decode() or "қайта" in stale.content.decode()


def test_out_of_scope_meeting_is_not_found(client, w):
    m = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status="proposed")
    client.force_login(w["other_akimat"])
    assert client.get(f"/staff/meetings/{m.pk}/").status_code == 404
    assert client.post(f"/staff/meetings/{m.pk}/transition/", {"target": "agreed", "version": 1}).status_code == 404
    m.refresh_from_db()
    assert m.status == "proposed"
    client.force_login(w["moderator"])
    assert client.get("/staff/meetings/").status_code == 403


def test_illegal_move_shows_a_translated_error(client, w):
    m = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status="draft")
    client.force_login(w["coordinator"])
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = client.post(f"/staff/meetings/{m.pk}/transition/", {"target": "held", "version": m.version},
                       follow=True).content.decode()
    assert "msg--error" in page
    m.refresh_from_db()
    assert m.status == "draft"


def test_dashboard_shows_the_matrix_and_queues_for_each_role(client, w):
    MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status="proposed",
                   starts_at=at(dt.date(2030, 5, 14)))
    client.force_login(w["akimat"])
    page = client.get("/staff/").content.decode()
    assert "matrix" in page and "Денсаулық сақтау министрлігі" in page
    assert "/staff/meetings/" in page
    client.force_login(w["moderator"])
    response = client.get("/staff/")
    assert response.status_code == 302 and response.url == "/staff/questions/moderation/"


def test_in_app_notifications_list_and_mark_read(client, w):
    m = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status="draft",
                       starts_at=at(dt.date(2030, 5, 14)))
    client.force_login(w["coordinator"])
    client.post(f"/staff/meetings/{m.pk}/transition/", {"target": "proposed", "version": m.version})
    client.force_login(w["akimat"])
    dashboard = client.get("/staff/").content.decode()
    assert 'class="count">1<' in dashboard
    page = client.get("/staff/notifications/").content.decode()
    assert f"/staff/meetings/{m.pk}/" in page and "unread" in page
    assert 'class="count"' not in client.get("/staff/").content.decode()
