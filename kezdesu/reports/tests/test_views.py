"""The reports pages and downloads, role by role."""

import pytest

from kezdesu.compliance.models import QuarterlyReport
from kezdesu.reports.tests.reading import docx_text, pdf_text, xlsx_text
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
QUARTERLY = "/staff/reports/quarterly/{body}/2026-Q3/"


def download(client, url, fmt="docx", lang="kk"):
    return client.get(f"{url}download", {"format": fmt, "lang": lang})


def test_the_coordinator_reviews_and_submits_their_report(client, q3):
    client.force_login(q3.coordinator)
    index = client.get("/staff/reports/").content.decode()
    assert QUARTERLY.format(body="health") in index
    page = client.get(QUARTERLY.format(body="health"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Халықпен өткізілген кездесулер бойынша жалпыланған ақпарат" in html and "335" in html
    assert "Тоқсандық ақпаратты жіберу" in html  # the submit button
    response = client.post(QUARTERLY.format(body="health"), {"comment": "Ескерту жоқ"})
    assert response.status_code == 302
    report = QuarterlyReport.objects.get(body=q3.health, year=2026, quarter=3)
    assert (report.status, report.comment, report.submitted_by) == ("submitted", "Ескерту жоқ", q3.coordinator)
    again = client.post(QUARTERLY.format(body="health"), {"comment": "тағы"}, follow=True).content.decode()
    assert "қайта жіберуге болмайды" in again  # ALREADY_SUBMITTED, in Kazakh
    assert QuarterlyReport.objects.get(pk=report.pk).comment == "Ескерту жоқ"


def test_a_coordinator_cannot_read_or_download_another_bodys_report(client, q3):
    client.force_login(q3.energy_coordinator)
    assert client.get(QUARTERLY.format(body="health")).status_code == 404
    assert download(client, QUARTERLY.format(body="health")).status_code == 404
    assert client.post(QUARTERLY.format(body="health"), {"comment": "x"}).status_code == 404
    assert not QuarterlyReport.objects.exists()
    assert download(client, QUARTERLY.format(body="energy")).status_code == 200


@pytest.mark.parametrize(("role", "status"), [
    (Role.AUTHORIZED_ANALYST, 200), (Role.AUTHORIZED_ADMIN, 200), (Role.GOVERNMENT_VIEWER, 403),
    (Role.AKIMAT_COORDINATOR, 403), (Role.MODERATOR, 403),
])
def test_quarterly_download_scope_by_role(client, q3, role, status):
    region = q3.meetings[0].region if role == Role.AKIMAT_COORDINATOR else None
    client.force_login(staff(role, region=region))
    assert download(client, QUARTERLY.format(body="health")).status_code == status


@pytest.mark.parametrize(("fmt", "read", "content_type"), [
    ("docx", docx_text, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("pdf", pdf_text, "application/pdf"),
    ("xlsx", xlsx_text, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_the_authorized_body_downloads_each_format_and_language(client, q3, fmt, read, content_type):
    client.force_login(q3.analyst)
    for lang, title in (("kk", "Өткізілген кездесулер"), ("ru", "Проведённые встречи")):
        response = download(client, QUARTERLY.format(body="health"), fmt, lang)
        assert response.status_code == 200 and response["Content-Type"] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="kezdesu-quarterly-health-2026-Q3-{lang}.{fmt}"')
        assert title in read(response.content)


def test_bad_format_or_language_is_a_clear_400(client, q3):
    client.force_login(q3.analyst)
    response = download(client, QUARTERLY.format(body="health"), "odt")
    assert response.status_code == 400 and "odt" in response.content.decode()
    assert download(client, QUARTERLY.format(body="health"), "pdf", "en").status_code == 400
    assert client.get("/staff/reports/quarterly/health/2026-Q5/").status_code == 404


def test_the_inbox_lists_every_bound_body_with_downloads(client, q3):
    client.force_login(q3.analyst)
    html = client.get("/staff/reports/", {"period": "2026-Q3"}).content.decode()
    assert "Денсаулық сақтау министрлігі" in html and "Энергетика министрлігі" in html
    assert "Қорғаныс министрлігі" not in html  # exempt (clause 1)
    assert "/staff/reports/quarterly/energy/2026-Q3/download?format=pdf&amp;lang=ru" in html
    assert "ұсынылмады" in html  # missing, once the deadline has passed


def test_the_government_reads_the_half_year_results(client, q3):
    client.force_login(q3.government)
    assert "/staff/reports/half-year/2026-H2/" in client.get("/staff/reports/").content.decode()
    page = client.get("/staff/reports/half-year/2026-H2/").content.decode()
    assert "Қамтылған өңірлер" in page and "<svg" in page
    response = client.get("/staff/reports/half-year/2026-H2/download", {"format": "xlsx", "lang": "ru"})
    assert response.status_code == 200 and "Итого" in xlsx_text(response.content)
    client.force_login(q3.coordinator)
    assert client.get("/staff/reports/half-year/2026-H2/").status_code == 403


def test_the_annex_needs_an_agreed_plan(client, q3, approved_plan):
    client.force_login(q3.government)
    assert client.get("/staff/reports/annex/2027-H2/download").status_code == 404
    response = client.get("/staff/reports/annex/2027-H1/download", {"format": "docx", "lang": "ru"})
    assert response.status_code == 200
    assert "График встреч руководителей центральных исполнительных органов" in docx_text(response.content)
