"""Writes to citizens' questions; status changes follow one table."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from kezdesu.core import limits
from kezdesu.core.actors import Actor
from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.errors import ApplicationError
from kezdesu.core.notifications import absolute_url, followed_change
from kezdesu.core.transitions import Move, transition
from kezdesu.meetings.models import Meeting
from kezdesu.questions.errors import QuestionError
from kezdesu.questions.intake import contact_hash, normalise_contact, normalise_email, throttle_allows, token_digest
from kezdesu.questions.models import AnswerMode, Question, QuestionSupport, SupportRequest
from kezdesu.registry.models import Body, Region, Sector
from kezdesu.users.roles import can, can_act_for

S = Question.Status
TRANSITIONS = {
    (S.RECEIVED, S.PUBLISHED): Move("question.moderate"),
    (S.RECEIVED, S.REJECTED): Move("question.moderate", reason_required=True),
    (S.PUBLISHED, S.ANSWERED): Move("question.answer"),
    (S.PUBLISHED, S.REFERRED): Move("question.answer"),
    (S.ANSWERED, S.RESOLVED): Move("question.answer"),
    (S.REFERRED, S.RESOLVED): Move("question.answer"),
}

TEXT_MIN, TEXT_MAX = 10, limits.QUESTION
# At most this many questions per client (salted IP hash) per hour, from the portal and the API together.
QUESTIONS_PER_HOUR = 5
# Fields that identify the author stay out of the audit trail as well as out of public pages.
PRIVATE_FIELDS = ("created_at", "updated_at", "author_name", "author_contact")
LANGUAGES = ("kk", "ru", "en")
logger = logging.getLogger("kezdesu.mail")
# What each way of answering does to a question: its new status and how it was handled.
ANSWER_MODES = {
    AnswerMode.AT_MEETING: (S.ANSWERED, Question.Handling.ON_THE_SPOT),
    AnswerMode.IN_WRITING: (S.ANSWERED, Question.Handling.IN_WRITING),
    AnswerMode.REFERRED: (S.REFERRED, Question.Handling.NONE),
}


def questions_open(meeting: Meeting, *, now: dt.datetime) -> bool:
    """Return whether citizens may still send questions to `meeting` in advance."""
    return meeting.status == Meeting.Status.ANNOUNCED and meeting.starts_at > now


@transaction.atomic
def question_submit(*, meeting: Meeting, text: str, client_ip: str, region: Region | None = None,
                    sector: Sector | None = None, author_name: str = "", author_contact: str = "",
                    language: str = "kk", honeypot: str = "", now: dt.datetime | None = None) -> Question:
    """A citizen asks a question in advance of an announced meeting; returns it with status received.

    The name and contact are stored for staff only. Raises ApplicationError (QuestionError) when the
    meeting is not open for questions, the text or contact is unusable, the honeypot field is filled
    or the client has sent more than QUESTIONS_PER_HOUR questions in the last hour (status 429).
    """
    now = now or timezone.now()
    if honeypot.strip():
        raise ApplicationError(QuestionError.SPAM)
    if not questions_open(meeting, now=now):
        raise ApplicationError(QuestionError.MEETING_NOT_OPEN)
    text = (text or "").strip()
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        raise ApplicationError(QuestionError.TEXT_LENGTH, min=TEXT_MIN, max=TEXT_MAX)
    contact = normalise_contact(author_contact)
    if contact is None:
        raise ApplicationError(QuestionError.BAD_CONTACT)
    if not throttle_allows(scope="question", client_ip=client_ip, limit=QUESTIONS_PER_HOUR):
        raise ApplicationError(QuestionError.TOO_MANY)
    question = Question(
        meeting=meeting, region=region or meeting.region, sector=sector, origin=Question.Origin.PORTAL, text=text,
        language=language[:2] if language[:2] in LANGUAGES else "kk",
        author_name=" ".join(author_name.split())[:200], author_contact=contact[:200], status=S.RECEIVED,
    )
    question.full_clean()
    question.save()
    audit_record(actor="citizen", action="question.submit", obj=question, before=None,
                 after=snapshot(question, exclude=PRIVATE_FIELDS))
    return question


@transaction.atomic
def question_raise_at_meeting(*, actor: Actor, meeting: Meeting, text: str, sector=None, handling: str,
                              answer: str = "") -> Question:
    """Record a question raised at a held meeting (published at once: it was asked in public)."""
    if not can(actor, "meeting.results"):
        raise ApplicationError(QuestionError.ROLE_CANNOT)
    if not Meeting.objects.visible_to(actor).filter(pk=meeting.pk).exists() \
            or actor.membership.body_id != meeting.body_id:
        raise ApplicationError(QuestionError.NOT_YOURS)
    if meeting.status not in Meeting.Status.HELD_STATES:
        raise ApplicationError(QuestionError.MEETING_NOT_HELD)
    now = timezone.now()
    answered = handling == Question.Handling.ON_THE_SPOT
    question = Question(
        meeting=meeting, region=meeting.region, sector=sector, origin=Question.Origin.MEETING, text=text,
        handling=handling, answer=answer, status=S.ANSWERED if answered else S.PUBLISHED, published_at=now,
        answered_at=now if answered else None, answered_by=actor if answered else None,
    )
    question.full_clean()
    question.save()
    audit_record(actor=actor, action="question.raise", obj=question, before=None, after=snapshot(question))
    return question


def _may(actor: Actor, capability: str, question: Question) -> bool:
    """Moderators act on every question; a body answers the questions of its own meetings."""
    if capability == "question.moderate":
        return can(actor, capability)
    return can_act_for(actor, capability, bodies=(question.meeting.body_id if question.meeting_id else None,))


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        raise ApplicationError(QuestionError.TEXT_LENGTH, min=TEXT_MIN, max=TEXT_MAX)
    return text


def _referral(question: Question, body: Body | None) -> Body:
    if body is None:
        raise ApplicationError(QuestionError.REFERRAL_BODY_REQUIRED)
    if question.meeting_id is not None and body.pk == question.meeting.body_id:
        raise ApplicationError(QuestionError.REFERRAL_TO_ITSELF)
    return body


def _changes(question: Question, *, target: str, actor, reason: str, answer: str, referred_to: Body | None,
             handling: str | None, text: str | None, now: dt.datetime) -> dict:
    """The fields a move writes besides the status. Raises ApplicationError when one is missing."""
    changes: dict = {}
    if target == S.REJECTED:
        if not reason.strip():
            raise ApplicationError(QuestionError.REASON_REQUIRED)
        changes["rejection_reason"] = reason.strip()
    elif target == S.PUBLISHED:
        changes["published_at"] = now
        if text is not None and text.strip() != question.text:
            changes["text"] = _check_text(text)
    elif target in (S.ANSWERED, S.REFERRED, S.RESOLVED):
        if target != S.RESOLVED and not answer.strip():
            raise ApplicationError(QuestionError.EMPTY_ANSWER)
        if answer.strip():
            changes.update(answer=answer.strip(), answered_at=now, answered_by=actor)
        if target == S.REFERRED:
            changes["referred_to"] = _referral(question, referred_to)
    if handling is not None:
        changes["handling"] = handling
    return changes


@transaction.atomic
def question_transition(*, actor: Actor, question: Question, target: str, reason: str = "", answer: str = "",
                        referred_to: Body | None = None, handling: str | None = None, text: str | None = None,
                        expected_version: int | None = None) -> Question:
    """Moderate or answer a question; returns it. Raises ApplicationError when not allowed.

    `text` (publishing only) replaces the question's text: a moderator removes a third party's name or
    phone before publishing. The original stays only in the audit row's `before`.
    """
    question = Question.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=question.pk)
    move = TRANSITIONS.get((question.status, target))
    if move is None:
        raise ApplicationError(QuestionError.ILLEGAL_TRANSITION, source=S(question.status).label,
                               target=S(target).label if target in S.values else target)
    if not _may(actor, move.capability, question):
        raise ApplicationError(QuestionError.NOT_YOURS)
    now = timezone.now()
    changes = _changes(question, target=target, actor=actor, reason=reason, answer=answer,
                       referred_to=referred_to, handling=handling, text=text, now=now)
    return transition(obj=question, target=target, table=TRANSITIONS, actor=actor, comment=reason,
                      expected_version=expected_version, changes=changes, at=now, action=f"question.{target}",
                      exclude=PRIVATE_FIELDS)


def question_answer(*, actor, question: Question, mode: str, answer: str, referred_to: Body | None = None,
                    expected_version: int | None = None) -> Question:
    """The body answers a published question of its meeting; returns it answered or referred.

    `mode` is an AnswerMode: at the meeting (once it is held), in writing, or referred to another body
    (`referred_to`, with the answer explaining the referral). An author who left an e-mail address is
    told after the commit (`answer_mail_send`). Raises ApplicationError: BAD_ANSWER_MODE,
    MEETING_NOT_HELD, REFERRAL_BODY_REQUIRED, REFERRAL_TO_ITSELF, and those of `question_transition`.
    """
    if mode not in ANSWER_MODES:
        raise ApplicationError(QuestionError.BAD_ANSWER_MODE)
    target, handling = ANSWER_MODES[AnswerMode(mode)]
    if mode == AnswerMode.AT_MEETING and (question.meeting is None
                                          or question.meeting.status not in Meeting.Status.HELD_STATES):
        raise ApplicationError(QuestionError.MEETING_NOT_HELD)
    with transaction.atomic():
        question = question_transition(actor=actor, question=question, target=target, answer=answer,
                                       handling=handling, expected_version=expected_version,
                                       referred_to=referred_to if mode == AnswerMode.REFERRED else None)
        if "@" in question.author_contact:
            transaction.on_commit(lambda pk=question.pk: _enqueue_answer_mail(pk), robust=True)
        if question.meeting_id is not None:
            followed_change.send(sender=Question, kind="answer", pk=question.pk)
    return question


def _enqueue_answer_mail(question_id: int) -> None:
    from kezdesu.questions.tasks import send_answer_mail

    send_answer_mail.enqueue(question_id=question_id)


ANSWER_SUBJECT = _("Your question %(code)s has an answer")
ANSWER_BODY = _("Your question %(code)s, sent for the meeting of %(body)s, has an answer. Read it here: %(url)s\n"
                "This message was sent because you left your e-mail address with the question.")


def answer_mail_send(*, question_id: int) -> bool:
    """Tell the author by e-mail (in the language of the question) that the answer is published; returns
    True when the mail went out. A mail server that refuses or cannot be reached is logged."""
    question = Question.objects.select_related("meeting__body").filter(pk=question_id, status__in=(
        S.ANSWERED, S.REFERRED)).first()
    if question is None or "@" not in question.author_contact or question.meeting is None:
        return False
    with translation.override(question.language):
        params = {"code": question.tracking_code, "body": question.meeting.body.short_name,
                  "url": absolute_url(reverse("portal:track", args=[question.tracking_code]))}
        subject, body = str(ANSWER_SUBJECT) % params, str(ANSWER_BODY) % params
    try:
        send_mail(subject, body, None, [question.author_contact])
    except (smtplib.SMTPException, OSError) as exc:
        # Only the error's class goes to the log: the message may quote the address.
        logger.warning("answer mail for question %s not sent: %s", question.pk, type(exc).__name__)
        return False
    return True


@transaction.atomic
def questions_moderate(*, actor, questions: list[Question], target: str, reason: str = "") -> list[Question]:
    """Publish or reject several questions at once; returns them moved. All or none: the first refusal
    (ApplicationError of `question_transition`) rolls the others back."""
    if target not in (S.PUBLISHED, S.REJECTED):
        raise ApplicationError(QuestionError.ILLEGAL_TRANSITION, source=S.RECEIVED.label,
                               target=S(target).label if target in S.values else target)
    return [question_transition(actor=actor, question=q, target=target, reason=reason) for q in questions]


# --- Supports: a citizen backs a published question of an upcoming meeting, once per e-mail address ---------

# At most this many support requests per client (salted IP hash) per hour.
SUPPORTS_PER_HOUR = 10
# How long a confirmation link stays valid.
SUPPORT_LINK_HOURS = 48
SUPPORT_PRIVATE = ("created_at", "updated_at", "contact_hash", "token_hash")


def supports_open(question: Question, *, now: dt.datetime) -> bool:
    """Return whether `question` may be supported: published, for an announced meeting not started yet."""
    return (question.status == S.PUBLISHED and question.meeting is not None
            and questions_open(question.meeting, now=now))


def question_support_request(*, question: Question, email: str, client_ip: str, language: str = "kk",
                             honeypot: str = "", now: dt.datetime | None = None) -> SupportRequest:
    """Record a request to support `question` and mail a one-time confirmation link to `email` after the
    commit, in `language`; returns the request. The address is kept only as its keyed hash.

    The answer is the same whether or not the address supported the question before (the confirmation
    page says so): a request reveals nothing about anybody's address. Raises ApplicationError
    (QuestionError): TOO_MANY_SUPPORTS (429) over SUPPORTS_PER_HOUR, SPAM, NOT_SUPPORTABLE (409), BAD_EMAIL.
    """
    now = now or timezone.now()
    if not throttle_allows(scope="support", client_ip=client_ip, limit=SUPPORTS_PER_HOUR):
        raise ApplicationError(QuestionError.TOO_MANY_SUPPORTS)
    if honeypot.strip():
        raise ApplicationError(QuestionError.SPAM)
    if not supports_open(question, now=now):
        raise ApplicationError(QuestionError.NOT_SUPPORTABLE)
    address = normalise_email(email)
    if address is None:
        raise ApplicationError(QuestionError.BAD_EMAIL)
    token = secrets.token_urlsafe(32)
    language = language if language in LANGUAGES else "kk"
    with transaction.atomic():
        request = SupportRequest.objects.create(
            question=question, contact_hash=contact_hash(address), token_hash=token_digest(token),
            language=language, expires_at=now + dt.timedelta(hours=SUPPORT_LINK_HOURS))
        audit_record(actor="citizen", action="question.support_request", obj=request, before=None,
                     after=snapshot(request, exclude=SUPPORT_PRIVATE))
        # The mail leaves straight after the commit rather than through the task queue: a queued task would
        # keep the address in its arguments, and the address is not to be stored anywhere.
        transaction.on_commit(lambda: support_link_mail_send(address=address, token=token, question_id=question.pk,
                                                             language=language), robust=True)
    return request


def _support_request(token: str, *, now: dt.datetime) -> SupportRequest:
    request = (SupportRequest.objects.select_for_update(of=("self",)).select_related("question__meeting")
               .filter(token_hash=token_digest(token or "")).first())
    if request is None:
        raise ApplicationError(QuestionError.SUPPORT_LINK_UNKNOWN)
    if request.used_at is not None:
        raise ApplicationError(QuestionError.SUPPORT_LINK_USED)
    if request.expires_at <= now:
        raise ApplicationError(QuestionError.SUPPORT_LINK_EXPIRED)
    return request


@transaction.atomic
def question_support_confirm(*, token: str, now: dt.datetime | None = None) -> Question:
    """Count the support whose link carries `token` (once per address and question); returns the question
    with its new `support_count`. The link is used up.

    Raises ApplicationError (QuestionError): SUPPORT_LINK_UNKNOWN (404), SUPPORT_LINK_USED, SUPPORT_LINK_EXPIRED,
    NOT_SUPPORTABLE (the meeting started, was cancelled or the question changed status), ALREADY_SUPPORTED
    (all 409). Nothing is written then.
    """
    now = now or timezone.now()
    request = _support_request(token, now=now)
    question = request.question
    if not supports_open(question, now=now):
        raise ApplicationError(QuestionError.NOT_SUPPORTABLE)
    try:
        with transaction.atomic():
            support = QuestionSupport.objects.create(question=question, contact_hash=request.contact_hash)
    except IntegrityError as exc:  # this address supported the question before (or just now, concurrently)
        raise ApplicationError(QuestionError.ALREADY_SUPPORTED) from exc
    before = snapshot(request, exclude=SUPPORT_PRIVATE)
    request.used_at = now
    request.save(update_fields=["used_at", "updated_at"])
    # Counted by the database, not read and written back: concurrent confirmations all count.
    Question.objects.filter(pk=question.pk).update(support_count=F("support_count") + 1)
    audit_record(actor="citizen", action="question.support_request_used", obj=request, before=before,
                 after=snapshot(request, exclude=SUPPORT_PRIVATE))
    audit_record(actor="citizen", action="question.support", obj=support, before=None,
                 after=snapshot(support, exclude=SUPPORT_PRIVATE))
    question.refresh_from_db(fields=["support_count"])
    return question


SUPPORT_SUBJECT = _("Confirm your support of question %(code)s")
SUPPORT_BODY = _("You asked to support this question for the meeting of %(body)s in %(region)s on %(date)s:\n\n"
                 "%(text)s\n\nTo confirm, open the link below and press the button on that page (the link works "
                 "once, for %(hours)s hours):\n%(url)s\n\nIf you did not ask for this, ignore this message: "
                 "nothing is counted without the button.")


def support_link_mail_send(*, address: str, token: str, question_id: int, language: str) -> bool:
    """Mail the confirmation link of a support to `address` in `language`; returns True when it went out.
    A mail server that refuses or cannot be reached is logged (without the address)."""
    question = Question.objects.select_related("meeting__body", "meeting__region").filter(pk=question_id).first()
    if question is None or question.meeting is None:
        return False
    meeting = question.meeting
    with translation.override(language):
        params = {"code": question.tracking_code, "body": meeting.body.short_name, "region": meeting.region.name,
                  "date": formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT"),
                  "text": question.text, "hours": SUPPORT_LINK_HOURS,
                  "url": absolute_url(reverse("portal:support-confirm", args=[token]))}
        subject, body = str(SUPPORT_SUBJECT) % params, str(SUPPORT_BODY) % params
    try:
        send_mail(subject, body, None, [address])
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("support mail for question %s not sent: %s", question.pk, type(exc).__name__)
        return False
    return True
