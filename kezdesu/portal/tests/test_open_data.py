"""Open data downloads: parse the CSV and the JSON back; nothing private, nothing unpublished."""

import csv
import io
import json

import pytest

pytestmark = pytest.mark.django_db

PRIVATE = ("Бақыт Жұмабаев", "bakyt@example.kz", "Сәуле Омарова", "+7 701 000 00 00")


def download(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8")
    for private in PRIVATE:
        assert private not in text
    return text


def test_meetings_csv_and_json_agree(client, portal_data):
    text = download(client, "/open-data/meetings.csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    records = json.loads(download(client, "/open-data/meetings.json"))
    assert {int(r["id"]) for r in rows} == {r["id"] for r in records} == {
        portal_data["upcoming"].pk, portal_data["past"].pk}
    past = next(r for r in records if r["id"] == portal_data["past"].pk)
    assert past["attendance"] == 240 and past["region"] == "abai" and past["region_name_ru"] == "область Абай"
    assert past["starts_at"].endswith("+05:00")


def test_questions_are_only_the_published_ones(client, portal_data):
    records = json.loads(download(client, "/open-data/questions.json"))
    assert [r["id"] for r in records] == [portal_data["answered"].pk]
    assert records[0]["answer"] == "Қазан айының 1-інен бастап."
    assert not {"author_name", "author_contact", "tracking_code"} & set(records[0])
    rows = list(csv.DictReader(io.StringIO(download(client, "/open-data/questions.csv").lstrip("\ufeff"))))
    assert [r["text"] for r in rows] == ["Жылу қашан қосылады?"]


def test_commitments(client, portal_data):
    records = json.loads(download(client, "/open-data/commitments.json"))
    assert {r["text"] for r in records} == {"Қазандықты жөндеу", "Жолды жөндеу"}
    assert {r["progress"] for r in records} == {40, 0}


def test_unknown_dataset_or_format(client, portal_data):
    assert client.get("/open-data/people.csv").status_code == 404
    assert client.get("/open-data/meetings.xml").status_code == 404
    assert "meetings.csv" in client.get("/open-data/").content.decode()
