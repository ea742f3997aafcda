import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command

from kezdesu.compliance.models import QuarterlyReport
from kezdesu.core.models import Notification
from kezdesu.meetings.models import AkimatAgreement
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory, at
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def run(*args) -> list | dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_compliance_command_prints_every_body_with_reasons(reference):
    health = Body.objects.get(slug="health")
    turkistan = Region.objects.get(slug="turkistan")
    minister = HeadFactory(body=health)
    deputy = HeadFactory(body=health, is_first_head=False)
    held = MeetingFactory(body=health, head=minister, region=turkistan, status="reported",
                          starts_at=at(dt.date(2026, 8, 12)))
    by_deputy = MeetingFactory(body=health, head=deputy, region=turkistan, status="held",
                               starts_at=at(dt.date(2026, 9, 2)))
    QuarterlyReport.objects.create(body=health, year=2026, quarter=3, status="submitted",
                                   submitted_at=at(dt.date(2026, 10, 13)))
    rows = run("compliance", "--year", "2026", "--quarter", "3", "--as-of", "2026-10-20")["quarters"]
    by_body = {r["body"]: r for r in rows}
    assert len(rows) == Body.objects.valid_during(dt.date(2026, 7, 1), dt.date(2026, 9, 30)).count()
    h = by_body["health"]
    assert (h["status"], h["counted"], h["report_deadline"], h["report_status"]) == (
        "met", [held.pk], "2026-10-12", "late")
    assert h["not_counted"] == [{"id": by_deputy.pk, "reason": "not_first_head"}]
    assert by_body["defence"]["status"] == "exempt"
    assert by_body["energy"]["status"] == "missed" and by_body["energy"]["report_status"] == "missing"


def test_compliance_command_year_has_four_quarters(reference):
    rows = run("compliance", "--year", "2026", "--as-of", "2026-05-01", "--body", "energy")["quarters"]
    assert [(r["quarter"], r["status"]) for r in rows] == [
        ("2026-Q1", "missed"), ("2026-Q2", "pending"), ("2026-Q3", "pending"), ("2026-Q4", "pending")]


def test_reminders_are_sent_once(reference):
    health = Body.objects.get(slug="health")
    turkistan = Region.objects.get(slug="turkistan")
    coordinator = staff(Role.BODY_COORDINATOR, body=health)
    akimat = staff(Role.AKIMAT_COORDINATOR, region=turkistan)
    today = dt.date(2026, 9, 14)  # Monday; Q3 ends in 16 days
    proposed = MeetingFactory(body=health, region=turkistan, status="proposed", starts_at=at(dt.date(2026, 11, 3)))
    AkimatAgreement.objects.create(meeting=proposed, round=1, requested_at=at(dt.date(2026, 9, 8)),
                                   requested_starts_at=proposed.starts_at, requested_venue=proposed.venue)
    MeetingFactory(body=health, region=turkistan, status="announced", starts_at=at(dt.date(2026, 9, 15)))
    MeetingFactory(body=health, region=turkistan, status="held", starts_at=at(dt.date(2026, 9, 8)))
    CommitmentFactory(meeting__body=health, meeting__region=turkistan, responsible_body=health,
                      deadline=dt.date(2026, 9, 18))
    CommitmentFactory(meeting__body=health, meeting__region=turkistan, responsible_body=health,
                      deadline=dt.date(2026, 9, 1))
    energy_coord = staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="energy"))

    first = run("send_reminders", "--as-of", today.isoformat())
    assert first == {"akimat_silent": 1, "meeting_tomorrow": 2, "results_missing": 1, "commitment_due": 1,
                     "commitment_overdue": 1, "quarter_at_risk": 1}
    assert Notification.objects.filter(user=akimat).count() == 2
    assert Notification.objects.filter(user=energy_coord, key__startswith="reminder:at-risk").exists()
    assert Notification.objects.filter(user=coordinator).count() == 4
    sent = len(mail.outbox)
    second = run("send_reminders", "--as-of", today.isoformat())
    assert set(second.values()) == {0}
    assert len(mail.outbox) == sent
