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
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory, at
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.models import Body, Region, Sector
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.reports import renderers, selectors, services
from kezdesu.reports.errors import ReportError
from kezdesu.reports.models import BriefingPack
from kezdesu.reports.tests.factories import KAZAKH_LETTERS, PROMISE, held_meeting
from kezdesu.reports.tests.reading import docx_headings, docx_text, pdf_text
from kezdesu.tension.messages import reason_text
from kezdesu.tension.models import Appeal, TensionAlert
from kezdesu.tension.tests.factories import AS_OF, history
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import UserFactory, staff

SECTIONS = ("The meeting", "Appeals of the region by sector", "Open social tension alerts in the region",
            "Most supported questions", "What people ask about: themes",
            "Open commitments of the body in the region", "Previous visits of the body to the region")
QUESTION = "Түркістандағы жаңа емхананың құрылысы қашан аяқталады?"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def scene(reference):
    """The Ministry of Healthcare's agreed meeting in Turkistan two days ahead, after an earlier visit there."""
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    turkistan, abai = Region.objects.get(slug="turkistan"), Region.objects.get(slug="abai")
    minister = HeadFactory(body=health, full_name_kk="Шаһмарданов Әлихан", full_name_ru="Шахмарданов Алихан",
                           position_kk="Министр", position_ru="Министр")
    coordinator = staff(Role.BODY_COORDINATOR, body=health)
    akimat = staff(Role.AKIMAT_COORDINATOR, region=turkistan)
    visit = held_meeting(body=health, head=minister, region=turkistan, day=dt.date(2026, 8, 12),
                         coordinator=coordinator, akimat=akimat, attendance=150,
                         commitments=[(PROMISE, dt.date(2027, 6, 30), False),
                                      ("Дәріхана ашу", dt.date(2026, 10, 1), False)])
    done = visit.commitments.get(text="Дәріхана ашу")
    done.status, done.progress = "done", 100
    done.save()
    meeting = MeetingFactory(body=health, head=minister, region=turkistan, status=Meeting.Status.AGREED,
                             starts_at=timezone.now() + dt.timedelta(days=2), settlement="Кентау қ.",
                             venue="Мәдениет үйі")
    health_sector, schools = Sector.objects.get(slug="health"), Sector.objects.get(slug="education")
    history(turkistan, health_sector, weeks=30, mean=6.0, seed=4)
    history(turkistan, schools, weeks=30, mean=2.0, seed=5)
    history(abai, health_sector, weeks=30, mean=9.0, seed=6)  # another region: not in the pack
    TensionAlert.objects.create(
        fingerprint="turkistan:health", region=turkistan, sector=health_sector, level="warning",
        peak_level="warning", score=3.1, week_start=dt.date(2026, 11, 16), opened_on=dt.date(2026, 11, 18),
        evidence={"reasons": [{"code": "primary_alarm", "params": {"detector": "Farrington"}},
                              {"code": "escalation", "params": {"strength": "strong"}}]})
    TensionAlert.objects.create(
        fingerprint="turkistan:education", region=turkistan, sector=schools, level="watch", peak_level="watch",
        score=1.2, week_start=dt.date(2026, 9, 7), opened_on=dt.date(2026, 9, 9), status="closed",
        closed_on=dt.date(2026, 9, 30), evidence={})
    TensionAlert.objects.create(
        fingerprint="abai:health", region=abai, sector=health_sector, level="mandatory", peak_level="mandatory",
        score=5.0, week_start=dt.date(2026, 11, 16), opened_on=dt.date(2026, 11, 18), evidence={})
    day = timezone.now() - dt.timedelta(days=5)
    QuestionFactory(meeting=meeting, status="published", text="Ауыз су", support_count=5, published_at=day)
    QuestionFactory(meeting=meeting, status="published", text=QUESTION, support_count=12, published_at=day)
    QuestionFactory(meeting=meeting, status="answered", text="Жол жөндеу", support_count=5,
                    published_at=day - dt.timedelta(days=1))
    QuestionFactory(meeting=meeting, status="received", text="Модерацияда", support_count=50)
    CommitmentFactory(meeting=MeetingFactory(body=energy, region=turkistan, status="reported"),
                      text="Басқа органның уәдесі")
    return SimpleNamespace(health=health, turkistan=turkistan, coordinator=coordinator, akimat=akimat,
                           meeting=meeting, visit=visit, health_sector=health_sector, schools=schools,
                           energy_coordinator=staff(Role.BODY_COORDINATOR, body=energy))


