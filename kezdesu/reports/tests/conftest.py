import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.utils import timezone

from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.models import Body, Region, Sector
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.reports.tests.factories import PROMISE, held_meeting
from kezdesu.tension.models import TensionAlert
from kezdesu.tension.tests.factories import history
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff


@dataclass
class Scenario:
    health: Body
    energy: Body
    coordinator: object
    energy_coordinator: object
    analyst: object
    admin: object
    government: object
    akimat: object
    meetings: list


@pytest.fixture
def q3(reference) -> Scenario:
    """The Ministry of Healthcare in 2026-Q3: two meetings by the minister (one unscheduled) and one by a
    deputy, 335 citizens in all, four questions raised and one asked on the portal, two commitments."""
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    turkistan, abai, kyzylorda = (Region.objects.get(slug=s) for s in ("turkistan", "abai", "kyzylorda"))
    minister = HeadFactory(body=health, full_name_kk="Шаһмарданов Әлихан", full_name_ru="Шахмарданов Алихан",
                           position_kk="Министр", position_ru="Министр")
    deputy = HeadFactory(body=health, is_first_head=False, full_name_kk="Нұрланов Ерлан",
                         full_name_ru="Нурланов Ерлан", position_kk="Вице-министр", position_ru="Вице-министр")
    coordinator = staff(Role.BODY_COORDINATOR, body=health)
    akimats = {r.slug: staff(Role.AKIMAT_COORDINATOR, region=r) for r in (turkistan, abai, kyzylorda)}
    first = held_meeting(
        body=health, head=minister, region=turkistan, day=dt.date(2026, 8, 12), coordinator=coordinator,
        akimat=akimats["turkistan"], attendance=180, online=1200,
        questions=[("on_the_spot", "Емхана қашан салынады?"), ("on_the_spot", "Дәрі-дәрмек жеткізу"),
                   ("under_control", "Ауылдық фельдшерлік пункт")],
        commitments=[(PROMISE, dt.date(2026, 9, 30), False)], media_links=["https://news.example.kz/health-1"])
    second = held_meeting(
        body=health, head=deputy, region=abai, day=dt.date(2026, 9, 2), coordinator=coordinator,
        akimat=akimats["abai"], attendance=95, questions=[("under_control", "Жедел жәрдем көлігі")],
        commitments=[("Жедел жәрдем көлігін сатып алу", dt.date(2027, 3, 1), True)], settlement="Семей қ.")
    third = held_meeting(
        body=health, head=minister, region=kyzylorda, day=dt.date(2026, 9, 21), coordinator=coordinator,
        akimat=akimats["kyzylorda"], attendance=60, kind=Meeting.Kind.UNSCHEDULED, settlement="Арал қ.")
    QuestionFactory(meeting=first, origin="portal", status="answered", answer="Жауап берілді.")
    return Scenario(
        health=health, energy=energy, coordinator=coordinator,
        energy_coordinator=staff(Role.BODY_COORDINATOR, body=energy), analyst=staff(Role.AUTHORIZED_ANALYST),
        admin=staff(Role.AUTHORIZED_ADMIN), government=staff(Role.GOVERNMENT_VIEWER), akimat=akimats["turkistan"],
        meetings=[first, second, third],
    )


@pytest.fixture
def alert(q3):
    """A mandatory tension alert in Kyzylorda answered in time by the ministry's unscheduled meeting."""
    from kezdesu.registry.models import Sector
    from kezdesu.tension.models import Obligation, TensionAlert

    kyzylorda = Region.objects.get(slug="kyzylorda")
    raised = TensionAlert.objects.create(
        fingerprint="kyzylorda:health", region=kyzylorda, sector=Sector.objects.get(slug="health"),
        level="mandatory", peak_level="mandatory", score=4.2, week_start=dt.date(2026, 9, 7), evidence={},
        status="answered", opened_on=dt.date(2026, 9, 10))
    return Obligation.objects.create(alert=raised, body=q3.health, deadline=dt.date(2026, 9, 24),
                                     status="fulfilled", meeting=q3.meetings[2])


@pytest.fixture
def urban(reference) -> Body:
    """A body whose name holds every Kazakh letter, һ included (no real body or region name has it)."""
    from kezdesu.registry.tests.factories import BodyFactory

    return BodyFactory(slug="urban", name_kk="Қазақстан Республикасы Шаһар құрылысы және өңірлерді дамыту министрлігі",
                       name_ru="Министерство городского строительства Республики Казахстан",
                       name_en="Ministry of Urban Construction of the Republic of Kazakhstan")


@pytest.fixture
def approved_plan(urban):
    """An approved 2027-H1 schedule with two meetings."""
    from kezdesu.planning.models import Plan, PlanItem

    plan = Plan.objects.create(year=2027, half=1, status="approved", decree_number="987",
                               decree_date=dt.date(2026, 12, 25))
    PlanItem.objects.create(plan=plan, body=urban, region=Region.objects.get(slug="turkistan"),
                            week_start=dt.date(2027, 2, 8))
    PlanItem.objects.create(plan=plan, body=Body.objects.get(slug="health"), region=Region.objects.get(slug="abai"),
                            week_start=dt.date(2027, 1, 18))
    return plan


@pytest.fixture
def briefing(reference, settings, tmp_path):
    """The Ministry of Healthcare's agreed meeting in Turkistan two days ahead, after an earlier visit there:
    appeals in two sectors (and in Abai), alerts open and closed, questions public and not, commitments."""
    settings.MEDIA_ROOT = tmp_path  # the packs' files
    question = "Түркістандағы жаңа емхананың құрылысы қашан аяқталады?"
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
    QuestionFactory(meeting=meeting, status="published", text=question, support_count=12, published_at=day)
    QuestionFactory(meeting=meeting, status="answered", text="Жол жөндеу", support_count=5,
                    published_at=day - dt.timedelta(days=1))
    QuestionFactory(meeting=meeting, status="received", text="Модерацияда", support_count=50)
    CommitmentFactory(meeting=MeetingFactory(body=energy, region=turkistan, status="reported"),
                      text="Басқа органның уәдесі")
    return SimpleNamespace(health=health, turkistan=turkistan, coordinator=coordinator, akimat=akimat,
                           meeting=meeting, visit=visit, health_sector=health_sector, schools=schools,
                           energy_coordinator=staff(Role.BODY_COORDINATOR, body=energy), question=question)
