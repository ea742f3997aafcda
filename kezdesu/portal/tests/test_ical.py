"""iCal feeds: RFC 5545 as calendar applications read it (parsed back with the icalendar package)."""

import datetime as dt

import icalendar
import pytest

from kezdesu.portal.ical import Event, calendar, fold

pytestmark = pytest.mark.django_db


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_all_feed_parses_and_holds_public_meetings(client, portal_data):
    portal_data["upcoming"].topics = "Ауылдық денсаулық сақтау, емханалар; дәрі-дәрмекпен қамту " * 4
    portal_data["upcoming"].save()
    raw = feed(client, "/kk/ical/all.ics")
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)  # CRLF only
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode()  # folding never splits a UTF-8 character
    cal = icalendar.Calendar.from_ical(raw)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    up, past = portal_data["upcoming"], portal_data["past"]
    assert set(events) == {f"meeting-{up.pk}@kezdesu", f"meeting-{past.pk}@kezdesu"}
    event = events[f"meeting-{up.pk}@kezdesu"]
    assert event.decoded("DTSTART") == up.starts_at and event.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(minutes=up.duration_minutes)
    assert event["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)
    assert str(event["SUMMARY"]) == "Денсаулық сақтау министрлігі — Түркістан облысы"
    assert str(event["LOCATION"]) == f"{up.settlement}, {up.venue}"
    assert str(event["URL"]) == f"http://testserver/kk/meetings/{up.pk}/"
    assert up.topics.strip() in str(event["DESCRIPTION"])  # commas and semicolons survive escaping


def test_region_and_body_feeds(client, portal_data):
    region = icalendar.Calendar.from_ical(feed(client, "/kk/ical/region/abai.ics"))
    assert [str(e["UID"]) for e in region.walk("VEVENT")] == [f'meeting-{portal_data["past"].pk}@kezdesu']
    body = icalendar.Calendar.from_ical(feed(client, "/ru/ical/body/health.ics"))
    [event] = body.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Министерство здравоохранения — Туркестанская область"
    assert str(event["URL"]).endswith(f'/ru/meetings/{portal_data["upcoming"].pk}/')
    assert client.get("/kk/ical/region/atlantis.ics").status_code == 404


def test_fold_and_escape():
    line = "DESCRIPTION:" + "Қ" * 100
    folded = fold(line)
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.replace(b"\r\n ", b"").decode() == line + "\r\n"
    start = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
    raw = calendar([Event(uid="x@kezdesu", stamp=start, start=start, end=start + dt.timedelta(hours=2),
                          summary="A, B; C\\D\nE", location="L", url="https://example.kz/?a=1,2",
                          description="")], name="Test")
    [event] = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["SUMMARY"]) == "A, B; C\\D\nE"
    assert b"DTSTART:20260302T060000Z\r\n" in raw
