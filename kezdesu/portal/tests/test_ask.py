"""Asking a question in advance: the form, the honeypot, the rate limit and the confirmation."""

import pytest
from django.core.cache import cache

from kezdesu.core.models import AuditEvent
from kezdesu.questions.models import Question

pytestmark = pytest.mark.django_db


def ask(client, meeting, ip="203.0.113.7", lang="kk", **fields):
    data = {"text": "Ауылдағы емхана қашан жөнделеді?", "region": meeting.region_id, "sector": "",
            "author_name": "Дана Ахметова", "author_contact": "8 (701) 555-12-34", "website": "", **fields}
    return client.post(f"/{lang}/meetings/{meeting.pk}/ask/", data, REMOTE_ADDR=ip)


def test_form_defaults_to_the_meetings_region(client, portal_data):
    up = portal_data["upcoming"]
    page = client.get(f"/kk/meetings/{up.pk}/ask/").content.decode()
    assert f'<option value="{up.region_id}" selected>' in page
    assert 'name="website"' in page  # the honeypot is in the form, hidden from people


def test_question_is_received_with_a_tracking_code(client, portal_data):
    up = portal_data["upcoming"]
    response = ask(client, up)
    question = Question.objects.get(text="Ауылдағы емхана қашан жөнделеді?")
    assert response.status_code == 302 and response.url == f"/kk/track/{question.tracking_code}/"
    assert question.status == Question.Status.RECEIVED and question.meeting == up
    assert question.author_contact == "+77015551234" and question.author_name == "Дана Ахметова"
    page = client.get(response.url).content.decode()
    assert question.tracking_code in page and "Дана Ахметова" not in page and "555" not in page
    event = AuditEvent.objects.get(action="question.submit")
    assert event.actor_label == "citizen" and "author_contact" not in event.after
    # Not public until a moderator publishes it.
    assert "Ауылдағы емхана" not in client.get(f"/kk/meetings/{up.pk}/").content.decode()


def test_honeypot_refuses_robots(client, portal_data):
    response = ask(client, portal_data["upcoming"], website="http://spam.example")
    assert response.status_code == 400 and not Question.objects.filter(origin="portal", status="received",
                                                                          meeting=portal_data["upcoming"]).exists()


def test_rate_limit_per_client_with_a_translated_message(client, portal_data):
    up = portal_data["upcoming"]
    for i in range(5):
        assert ask(client, up, lang="ru", text=f"Вопрос номер {i} о поликлинике").status_code == 302
    refused = ask(client, up, lang="ru", text="Шестой вопрос за час")
    assert refused.status_code == 429
    assert "Слишком много вопросов" in refused.content.decode()
    assert ask(client, up, ip="198.51.100.9", text="Вопрос с другого адреса").status_code == 302
    assert Question.objects.filter(meeting=up).count() == 6
    # Only a salted hash of the address is kept.
    assert not any("203.0.113.7" in str(key) for key in cache._cache)


def test_only_announced_meetings_take_questions(client, portal_data):
    past = portal_data["past"]
    page = client.get(f"/kk/meetings/{past.pk}/ask/")
    assert page.status_code == 200 and "<textarea" not in page.content.decode()
    assert ask(client, past).status_code == 409
    assert not Question.objects.filter(text="Ауылдағы емхана қашан жөнделеді?").exists()


def test_invalid_form_shows_errors(client, portal_data):
    response = ask(client, portal_data["upcoming"], text="Қысқа", author_contact="not a contact")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and 'aria-invalid="true"' in page
