"""The briefing pack for the head before an agreed meeting: its figures, its files reopened, the daily
command's window and idempotence, who may make and download it, and the coordinators' notice."""

import datetime as dt
import hashlib
import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent, Job, Notification
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.questions.themes.selectors import meeting_themes
from kezdesu.registry.models import Region
from kezdesu.reports import renderers, selectors, services
from kezdesu.reports.errors import ReportError
from kezdesu.reports.models import BriefingPack
from kezdesu.reports.tests.factories import KAZAKH_LETTERS, PROMISE
from kezdesu.reports.tests.reading import docx_headings, docx_text, pdf_text
from kezdesu.tension.messages import reason_text
from kezdesu.tension.models import Appeal
from kezdesu.tension.tests.factories import AS_OF
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import UserFactory, staff

SECTIONS = ("The meeting", "Appeals of the region by sector", "Open social tension alerts in the region",
            "Most supported questions", "What people ask about: themes",
            "Open commitments of the body in the region", "Previous visits of the body to the region")


def _appeals(region, sector, weeks) -> int:
    return Appeal.objects.filter(region=region, sector=sector, week_start__in=weeks).count()


def test_builder_gathers_the_region_the_body_and_the_meeting(briefing):
    data = selectors.briefing_data(user=SYSTEM, meeting=briefing.meeting, today=AS_OF)

    assert data.weeks[-1] == dt.date(2026, 11, 16) and len(data.weeks) == 26
    assert [s.sector.kk for s in data.sectors] == [briefing.health_sector.name_kk, briefing.schools.name_kk]
    health = data.sectors[0]
    assert health.current == _appeals(briefing.turkistan, briefing.health_sector, data.current_weeks) > 0
    assert health.previous == _appeals(briefing.turkistan, briefing.health_sector, data.previous_weeks) > 0
    assert sum(data.weekly_totals) == Appeal.objects.filter(region=briefing.turkistan,
                                                            week_start__in=data.weeks).count()
    assert [(a.sector.kk, a.level) for a in data.alerts] == [(briefing.health_sector.name_kk, "warning")]
    assert [r["code"] for r in data.alerts[0].reasons] == ["primary_alarm", "escalation"]
    assert [(q.text, q.supports) for q in data.questions] == [
        (briefing.question, 12), ("Жол жөндеу", 5), ("Ауыз су", 5)]
    assert [c.text for c in data.commitments] == [PROMISE]
    assert [(v.day, v.held_by.kk) for v in data.visits] == [(dt.date(2026, 8, 12), "Шаһмарданов Әлихан")]
    assert {(c.text, c.status) for c in data.visits[0].commitments} == {(PROMISE, "open"), ("Дәріхана ашу", "done")}
    assert data.held_by.ru == "Шахмарданов Алихан" and data.settlement == "Кентау қ."
    assert data.themes == ()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_files_reopen_with_every_section_in_the_language(briefing, lang):
    data = selectors.briefing_data(user=SYSTEM, meeting=briefing.meeting, today=AS_OF)
    docx = renderers.render(data, fmt="docx", lang=lang)
    pdf = renderers.render(data, fmt="pdf", lang=lang)
    assert docx.filename == f"kezdesu-briefing-{briefing.meeting.pk}-{lang}.docx"
    with translation.override(lang):
        titles = [translation.gettext(t) for t in SECTIONS]
        reason = reason_text({"code": "escalation", "params": {"strength": "strong"}})
        no_themes = translation.gettext("No themes yet: the questions of this meeting have not been grouped.")
    assert [text for style, text in docx_headings(docx.content) if style == "Heading 2"] == [
        f"{n}. {t}" for n, t in enumerate(titles, 1)]
    assert all(t != en for t, en in zip(titles, SECTIONS, strict=True))  # translated, not the English msgids
    pdf_words = " ".join(pdf_text(pdf.content).split())
    for text in (docx_text(docx.content), pdf_words):
        assert set(KAZAKH_LETTERS) <= set(text)
        assert briefing.question in text and reason in text and no_themes in text
        assert getattr(briefing.health_sector, f"name_{lang}") in text
        assert "Басқа органның уәдесі" not in text and "Модерацияда" not in text
    assert all(title in pdf_words for title in titles)
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 2


