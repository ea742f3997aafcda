import datetime as dt

import pytest

from kezdesu.registry.models import Body, Region
from kezdesu.tension.models import Appeal, ImportBatch, TensionAlert
from kezdesu.tension.services import tension_scan
from kezdesu.tension.tests.factories import AS_OF
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff


@pytest.mark.django_db
def test_overview_and_alert_page_show_levels_evidence_and_chart(client, cells):
    tension_scan(as_of=AS_OF)
    alert = TensionAlert.objects.get(region__slug="mangystau")
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    page = client.get("/staff/tension/").content.decode()
    assert f"/staff/tension/alerts/{alert.pk}/" in page and "st-mandatory" in page
    detail = client.get(f"/staff/tension/alerts/{alert.pk}/").content.decode()
    assert "<svg" in detail and "<polyline" in detail and "#a61b1b" in detail


@pytest.mark.django_db
def test_alert_scope(client, cells):
    tension_scan(as_of=AS_OF)
    alert = TensionAlert.objects.get(region__slug="mangystau")
    client.force_login(staff(Role.AKIMAT_COORDINATOR, region=Region.objects.get(slug="abai")))
    assert client.get(f"/staff/tension/alerts/{alert.pk}/").status_code == 404
    client.force_login(staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="labour-social")))
    assert client.get(f"/staff/tension/alerts/{alert.pk}/").status_code == 200
    client.force_login(staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="ecology")))
    assert client.get(f"/staff/tension/alerts/{alert.pk}/").status_code == 404
    client.force_login(staff(Role.MODERATOR))
    assert client.get("/staff/tension/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_upload_is_imported_by_a_task_and_reported(client, reference):
    """Tests run tasks at once (ImmediateBackend) after the upload's commit; nothing to poll."""
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "external_id,received_on,region,sector,kind\nU-1,2026-11-02,astana,health,complaint\nU-2,bad,x,y,z\n"
    response = client.post("/staff/tension/import/", {"file": SimpleUploadedFile("a.csv", content.encode())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/tension/import/{batch.pk}/"
    assert (batch.status, batch.rows_created, batch.rows_rejected) == ("done", 1, 1)
    assert Appeal.objects.filter(external_id="U-1").exists()
    page = client.get(f"/staff/tension/import/{batch.pk}/").content.decode()
    assert "bad_date" in page
    client.force_login(staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="health")))
    assert client.post("/staff/tension/import/", {}).status_code == 403


def test_week_arithmetic():
    from kezdesu.tension.selectors import last_complete_week

    assert last_complete_week(dt.date(2026, 11, 25)) == dt.date(2026, 11, 16)
    assert last_complete_week(dt.date(2026, 11, 23)) == dt.date(2026, 11, 16)


@pytest.mark.django_db
def test_alert_chart_shows_the_cells_past_thresholds_and_alarms(client, cells):
    from django.utils import translation

    from kezdesu.tension.messages import reason_text
    from kezdesu.tension.selectors import cell_history

    mangystau, jobs, *_ = cells
    tension_scan(as_of=AS_OF)
    alert = TensionAlert.objects.get(region=mangystau)
    history = cell_history(region_id=mangystau.pk, sector_id=jobs.pk, week=alert.week_start)
    assert len(history.counts) == len(history.upper) == len(history.alarms) == 52
    assert history.counts[-1] == 40 and history.alarms[-1]
    assert history.upper[-1] == alert.evidence["threshold"]  # the same detector as the scan
    assert sum(history.alarms[:-1]) <= 2  # a quiet Poisson history: (almost) no past alarms
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    detail = client.get(f"/staff/tension/alerts/{alert.pk}/").content.decode()
    assert detail.count("<rect ") == 52 and detail.count('fill="#a61b1b"') == 1 + sum(history.alarms[:-1])
    assert alert.evidence["reasons"][0] == {"code": "primary_alarm", "params": {"detector": "farrington"}}
    with translation.override("kk"):
        worded = reason_text(alert.evidence["reasons"][0])
    assert worded in detail and "farrington" in worded and not worded.startswith("Alarm")
