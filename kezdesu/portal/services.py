"""Writes of the public portal that are not questions: registrations to attend a meeting, and follow-up
subscriptions (a citizen follows a meeting, a region or a body by e-mail and is told of changes)."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from kezdesu.core.actors import SYSTEM
from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.errors import ApplicationError
from kezdesu.core.notifications import absolute_url
from kezdesu.meetings.models import Commitment, Meeting
from kezdesu.portal.errors import PortalError
from kezdesu.portal.models import Registration, Subscription, subscription_secret
from kezdesu.questions.intake import contact_hash, normalise_contact, normalise_email, throttle_allows
from kezdesu.questions.models import Question
from kezdesu.registry.models import Body, Region

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


# --- Follow-up by e-mail -------------------------------------------------------------------------------------

# At most this many subscription requests per client (salted IP hash) per hour.
SUBSCRIPTIONS_PER_HOUR = 10
# A subscription not confirmed within this time is forgotten (with its address).
SUBSCRIPTION_CONFIRM_HOURS = 72
SUBSCRIPTION_PRIVATE = ("created_at", "updated_at", "email", "contact_hash", "secret")
CONFIRM, UNSUBSCRIBE = "confirm", "unsubscribe"


def subscription_link_token(subscription: Subscription, purpose: str) -> str:
    """The token of a subscription's link for `purpose` (CONFIRM or UNSUBSCRIBE): an HMAC of the row's secret
    under CONTACT_HASH_KEY, so no link is stored and a new secret voids the old links."""
    return salted_hmac(f"kezdesu.portal.subscription.{purpose}", f"{subscription.pk}:{subscription.secret}",
                       secret=settings.CONTACT_HASH_KEY, algorithm="sha256").hexdigest()


def subscription_by_link(*, pk: int, token: str, purpose: str) -> Subscription | None:
    """The subscription a link points to when its token is right for `purpose`, else None."""
    subscription = Subscription.objects.select_related("meeting__body", "meeting__region", "region", "body") \
        .filter(pk=pk).first()
    if subscription is None or not constant_time_compare(subscription_link_token(subscription, purpose), token):
        return None
    return subscription


def _follow_target(*, meeting: Meeting | None, region: Region | None, body: Body | None) -> dict:
    given = {name: value for name, value in (("meeting", meeting), ("region", region), ("body", body))
             if value is not None}
    if len(given) != 1:
        raise ApplicationError(PortalError.FOLLOW_TARGET_REQUIRED)
    if meeting is not None and meeting.status not in Meeting.Status.PUBLIC_STATES:
        raise ApplicationError(PortalError.FOLLOW_CLOSED)
    return given


def subscription_request(*, email: str, client_ip: str, meeting: Meeting | None = None, region: Region | None = None,
                         body: Body | None = None, language: str = "kk", honeypot: str = "",
                         now: dt.datetime | None = None) -> None:
    """Ask to follow one meeting, region or body by e-mail: a confirmation link is mailed after the commit
    (double opt-in). Returns nothing on purpose: the answer is the same whether or not the address already
    follows it (an active subscription is left as it is and gets no mail), so it tells nothing about anybody.

    Raises ApplicationError (PortalError): TOO_MANY_SUBSCRIPTIONS (429) over SUBSCRIPTIONS_PER_HOUR, SPAM,
    FOLLOW_TARGET_REQUIRED (not exactly one thing to follow), FOLLOW_CLOSED (a meeting not public), BAD_EMAIL.
    """
    now = now or timezone.now()
    if not throttle_allows(scope="subscription", client_ip=client_ip, limit=SUBSCRIPTIONS_PER_HOUR):
        raise ApplicationError(PortalError.TOO_MANY_SUBSCRIPTIONS)
    if honeypot.strip():
        raise ApplicationError(PortalError.SPAM)
    target = _follow_target(meeting=meeting, region=region, body=body)
    address = normalise_email(email)
    if address is None:
        raise ApplicationError(PortalError.BAD_EMAIL)
    language = language if language in LANGUAGES else "kk"
    digest = contact_hash(address)
    try:
        with transaction.atomic():
            _subscription_write(address=address, digest=digest, target=target, language=language, now=now)
    except IntegrityError:  # the same address asked twice at once: the first request stands
        return


def _subscription_write(*, address: str, digest: str, target: dict, language: str, now: dt.datetime) -> None:
    subscription = Subscription.objects.select_for_update().filter(contact_hash=digest, **target).first()
    if subscription is not None and subscription.status == Subscription.Status.ACTIVE:
        return
    before = snapshot(subscription, exclude=SUBSCRIPTION_PRIVATE) if subscription else None
    if subscription is None:
        subscription = Subscription(contact_hash=digest, **target)
    # Asking again renews the link (the old one stops working) and takes the language of this page.
    subscription.email, subscription.language, subscription.secret = address, language, subscription_secret()
    subscription.expires_at = now + dt.timedelta(hours=SUBSCRIPTION_CONFIRM_HOURS)
    subscription.save()
    audit_record(actor="citizen", action="subscription.request", obj=subscription, before=before,
                 after=snapshot(subscription, exclude=SUBSCRIPTION_PRIVATE))
    transaction.on_commit(lambda pk=subscription.pk: _enqueue_subscription_mail(pk, CONFIRM, []), robust=True)


@transaction.atomic
def subscription_confirm(*, pk: int, token: str, now: dt.datetime | None = None) -> Subscription:
    """Start the subscription the confirmation link points to; returns it active (again, if it already was).

    Raises ApplicationError (PortalError): FOLLOW_LINK_UNKNOWN (404) for a wrong or forgotten link,
    FOLLOW_LINK_EXPIRED (409) after SUBSCRIPTION_CONFIRM_HOURS.
    """
    now = now or timezone.now()
    subscription = subscription_by_link(pk=pk, token=token, purpose=CONFIRM)
    if subscription is None:
        raise ApplicationError(PortalError.FOLLOW_LINK_UNKNOWN)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status == Subscription.Status.ACTIVE:
        return subscription
    if subscription.expires_at <= now:
        raise ApplicationError(PortalError.FOLLOW_LINK_EXPIRED)
    before = snapshot(subscription, exclude=SUBSCRIPTION_PRIVATE)
    subscription.status, subscription.confirmed_at = Subscription.Status.ACTIVE, now
    subscription.save(update_fields=["status", "confirmed_at", "updated_at"])
    audit_record(actor="citizen", action="subscription.confirm", obj=subscription, before=before,
                 after=snapshot(subscription, exclude=SUBSCRIPTION_PRIVATE))
    return subscription


@transaction.atomic
def subscription_cancel(*, pk: int, token: str) -> None:
    """Unsubscribe: the row and its address are deleted. Raises ApplicationError FOLLOW_LINK_UNKNOWN (404) for
    a wrong link or a subscription already ended."""
    subscription = subscription_by_link(pk=pk, token=token, purpose=UNSUBSCRIBE)
    if subscription is None:
        raise ApplicationError(PortalError.FOLLOW_LINK_UNKNOWN)
    _subscription_delete(subscription, actor="citizen", action="subscription.cancel")


def _subscription_delete(subscription: Subscription, *, actor, action: str) -> None:
    before = snapshot(subscription, exclude=SUBSCRIPTION_PRIVATE)
    audit_record(actor=actor, action=action, obj=subscription, before=before, after=None)
    subscription.delete()


@transaction.atomic
def subscriptions_purge(*, now: dt.datetime | None = None) -> int:
    """Forget the subscriptions never confirmed in time, with their addresses; returns how many."""
    now = now or timezone.now()
    expired = list(Subscription.objects.select_for_update().filter(status=Subscription.Status.PENDING,
                                                                   expires_at__lte=now))
    for subscription in expired:
        _subscription_delete(subscription, actor=SYSTEM, action="subscription.expire")
    return len(expired)


class _Batch:
    """The changes of one transaction, each once: subscribers get one mail per transaction, not one per call."""

    def __init__(self):
        self.events: dict[tuple[str, int], None] = {}
        self.flushed = False

    def flush(self) -> None:
        self.flushed = True
        follow_news_dispatch(events=[[kind, pk] for kind, pk in self.events])


def follow_change_collect(*, kind: str, pk: int) -> None:
    """Note a change subscribers may follow (kezdesu.core.notifications.followed_change); after the commit,
    `follow_news_dispatch` queues the mail. A rolled-back transaction sends nothing."""
    connection = transaction.get_connection()
    batch = getattr(connection, "kezdesu_follow_batch", None)
    # The batch is still open while its flush waits among this transaction's commit callbacks.
    pending = batch is not None and not batch.flushed \
        and any(item[1] == batch.flush for item in connection.run_on_commit)
    if not pending:
        batch = connection.kezdesu_follow_batch = _Batch()
    batch.events[(kind, pk)] = None
    if not pending:
        transaction.on_commit(batch.flush, robust=True)


def _event_meetings(events: list) -> dict[tuple[str, int], Meeting]:
    """The meeting each change is about (changes about something no longer public are dropped)."""
    ids = {kind: [pk for k, pk in events if k == kind] for kind in ("schedule", "answer", "commitment")}
    meeting_of = {("schedule", pk): pk for pk in ids["schedule"]}
    meeting_of |= {("answer", pk): m for pk, m in Question.objects.filter(
        pk__in=ids["answer"], status__in=Question.PUBLIC_STATUSES).values_list("pk", "meeting_id")}
    meeting_of |= {("commitment", pk): m for pk, m in Commitment.objects.filter(
        pk__in=ids["commitment"]).values_list("pk", "meeting_id")}
    meetings = Meeting.objects.in_bulk([m for m in meeting_of.values() if m])
    found = {}
    for (kind, pk), meeting_id in meeting_of.items():
        meeting = meetings.get(meeting_id)
        # A schedule change is sent for a meeting public before or after it (the service decides);
        # answers and progress only while the meeting is public.
        if meeting is not None and (kind == "schedule" or meeting.status in Meeting.Status.PUBLIC_STATES):
            found[(kind, pk)] = meeting
    return found


# Who is told first: the most particular subscription of an address carries its mail's unsubscribe link.
_PRIORITY = {"meeting": 0, "body": 1, "region": 2}


def follow_news_dispatch(*, events: list) -> int:
    """Queue one mail per subscribed address about `events` ([kind, pk] pairs of `followed_change`), however
    many of them touch the meetings that address follows; returns how many mails were queued."""
    about = _event_meetings([tuple(e) for e in events])
    if not about:
        return 0
    mails: dict[str, tuple[Subscription, list]] = {}
    for subscription in _subscriptions_touched(about.values()):
        mine = [[k, pk] for (k, pk), meeting in about.items() if _follows(subscription, meeting)]
        if not mine:
            continue
        first, listed = mails.get(subscription.contact_hash, (subscription, []))
        if _PRIORITY[_kind(subscription)] < _PRIORITY[_kind(first)]:
            first = subscription
        listed += [e for e in mine if e not in listed]
        mails[subscription.contact_hash] = (first, listed)
    for subscription, listed in mails.values():
        _enqueue_subscription_mail(subscription.pk, "news", listed)
    return len(mails)


def _subscriptions_touched(meetings) -> QuerySet:
    """Active subscriptions to any of `meetings`, to their regions or to their bodies, oldest first."""
    meetings = list(meetings)
    match = (Q(meeting_id__in={m.pk for m in meetings}) | Q(region_id__in={m.region_id for m in meetings})
             | Q(body_id__in={m.body_id for m in meetings}))
    return Subscription.objects.filter(match, status=Subscription.Status.ACTIVE).order_by("id")


def _follows(subscription: Subscription, meeting) -> bool:
    """Whether `subscription` (to one meeting, a body or a region) covers `meeting`."""
    if subscription.meeting_id:
        return meeting.pk == subscription.meeting_id
    if subscription.body_id:
        return meeting.body_id == subscription.body_id
    return meeting.region_id == subscription.region_id


def _kind(subscription: Subscription) -> str:
    return "meeting" if subscription.meeting_id else "body" if subscription.body_id else "region"


def _enqueue_subscription_mail(subscription_id: int, kind: str, events: list) -> None:
    from kezdesu.portal.tasks import send_subscription_mail

    send_subscription_mail.enqueue(subscription_id=subscription_id, kind=kind, events=events)


FOLLOW_CONFIRM_SUBJECT = _("Confirm that you want to follow %(target)s")
FOLLOW_CONFIRM_BODY = _("You asked to receive news of %(target)s by e-mail: changes of date, time or place, "
                        "answers to questions and progress of commitments.\n\nTo confirm, open the link below and "
                        "press the button on that page (within %(hours)s hours):\n%(url)s\n\nIf you did not ask "
                        "for this, ignore this message: without confirmation nothing will be sent.")
FOLLOW_NEWS_SUBJECT = _("News of the meetings you follow")
FOLLOW_FOOTER = _("You receive this because you follow %(target)s. To stop, open: %(url)s")
FOLLOW_SCHEDULE = _("Meeting of %(body)s in %(region)s: %(status)s. When: %(date)s. Where: %(place)s.")
FOLLOW_ANSWER = _("A question to the meeting of %(body)s in %(region)s has an answer.")
FOLLOW_COMMITMENT = _("Commitment “%(text)s” made at the meeting of %(body)s in %(region)s: %(status)s, "
                      "%(progress)s%% done.")
TARGET_MEETING = _("the meeting of %(body)s in %(region)s on %(date)s")
TARGET_REGION = _("meetings in %(region)s")
TARGET_BODY = _("meetings of %(body)s")


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _target_label(subscription: Subscription) -> str:
    if subscription.meeting_id:
        meeting = subscription.meeting
        return str(TARGET_MEETING) % {"body": meeting.body.short_name, "region": meeting.region.name,
                                      "date": _when(meeting.starts_at)}
    if subscription.region_id:
        return str(TARGET_REGION) % {"region": subscription.region.name}
    return str(TARGET_BODY) % {"body": subscription.body.short_name}


def _news_line(kind: str, pk: int) -> str | None:
    """One paragraph of a news mail, written from the rows as they are now (None if gone)."""
    if kind == "schedule":
        meeting = Meeting.objects.select_related("body", "region").filter(pk=pk).first()
        if meeting is None:
            return None
        line = str(FOLLOW_SCHEDULE) % {"body": meeting.body.short_name, "region": meeting.region.name,
                                       "status": meeting.get_status_display(), "date": _when(meeting.starts_at),
                                       "place": f"{meeting.settlement}, {meeting.venue}"}
        if meeting.status_reason and meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED):
            line += f" {meeting.status_reason}"
        if meeting.status in Meeting.Status.PUBLIC_STATES:
            line += "\n" + absolute_url(reverse("portal:meeting", args=[meeting.pk]))
        return line
    if kind == "answer":
        question = Question.objects.select_related("meeting__body", "meeting__region").filter(pk=pk).first()
        if question is None or question.meeting is None:
            return None
        return (str(FOLLOW_ANSWER) % {"body": question.meeting.body.short_name,
                                      "region": question.meeting.region.name}
                + "\n" + absolute_url(reverse("portal:track", args=[question.tracking_code])))
    commitment = Commitment.objects.select_related("meeting__body", "meeting__region").filter(pk=pk).first()
    if commitment is None:
        return None
    return (str(FOLLOW_COMMITMENT) % {"text": commitment.text, "body": commitment.meeting.body.short_name,
                                      "region": commitment.meeting.region.name,
                                      "status": commitment.get_status_display(), "progress": commitment.progress}
            + "\n" + absolute_url(reverse("portal:meeting", args=[commitment.meeting_id])))


def subscription_mail_send(*, subscription_id: int, kind: str, events: list) -> bool:
    """Write a subscription's mail in its language and send it; returns True when it went out.

    `kind` "confirm" sends the confirmation link of a pending subscription, "news" the `events` to an active
    one. Every mail carries the unsubscribe link, also as List-Unsubscribe headers (one-click, RFC 8058).
    A mail server that refuses or cannot be reached is logged, without the address.
    """
    subscription = Subscription.objects.select_related("meeting__body", "meeting__region", "region", "body") \
        .filter(pk=subscription_id).first()
    wanted = Subscription.Status.PENDING if kind == CONFIRM else Subscription.Status.ACTIVE
    if subscription is None or subscription.status != wanted:
        return False
    with translation.override(subscription.language):
        target = _target_label(subscription)
        unsubscribe = absolute_url(reverse("portal:unsubscribe", args=[
            subscription.pk, subscription_link_token(subscription, UNSUBSCRIBE)]))
        if kind == CONFIRM:
            subject = str(FOLLOW_CONFIRM_SUBJECT) % {"target": target}
            confirm = absolute_url(reverse("portal:follow-confirm", args=[
                subscription.pk, subscription_link_token(subscription, CONFIRM)]))
            text = str(FOLLOW_CONFIRM_BODY) % {"target": target, "hours": SUBSCRIPTION_CONFIRM_HOURS, "url": confirm}
        else:
            lines = [line for line in (_news_line(k, pk) for k, pk in events) if line]
            if not lines:
                return False
            subject, text = str(FOLLOW_NEWS_SUBJECT), "\n\n".join(lines)
        text += "\n\n-- \n" + str(FOLLOW_FOOTER) % {"target": target, "url": unsubscribe}
    message = EmailMessage(subject, text, None, [subscription.email], headers={
        "List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("mail for subscription %s not sent: %s", subscription.pk, type(exc).__name__)
        return False
    return True
