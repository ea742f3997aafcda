"""Stored text: cleaned on every write, no longer than its limit in forms, the API and the database."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from kezdesu.core import limits
from kezdesu.core.fields import CleanTextFormField, clean_text
from kezdesu.meetings.models import Commitment, Meeting
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory
from kezdesu.questions.models import Question
from kezdesu.registry.models import Body, Region
from kezdesu.reports.models import ProcedureDocument
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff


@pytest.mark.parametrize(("raw", "multiline", "clean"), [
    ("a\x0bb", True, "a\nb"),  # a vertical tab is Word's line break
    ("a\r\nb\rc\u2028d", True, "a\nb\nc\nd"),
    ("a\x00b\x1bc\x7fd\x9fe", True, "abcde"),
    ("tab\there", True, "tab\there"),
    ("one\nline\tonly", False, "one line only"),
    ("lone \ud800 surrogate \ufffe", True, "lone  surrogate "),
    ("emoji 🙂 and \u200fRTL\u200e marks", True, "emoji 🙂 and \u200fRTL\u200e marks"),
])
def test_clean_text(raw, multiline, clean):
    assert clean_text(raw, multiline=multiline) == clean


def test_form_field_cleans_before_checking_the_length():
    field = CleanTextFormField(multiline=True, max_length=5)
    assert field.clean("ab\x00\x01cd\x0b") == "abcd"
    with translation.override("en"), pytest.raises(ValidationError, match="at most 5"):
        field.clean("abcdef")


@pytest.mark.django_db
def test_every_write_stores_clean_text(reference):
    commitment = CommitmentFactory(text="Су\x0bқұбыры\x00", evidence="акт\x1b№ 5")
    commitment.refresh_from_db()
    assert (commitment.text, commitment.evidence) == ("Су\nқұбыры", "акт№ 5")
    # Even an update that skips validation stores clean text.
    Commitment.objects.filter(pk=commitment.pk).update(evidence="a\x07b")
    commitment.refresh_from_db()
    assert commitment.evidence == "ab"


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "field", "limit"), [
    (Commitment, "text", limits.COMMITMENT),
    (Meeting, "topics", limits.TOPICS),
    (Question, "text", limits.QUESTION),
    (ProcedureDocument, "text_kk", limits.PROCEDURE),
])
def test_the_database_refuses_text_over_its_limit(reference, model, field, limit):
    if model is Commitment:
        row = CommitmentFactory()
    elif model is Meeting:
        row = MeetingFactory()
    elif model is Question:
        row = Question.objects.create(region=Region.objects.first(), text="Ауыз су қашан болады?")
    else:
        row = ProcedureDocument.objects.create(version=1, title_kk="Т", title_ru="П", text_kk="м", text_ru="т",
                                               effective_from=dt.date(2026, 1, 1), published_at=timezone.now())
    model.objects.filter(pk=row.pk).update(**{field: "я" * limit})  # at the limit: stored
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: "я" * (limit + 1)})


@pytest.mark.django_db
def test_forms_refuse_text_over_its_limit(client, reference):
    health = Body.objects.get(slug="health")
    coordinator = staff(Role.BODY_COORDINATOR, body=health)
    meeting = MeetingFactory(body=health, status=Meeting.Status.HELD)
    client.force_login(coordinator)
    url = f"/staff/meetings/{meeting.pk}/commitments/"
    data = {"responsible_body": health.pk, "deadline": "2026-12-31"}
    page = client.post(url, {**data, "text": "я" * (limits.COMMITMENT + 1)}, follow=True).content.decode()
    assert not Commitment.objects.exists()
    assert str(limits.COMMITMENT) in page.replace("\u00a0", "").replace(",", "")
    client.post(url, {**data, "text": "Жол\x0bжөндеу\x00"})
    assert Commitment.objects.get().text == "Жол\nжөндеу"


@pytest.mark.django_db
def test_the_api_cleans_and_limits_text(client, reference):
    meeting = MeetingFactory(status=Meeting.Status.ANNOUNCED, starts_at=timezone.now() + dt.timedelta(days=5))
    url = "/api/v1/questions/"
    too_long = client.post(url, {"meeting": meeting.pk, "text": "с" * (limits.QUESTION + 1)},
                           content_type="application/json")
    assert too_long.status_code == 400 and "text" in too_long.json()["detail"]
    # NUL and lone surrogates are refused by the API's JSON parser before any field sees them.
    for hostile in ("Ауыз су қашан\x00 болады?", "Ауыз су қашан болады?\ud800"):
        refused = client.post(url, {"meeting": meeting.pk, "text": hostile}, content_type="application/json")
        assert refused.status_code == 400
    ok = client.post(url, {"meeting": meeting.pk, "text": "Ауыз\x0bсу қашан\x7f болады?"},
                     content_type="application/json")
    assert ok.status_code == 201
    assert Question.objects.get().text == "Ауыз\nсу қашан болады?"


@pytest.mark.django_db
def test_text_stored_before_the_limits_is_shortened_by_the_migration_helper(reference):
    from django.apps import apps

    from kezdesu.core.fields import truncate_overlong

    commitment = CommitmentFactory()
    table = Commitment._meta.db_table
    # Simulates a row written before the check existed: SQLite lets us drop to raw SQL without the check.
    if connection.vendor != "sqlite":
        pytest.skip("the check cannot be bypassed on this database")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        cursor.execute(f"UPDATE {table} SET text = %s WHERE id = %s", ["я" * 5000, commitment.pk])  # noqa: S608
        cursor.execute("PRAGMA ignore_check_constraints = OFF")
    truncate_overlong("meetings", {"commitment": {"text": limits.COMMITMENT}}).code(apps, None)
    commitment.refresh_from_db()
    assert len(commitment.text) == limits.COMMITMENT
