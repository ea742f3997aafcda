"""Citizens' intake: `question_submit`, the shared guards, and moderation keeping authors private."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent
from kezdesu.core.responses import http_status
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.questions.errors import QuestionError
from kezdesu.questions.intake import client_fingerprint, normalise_contact, throttle_allows
from kezdesu.questions.models import Question
from kezdesu.questions.services import QUESTIONS_PER_HOUR, question_submit, question_transition
from kezdesu.registry.tests.factories import RegionFactory, SectorFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
TEXT = "Ауылға жол қашан салынады?"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def meeting():
    return MeetingFactory(status=Meeting.Status.ANNOUNCED, starts_at=timezone.now() + dt.timedelta(days=7))


def submit(meeting, **kwargs):
    return question_submit(**{"meeting": meeting, "text": TEXT, "client_ip": "203.0.113.1", **kwargs})


def test_submit_receives_the_question(meeting):
    sector = SectorFactory()
    question = submit(meeting, sector=sector, author_name="  Айбек   Сәрсенов ", author_contact="AIBEK@Example.kz",
                      language="ru")
    assert question.status == Question.Status.RECEIVED and question.origin == Question.Origin.PORTAL
    assert question.region == meeting.region and question.sector == sector and question.language == "ru"
    assert question.author_name == "Айбек Сәрсенов" and question.author_contact == "aibek@example.kz"
    assert question.tracking_code.startswith("Q-") and not Question.objects.public().filter(pk=question.pk)
    event = AuditEvent.objects.get(action="question.submit", object_id=str(question.pk))
    assert event.actor_label == "citizen" and event.actor is None
    assert "author_name" not in event.after and "author_contact" not in event.after


def test_submit_uses_another_region_when_given(meeting):
    other = RegionFactory()
    assert submit(meeting, region=other).region == other


@pytest.mark.parametrize(("status", "days"), [(Meeting.Status.HELD, -1), (Meeting.Status.AGREED, 7),
                                              (Meeting.Status.ANNOUNCED, -1)])
def test_only_announced_meetings_before_they_start(status, days):
    meeting = MeetingFactory(status=status, starts_at=timezone.now() + dt.timedelta(days=days))
    with pytest.raises(ApplicationError) as err:
        submit(meeting)
    assert err.value.code == QuestionError.MEETING_NOT_OPEN and not Question.objects.exists()


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"text": "   Қысқа  "}, QuestionError.TEXT_LENGTH),
    ({"text": "х" * 2001}, QuestionError.TEXT_LENGTH),
    ({"author_contact": "телефоным жоқ"}, QuestionError.BAD_CONTACT),
    ({"honeypot": "https://spam.example"}, QuestionError.SPAM),
])
def test_refusals(meeting, kwargs, code):
    with pytest.raises(ApplicationError) as err:
        submit(meeting, **kwargs)
    assert err.value.code == code and not Question.objects.exists()


def test_rate_limit_counts_per_client(meeting):
    for _ in range(QUESTIONS_PER_HOUR):
        submit(meeting)
    with pytest.raises(ApplicationError) as err:
        submit(meeting)
    assert err.value.code == QuestionError.TOO_MANY and http_status(err.value) == 429
    submit(meeting, client_ip="198.51.100.2")
    assert Question.objects.count() == QUESTIONS_PER_HOUR + 1


def test_throttle_window_and_fingerprint():
    assert [throttle_allows(scope="t", client_ip="10.0.0.1", limit=2) for _ in range(3)] == [True, True, False]
    assert throttle_allows(scope="other", client_ip="10.0.0.1", limit=2)
    assert client_fingerprint("10.0.0.1") != client_fingerprint("10.0.0.2")
    assert "10.0.0.1" not in client_fingerprint("10.0.0.1") and len(client_fingerprint("10.0.0.1")) == 64


@pytest.mark.parametrize(("raw", "expected"), [
    ("", ""), ("  ", ""),
    ("+7 (701) 555-12-34", "+77015551234"), ("8 701 555 12 34", "+77015551234"), ("7015551234", "+77015551234"),
    ("Dana@Mail.KZ", "dana@mail.kz"), ("+44 20 7946 0958", "+442079460958"),
    ("12345", None), ("dana@", None), ("телефон", None),
])
def test_normalise_contact(raw, expected):
    assert normalise_contact(raw) == expected


def test_moderation_keeps_authors_out_of_the_audit(meeting):
    question = submit(meeting, author_name="Айбек", author_contact="+77015551234")
    moderator = staff(Role.MODERATOR)
    question_transition(actor=moderator, question=question, target=Question.Status.PUBLISHED)
    event = AuditEvent.objects.get(action="question.published")
    assert "author_contact" not in event.before and "author_contact" not in event.after
    assert Question.objects.public().filter(pk=question.pk).exists()
