"""Registering to attend: confirmed while seats remain, then the waiting list; one per contact."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent
from kezdesu.core.responses import http_status
from kezdesu.portal.errors import PortalError
from kezdesu.portal.models import Registration
from kezdesu.portal.services import registration_cancel, registration_create
from kezdesu.portal.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def register(client, meeting, name, contact, ip="203.0.113.20", **extra):
    return client.post(f"/kk/meetings/{meeting.pk}/register/", {"name": name, "contact": contact, "website": "",
                                                             **extra}, REMOTE_ADDR=ip)


def test_seats_then_waiting_list(client, portal_data, django_capture_on_commit_callbacks):
    up = portal_data["upcoming"]  # two seats
    with django_capture_on_commit_callbacks(execute=True):
        first = register(client, up, "Асқар Нұрланов", "askar@example.kz")
        register(client, up, "Гүлнар Сапарова", "gulnar@example.kz")
        third = register(client, up, "Марат Ермеков", "87772223344")
    mailoutbox = mail.outbox
    statuses = list(Registration.objects.filter(meeting=up).order_by("id").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert first.url == third.url == f"/kk/meetings/{up.pk}/register/sent/"
    code = Registration.objects.get(contact="askar@example.kz").code
    # The code travels to the contact, not in the answer; the phone number gets no message.
    assert [m.to for m in mailoutbox] == [["askar@example.kz"], ["gulnar@example.kz"]]
    assert code in mailoutbox[0].body and f"/kk/registrations/{code}/" in mailoutbox[0].body
    confirmed = client.get(f"/kk/registrations/{code}/").content.decode()
    assert code in confirmed and "Асқар" not in confirmed and "askar@" not in confirmed
    waitlisted = Registration.objects.get(contact="+77772223344")
    assert "st-at_risk" in client.get(f"/kk/registrations/{waitlisted.code}/").content.decode()
    meeting_page = client.get(f"/kk/meetings/{up.pk}/").content.decode()
    assert "Гүлнар" not in meeting_page and "gulnar@example.kz" not in meeting_page


def test_one_registration_per_contact(client, portal_data):
    up = portal_data["upcoming"]
    assert register(client, up, "Асқар Нұрланов", "+7 701 111 22 33").status_code == 302
    again = register(client, up, "Асқар Н.", "8 701 111-22-33")  # the same phone, written differently
    assert again.status_code == 302 and Registration.objects.filter(meeting=up).count() == 1


def _without_csrf(content: bytes) -> bytes:
    """The page less its CSRF tokens (in forms and in htmx's headers), which differ per session."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b"", content)


def test_answer_does_not_tell_whether_a_contact_is_registered(client, portal_data,
                                                             django_capture_on_commit_callbacks):
    up = portal_data["upcoming"]
    RegistrationFactory(meeting=up, contact="victim@example.kz")
    with django_capture_on_commit_callbacks(execute=True):
        known = register(client, up, "Кім", "Victim@example.kz", ip="198.51.100.1")
        unknown = register(client, up, "Кім", "stranger@example.kz", ip="198.51.100.2")
    mailoutbox = mail.outbox
    assert (known.status_code, known["Location"], known.content) == \
        (unknown.status_code, unknown["Location"], unknown.content)
    known_page, unknown_page = client.get(known["Location"]), client.get(unknown["Location"])
    assert _without_csrf(known_page.content) == _without_csrf(unknown_page.content)
    # The registered contact is reminded of its own code; the probe learns nothing.
    victim = Registration.objects.get(contact="victim@example.kz")
    assert victim.code in next(m.body for m in mailoutbox if m.to == ["victim@example.kz"])
    assert Registration.objects.filter(meeting=up, contact="victim@example.kz").count() == 1


def test_rate_limit_comes_before_the_contact_is_looked_up(client, portal_data):
    up = portal_data["upcoming"]
    RegistrationFactory(meeting=up, contact="victim@example.kz")
    for i in range(5):
        assert register(client, up, "Кім", f"probe{i}@example.kz", ip="198.51.100.9").status_code == 302
    # Over the limit, a registered and an unregistered contact get the same refusal.
    known = register(client, up, "Кім", "victim@example.kz", ip="198.51.100.9")
    unknown = register(client, up, "Кім", "nobody@example.kz", ip="198.51.100.9")
    assert known.status_code == unknown.status_code == 429
    # The form shows back what was typed; apart from that the two pages are the same.
    assert _without_csrf(known.content).replace(b"victim@", b"x@") == \
        _without_csrf(unknown.content).replace(b"nobody@", b"x@")
    with pytest.raises(ApplicationError) as err:
        registration_create(meeting=up, name="Кім", contact="victim@example.kz", client_ip="198.51.100.9")
    assert err.value.code == PortalError.TOO_MANY


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
    assert err.value.code == PortalError.TOO_MANY and http_status(err.value) == 429


def test_meeting_page_counts_seats_and_offers_the_waiting_list(client, portal_data):
    up = portal_data["upcoming"]
    RegistrationFactory(meeting=up)
    RegistrationFactory(meeting=up)
    RegistrationFactory(meeting=up, status=Registration.Status.WAITLISTED)
    page = client.get(f"/en/meetings/{up.pk}/").content.decode()
    assert "2 of 2 taken" in page and "1 person on the waiting list" in page
    assert "Join the waiting list" in page
    assert "Ерлан" not in page


# --- Cancelling with the registration code ---------------------------------------------------------------


@pytest.fixture
def full(portal_data):
    """The upcoming meeting's two seats taken, and two people waiting (the first by e-mail, in Russian)."""
    up = portal_data["upcoming"]
    seated = RegistrationFactory(meeting=up, contact="seated@example.kz")
    RegistrationFactory(meeting=up)
    first = RegistrationFactory(meeting=up, contact="first@example.kz", status="waitlisted", language="ru")
    second = RegistrationFactory(meeting=up, contact="second@example.kz", status="waitlisted")
    return up, seated, first, second


def test_cancelling_a_seat_moves_the_first_waiting_up_and_tells_them(client, full,
                                                                     django_capture_on_commit_callbacks):
    up, seated, first, second = full
    url = reverse("portal:registration-cancel", args=[seated.code])
    assert url in client.get(reverse("portal:registration", args=[seated.code])).content.decode()
    assert client.post(url, {}).status_code == 400  # the box is not ticked
    assert Registration.objects.get(pk=seated.pk).status == "confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302 and response.url == reverse("portal:registration", args=[seated.code])
    statuses = dict(Registration.objects.filter(meeting=up).values_list("pk", "status"))
    assert (statuses[seated.pk], statuses[first.pk], statuses[second.pk]) == ("cancelled", "confirmed", "waitlisted")
    assert [m.to for m in mail.outbox] == [["first@example.kz"]]
    message = mail.outbox[0]
    assert first.code in message.body and f"/registrations/{first.code}/" in message.body
    assert "место" in message.subject.lower()  # written in the language the citizen registered in
    actions = list(AuditEvent.objects.filter(object_type="portal.registration").order_by("seq")
                   .values_list("action", "actor_label", "object_id"))
    assert actions == [("registration.cancel", "citizen", str(seated.pk)),
                       ("registration.promote", "system", str(first.pk))]
    assert all("contact" not in e.after for e in AuditEvent.objects.filter(object_type="portal.registration"))
    page = client.get(response.url).content.decode()
    assert "st-cancelled" in page and url not in page


def test_cancelling_a_waiting_place_moves_nobody(full, django_capture_on_commit_callbacks):
    _up, _seated, first, second = full
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(code=first.code)
    assert Registration.objects.get(pk=second.pk).status == "waitlisted" and not mail.outbox


def test_cancel_refusals(full):
    up, seated, _first, _second = full
    with pytest.raises(ApplicationError) as err:
        registration_cancel(code="R-NOSUCH22")
    assert (err.value.code, http_status(err.value)) == (PortalError.REGISTRATION_NOT_FOUND, 404)
    registration_cancel(code=seated.code)
    with pytest.raises(ApplicationError) as err:
        registration_cancel(code=seated.code)
    assert err.value.code == PortalError.ALREADY_CANCELLED
    other = Registration.objects.filter(meeting=up, status="confirmed").first()
    with pytest.raises(ApplicationError) as err:
        registration_cancel(code=other.code, now=up.starts_at + dt.timedelta(minutes=1))
    assert err.value.code == PortalError.CANCEL_CLOSED
    assert Registration.objects.get(pk=other.pk).status == "confirmed"


def test_registering_again_after_cancelling_starts_afresh(client, full):
    up, seated, _first, second = full
    registration_cancel(code=seated.code)
    assert register(client, up, "Қайта келген", "seated@example.kz").status_code == 302
    again = Registration.objects.get(meeting=up, contact="seated@example.kz")
    assert again.status == "waitlisted" and again.code != seated.code and again.created_at > second.created_at


def test_find_a_registration_by_its_code(client, full):
    seated = full[1]
    response = client.get(reverse("portal:registration-find"), {"code": seated.code.lower().replace("-", "- ")})
    assert response.status_code == 302 and response.url == reverse("portal:registration", args=[seated.code])
    assert client.get(reverse("portal:registration-find"), {"code": "R-NOSUCH22"}).status_code == 404
    assert client.get(reverse("portal:registration-cancel", args=["R-NOSUCH22"])).status_code == 404
