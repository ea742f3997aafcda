"""Writes of the public portal that are not questions: registrations to attend a meeting."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.errors import ApplicationError
from kezdesu.meetings.models import Meeting
from kezdesu.portal.errors import PortalError
from kezdesu.portal.models import Registration
from kezdesu.questions.intake import normalise_contact, throttle_allows

# At most this many registrations per client (salted IP hash) per hour.
REGISTRATIONS_PER_HOUR = 5
PRIVATE_FIELDS = ("created_at", "updated_at", "name", "contact")


def registration_open(meeting: Meeting, *, now: dt.datetime) -> bool:
    """Return whether citizens may register: an announced meeting with seats, not yet started."""
    return bool(meeting.capacity) and meeting.status == Meeting.Status.ANNOUNCED and meeting.starts_at > now


def registration_create(*, meeting: Meeting, name: str, contact: str, client_ip: str, honeypot: str = "",
                        now: dt.datetime | None = None) -> Registration:
    """Register a citizen to attend; returns the registration, confirmed while seats remain, else waitlisted.

    Raises ApplicationError (PortalError) when registration is closed, the name or contact is unusable,
    the contact is already registered for this meeting, the honeypot is filled or the client is over
    REGISTRATIONS_PER_HOUR (status 429).
    """
    now = now or timezone.now()
    # The limit comes before anything looks at the contact: otherwise unlimited probes tell which contacts
    # are registered.
    if not throttle_allows(scope="registration", client_ip=client_ip, limit=REGISTRATIONS_PER_HOUR):
        raise ApplicationError(PortalError.TOO_MANY)
    if honeypot.strip():
        raise ApplicationError(PortalError.SPAM)
    if not registration_open(meeting, now=now):
        raise ApplicationError(PortalError.REGISTRATION_CLOSED)
    name = " ".join((name or "").split())[:200]
    if not name:
        raise ApplicationError(PortalError.NAME_REQUIRED)
    contact = normalise_contact(contact)
    if not contact:
        raise ApplicationError(PortalError.BAD_CONTACT)
    if Registration.objects.filter(meeting=meeting, contact=contact).exists():
        raise ApplicationError(PortalError.ALREADY_REGISTERED)
    try:
        return _create(meeting=meeting, name=name, contact=contact)
    except IntegrityError as exc:  # the same contact registered concurrently
        raise ApplicationError(PortalError.ALREADY_REGISTERED) from exc


@transaction.atomic
def _create(*, meeting: Meeting, name: str, contact: str) -> Registration:
    # Locking the meeting row serialises seat counting, so two last-seat requests cannot both be confirmed.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    taken = Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED).count()
    status = Registration.Status.CONFIRMED if taken < meeting.capacity else Registration.Status.WAITLISTED
    registration = Registration.objects.create(meeting=meeting, name=name, contact=contact, status=status)
    audit_record(actor="citizen", action="registration.create", obj=registration, before=None,
                 after=snapshot(registration, exclude=PRIVATE_FIELDS))
    return registration


def registration_request(*, meeting: Meeting, name: str, contact: str, client_ip: str, honeypot: str = "",
                         site_url: str = "", now: dt.datetime | None = None) -> None:
    """Register a citizen and send the registration code to the contact; returns nothing on purpose.

    A contact already registered for the meeting gets its existing code again instead, and the caller
    cannot tell the two cases apart: the answer must not reveal whose phone or e-mail is registered.
    Raises ApplicationError like `registration_create` for every other refusal.
    """
    try:
        registration = registration_create(meeting=meeting, name=name, contact=contact, client_ip=client_ip,
                                           honeypot=honeypot, now=now)
    except ApplicationError as err:
        if err.code != PortalError.ALREADY_REGISTERED:
            raise
        registration = Registration.objects.get(meeting=meeting, contact=normalise_contact(contact))
    _send_code(registration, site_url=site_url)


CODE_SUBJECT = _("Your registration for the meeting")
CODE_BODY = _("Your registration code: %(code)s\nStatus: %(status)s\nThe current status of your registration: "
              "%(url)s\nShow the code and an identity document at the entrance.")


def _send_code(registration: Registration, *, site_url: str) -> None:
    # Only e-mail can be sent from here; a phone number is used by staff to call if the meeting changes.
    if "@" not in registration.contact:
        return
    body = str(CODE_BODY) % {
        "code": registration.code, "status": registration.get_status_display(),
        "url": site_url + reverse("portal:registration", args=[registration.code]),
    }
    subject, recipient = str(CODE_SUBJECT), registration.contact
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))
