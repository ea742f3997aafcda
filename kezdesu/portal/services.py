"""Writes of the public portal that are not questions: registrations to attend a meeting."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from kezdesu.core.actors import SYSTEM
from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.errors import ApplicationError
from kezdesu.core.notifications import absolute_url
from kezdesu.meetings.models import Meeting
from kezdesu.portal.errors import PortalError
from kezdesu.portal.models import Registration
from kezdesu.questions.intake import normalise_contact, throttle_allows

# At most this many registrations per client (salted IP hash) per hour.
REGISTRATIONS_PER_HOUR = 5
PRIVATE_FIELDS = ("created_at", "updated_at", "name", "contact")
LANGUAGES = ("kk", "ru", "en")
logger = logging.getLogger("kezdesu.mail")


def registration_open(meeting: Meeting, *, now: dt.datetime) -> bool:
    """Return whether citizens may register: an announced meeting with seats, not yet started."""
    return bool(meeting.capacity) and meeting.status == Meeting.Status.ANNOUNCED and meeting.starts_at > now


def registration_create(*, meeting: Meeting, name: str, contact: str, client_ip: str, honeypot: str = "",
                        language: str = "kk", now: dt.datetime | None = None) -> Registration:
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
    if Registration.objects.filter(meeting=meeting, contact=contact).exclude(
            status=Registration.Status.CANCELLED).exists():
        raise ApplicationError(PortalError.ALREADY_REGISTERED)
    try:
        return _create(meeting=meeting, name=name, contact=contact,
                       language=language if language in LANGUAGES else "kk")
    except IntegrityError as exc:  # the same contact registered concurrently
        raise ApplicationError(PortalError.ALREADY_REGISTERED) from exc


@transaction.atomic
def _create(*, meeting: Meeting, name: str, contact: str, language: str) -> Registration:
    # Locking the meeting row serialises seat counting, so two last-seat requests cannot both be confirmed.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    # Registering again after cancelling starts afresh (new code, end of the waiting list); the cancelled
    # registration stays in the audit trail.
    Registration.objects.filter(meeting=meeting, contact=contact, status=Registration.Status.CANCELLED).delete()
    taken = Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED).count()
    status = Registration.Status.CONFIRMED if taken < meeting.capacity else Registration.Status.WAITLISTED
    registration = Registration.objects.create(meeting=meeting, name=name, contact=contact, status=status,
                                               language=language)
    audit_record(actor="citizen", action="registration.create", obj=registration, before=None,
                 after=snapshot(registration, exclude=PRIVATE_FIELDS))
    return registration


def registration_request(*, meeting: Meeting, name: str, contact: str, client_ip: str, honeypot: str = "",
                         language: str = "kk", now: dt.datetime | None = None) -> None:
    """Register a citizen and send the registration code to the contact; returns nothing on purpose.

    A contact already registered for the meeting gets its existing code again instead, and the caller
    cannot tell the two cases apart: the answer must not reveal whose phone or e-mail is registered.
    Raises ApplicationError like `registration_create` for every other refusal.
    """
    try:
        registration = registration_create(meeting=meeting, name=name, contact=contact, client_ip=client_ip,
                                           honeypot=honeypot, language=language, now=now)
    except ApplicationError as err:
        if err.code != PortalError.ALREADY_REGISTERED:
            raise
        registration = Registration.objects.exclude(status=Registration.Status.CANCELLED).get(
            meeting=meeting, contact=normalise_contact(contact))
    _mail(registration, kind="code")


def registration_cancellable(registration: Registration, *, now: dt.datetime) -> bool:
    """Return whether the citizen may still cancel: not cancelled yet, and the meeting has not started."""
    return registration.status != Registration.Status.CANCELLED and registration.meeting.starts_at > now


@transaction.atomic
def registration_cancel(*, code: str, now: dt.datetime | None = None) -> Registration:
    """Cancel the registration with this code; returns it cancelled.

    A freed seat goes to the first on the waiting list, who is told by mail after the commit (a phone
    number gets no message: staff call). Raises ApplicationError (PortalError): REGISTRATION_NOT_FOUND
    (404), ALREADY_CANCELLED (409), CANCEL_CLOSED once the meeting has started.
    """
    now = now or timezone.now()
    found = Registration.objects.filter(code=code).values_list("meeting_id", flat=True).first()
    if found is None:
        raise ApplicationError(PortalError.REGISTRATION_NOT_FOUND)
    # The meeting row's lock serialises seat counting with `_create` (see there).
    meeting = Meeting.objects.select_for_update().get(pk=found)
    registration = Registration.objects.select_related("meeting").get(code=code)
    if registration.status == Registration.Status.CANCELLED:
        raise ApplicationError(PortalError.ALREADY_CANCELLED)
    if not registration_cancellable(registration, now=now):
        raise ApplicationError(PortalError.CANCEL_CLOSED)
    before = snapshot(registration, exclude=PRIVATE_FIELDS)
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    audit_record(actor="citizen", action="registration.cancel", obj=registration, before=before,
                 after=snapshot(registration, exclude=PRIVATE_FIELDS))
    if meeting.status == Meeting.Status.ANNOUNCED:
        _fill_seats(meeting)
    return registration


def _fill_seats(meeting: Meeting) -> list[Registration]:
    """Confirm the waiting list in order while seats are free; returns those moved up (each is mailed)."""
    taken = Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED).count()
    waiting = Registration.objects.filter(meeting=meeting, status=Registration.Status.WAITLISTED) \
        .order_by("created_at", "id")[:max(meeting.capacity - taken, 0)]
    moved = []
    for registration in waiting:
        before = snapshot(registration, exclude=PRIVATE_FIELDS)
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        audit_record(actor=SYSTEM, action="registration.promote", obj=registration, before=before,
                     after=snapshot(registration, exclude=PRIVATE_FIELDS))
        _mail(registration, kind="promoted")
        moved.append(registration)
    return moved


CODE_SUBJECT = _("Your registration for the meeting")
CODE_BODY = _("Your registration code: %(code)s\nStatus: %(status)s\nThe current status of your registration: "
              "%(url)s\nShow the code and an identity document at the entrance.")
PROMOTED_SUBJECT = _("A seat is now yours at the meeting")
PROMOTED_BODY = _("A seat has become free at the meeting of %(body)s in %(region)s on %(date)s, and it is now "
                  "yours.\nYour registration code: %(code)s\nThe current status of your registration: %(url)s\n"
                  "Show the code and an identity document at the entrance. If you cannot come, cancel the "
                  "registration on that page so that the next person gets the seat.")
MAILS = {"code": (CODE_SUBJECT, CODE_BODY), "promoted": (PROMOTED_SUBJECT, PROMOTED_BODY)}


def _mail(registration: Registration, *, kind: str) -> None:
    # Only e-mail can be sent from here; a phone number is used by staff to call if the meeting changes.
    if "@" not in registration.contact:
        return
    transaction.on_commit(lambda pk=registration.pk: _enqueue_mail(pk, kind), robust=True)


def _enqueue_mail(registration_id: int, kind: str) -> None:
    from kezdesu.portal.tasks import send_registration_mail

    send_registration_mail.enqueue(registration_id=registration_id, kind=kind)


def registration_mail_send(*, registration_id: int, kind: str) -> bool:
    """Write the mail `kind` ("code" or "promoted") to the registration's e-mail in the citizen's language and
    send it; returns True when it went out. A mail server that refuses or cannot be reached is logged."""
    registration = Registration.objects.select_related("meeting__body", "meeting__region").filter(
        pk=registration_id).first()
    if registration is None or "@" not in registration.contact or kind not in MAILS:
        return False
    subject, body = MAILS[kind]
    meeting = registration.meeting
    with translation.override(registration.language):
        text = str(body) % {
            "code": registration.code, "status": registration.get_status_display(),
            "url": absolute_url(reverse("portal:registration", args=[registration.code])),
            "body": meeting.body.short_name, "region": meeting.region.name,
            "date": formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT"),
        }
        subject = str(subject)
    try:
        send_mail(subject, text, None, [registration.contact])
    except (smtplib.SMTPException, OSError) as exc:
        # Only the error's class goes to the log: the message may quote the address.
        logger.warning("mail for registration %s not sent: %s", registration.pk, type(exc).__name__)
        return False
    return True
