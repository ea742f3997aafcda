"""The meeting page's move, checklist and progress forms, and the meeting form, come back as typed when refused,
with the message beside the field in the reader's language (0104); a date and time goes to the browser as
`YYYY-MM-DDTHH:MM` and comes back in the configured time zone."""

import datetime as dt
import zoneinfo

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse

from kezdesu.core.fields import LocalDateTimeField
from kezdesu.core.testing.forms import LANGUAGES, assert_refused, field_error, said, signed_in
from kezdesu.meetings.errors import MeetingError
from kezdesu.meetings.models import Meeting, Status, SupportItem
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory, at
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
VENUE = "Филармония залы"


@pytest.fixture
def w(reference):
    health, turkistan = Body.objects.get(slug="health"), Region.objects.get(slug="turkistan")
    head = HeadFactory(body=health)
    return {"health": health, "turkistan": turkistan, "head": head,
            "coordinator": staff(Role.BODY_COORDINATOR, body=health),
            "akimat": staff(Role.AKIMAT_COORDINATOR, region=turkistan)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_counter_proposal_without_its_comment_keeps_the_date_and_the_venue(w, lang):
    meeting = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status=Status.PROPOSED,
                             starts_at=at(dt.date(2030, 5, 14)))
    response = signed_in(w["akimat"], lang).post(reverse("meetings:transition", args=[meeting.pk]), {
        "target": "returned", "version": meeting.version, "comment": "",
        "proposed_starts_at": "2030-05-21T15:30", "proposed_venue": VENUE})
    form = assert_refused(response, typed=[VENUE, 'value="2030-05-21T15:30"'],
                          message=said(lang, MeetingError.REASON_REQUIRED.label))
    assert 'name="target" value="returned"' in form  # the refusal sits in the counter-proposal's own box
    meeting.refresh_from_db()
    assert meeting.status == Status.PROPOSED


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_malformed_proposed_date_is_said_beside_it(w, lang):
    meeting = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status=Status.PROPOSED)
    response = signed_in(w["akimat"], lang).post(reverse("meetings:transition", args=[meeting.pk]), {
        "target": "returned", "version": meeting.version, "comment": "Зал бос емес",
        "proposed_starts_at": "2030-13-40T25:00", "proposed_venue": VENUE})
    assert_refused(response, typed=[VENUE, "Зал бос емес", 'value="2030-13-40T25:00"'],
                   message=field_error(lang, LocalDateTimeField(), "2030-13-40T25:00"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_too_long_checklist_owner_is_kept_and_explained(w, lang):
    meeting = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status=Status.AGREED)
    item = SupportItem.objects.create(meeting=meeting, kind=SupportItem.Kind.SIGN_LANGUAGE)
    owner = "Әкімдіктің ішкі саясат бөлімі " * 8  # 248 characters
    response = signed_in(w["akimat"], lang).post(reverse("meetings:support-owner", args=[meeting.pk, item.pk]),
                                               {"version": item.version, "owner": owner})
    assert_refused(response, typed=[owner.strip()], message=field_error(lang, forms.CharField(max_length=200),
                                                                        owner.strip()))
    item.refresh_from_db()
    assert item.owner == ""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_tampered_checklist_tick_is_refused_beside_its_item(w, lang):
    meeting = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status=Status.AGREED)
    item = SupportItem.objects.create(meeting=meeting, kind=SupportItem.Kind.SIGN_LANGUAGE)
    response = signed_in(w["akimat"], lang).post(reverse("meetings:support", args=[meeting.pk, item.pk]),
                                               {"version": "nine", "done": "true"})
    assert_refused(response, typed=[], marker=f'action="{reverse("meetings:support", args=[meeting.pk, item.pk])}"',
                   message=field_error(lang, forms.IntegerField(), "nine"))
    item.refresh_from_db()
    assert not item.done


@pytest.mark.parametrize("lang", LANGUAGES)
def test_progress_out_of_range_keeps_the_evidence(w, lang):
    meeting = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status=Status.HELD,
                             starts_at=at(dt.date.today() - dt.timedelta(days=3)))
    commitment = CommitmentFactory(meeting=meeting, responsible_body=w["health"], progress=20)
    response = signed_in(w["coordinator"], lang).post(
        reverse("meetings:commitment-progress", args=[meeting.pk, commitment.pk]),
        {"version": commitment.version, "progress": "150", "status": "in_progress", "evidence": "Акт № 5 қол қойылды"})
    form = assert_refused(response, typed=["Акт № 5 қол қойылды", 'value="150"'],
                          message=field_error(lang, forms.IntegerField(max_value=100), 150))
    assert form.startswith("<form")
    assert "<details open>" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.progress == 20


@pytest.mark.parametrize("lang", LANGUAGES)
def test_editing_a_meeting_with_a_bad_date_keeps_the_place(w, lang):
    meeting = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status=Status.DRAFT)
    response = signed_in(w["coordinator"], lang).post(reverse("meetings:edit", args=[meeting.pk]), {
        "version": meeting.version, "head": w["head"].pk, "region": w["turkistan"].pk, "settlement": "Кентау",
        "venue": VENUE, "starts_at": "31.02.2030 10:00", "duration_minutes": 120, "format": "in_person",
        "kind": "scheduled"})
    assert_refused(response, typed=['value="Кентау"', VENUE, 'value="31.02.2030 10:00"'],
                   message=field_error(lang, LocalDateTimeField(), "31.02.2030 10:00"))
    meeting.refresh_from_db()
    assert meeting.settlement != "Кентау"


def test_the_meeting_time_goes_to_the_browser_as_iso_and_comes_back_in_the_configured_zone(w):
    """10:30 in Almaty is 05:30 UTC; the edit form shows 10:30 as the browser wants it, and saving what it
    shows keeps the same instant."""
    almaty = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    starts = dt.datetime(2030, 5, 14, 10, 30, tzinfo=almaty)
    meeting = MeetingFactory(body=w["health"], head=w["head"], region=w["turkistan"], status=Status.DRAFT,
                             starts_at=starts)
    client = signed_in(w["coordinator"], "en")
    page = client.get(reverse("meetings:edit", args=[meeting.pk])).content.decode()
    assert 'type="datetime-local" name="starts_at" value="2030-05-14T10:30"' in page
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), {
        "version": meeting.version, "head": w["head"].pk, "region": w["turkistan"].pk, "settlement": "Кентау",
        "venue": VENUE, "starts_at": "2030-05-14T10:30", "duration_minutes": 120, "format": "in_person",
        "kind": "scheduled"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.starts_at == starts
    assert meeting.starts_at.astimezone(dt.UTC).hour == 5
    assert meeting.settlement == "Кентау"