def _appeals(region, sector, weeks) -> int:
    return Appeal.objects.filter(region=region, sector=sector, week_start__in=weeks).count()


def test_builder_gathers_the_region_the_body_and_the_meeting(scene):
    data = selectors.briefing_data(user=SYSTEM, meeting=scene.meeting, today=AS_OF)

    assert data.weeks[-1] == dt.date(2026, 11, 16) and len(data.weeks) == 26
    assert [s.sector.kk for s in data.sectors] == [scene.health_sector.name_kk, scene.schools.name_kk]
    health = data.sectors[0]
    assert health.current == _appeals(scene.turkistan, scene.health_sector, data.current_weeks) > 0
    assert health.previous == _appeals(scene.turkistan, scene.health_sector, data.previous_weeks) > 0
    assert sum(data.weekly_totals) == Appeal.objects.filter(region=scene.turkistan,
                                                            week_start__in=data.weeks).count()
    assert [(a.sector.kk, a.level) for a in data.alerts] == [(scene.health_sector.name_kk, "warning")]
    assert [r["code"] for r in data.alerts[0].reasons] == ["primary_alarm", "escalation"]
    assert [(q.text, q.supports) for q in data.questions] == [(QUESTION, 12), ("Жол жөндеу", 5), ("Ауыз су", 5)]
    assert [c.text for c in data.commitments] == [PROMISE]
    assert [(v.day, v.held_by.kk) for v in data.visits] == [(dt.date(2026, 8, 12), "Шаһмарданов Әлихан")]
    assert {(c.text, c.status) for c in data.visits[0].commitments} == {(PROMISE, "open"), ("Дәріхана ашу", "done")}
    assert data.held_by.ru == "Шахмарданов Алихан" and data.settlement == "Кентау қ."
    assert data.themes == ()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_files_reopen_with_every_section_in_the_language(scene, lang):
    data = selectors.briefing_data(user=SYSTEM, meeting=scene.meeting, today=AS_OF)
    docx = renderers.render(data, fmt="docx", lang=lang)
    pdf = renderers.render(data, fmt="pdf", lang=lang)
    assert docx.filename == f"kezdesu-briefing-{scene.meeting.pk}-{lang}.docx"
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
        assert QUESTION in text and reason in text and no_themes in text
        assert getattr(scene.health_sector, f"name_{lang}") in text
        assert "Басқа органның уәдесі" not in text and "Модерацияда" not in text
    assert all(title in pdf_words for title in titles)
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 2


def test_themes_section_lists_the_themes_given(scene):
    themes = [SimpleNamespace(label="Денсаулық: емхана", size=7, examples=[QUESTION, "Дәрігер жетіспейді"])]
    data = selectors.briefing_data(user=SYSTEM, meeting=scene.meeting, today=AS_OF, themes=themes)
    text = docx_text(renderers.render(data, fmt="docx", lang="kk").content)
    assert "Денсаулық: емхана" in text and "Дәрігер жетіспейді" in text
    with translation.override("kk"):
        assert translation.gettext("No themes yet: the questions of this meeting have not been grouped.") not in text


