"""The language is in the address of public pages; addresses without one are redirected; the switch
remembers the choice and works on public and staff pages alike."""

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse

from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_the_root_goes_to_kazakh_whatever_the_browser_says(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.8")
    assert response.status_code == 302 and response["Location"] == "/kk/"
    assert "Cookie" in response["Vary"] and "public" not in response["Cache-Control"]


def test_the_root_goes_to_the_language_chosen_before(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert client.get("/")["Location"] == "/ru/"


def test_old_public_addresses_keep_their_path_and_query(client, portal_data):
    past = portal_data["past"].pk
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(f"/meetings/{past}/?page=2")["Location"] == f"/en/meetings/{past}/?page=2"
    assert client.get("/commitments")["Location"] == "/en/commitments/"
    # Calendar subscriptions chose their language with ?lang= before.
    assert client.get("/ical/body/health.ics?lang=ru")["Location"] == "/ru/ical/body/health.ics"
    # A form posted to an old address is sent on with its method (307), not turned into a GET.
    response = client.post(f'/meetings/{portal_data["upcoming"].pk}/ask/', {"text": "x"})
    assert response.status_code == 307 and response["Location"] == f'/en/meetings/{portal_data["upcoming"].pk}/ask/'
    assert client.get("/no-such-page/").status_code == 404


def test_staff_pages_stay_without_a_language_prefix(client):
    assert client.get("/kk/moderation/").status_code == 404
    assert client.get("/kk/staff/").status_code == 404
    client.force_login(staff(Role.MODERATOR))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert client.get("/moderation/")["Location"] == reverse("questions:moderation")  # the queue moved to staff
    page = client.get(reverse("questions:moderation"))
    assert page.status_code == 200 and '<html lang="ru">' in page.content.decode()


def test_the_switch_remembers_the_language_and_returns_to_the_same_page(client, portal_data):
    response = client.get("/i18n/switch/ru/", {"next": "/kk/meetings/?when=past&page=2"})
    assert response.status_code == 302 and response["Location"] == "/ru/meetings/?when=past&page=2"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert client.get("/")["Location"] == "/ru/"
    # On a staff page the address stays; the cookie decides.
    assert client.get("/i18n/switch/en/", {"next": "/staff/"})["Location"] == "/staff/"
    assert client.get("/i18n/switch/en/", {"next": "https://evil.example/"})["Location"] == "/"
    assert client.get("/i18n/switch/de/", {"next": "/"}).status_code == 404


def test_public_pages_link_the_other_languages_and_feeds_in_their_own(client, portal_data):
    past = portal_data["past"]
    page = client.get(f"/ru/meetings/{past.pk}/").content.decode()
    assert f"/i18n/switch/kk/?next=%2Fru%2Fmeetings%2F{past.pk}%2F" in page
    assert f"/i18n/switch/en/?next=%2Fru%2Fmeetings%2F{past.pk}%2F" in page
    assert 'href="/ru/ical/region/abai.ics"' in page
    assert 'href="/en/ical/all.ics"' in client.get("/en/").content.decode()


@pytest.mark.parametrize(("lang", "summary", "calendar_name"), [
    ("kk", "Энергетика министрлігі — Абай облысы", "Абай облысы: кездесулер"),
    ("ru", "Министерство энергетики — область Абай", "Встречи: область Абай"),
    ("en", "Ministry of Energy — Abai Region", "Meetings in Abai Region"),
])
def test_the_ical_feed_follows_the_language_of_the_page(client, portal_data, lang, summary, calendar_name):
    raw = client.get(f"/{lang}/ical/region/abai.ics").content
    cal = icalendar.Calendar.from_ical(raw)
    [event] = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == summary and event["SUMMARY"].params["LANGUAGE"] == lang
    assert str(cal["X-WR-CALNAME"]) == calendar_name
    assert str(event["URL"]) == f'http://testserver/{lang}/meetings/{portal_data["past"].pk}/'
