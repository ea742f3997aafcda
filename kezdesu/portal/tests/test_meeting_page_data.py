"""What the meeting page adds for machines and for watchers: the schema.org Event, its calendar file, and the
live stream block before, during and after the meeting (with the caches kept no longer than that)."""

import datetime as dt
import json
import re

import icalendar
import pytest
import time_machine
from django.utils import timezone

from kezdesu.meetings.models import Meeting, Transition
from kezdesu.meetings.tests.factories import MeetingFactory, MeetingResultFactory
from kezdesu.portal.structured import http_url

pytestmark = pytest.mark.django_db

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def event_of(client, url):
    html = client.get(url).content.decode()
    [raw] = LD.findall(html)
    return json.loads(raw), raw


def test_the_meeting_page_describes_its_event(client, portal_data):
    up = portal_data["upcoming"]
    event, _raw = event_of(client, f"/ru/meetings/{up.pk}/")
    assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
    assert event["name"] == "Министерство здравоохранения — Туркестанская область"
    start = dt.datetime.fromisoformat(event["startDate"])
    assert start == up.starts_at and start.utcoffset() == dt.timedelta(hours=5)
    assert dt.datetime.fromisoformat(event["endDate"]) - start == dt.timedelta(minutes=up.duration_minutes)
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, virtual = event["location"]
    assert place["@type"] == "Place" and place["name"] == up.venue
    assert place["address"]["addressRegion"] == "Туркестанская область"
    assert virtual == {"@type": "VirtualLocation", "url": "https://video.example.kz/live/health"}
    assert event["organizer"] == {"@type": "GovernmentOrganization", "name": up.body.name_ru}
    assert event["inLanguage"] == "ru" and event["url"] == f"http://testserver/ru/meetings/{up.pk}/"
    event, _raw = event_of(client, f"/ru/meetings/{up.pk}/?page=2")
    assert event["url"] == f"http://testserver/ru/meetings/{up.pk}/"


def test_a_meeting_in_person_without_stream_and_one_announced_again(client, portal_data):
    past = portal_data["past"]
    event, _raw = event_of(client, f"/kk/meetings/{past.pk}/")
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"]["@type"] == "Place" and event["inLanguage"] == "kk"
    up = portal_data["upcoming"]
    Transition.objects.create(meeting=up, source="announced", target="postponed", at=timezone.now())
    up.save()
    event, _raw = event_of(client, f"/kk/meetings/{up.pk}/")
    assert event["eventStatus"] == "https://schema.org/EventRescheduled"


def test_the_event_script_cannot_be_closed_by_the_data(client, portal_data):
    up = portal_data["upcoming"]
    up.topics = '</script><script>alert("x")</script> & <!--'
    up.save()
    event, raw = event_of(client, f"/en/meetings/{up.pk}/")
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert event["description"] == up.topics


def test_the_calendar_file_of_one_meeting(client, portal_data):
    up = portal_data["upcoming"]
    response = client.get(f"/ru/meetings/{up.pk}/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="kezdesu-meeting-{up.pk}.ics"'
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    feed = icalendar.Calendar.from_ical(client.get("/ru/ical/all.ics").content)
    assert str(event["UID"]) in {str(e["UID"]) for e in feed.walk("VEVENT")}  # calendars dedupe
    assert str(event["UID"]) == f"meeting-{up.pk}@kezdesu"
    assert str(event["SUMMARY"]) == "Министерство здравоохранения — Туркестанская область"
    assert event["SUMMARY"].params["LANGUAGE"] == "ru"
    assert event.decoded("DTSTART") == up.starts_at
    assert str(event["URL"]) == f"http://testserver/ru/meetings/{up.pk}/"
    page = client.get(f"/ru/meetings/{up.pk}/").content.decode()
    assert f'href="/ru/meetings/{up.pk}/calendar.ics"' in page
    assert client.get(f'/ru/meetings/{portal_data["draft"].pk}/calendar.ics').status_code == 404


@pytest.mark.parametrize("value", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<b>x</b>", "//evil.example/x", "https://", "ftp://files.example.kz/x", "https://a b.kz/",
])
def test_only_http_addresses_are_links(value):
    assert http_url(value) == ""