def test_generating_stores_four_files_audits_and_tells_the_body_coordinators(scene, django_capture_on_commit_callbacks,
                                                                               mailoutbox):
    scene.coordinator.language = "ru"
    scene.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        packs = services.briefing_pack_generate(actor=scene.coordinator, meeting=scene.meeting, now=at(AS_OF))
    assert sorted((p.language, p.format) for p in packs) == [("kk", "docx"), ("kk", "pdf"), ("ru", "docx"),
                                                             ("ru", "pdf")]
    for pack in packs:
        with pack.file.open("rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == pack.checksum
        assert pack.generated_by == scene.coordinator and pack.meeting_version == scene.meeting.version
    events = AuditEvent.objects.filter(action="briefing.generate")
    assert events.count() == 4 and {e.actor_id for e in events} == {scene.coordinator.pk}
    assert selectors.briefing_is_current(scene.meeting)
    notices = Notification.objects.filter(key__startswith=f"briefing:{scene.meeting.pk}:")
    assert [n.user for n in notices] == [scene.coordinator]  # not the akimat, not another body
    assert notices[0].url == reverse("reports:briefing", args=[scene.meeting.pk])
    assert notices[0].subject.startswith("Брифинг") and "Туркестанская" in notices[0].subject
    assert [m.to for m in mailoutbox] == [[scene.coordinator.email]]


def test_a_meeting_not_agreed_gets_no_pack(scene):
    with pytest.raises(ApplicationError) as err:
        services.briefing_pack_request(actor=scene.coordinator, meeting=scene.visit)
    assert err.value.code == ReportError.NOT_AGREED
    with pytest.raises(ApplicationError) as err:
        services.briefing_pack_request(actor=scene.energy_coordinator, meeting=scene.meeting)
    assert err.value.code == ReportError.ROLE_CANNOT
    assert not Job.objects.exists()


def _prepare(*args) -> dict:
    out = io.StringIO()
    call_command("prepare_briefings", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_command_makes_packs_within_the_window_once(scene, django_capture_on_commit_callbacks):
    soon = timezone.now()
    later = MeetingFactory(body=scene.health, region=scene.turkistan, status="announced",
                           starts_at=soon + dt.timedelta(days=10))
    announced = MeetingFactory(body=scene.health, region=scene.turkistan, status="announced",
                               starts_at=soon + dt.timedelta(days=1))
    MeetingFactory(body=scene.health, region=scene.turkistan, status="proposed", starts_at=soon + dt.timedelta(days=1))
    MeetingFactory(body=scene.health, region=scene.turkistan, status="agreed", starts_at=soon - dt.timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        first = _prepare()
    assert [r["meeting"] for r in first["queued"]] == [announced.pk, scene.meeting.pk]
    assert Job.objects.filter(status="done").count() == 2
    assert BriefingPack.objects.filter(meeting=scene.meeting).count() == 4
    assert {p.generated_by for p in BriefingPack.objects.all()} == {None}  # made by the timer

    with django_capture_on_commit_callbacks(execute=True):
        assert _prepare() == {"queued": [], "waiting": []}
    assert BriefingPack.objects.count() == 8

    with django_capture_on_commit_callbacks(execute=True):
        assert [r["meeting"] for r in _prepare("--days", "15")["queued"]] == [later.pk]

    Meeting.objects.filter(pk=scene.meeting.pk).update(version=scene.meeting.version + 1)  # rescheduled since
    queued = _prepare()["queued"]  # without running the job: it waits in the queue
    assert [r["meeting"] for r in queued] == [scene.meeting.pk]
    assert _prepare() == {"queued": [], "waiting": [{**queued[0]}]}
    assert Job.objects.filter(status="queued").count() == 1


def _status(client, url: str) -> int:
    response = client.get(url)
    response.close()  # a file answer holds the file open until closed
    return response.status_code


@pytest.fixture
def made(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.briefing_pack_generate(actor=SYSTEM, meeting=scene.meeting, now=at(AS_OF))
    return scene


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


def test_on_demand_the_page_queues_a_job_and_offers_the_files(scene, client, django_capture_on_commit_callbacks):
    client.force_login(scene.coordinator)
    page = client.get(reverse("reports:briefing", args=[scene.meeting.pk]))
    assert reverse("reports:briefing-generate", args=[scene.meeting.pk]) in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:briefing-generate", args=[scene.meeting.pk]))
    job = Job.objects.get()
    assert response.url == reverse("reports:briefing-job", args=[scene.meeting.pk, job.pk])
    assert job.status == "done" and job.arguments["actor_id"] == scene.coordinator.pk
    assert AuditEvent.objects.filter(action="briefing.request", actor=scene.coordinator).count() == 1
    status = client.get(response.url).content.decode()
    pack = BriefingPack.objects.get(meeting=scene.meeting, language="kk", format="docx")
    download = reverse("reports:briefing-download", args=[scene.meeting.pk, pack.pk])
    assert download in status
    file = client.get(download)
    assert b"".join(file.streaming_content)[:2] == b"PK"
    file.close()
    assert 'filename="kezdesu-briefing-' in file["Content-Disposition"]
    other = client.get(reverse("reports:briefing-job", args=[scene.visit.pk, job.pk]))
    assert other.status_code == 404  # a job is followed only under its own meeting
