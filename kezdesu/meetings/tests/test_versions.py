"""Two people edit the same record in two browser sessions: the second, sent from a stale page, is told
to reload (409) and overwrites nothing."""

import datetime as dt
import re

import pytest
from django.test import Client

from kezdesu.core.errors import ApplicationError
from kezdesu.core.responses import http_status
from kezdesu.meetings import services
from kezdesu.meetings.models import Meeting, MeetingResult, SupportItem
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory, at
from kezdesu.registry.models import Body, Region
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(reference):
    health, turkistan = Body.objects.get(slug="health"), Region.objects.get(slug="turkistan")
    meeting = MeetingFactory(body=health, region=turkistan, status=Meeting.Status.HELD,
                             starts_at=at(dt.date(2026, 8, 12)))
    return {"meeting": meeting, "first": staff(Role.BODY_COORDINATOR, body=health),
            "second": staff(Role.BODY_COORDINATOR, body=health),
            "akimat": staff(Role.AKIMAT_COORDINATOR, region=turkistan)}


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version_in(page: str, action: str) -> str:
    """The hidden version of the form posting to `action`, as the browser would send it."""
    form = re.search(rf'action="{re.escape(action)}".*?</form>', page, re.S).group(0)
    return re.search(r'name="version" value="(\d+)"', form).group(1)


def test_results_from_a_stale_page_are_refused(held):
    meeting = held["meeting"]
    url, action = f"/staff/meetings/{meeting.pk}/", f"/staff/meetings/{meeting.pk}/results/"
    a, b = session(held["first"]), session(held["second"])
    seen_by_a, seen_by_b = version_in(a.get(url).content.decode(), action), version_in(b.get(url).content.decode(),
                                                                                         action)
    assert seen_by_a == seen_by_b == "0"
    assert a.post(action, {"version": seen_by_a, "attendance": 180, "speakers": 12,
                           "summary": "Бірінші"}).status_code == 302
    conflict = b.post(action, {"version": seen_by_b, "attendance": 90, "speakers": 3, "summary": "Екінші"})
    assert conflict.status_code == 409
    assert "Nothing you sent was saved" in conflict.content.decode() or "сақталмады" in conflict.content.decode()
    result = MeetingResult.objects.get()
    assert (result.attendance, result.summary, result.version) == (180, "Бірінші", 1)
    # After reloading, the second session sees version 1 and may correct the results.
    fresh = version_in(b.get(url).content.decode(), action)
    assert b.post(action, {"version": fresh, "attendance": 95, "speakers": 3}).status_code == 302
    result.refresh_from_db()
    assert (result.attendance, result.version) == (95, 2)


def test_results_service_refuses_a_stale_version(held):
    services.meeting_record_results(actor=held["first"], meeting=held["meeting"], attendance=10, expected_version=0)
    with pytest.raises(ApplicationError) as err:
        services.meeting_record_results(actor=held["second"], meeting=held["meeting"], attendance=20,
                                        expected_version=0)
    assert (err.value.code, http_status(err.value)) == ("conflict", 409)
    assert MeetingResult.objects.get().attendance == 10


def test_support_item_from_a_stale_page_is_refused(held):
    meeting = held["meeting"]
    item = SupportItem.objects.create(meeting=meeting, kind=SupportItem.Kind.VENUE)
    url, action = f"/staff/meetings/{meeting.pk}/", f"/staff/meetings/{meeting.pk}/support/{item.pk}/"
    a, b = session(held["akimat"]), session(held["first"])
    seen_by_a, seen_by_b = version_in(a.get(url).content.decode(), action), version_in(b.get(url).content.decode(),
                                                                                         action)
    assert a.post(action, {"version": seen_by_a, "done": "true"}).status_code == 302
    assert b.post(action, {"version": seen_by_b, "done": "false"}).status_code == 409
    item.refresh_from_db()
    assert (item.done, item.done_by, item.version) == (True, held["akimat"], 2)


def test_support_owner_from_a_stale_page_is_refused(held):
    meeting = held["meeting"]
    item = SupportItem.objects.create(meeting=meeting, kind=SupportItem.Kind.VENUE)
    url, action = f"/staff/meetings/{meeting.pk}/", f"/staff/meetings/{meeting.pk}/support/{item.pk}/owner/"
    a, b = session(held["akimat"]), session(held["first"])
    seen_by_a, seen_by_b = version_in(a.get(url).content.decode(), action), version_in(b.get(url).content.decode(),
                                                                                         action)
    assert a.post(action, {"version": seen_by_a, "owner": "Әкімдік"}).status_code == 302
    assert b.post(action, {"version": seen_by_b, "owner": "Министрлік"}).status_code == 409
    item.refresh_from_db()
    assert (item.done, item.owner, item.version) == (False, "Әкімдік", 2)


def test_commitment_progress_from_a_stale_page_is_refused(held):
    commitment = CommitmentFactory(meeting=held["meeting"], responsible_body=held["meeting"].body)
    action = f"/staff/meetings/{held['meeting'].pk}/commitments/{commitment.pk}/"
    a, b = session(held["first"]), session(held["second"])
    assert a.post(action, {"version": 1, "progress": 50, "status": "in_progress"}).status_code == 302
    assert b.post(action, {"version": 1, "progress": 80, "status": "in_progress"}).status_code == 409
    commitment.refresh_from_db()
    assert (commitment.progress, commitment.version) == (50, 2)


def test_meeting_edit_from_a_stale_page_is_refused(reference):
    health = Body.objects.get(slug="health")
    first, second = staff(Role.BODY_COORDINATOR, body=health), staff(Role.BODY_COORDINATOR, body=health)
    meeting = MeetingFactory(body=health, status=Meeting.Status.DRAFT, starts_at=at(dt.date(2030, 5, 14)))
    form = {"head": meeting.head_id, "region": meeting.region_id, "settlement": "Кентау", "venue": "Мектеп",
            "starts_at": "2030-05-14T11:00", "duration_minutes": 120, "format": "in_person", "kind": "scheduled",
            "version": meeting.version}
    assert session(first).post(f"/staff/meetings/{meeting.pk}/edit/", form).status_code == 302
    stale = session(second).post(f"/staff/meetings/{meeting.pk}/edit/", {**form, "venue": "Әкімдік"})
    assert stale.status_code == 409
    meeting.refresh_from_db()
    assert meeting.venue == "Мектеп"
    page = session(second).get(f"/staff/meetings/{meeting.pk}/edit/").content.decode()
    assert page.count('name="version"') == 1 and f'name="version" value="{meeting.version}"' in page
