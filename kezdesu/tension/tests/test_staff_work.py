"""The authorized body's tension work in the pages: scans, the appeals behind an alert, ending an alert,
the rejected rows of an import and the CSV template."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent, Job
from kezdesu.registry.models import Body, Region
from kezdesu.tension.models import Appeal, ImportBatch, Obligation, TensionAlert
from kezdesu.tension.services import alert_close, appeals_import, tension_scan
from kezdesu.tension.tests.factories import AS_OF, WEEK
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def english(client, user):
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def mandatory_alert() -> TensionAlert:
    tension_scan(as_of=AS_OF)
    return TensionAlert.objects.get(region__slug="mangystau")


def test_a_scan_started_from_the_page_is_a_job_followed_to_its_end(client, cells, django_capture_on_commit_callbacks):
    alert = mandatory_alert()  # raised last week; the page's scan judges this week, which has no appeals
    english(client, staff(Role.AUTHORIZED_ANALYST))
    with django_capture_on_commit_callbacks(execute=True):  # the worker takes the task after the commit
        response = client.post("/staff/tension/scan/")
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/tension/scan/{job.pk}/"
    assert job.status == Job.Status.DONE
    page = client.get(response.url).content.decode()
    assert 'data-status="done"' in page
    assert "The scan is finished: 0 alerts opened, 1 closed; 0 are current now." in page
    alert.refresh_from_db()
    assert alert.status == TensionAlert.Status.CLOSED


def test_a_waiting_scan_page_polls_and_only_the_authorized_body_runs_scans(client, cells):
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    client.post("/staff/tension/scan/")  # no commit in this test: the job waits
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED
    page = client.get(f"/staff/tension/scan/{job.pk}/").content.decode()
    assert 'data-status="queued"' in page and 'hx-trigger="every 1s"' in page
    client.force_login(staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="labour-social")))
    assert client.post("/staff/tension/scan/").status_code == 403
    assert client.get(f"/staff/tension/scan/{job.pk}/").status_code == 403
    assert Job.objects.count() == 1


def test_appeals_behind_an_alert_are_paginated_and_their_text_is_for_the_authorized_body(client, cells):
    alert = mandatory_alert()
    assert Appeal.objects.filter(region__slug="mangystau", week_start=WEEK).count() == 40
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    first = client.get(f"/staff/tension/alerts/{alert.pk}/appeals/")
    page = first.content.decode()
    assert first.context["page"].paginator.per_page == 50 and len(first.context["page"].object_list) == 50
    assert "аштық жариялады" in page and 'rel="next"' in page
    assert all(a.region.slug == "mangystau" and a.sector.slug == "jobs-wages" for a in first.context["page"])
    coordinator = staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="labour-social"))
    client.force_login(coordinator)
    page = client.get(f"/staff/tension/alerts/{alert.pk}/appeals/").content.decode()
    assert "аштық жариялады" not in page and "mangystau-jobs-wages-" in page
    client.force_login(staff(Role.AKIMAT_COORDINATOR, region=Region.objects.get(slug="abai")))
    assert client.get(f"/staff/tension/alerts/{alert.pk}/appeals/").status_code == 404


def test_dismissing_an_alert_asks_first_then_withdraws_its_obligations(client, cells):
    alert = mandatory_alert()
    assert alert.obligations.filter(status=Obligation.Status.OPEN).exists()
    analyst = staff(Role.AUTHORIZED_ANALYST)
    english(client, analyst)
    form = {"closure": "dismissed", "version": alert.version, "reason": "Бір өтініш 40 рет жүктелген"}
    asked = client.post(f"/staff/tension/alerts/{alert.pk}/review/", form).content.decode()
    assert "Dismiss as a false alarm: are you sure?" in asked and 'name="confirmed" value="true"' in asked
    alert.refresh_from_db()
    assert alert.status == TensionAlert.Status.OPEN
    client.post(f"/staff/tension/alerts/{alert.pk}/review/", {**form, "confirmed": "true"})
    alert.refresh_from_db()
    assert (alert.status, alert.evidence["closure"], alert.closed_on) == ("closed", "dismissed", alert.closed_on)
    assert alert.closed_on is not None
    assert not alert.obligations.filter(status=Obligation.Status.OPEN).exists()
    assert set(alert.obligations.values_list("transitions__comment", flat=True)) == {"Бір өтініш 40 рет жүктелген"}
    assert AuditEvent.objects.filter(action="alert.dismiss", actor=analyst).count() == 1
    page = client.get(f"/staff/tension/alerts/{alert.pk}/").content.decode()
    assert "Dismissed as a false alarm" in page and "Бір өтініш 40 рет жүктелген" in page
    assert 'id="alert-review"' not in page  # an ended alert offers nothing more


def test_ending_an_alert_needs_a_reason_the_role_and_the_current_version(cells):
    alert = mandatory_alert()
    analyst = staff(Role.AUTHORIZED_ANALYST)
    with pytest.raises(ApplicationError) as err:
        alert_close(actor=analyst, alert=alert, closure="closed", reason="  ", today=AS_OF)
    assert err.value.code == "reason_required"
    coordinator = staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="labour-social"))
    with pytest.raises(ApplicationError) as err:
        alert_close(actor=coordinator, alert=alert, closure="closed", reason="Тынышталды", today=AS_OF)
    assert err.value.code == "role_cannot"
    with pytest.raises(ApplicationError) as err:
        alert_close(actor=analyst, alert=alert, closure="closed", reason="Тынышталды", today=AS_OF,
                    expected_version=alert.version + 1)
    assert err.value.code == "conflict"
    alert.refresh_from_db()
    assert alert.status == TensionAlert.Status.OPEN
    alert_close(actor=analyst, alert=alert, closure="closed", reason="Тынышталды", today=AS_OF,
                expected_version=alert.version)
    with pytest.raises(ApplicationError) as err:
        alert_close(actor=analyst, alert=alert, closure="closed", reason="Тағы", today=AS_OF)
    assert err.value.code == "illegal_transition"


def test_the_rejected_rows_download_as_neutralised_csv(client, reference, tmp_path):
    analyst = staff(Role.AUTHORIZED_ANALYST)
    path = tmp_path / "appeals.csv"
    path.write_text("external_id,received_on,region,sector,kind\n"
                    "R-1,2026-11-02,astana,health,complaint\n"
                    "=HYPERLINK(\"http://x\"),2026-11-02,nowhere,health,complaint\n"
                    "R-3,not a date,astana,health,complaint\n", encoding="utf-8")
    batch = appeals_import(actor=analyst, path=path).batch
    english(client, analyst)
    page = client.get(f"/staff/tension/import/{batch.pk}/").content.decode()
    assert ("Of 3 rows, 1 were imported, 0 were already imported before and left as they were, and 2 were "
            "rejected and not imported.") in page
    assert "whole file" not in page.lower()
    response = client.get(f"/staff/tension/import/{batch.pk}/rejected.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["line", "code", "reason"]
    by_code = {r[1]: r for r in rows[1:]}
    assert set(by_code) == {"unknown_region", "bad_date"}
    assert by_code["bad_date"][2] == "received date is not a date (YYYY-MM-DD or DD.MM.YYYY)"
    assert all(not cell.startswith("=") for r in rows for cell in r)
    assert any(cell.startswith("'=HYPERLINK") for r in rows for cell in r)
    client.force_login(staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="health")))
    assert client.get(f"/staff/tension/import/{batch.pk}/rejected.csv").status_code == 403


def test_the_csv_template_imports_as_it_is(client, reference, tmp_path):
    analyst = staff(Role.AUTHORIZED_ANALYST)
    client.force_login(analyst)
    response = client.get("/staff/tension/import/template.csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "external_id,received_on,region,kind,sector,recipient_body,signatories,text,language"
    path = tmp_path / "template.csv"
    path.write_text(text, encoding="utf-8")
    batch = appeals_import(actor=analyst, path=path).batch
    assert (batch.status, batch.rows_created, batch.rows_rejected) == (ImportBatch.Status.DONE, 1, 0)
    client.force_login(staff(Role.GOVERNMENT_VIEWER))
    assert client.get("/staff/tension/import/template.csv").status_code == 403


def test_an_upload_keeps_the_good_rows(client, reference):
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    content = "external_id,received_on,region,sector,kind\nU-1,2026-11-02,astana,health,complaint\nU-2,bad,x,y,z\n"
    client.post("/staff/tension/import/", {"file": SimpleUploadedFile("a.csv", content.encode())})
    assert ImportBatch.objects.count() == 1