def test_http_addresses_pass():
    assert http_url("https://video.example.kz/live?id=1") == "https://video.example.kz/live?id=1"
    assert http_url("HTTP://video.example.kz/") == "HTTP://video.example.kz/"


# The meetings of the live tests start here; the clock is frozen around it (time_machine, tick=False).
START = (timezone.now() + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)


def live_meeting(**kwargs):
    defaults = {"status": Meeting.Status.ANNOUNCED, "starts_at": START, "duration_minutes": 120,
                "stream_url": "https://video.example.kz/live/now"}
    return MeetingFactory(**{**defaults, **kwargs})


def page(client, meeting, at):
    with time_machine.travel(at, tick=False):
        response = client.get(f"/en/meetings/{meeting.pk}/")
    return response, response.content.decode()


def test_while_live_the_stream_leads_the_page_and_the_home_page(client, reference):
    meeting = live_meeting()
    response, html = page(client, meeting, START + dt.timedelta(minutes=30))
    assert 'id="stream-title"' in html and "Live now" in html
    block = html[html.index('id="stream-title"'):html.index('id="facts-title"')]
    assert 'class="btn stream__watch" href="https://video.example.kz/live/now"' in block
    assert "s-maxage=10," in response["Cache-Control"]  # the end is 90 minutes away: the usual lifetime
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        home = client.get("/en/")
    text = home.content.decode()
    assert 'id="live-now-title"' in text and f'href="/en/meetings/{meeting.pk}/"' in text
    assert text.index('id="live-now-title"') < text.index('id="upcoming-title"')


def test_before_the_start_the_page_says_where_the_stream_will_be(client, reference):
    meeting = live_meeting()
    response, html = page(client, meeting, START - dt.timedelta(seconds=5))
    assert "The stream will be here when the meeting starts" in html and "Live now" not in html
    assert "stream__watch" not in html
    # Stored five seconds before the start: no cache may keep it, fresh or stale, past the start.
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=5, stale-while-revalidate=0"
    with time_machine.travel(START - dt.timedelta(seconds=5), tick=False):
        home = client.get("/en/")
    assert 'id="live-now-title"' not in home.content.decode()
    assert "s-maxage=5," in home["Cache-Control"]  # the home page's live list changes at the start too


def test_a_page_stored_before_the_start_is_not_served_once_live(client, reference):
    meeting = live_meeting()
    first, html = page(client, meeting, START - dt.timedelta(seconds=30))
    assert "The stream will be here" in html
    with time_machine.travel(START - dt.timedelta(seconds=1), tick=False):
        again = client.get(f"/en/meetings/{meeting.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304  # still the stored page
    _response, html = page(client, meeting, START)
    assert "Live now" in html and "stream__watch" in html
    _response, html = page(client, meeting, START + dt.timedelta(minutes=120))
    assert "Live now" not in html and "stream__watch" not in html


def test_after_the_meeting_the_recordings_are_shown(client, reference):
    meeting = live_meeting(status=Meeting.Status.REPORTED)
    MeetingResultFactory(meeting=meeting, media_links=["https://video.example.kz/rec/1", "javascript:alert(1)"])
    _response, html = page(client, meeting, START + dt.timedelta(hours=3))
    assert "Live now" not in html and "The stream will be here" not in html
    block = html[html.index('id="stream-title"'):html.index('id="facts-title"')]
    assert "Video and publications" in block and 'href="https://video.example.kz/rec/1"' in block
    assert "javascript:" not in html


def test_a_javascript_stream_address_is_never_a_link(client, reference):
    meeting = live_meeting(stream_url="javascript:alert(document.cookie)")
    _response, html = page(client, meeting, START + dt.timedelta(minutes=1))
    assert "Live now" in html and "javascript:" not in html and "stream__watch" not in html
    assert "No stream link was given for this meeting." in html
    event, _raw = event_of(client, f"/en/meetings/{meeting.pk}/")
    assert "javascript" not in json.dumps(event)
    assert b"javascript" not in client.get(f"/en/meetings/{meeting.pk}/calendar.ics").content
