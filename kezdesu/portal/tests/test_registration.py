"""Registering to attend: confirmed while seats remain, then the waiting list; one per contact."""

import pytest

from kezdesu.core.errors import ApplicationError
from kezdesu.portal.errors import PortalError
from kezdesu.portal.models import Registration
from kezdesu.portal.services import registration_create
from kezdesu.portal.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def register(client, meeting, name, contact, ip="203.0.113.20", **extra):
    return client.post(f"/meetings/{meeting.pk}/register/", {"name": name, "contact": contact, "website": "",
                                                             **extra}, REMOTE_ADDR=ip)


def test_seats_then_waiting_list(client, portal_data):
    up = portal_data["upcoming"]  # two seats
    first = register(client, up, "Асқар Нұрланов", "+7 701 111 22 33")
    register(client, up, "Гүлнар Сапарова", "gulnar@example.kz")
    third = register(client, up, "Марат Ермеков", "87772223344")
    statuses = list(Registration.objects.filter(meeting=up).order_by("id").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    confirmed = client.get(first.url).content.decode()
    code = Registration.objects.get(contact="+77011112233").code
    assert first.url == f"/registrations/{code}/" and code in confirmed
    assert "Асқар" not in confirmed and "111" not in confirmed
    assert "st-at_risk" in client.get(third.url).content.decode()
    meeting_page = client.get(f"/meetings/{up.pk}/").content.decode()
    assert "Гүлнар" not in meeting_page and "gulnar@example.kz" not in meeting_page


def test_one_registration_per_contact(client, portal_data):
    up = portal_data["upcoming"]
    assert register(client, up, "Асқар Нұрланов", "+7 701 111 22 33").status_code == 302
    again = register(client, up, "Асқар Н.", "8 701 111-22-33")  # the same phone, written differently
    assert again.status_code == 409 and Registration.objects.filter(meeting=up).count() == 1


def test_registration_only_where_there_are_seats(client, portal_data):
    past = portal_data["past"]
    assert register(client, past, "Асқар Нұрланов", "+7 701 111 22 33").status_code == 409
    with pytest.raises(ApplicationError) as err:
        registration_create(meeting=past, name="А", contact="+77011112233", client_ip="203.0.113.1")
    assert err.value.code == PortalError.REGISTRATION_CLOSED


def test_registration_refuses_robots_and_bad_contacts(client, portal_data):
    up = portal_data["upcoming"]
    assert register(client, up, "Бот", "+7 701 111 22 33", website="x").status_code == 400
    assert register(client, up, "Асқар", "call me maybe").status_code == 400
    assert not Registration.objects.exists()


def test_registration_rate_limit(portal_data):
    up = portal_data["upcoming"]
    up.capacity = 100
    up.save()
    for i in range(5):
        registration_create(meeting=up, name="Азамат", contact=f"+7701000000{i}", client_ip="203.0.113.30")
    with pytest.raises(ApplicationError) as err:
        registration_create(meeting=up, name="Азамат", contact="+77010000009", client_ip="203.0.113.30")
    assert err.value.status == 429


def test_meeting_page_counts_seats_and_offers_the_waiting_list(client, portal_data):
    up = portal_data["upcoming"]
    RegistrationFactory(meeting=up)
    RegistrationFactory(meeting=up)
    RegistrationFactory(meeting=up, status=Registration.Status.WAITLISTED)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/meetings/{up.pk}/").content.decode()
    assert "2 of 2 taken" in page and "1 person on the waiting list" in page
    assert "Join the waiting list" in page
    assert "Ерлан" not in page
