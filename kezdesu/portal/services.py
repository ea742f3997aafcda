"""Writes of the public portal that are not questions: registrations to attend a meeting."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

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
        raise ApplicationError(PortalError.ALREADY_REGISTERED, status=409)
    if not throttle_allows(scope="registration", client_ip=client_ip, limit=REGISTRATIONS_PER_HOUR):
        raise ApplicationError(PortalError.TOO_MANY, status=429)
    try:
        return _create(meeting=meeting, name=name, contact=contact)
    except IntegrityError as exc:  # the same contact registered concurrently
        raise ApplicationError(PortalError.ALREADY_REGISTERED, status=409) from exc


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
