"""Clause 3.3: the authorized body sends the half-year results to the Office of the Government from the
results page; the document is frozen, who and when are recorded, and it cannot be sent twice."""

import datetime as dt

import pytest
from django.utils import timezone

from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent, Notification
from kezdesu.core.responses import http_status
from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.registry.models import Body, Region
from kezdesu.reports.builders import HalfYear
from kezdesu.reports.models import HalfYearSubmission
from kezdesu.reports.services import half_year_results_submit
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
H2 = HalfYear(2026, 2)


def test_sending_from_the_page_freezes_the_document_and_records_who_and_when(reference, client):
    analyst, government = staff(Role.AUTHORIZED_ANALYST), staff(Role.GOVERNMENT_VIEWER)
    MeetingFactory(body=Body.objects.get(slug="health"), region=Region.objects.get(slug="abai"), status="reported",
                   starts_at=at(dt.date(2026, 8, 12)))
    client.force_login(analyst)
    page = client.get("/staff/reports/half-year/2026-H2/").content.decode()
    assert 'type="submit"' in page
    response = client.post("/staff/reports/half-year/2026-H2/", {"comment": "Жарты жылдың қорытындысы",
                                                                  "confirmed": "true"})
    assert response.status_code == 302
    sent = HalfYearSubmission.objects.get(year=2026, half=2)
    assert (sent.status, sent.submitted_by, sent.comment) == ("submitted", analyst, "Жарты жылдың қорытындысы")
    assert sent.snapshot["year"] == 2026 and sent.snapshot["half"] == 2
    frozen_total = sum(b["meetings_held"] for b in sent.snapshot["bodies"])
    assert frozen_total == 1
    assert [(t.source, t.target, t.actor) for t in sent.transitions.all()] == [("draft", "submitted", analyst)]
    assert AuditEvent.objects.filter(action="results.submit", object_id=str(sent.pk)).exists()
    assert len(AuditEvent.objects.get(action="results.snapshot").after["snapshot_sha256"]) == 64
    assert Notification.objects.filter(user=government, key="results:2026-H2").exists()
    # A later meeting does not change what was sent.
    MeetingFactory(body=Body.objects.get(slug="energy"), region=Region.objects.get(slug="abai"), status="reported",
                   starts_at=at(dt.date(2026, 9, 2)))
    client.force_login(government)
    page = client.get("/staff/reports/half-year/2026-H2/").content.decode()
    assert 'id="results-status"' in page and timezone.localtime(sent.submitted_at).strftime("%d.%m.%Y") in page
    assert 'type="submit"' not in page.split('id="results-status"')[1].split("</section>")[0]
    again = client.post("/staff/reports/half-year/2026-H2/", {"comment": ""})
    assert again.status_code == 403


def test_a_second_sending_and_other_roles_are_refused(reference, client):
    analyst = staff(Role.AUTHORIZED_ANALYST)
    half_year_results_submit(actor=analyst, half=H2, now=at(dt.date(2026, 12, 10)))
    with pytest.raises(ApplicationError) as err:
        half_year_results_submit(actor=analyst, half=H2, now=at(dt.date(2026, 12, 11)))
    assert (err.value.code, http_status(err.value)) == ("results_sent", 409)
    client.force_login(analyst)
    assert client.post("/staff/reports/half-year/2026-H2/", {"comment": "", "confirmed": "true"}).status_code == 409
    with pytest.raises(ApplicationError) as err:
        half_year_results_submit(actor=staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="health")),
                                 half=HalfYear(2026, 1), now=at(dt.date(2026, 6, 10)))
    assert err.value.code == "role_cannot"
    with pytest.raises(ApplicationError) as err:
        half_year_results_submit(actor=analyst, half=HalfYear(2027, 1), now=at(dt.date(2026, 12, 10)))
    assert err.value.code == "half_not_started"
    assert HalfYearSubmission.objects.filter(status="submitted").count() == 1
