"""Public API: meetings, questions and commitments for everybody; authors of questions never appear."""

import pytest
from django.utils import timezone

from kezdesu.questions.models import Question

pytestmark = pytest.mark.django_db

PRIVATE_KEYS = {"author_name", "author_contact"}
PRIVATE_VALUES = ("Бақыт Жұмабаев", "bakyt@example.kz", "Сәуле Омарова", "+7 701 000 00 00")


def keys(data):
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in keys(v)}
    return set()


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert not PRIVATE_KEYS & keys(response.json())
    assert not any(value in response.content.decode() for value in PRIVATE_VALUES)
    return response.json()


def ids(page):
    return {m["id"] for m in page["results"]}


def test_meetings_are_public_ones_with_filters(client, api_data):
    up, past = api_data["upcoming"], api_data["past"]
    assert ids(get(client, "/api/v1/meetings/")) == {up.pk, past.pk}
    assert ids(get(client, "/api/v1/meetings/?region=abai")) == {past.pk}
    assert ids(get(client, "/api/v1/meetings/?body=health")) == {up.pk}
    assert ids(get(client, "/api/v1/meetings/?status=announced")) == {up.pk}
    day = timezone.localdate(up.starts_at).isoformat()
    assert ids(get(client, f"/api/v1/meetings/?date_from={day}")) == {up.pk}
    assert ids(get(client, f"/api/v1/meetings/?date_to={day}&date_from=2000-01-01")) == {up.pk, past.pk}
    assert client.get("/api/v1/meetings/?status=draft").status_code == 400
    assert client.get(f'/api/v1/meetings/{api_data["agreed"].pk}/').status_code == 404


def test_meeting_detail_has_results_public_questions_and_commitments(client, api_data):
    data = get(client, f'/api/v1/meetings/{api_data["past"].pk}/')
    assert data["result"]["attendance"] == 240 and data["region"] == "abai"
    assert [q["id"] for q in data["questions"]] == [api_data["answered"].pk]
    assert data["questions"][0]["answer"] == "Қазан айында."
    assert [c["id"] for c in data["commitments"]] == [api_data["commitment"].pk]
    assert data["commitments"][0]["progress"] == 30
    assert get(client, f'/api/v1/meetings/{api_data["upcoming"].pk}/')["result"] is None


def test_commitments_and_questions(client, api_data):
    assert [c["id"] for c in get(client, "/api/v1/commitments/")["results"]] == [api_data["commitment"].pk]
    assert get(client, "/api/v1/commitments/?body=health")["count"] == 0
    assert [q["id"] for q in get(client, "/api/v1/questions/")["results"]] == [api_data["answered"].pk]
    assert client.get(f'/api/v1/questions/{api_data["received"].pk}/').status_code == 404


def test_ask_a_question(client, api_data):
    up = api_data["upcoming"]
    response = client.post("/api/v1/questions/", {
        "meeting": up.pk, "text": "Емханаға дәрігер қашан келеді?", "sector": None,
        "author_name": "Дана", "author_contact": "+7 701 555 12 34"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"tracking_code", "status", "meeting"} and body["status"] == "received"
    question = Question.objects.get(tracking_code=body["tracking_code"])
    assert question.author_contact == "+77015551234" and question.region == up.region
    tracked = get(client, f'/api/v1/questions/track/{body["tracking_code"]}/')
    assert tracked["status"] == "received" and tracked["text"] == "Емханаға дәрігер қашан келеді?"
    assert client.get("/api/v1/questions/track/Q-NOSUCH22/").status_code == 404


def post_question(client, meeting, **extra):
    return client.post("/api/v1/questions/", {"meeting": meeting.pk, "text": "Су құбыры қашан жөнделеді?",
                                              **extra}, content_type="application/json")


def test_ask_refusals_come_as_detail_and_code(client, api_data):
    up = api_data["upcoming"]
    spam = post_question(client, up, website="http://spam.example")
    assert spam.status_code == 400 and spam.json()["code"] == "spam_suspected"
    closed = post_question(client, api_data["past"])
    assert closed.status_code == 400 and closed.json()["code"] == "meeting_not_open"
    invalid = client.post("/api/v1/questions/", {"meeting": up.pk}, content_type="application/json")
    assert invalid.status_code == 400 and invalid.json()["code"] == "invalid" and "text" in invalid.json()["detail"]
    for _ in range(5):
        assert post_question(client, up).status_code == 201
    limited = post_question(client, up)
    assert limited.status_code == 429 and limited.json()["code"] == "too_many_questions"
    assert set(limited.json()) == {"detail", "code"}
