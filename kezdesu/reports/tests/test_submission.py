"""Clause 1.4: a body coordinator submits the quarterly information once, on time or late."""

import datetime as dt

import pytest

from kezdesu.compliance.models import QuarterlyReport
from kezdesu.compliance.rules import Quarter
from kezdesu.core.audit import audit_verify
from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent
from kezdesu.core.responses import http_status
from kezdesu.meetings.models import MeetingResult
from kezdesu.meetings.tests.factories import at
from kezdesu.reports import selectors
from kezdesu.reports.errors import ReportError
from kezdesu.reports.renderers import render
from kezdesu.reports.services import quarterly_report_submit
from kezdesu.reports.tests.reading import xlsx_sheets

pytestmark = pytest.mark.django_db
Q3 = Quarter(2026, 3)


def submit(q3, when: dt.datetime, *, actor=None, body=None, comment="Барлық кездесу өткізілді"):
    return quarterly_report_submit(actor=actor or q3.coordinator, body=body or q3.health, quarter=Q3,
                                   comment=comment, now=when)


def test_submission_on_time_stores_the_figures_and_is_audited(q3):
    report = submit(q3, at(dt.date(2026, 10, 9), 16))
    report.refresh_from_db()
    assert (report.status, report.submitted_by, report.comment) == ("submitted", q3.coordinator,
                                                                    "Барлық кездесу өткізілді")
    assert report.snapshot["report_status"] == "on_time"
    assert len(report.snapshot["meetings"]) == 3
    event = AuditEvent.objects.get(action="report.submit", object_id=str(report.pk))
    assert event.actor == q3.coordinator and event.after["status"] == "submitted"
    frozen = AuditEvent.objects.get(action="report.snapshot", object_id=str(report.pk))
    assert frozen.actor == q3.coordinator and len(frozen.after["snapshot_sha256"]) == 64
    assert [(t.source, t.target, t.actor) for t in report.transitions.all()] == [
        ("draft", "submitted", q3.coordinator)]
    assert audit_verify() is None
    inbox = {row.body.slug: row.status.report_status
             for row in selectors.inbox(user=q3.analyst, quarter=Q3, today=dt.date(2026, 10, 20))}
    assert inbox["health"] == "on_time" and inbox["energy"] == "missing"


def test_submission_after_the_deadline_is_late(q3):
    submit(q3, at(dt.date(2026, 10, 13), 9))  # the deadline moved to Monday 12 October
    data = selectors.quarterly_data(user=q3.analyst, body=q3.health, quarter=Q3, today=dt.date(2026, 11, 1))
    assert data.report_status == "late" and not data.is_draft


def test_a_second_submission_is_refused(q3):
    first = submit(q3, at(dt.date(2026, 10, 9)))
    with pytest.raises(ApplicationError) as err:
        submit(q3, at(dt.date(2026, 10, 10)), comment="again")
    assert (err.value.code, http_status(err.value)) == (ReportError.ALREADY_SUBMITTED, 409)
    assert "09.10.2026" in err.value.message
    again = QuarterlyReport.objects.get(pk=first.pk)
    assert again.submitted_at == first.submitted_at and again.comment == "Барлық кездесу өткізілді"
    assert AuditEvent.objects.filter(action="report.submit").count() == 1


@pytest.mark.parametrize(("who", "code", "status"), [
    ("energy_coordinator", ReportError.NOT_YOURS, 403),
    ("analyst", ReportError.ROLE_CANNOT, 403),
    ("akimat", ReportError.ROLE_CANNOT, 403),
])
def test_only_the_bodys_own_coordinator_submits(q3, who, code, status):
    with pytest.raises(ApplicationError) as err:
        submit(q3, at(dt.date(2026, 10, 9)), actor=getattr(q3, who))
    assert (err.value.code, http_status(err.value)) == (code, status)
    assert not QuarterlyReport.objects.filter(body=q3.health).exists()


def test_a_quarter_that_is_not_over_cannot_be_submitted(q3):
    with pytest.raises(ApplicationError) as err:
        submit(q3, at(dt.date(2026, 9, 30), 18))
    assert err.value.code == ReportError.QUARTER_NOT_OVER and "01.10.2026" in err.value.message


def test_the_submitted_report_does_not_change_with_later_edits(q3):
    submit(q3, at(dt.date(2026, 10, 9)))
    MeetingResult.objects.filter(meeting=q3.meetings[0]).update(attendance=999)
    data = selectors.quarterly_data(user=q3.analyst, body=q3.health, quarter=Q3, today=dt.date(2026, 12, 1))
    assert data.attendance_total == 335 and data.comment == "Барлық кездесу өткізілді"
    summary = xlsx_sheets(render(data, fmt="xlsx", lang="kk").content)["Жиынтық"]
    assert ("Қатысқан азаматтар", 335) in [row[:2] for row in summary]
    assert any(row[0] == "Жіберілді" for row in summary)


def test_inbox_statuses_through_the_quarter(q3):
    def statuses(today):
        return {row.body.slug: row.status.report_status
                for row in selectors.inbox(user=q3.analyst, quarter=Q3, today=today)}

    assert set(statuses(dt.date(2026, 9, 1)).values()) == {"not_due"}
    assert set(statuses(dt.date(2026, 10, 5)).values()) == {"due"}
    submit(q3, at(dt.date(2026, 10, 14)))
    after = statuses(dt.date(2026, 10, 20))
    assert after["health"] == "late" and after["energy"] == "missing"
    assert "defence" not in after  # exempt bodies are not asked for the report
