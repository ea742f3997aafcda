"""A meeting that is on now, seen on a phone: the stream leads its page and the home page lists it."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from kezdesu.core.testing.browser import PHONE, axe_violations, open_page, overflow
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.registry.models import Body, Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STREAM = "https://video.example.kz/live/health-turkistan"


def test_the_live_stream_on_a_phone(browser, live_server, reference, screenshot_dir):
    # Started ten minutes ago, for two hours: live for the whole test.
    meeting = MeetingFactory(body=Body.objects.get(slug="health"), region=Region.objects.get(slug="turkistan"),
                             status=Meeting.Status.ANNOUNCED, starts_at=timezone.now() - dt.timedelta(minutes=10),
                             duration_minutes=120, format=Meeting.Format.HYBRID, stream_url=STREAM,
                             topics="Ауылдық емханалар, дәрі-дәрмекпен қамту")

    page = open_page(browser, live_server.url, lang="kk", viewport=PHONE)
    page.goto(f"{live_server.url}/kk/")
    live_list = page.locator("#live-now-title").locator("xpath=..")
    assert live_list.is_visible() and "Денсаулық сақтау министрлігі" in live_list.inner_text()
    live_list.locator(f'a[href="/kk/meetings/{meeting.pk}/"]').click()
    page.wait_for_url(f"{live_server.url}/kk/meetings/{meeting.pk}/")

    watch = page.locator("a.stream__watch")
    assert watch.get_attribute("href") == STREAM and watch.inner_text().strip() == "Трансляцияны көру"
    box = watch.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]  # seen without scrolling
    assert page.locator("#stream-title").inner_text().strip() == "Қазір тікелей эфирде"
    event = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert event["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert event["location"][1] == {"@type": "VirtualLocation", "url": STREAM}
    assert overflow(page) == 0
    page.screenshot(path=str(screenshot_dir / "portal-meeting-live-phone-kk.png"), full_page=False)
    assert axe_violations(page) == []
    assert page.csp_errors == [] and page.problems == []
