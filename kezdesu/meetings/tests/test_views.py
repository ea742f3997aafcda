"""The staff pages for meetings, through HTTP as each role."""

import datetime as dt

import pytest
from django.utils import timezone

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
    assert response.status_code == 400  # refused input is answered 400 with the form (0104)
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
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    stale = client.post(f"/staff/meetings/{m.pk}/transition/", {"target": "agreed", "version": m.version - 1})
    assert stale.status_code == 409
    assert "Someone else changed this meeting after you opened it." in stale.content.decode()
    m.refresh_from_db()
    assert m.status == Status.RETURNED


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
    page = client.post(f"/staff/meetings/{m.pk}/transition/", {"target": "held", "version": m.version,
                                                                "confirmed": "true"}, follow=True).content.decode()
    assert "Встречу нельзя перевести из статуса «Черновик» в статус «Проведена»." in page
    m.refresh_from_db()
    assert m.status == "draft"


def test_dashboard_shows_the_matrix_and_queues_for_each_role(client, w):
    waiting = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status="proposed",
                   starts_at=at(dt.date(2030, 5, 14)))
    client.force_login(w["akimat"])
    page = client.get("/staff/").content.decode()
    assert "matrix" in page and "Денсаулық сақтау министрлігі" in page
    assert f'href="/staff/meetings/{waiting.pk}/"' in page  # waiting for the akimat's agreement
    client.force_login(w["other_akimat"])
    assert f'href="/staff/meetings/{waiting.pk}/"' not in client.get("/staff/").content.decode()
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


def test_list_filters_are_parsed_by_a_form(client, w):
    proposed = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status="proposed")
    draft = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status="draft")
    client.force_login(w["coordinator"])
    page = client.get("/staff/meetings/", {"status": "proposed", "region": "turkistan"}).content.decode()
    assert f"/staff/meetings/{proposed.pk}/" in page and f"/staff/meetings/{draft.pk}/" not in page
    page = client.get("/staff/meetings/", {"region": "abai"}).content.decode()
    assert f"/staff/meetings/{proposed.pk}/" not in page
    # A value that is not on offer is ignored, not an error.
    page = client.get("/staff/meetings/", {"status": "nonsense", "region": "nowhere"})
    assert page.status_code == 200 and f"/staff/meetings/{draft.pk}/" in page.content.decode()


def agreed_meeting(w):
    from kezdesu.meetings.models import SupportItem

    m = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status="agreed",
                       starts_at=at(dt.date(2030, 5, 14)))
    for kind in SupportItem.Kind.values:
        SupportItem.objects.create(meeting=m, kind=kind)
    return m


def test_akimat_assigns_an_owner_without_ticking_then_ticks(client, w):
    m = agreed_meeting(w)
    item = m.support_items.get(kind="sign_language")
    client.force_login(w["akimat"])
    response = client.post(f"/staff/meetings/{m.pk}/support/{item.pk}/owner/",
                           {"version": item.version, "owner": "Ішкі саясат бөлімі"})
    assert response.status_code == 302 and response.url.endswith(f"#support-{item.pk}")
    item.refresh_from_db()
    assert (item.owner, item.done, item.done_by, item.done_at) == ("Ішкі саясат бөлімі", False, None, None)
    client.post(f"/staff/meetings/{m.pk}/support/{item.pk}/", {"version": item.version, "done": "true"})
    item.refresh_from_db()
    assert (item.owner, item.done, item.done_by) == ("Ішкі саясат бөлімі", True, w["akimat"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/staff/meetings/{m.pk}/").content.decode()
    who = w["akimat"].get_full_name() or w["akimat"].username
    assert f"ticked by {who}, {timezone.localtime(item.done_at):%d.%m.%Y %H:%M}" in page
    client.post(f"/staff/meetings/{m.pk}/support/{item.pk}/", {"version": item.version, "done": "false"})
    item.refresh_from_db()
    assert (item.owner, item.done, item.done_by) == ("Ішкі саясат бөлімі", False, None)


def test_support_items_of_another_meeting_are_not_found(client, w):
    m, other = agreed_meeting(w), agreed_meeting(w)
    item = other.support_items.first()
    client.force_login(w["akimat"])
    assert client.post(f"/staff/meetings/{m.pk}/support/{item.pk}/owner/",
                       {"version": 1, "owner": "x"}).status_code == 404


def test_cancelling_asks_for_confirmation_without_javascript(client, w):
    m = agreed_meeting(w)
    client.force_login(w["coordinator"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    detail = client.get(f"/staff/meetings/{m.pk}/").content.decode()
    assert 'data-confirm="A cancelled meeting cannot be reopened' in detail
    form = {"target": "cancelled", "version": m.version, "comment": "Су тасқыны"}
    asked = client.post(f"/staff/meetings/{m.pk}/transition/", form)
    page = asked.content.decode()
    assert asked.status_code == 200 and "Cancel: are you sure?" in page
    assert 'name="confirmed" value="true"' in page and 'name="comment" value="Су тасқыны"' in page
    m.refresh_from_db()
    assert m.status == Status.AGREED
    client.post(f"/staff/meetings/{m.pk}/transition/", {**form, "confirmed": "true"})
    m.refresh_from_db()
    assert (m.status, m.status_reason) == (Status.CANCELLED, "Су тасқыны")


def test_reversible_moves_need_no_confirmation(client, w):
    m = agreed_meeting(w)
    client.force_login(w["coordinator"])
    client.post(f"/staff/meetings/{m.pk}/transition/", {"target": "announced", "version": m.version})
    m.refresh_from_db()
    assert m.status == Status.ANNOUNCED


def test_drafting_page_stays_at_its_address_with_recommendations(client, w):
    client.force_login(w["coordinator"])
    response = client.get("/staff/meetings/new/", {"region": w["turkistan"].pk, "kind": "unscheduled"})
    assert response.status_code == 200
    assert response.context["form"].initial == {"region": str(w["turkistan"].pk), "kind": "unscheduled"}
    client.force_login(w["akimat"])
    assert client.get("/staff/meetings/new/").status_code == 403
