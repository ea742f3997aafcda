"""Alerts and obligations from real series: a quiet history, then a spike with escalation words."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.registry.models import Body
from kezdesu.tension.models import Appeal, Obligation, TensionAlert
from kezdesu.tension.services import obligations_review, tension_scan
from kezdesu.tension.store import counts_rebuild
from kezdesu.tension.tests.factories import AS_OF, WEEK

pytestmark = pytest.mark.django_db


def test_spike_with_hunger_strike_opens_a_mandatory_alert_and_obligations(cells):
    mangystau, jobs, abai, _health = cells
    result = tension_scan(as_of=AS_OF)
    assert result.week_start == WEEK and result.series == 2
    alert = TensionAlert.objects.get(region=mangystau, sector=jobs)
    assert alert.level == "mandatory" and alert.status == "open"
    assert sorted(alert.evidence["escalation"]["keywords"]) == ["hunger_strike", "strike", "unpaid_wages"]
    assert alert.evidence["observed"] == 40 and alert.evidence["threshold"] < 40
    assert len(alert.evidence["series"]["counts"]) > 10
    assert not TensionAlert.objects.filter(region=abai).exclude(level="watch").exists()
    obligations = Obligation.objects.filter(alert=alert)
    assert set(obligations.values_list("body__slug", flat=True)) == set(
        jobs.bodies.filter(exempt=False).values_list("slug", flat=True))
    assert all(o.deadline == AS_OF + dt.timedelta(days=14) for o in obligations)


def test_rescan_updates_instead_of_duplicating(cells):
    tension_scan(as_of=AS_OF)
    again = tension_scan(as_of=AS_OF)
    assert not again.opened and again.updated
    assert TensionAlert.objects.filter(status="open", region__slug="mangystau").count() == 1


def test_unscheduled_meeting_answers_the_obligation(cells):
    mangystau, jobs, *_ = cells
    tension_scan(as_of=AS_OF)
    labour = Body.objects.get(slug="labour-social")
    MeetingFactory(body=labour, region=mangystau, kind="unscheduled", status="held",
                   starts_at=at(AS_OF + dt.timedelta(days=6)))
    obligations_review(as_of=AS_OF + dt.timedelta(days=7))
    ob = Obligation.objects.get(body=labour)
    assert ob.status == "fulfilled" and ob.meeting is not None
    alert = TensionAlert.objects.get(region=mangystau, sector=jobs)
    assert alert.status == "answered"


def test_missed_deadline_is_flagged(cells):
    tension_scan(as_of=AS_OF)
    missed = obligations_review(as_of=AS_OF + dt.timedelta(days=15))
    assert missed and all(o.status == "missed" for o in Obligation.objects.all())


def test_alert_closes_when_the_series_returns_to_normal(cells):
    mangystau, jobs, *_ = cells
    tension_scan(as_of=AS_OF)
    rows = [Appeal(external_id=f"calm-{w}-{i}", received_on=WEEK + dt.timedelta(weeks=w),
                   week_start=WEEK + dt.timedelta(weeks=w), region=mangystau, sector=jobs, kind="request")
            for w in (1, 2) for i in range(4)]
    Appeal.objects.bulk_create(rows)
    counts_rebuild()
    later = tension_scan(as_of=AS_OF + dt.timedelta(weeks=2))
    alert = TensionAlert.objects.get(region=mangystau, sector=jobs)
    assert alert in later.closed and alert.status == "closed"
    assert not Obligation.objects.filter(alert=alert, status="open").exists()


def test_scan_command_json(cells):
    out = io.StringIO()
    call_command("scan_tension", "--as-of", AS_OF.isoformat(), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["week_start"] == WEEK.isoformat()
    assert any(a["region"] == "mangystau" and a["level"] == "mandatory" for a in data["opened"])
    assert data["obligations"]
