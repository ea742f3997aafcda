"""Clause 3.2: versions of the procedure, published to every body coordinator, acknowledged once."""

import datetime as dt

import pytest
from django.core import mail

from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent, Notification
from kezdesu.core.responses import http_status
from kezdesu.registry.models import Body
from kezdesu.reports import selectors
from kezdesu.reports.errors import ReportError
from kezdesu.reports.models import ProcedureAcknowledgement, ProcedureDocument
from kezdesu.reports.services import procedure_acknowledge, procedure_publish
from kezdesu.reports.tests.reading import pdf_text
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
TEXTS = {"title_kk": "Халықпен кездесулер өткізу тәртібі", "title_ru": "Порядок проведения встреч с населением",
         "text_kk": "1. Жалпы ережелер.\n\n2. Кездесу әкімдікпен келісіледі.",
         "text_ru": "1. Общие положения.\n\n2. Встреча согласуется с акиматом."}


@pytest.fixture
def people(reference):
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    coordinators = [staff(Role.BODY_COORDINATOR, body=health), staff(Role.BODY_COORDINATOR, body=energy)]
    coordinators[1].language = "ru"
    coordinators[1].save()
    return {"admin": staff(Role.AUTHORIZED_ADMIN), "analyst": staff(Role.AUTHORIZED_ANALYST),
            "coordinators": coordinators}


def publish(people, effective_from=dt.date(2026, 7, 1), **changes):
    return procedure_publish(actor=people["admin"], effective_from=effective_from, **{**TEXTS, **changes})


def test_publishing_numbers_versions_audits_and_notifies_every_coordinator(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves after the commit
        first = publish(people)
        second = publish(people, effective_from=dt.date(2027, 1, 1), title_kk="Тәртіптің жаңа редакциясы")
    assert (first.version, second.version) == (1, 2)
    assert AuditEvent.objects.filter(action="procedure.publish").count() == 2
    kk, ru = people["coordinators"]
    assert Notification.objects.filter(key="procedure:v1").count() == 2
    assert Notification.objects.get(user=kk, key="procedure:v1").subject == (
        "Кездесулер өткізу тәртібі: 1-нұсқа жарияланды")
    notice = Notification.objects.get(user=ru, key="procedure:v2")
    assert notice.subject == "Порядок проведения встреч: опубликована версия 2"
    assert "действующую с 01.01.2027" in notice.body and notice.url == "/staff/reports/procedure/2/"
    assert len(mail.outbox) == 4
    assert not Notification.objects.filter(user=people["analyst"]).exists()
    # Version 2 is not in force yet: version 1 stays current until 1 January.
    assert selectors.procedure_current(people["analyst"], today=dt.date(2026, 12, 31)) == first
    assert selectors.procedure_current(people["analyst"], today=dt.date(2027, 1, 1)) == second


@pytest.mark.parametrize("role", [Role.AUTHORIZED_ANALYST, Role.BODY_COORDINATOR, Role.GOVERNMENT_VIEWER])
def test_only_the_authorized_administrator_publishes(people, role):
    actor = people["coordinators"][0] if role == Role.BODY_COORDINATOR else staff(role)
    with pytest.raises(ApplicationError) as err:
        procedure_publish(actor=actor, effective_from=dt.date(2026, 7, 1), **TEXTS)
    assert (err.value.code, http_status(err.value)) == (ReportError.ROLE_CANNOT, 403)


def test_a_procedure_needs_both_languages(people):
    with pytest.raises(ApplicationError) as err:
        publish(people, text_ru="  ")
    assert err.value.code == ReportError.EMPTY_PROCEDURE


def test_acknowledging_once_and_the_list_of_who_has_not(people):
    document = publish(people)
    kk, ru = people["coordinators"]
    first = procedure_acknowledge(actor=kk, document=document, now=dt.datetime(2026, 7, 2, 9, tzinfo=dt.UTC))
    again = procedure_acknowledge(actor=kk, document=document)
    assert again.pk == first.pk and again.at == first.at
    assert ProcedureAcknowledgement.objects.count() == 1
    assert AuditEvent.objects.filter(action="procedure.acknowledge").count() == 1
    receipts = {r.membership.user: r.acknowledged_at for r in selectors.procedure_receipts(document)}
    assert receipts == {kk: first.at, ru: None}
    assert selectors.procedure_unacknowledged(kk) is None and selectors.procedure_unacknowledged(ru) == document
    with pytest.raises(ApplicationError) as err:
        procedure_acknowledge(actor=people["analyst"], document=document)
    assert err.value.code == ReportError.NOT_RECIPIENT


def test_procedure_pages(client, people):
    kk = people["coordinators"][0]
    client.force_login(people["admin"])
    response = client.post("/staff/reports/procedure/new/", {**TEXTS, "effective_from": "2026-07-01", "based_on": 0})
    assert response.status_code == 302 and response["Location"] == "/staff/reports/procedure/1/"
    client.force_login(kk)
    page = client.get("/staff/reports/procedure/1/").content.decode()
    assert "Кездесу әкімдікпен келісіледі." in page and "Таныстым: алғанымды растаймын" in page
    assert client.post("/staff/reports/procedure/1/acknowledge/").status_code == 302
    assert ProcedureAcknowledgement.objects.filter(user=kk).exists()
    assert client.get("/staff/reports/procedure/new/").status_code == 403
    client.force_login(people["analyst"])
    listing = client.get("/staff/reports/procedure/").content.decode()
    assert "Денсаулық сақтау министрлігі" in listing and "Энергетика министрлігі" in listing
    detail = client.get("/staff/reports/procedure/1/").content.decode()
    assert "Органдар үйлестірушілерінің алғанын растауы" in detail
    response = client.get("/staff/reports/procedure/1/download", {"format": "pdf", "lang": "ru"})
    text = pdf_text(response.content)
    assert "Порядок проведения встреч с населением" in text and "2. Встреча согласуется с акиматом." in text


def test_publishing_from_a_stale_form_is_refused(people):
    from django.test import Client

    from kezdesu.users.models import Role
    from kezdesu.users.tests.factories import staff

    a, b = Client(), Client()
    a.force_login(people["admin"])
    b.force_login(staff(Role.AUTHORIZED_ADMIN))
    form = {**TEXTS, "effective_from": "2026-07-01", "based_on": 0}  # both opened the form before version 1
    assert a.post("/staff/reports/procedure/new/", form).status_code == 302
    assert b.post("/staff/reports/procedure/new/", {**form, "title_kk": "Басқа"}).status_code == 409
    assert list(ProcedureDocument.objects.values_list("version", "title_kk")) == [(1, TEXTS["title_kk"])]