def test_themes_section_lists_the_themes_given(briefing):
    themes = [SimpleNamespace(label="Денсаулық: емхана", size=7, examples=[briefing.question, "Дәрігер жетіспейді"])]
    data = selectors.briefing_data(user=SYSTEM, meeting=briefing.meeting, today=AS_OF, themes=themes)
    text = docx_text(renderers.render(data, fmt="docx", lang="kk").content)
    assert "Денсаулық: емхана" in text and "Дәрігер жетіспейді" in text
    with translation.override("kk"):
        assert translation.gettext("No themes yet: the questions of this meeting have not been grouped.") not in text


def test_generating_stores_four_files_audits_and_tells_the_body_coordinators(
        briefing, django_capture_on_commit_callbacks, mailoutbox):
    briefing.coordinator.language = "ru"
    briefing.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        packs = services.briefing_pack_generate(actor=briefing.coordinator, meeting=briefing.meeting, now=at(AS_OF))
    assert sorted((p.language, p.format) for p in packs) == [("kk", "docx"), ("kk", "pdf"), ("ru", "docx"),
                                                             ("ru", "pdf")]
    for pack in packs:
        with pack.file.open("rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == pack.checksum
        assert pack.generated_by == briefing.coordinator and pack.meeting_version == briefing.meeting.version
    events = AuditEvent.objects.filter(action="briefing.generate")
    assert events.count() == 4 and {e.actor_id for e in events} == {briefing.coordinator.pk}
    assert selectors.briefing_is_current(briefing.meeting)
    notices = Notification.objects.filter(key__startswith=f"briefing:{briefing.meeting.pk}:")
    assert [n.user for n in notices] == [briefing.coordinator]  # not the akimat, not another body
    assert notices[0].url == reverse("reports:briefing", args=[briefing.meeting.pk])
    assert notices[0].subject.startswith("Брифинг") and "Туркестанская" in notices[0].subject
    assert [m.to for m in mailoutbox] == [[briefing.coordinator.email]]
    largest = meeting_themes(briefing.meeting)[0]  # the questions' themes are in the pack the job stored
    kk_docx = next(p for p in packs if (p.language, p.format) == ("kk", "docx"))
    with kk_docx.file.open("rb") as f:
        assert largest.label in docx_text(f.read())


def test_a_meeting_not_agreed_gets_no_pack(briefing):
    with pytest.raises(ApplicationError) as err:
        services.briefing_pack_request(actor=briefing.coordinator, meeting=briefing.visit)
    assert err.value.code == ReportError.NOT_AGREED
    with pytest.raises(ApplicationError) as err:
        services.briefing_pack_request(actor=briefing.energy_coordinator, meeting=briefing.meeting)
    assert err.value.code == ReportError.ROLE_CANNOT
    assert not Job.objects.exists()


def _prepare(*args) -> dict:
    out = io.StringIO()
    call_command("prepare_briefings", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_command_makes_packs_within_the_window_once(briefing, django_capture_on_commit_callbacks):
    soon = timezone.now()
    later = MeetingFactory(body=briefing.health, region=briefing.turkistan, status="announced",
                           starts_at=soon + dt.timedelta(days=10))
    announced = MeetingFactory(body=briefing.health, region=briefing.turkistan, status="announced",
                               starts_at=soon + dt.timedelta(days=1))
    here = {"body": briefing.health, "region": briefing.turkistan}
    MeetingFactory(**here, status="proposed", starts_at=soon + dt.timedelta(days=1))
    MeetingFactory(**here, status="agreed", starts_at=soon - dt.timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        first = _prepare()
    assert [r["meeting"] for r in first["queued"]] == [announced.pk, briefing.meeting.pk]
    assert Job.objects.filter(status="done").count() == 2
    assert BriefingPack.objects.filter(meeting=briefing.meeting).count() == 4
    assert {p.generated_by for p in BriefingPack.objects.all()} == {None}  # made by the timer

    with django_capture_on_commit_callbacks(execute=True):
        assert _prepare() == {"queued": [], "waiting": []}
    assert BriefingPack.objects.count() == 8

    with django_capture_on_commit_callbacks(execute=True):
        assert [r["meeting"] for r in _prepare("--days", "15")["queued"]] == [later.pk]

    Meeting.objects.filter(pk=briefing.meeting.pk).update(version=briefing.meeting.version + 1)  # rescheduled since
    queued = _prepare()["queued"]  # without running the job: it waits in the queue
    assert [r["meeting"] for r in queued] == [briefing.meeting.pk]
    assert _prepare() == {"queued": [], "waiting": [{**queued[0]}]}
    assert Job.objects.filter(status="queued").count() == 1


def _status(client, url: str) -> int:
    response = client.get(url)
    if response.streaming:
        # Reading a file answer to its end closes the file the way the test client means it to; calling
        # close() directly would also close the test's database connection (request_finished).
        b"".join(response.streaming_content)
    return response.status_code


@pytest.fixture
def made(briefing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.briefing_pack_generate(actor=SYSTEM, meeting=briefing.meeting, now=at(AS_OF))
    return briefing


def test_pages_and_downloads_are_scoped_to_who_sees_the_meeting(made, client):
    m = made.meeting
    pack = BriefingPack.objects.get(meeting=m, language="ru", format="pdf")
    urls = [reverse("reports:briefing", args=[m.pk]), reverse("reports:briefing-download", args=[m.pk, pack.pk])]
    readers = (made.coordinator, made.akimat, staff(Role.AUTHORIZED_ANALYST))
    for user in readers:
        client.force_login(user)
        assert [_status(client, u) for u in urls] == [200, 200]
    for user in (made.energy_coordinator, UserFactory(), staff(Role.AKIMAT_COORDINATOR,
                                                                region=Region.objects.get(slug="abai"))):
        client.force_login(user)
        assert [_status(client, u) for u in urls] == [404, 404]
        assert client.post(reverse("reports:briefing-generate", args=[m.pk])).status_code == 404
    client.logout()
    assert all(_status(client, u) == 302 for u in urls)
    downloads = AuditEvent.objects.filter(action="briefing.download")
    assert sorted(downloads.values_list("actor_id", flat=True)) == sorted(u.pk for u in readers)
    assert {e.object_id for e in downloads} == {str(pack.pk)}


def test_on_demand_the_page_queues_a_job_and_offers_the_files(briefing, client, django_capture_on_commit_callbacks):
    client.force_login(briefing.coordinator)
    page = client.get(reverse("reports:briefing", args=[briefing.meeting.pk]))
    assert reverse("reports:briefing-generate", args=[briefing.meeting.pk]) in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:briefing-generate", args=[briefing.meeting.pk]))
    job = Job.objects.get()
    assert response.url == reverse("reports:briefing-job", args=[briefing.meeting.pk, job.pk])
    assert job.status == "done" and job.arguments["actor_id"] == briefing.coordinator.pk
    assert AuditEvent.objects.filter(action="briefing.request", actor=briefing.coordinator).count() == 1
    status = client.get(response.url).content.decode()
    pack = BriefingPack.objects.get(meeting=briefing.meeting, language="kk", format="docx")
    download = reverse("reports:briefing-download", args=[briefing.meeting.pk, pack.pk])
    assert download in status
    file = client.get(download)
    assert b"".join(file.streaming_content)[:2] == b"PK"
    assert 'filename="kezdesu-briefing-' in file["Content-Disposition"]
    other = client.get(reverse("reports:briefing-job", args=[briefing.visit.pk, job.pk]))
    assert other.status_code == 404  # a job is followed only under its own meeting


def test_the_window_comes_from_the_setting(briefing, settings):
    later = MeetingFactory(body=briefing.health, region=briefing.turkistan, status="agreed",
                           starts_at=timezone.now() + dt.timedelta(days=6))
    settings.KEZDESU = {**settings.KEZDESU, "BRIEFING_DAYS_BEFORE": 1}
    assert _prepare() == {"queued": [], "waiting": []}
    settings.KEZDESU = {**settings.KEZDESU, "BRIEFING_DAYS_BEFORE": 7}
    assert [r["meeting"] for r in _prepare()["queued"]] == [briefing.meeting.pk, later.pk]
