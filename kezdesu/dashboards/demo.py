"""Demo data for `make demo`: one login per role and the first heads of every body.

Names of people here are invented; they stand in for the real heads until staff enter them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kezdesu.compliance.models import QuarterlyReport
from kezdesu.compliance.rules import Quarter, quarters_of, report_deadline
from kezdesu.core.actors import SYSTEM
from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.calendar import working_calendar
from kezdesu.meetings.models import Meeting, Status
from kezdesu.meetings.services import (
    commitment_create,
    commitment_update,
    meeting_create,
    meeting_record_results,
    meeting_transition,
    support_item_set,
)
from kezdesu.planning.models import Plan
from kezdesu.planning.services import plan_create, plan_optimise
from kezdesu.questions.models import Question
from kezdesu.questions.services import question_raise_at_meeting, question_submit
from kezdesu.registry.models import Body, Head, Region, Sector
from kezdesu.tension.models import Appeal
from kezdesu.tension.services import appeals_import, tension_scan
from kezdesu.users.models import Membership, Role, User

DEMO_PASSWORD = "kezdesu-demo-2026"

_FIRST = [("Ерлан", "Yerlan"), ("Айгүл", "Aigul"), ("Нұрлан", "Nurlan"), ("Сәуле", "Saule"), ("Бауыржан", "Baurzhan"),
          ("Динара", "Dinara"), ("Асхат", "Askhat"), ("Жанар", "Zhanar"), ("Марат", "Marat"), ("Гүлнар", "Gulnar"),
          ("Серік", "Serik"), ("Әсем", "Assem"), ("Қайрат", "Kairat"), ("Ләззат", "Lazzat"), ("Талғат", "Talgat")]
_LAST = [("Сейітов", "Seitov"), ("Омарова", "Omarova"), ("Жұмабаев", "Zhumabayev"), ("Тоқтарова", "Toktarova"),
         ("Әбдіров", "Abdirov"), ("Қасымова", "Kassymova"), ("Нұрғалиев", "Nurgaliyev"), ("Бекова", "Bekova"),
         ("Ахметов", "Akhmetov"), ("Сұлтанова", "Sultanova"), ("Ибраев", "Ibrayev"), ("Мұратова", "Muratova")]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


def _user(*, username: str, first: str, last: str, role: str, body=None, region=None, superuser=False) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last, email=f"{username}@kezdesu.local",
                    is_staff=superuser, is_superuser=superuser)
        user.set_password(DEMO_PASSWORD)
        user.save()
        audit_record(actor=SYSTEM, action="user.create", obj=user, before=None, after=snapshot(user), comment="demo")
    if not Membership.objects.filter(user=user, active=True).exists():
        m = Membership.objects.create(user=user, role=role, body=body, region=region)
        audit_record(actor=SYSTEM, action="membership.create", obj=m, before=None, after=snapshot(m), comment="demo")
    return user


def _heads(rng: random.Random) -> None:
    for body in Body.objects.order_by("slug"):
        if body.heads.exists():
            continue
        (fk, fe), (lk, le) = rng.choice(_FIRST), rng.choice(_LAST)
        start = body.valid_from
        head = Head.objects.create(
            body=body, full_name_kk=f"{lk} {fk}", full_name_ru=f"{lk} {fk}", full_name_en=f"{fe} {le}",
            position_kk="Министр", position_ru="Министр", position_en="Minister", start=start,
        )
        audit_record(actor=SYSTEM, action="head.create", obj=head, before=None, after=snapshot(head), comment="demo")
        (fk, fe), (lk, le) = rng.choice(_FIRST), rng.choice(_LAST)
        deputy = Head.objects.create(
            body=body, full_name_kk=f"{lk} {fk}", full_name_ru=f"{lk} {fk}", full_name_en=f"{fe} {le}",
            position_kk="Вице-министр", position_ru="Вице-министр", position_en="Vice minister",
            is_first_head=False, start=start,
        )
        audit_record(actor=SYSTEM, action="head.create", obj=deputy, before=None, after=snapshot(deputy),
                     comment="demo")


@transaction.atomic
def demo_load(*, seed: int = 2026, today: dt.date | None = None) -> list[DemoLogin]:
    """Create the demo accounts, heads and a realistic year of meetings (idempotent); returns one
    login per role."""
    rng = random.Random(seed)
    _heads(rng)
    logins = demo_accounts()
    today = today or timezone.localdate()
    if not Meeting.objects.exists():
        _year(rng, today)
    if not Appeal.objects.exists():
        _appeals(today)
    if not Question.objects.filter(origin=Question.Origin.PORTAL).exists():
        _portal_questions()
    if not Plan.objects.exists():
        nxt = (today.year + 1, 1) if today.month > 6 else (today.year, 2)
        plan_optimise(actor=SYSTEM, plan=plan_create(actor=SYSTEM, year=nxt[0], half=nxt[1]), time_limit_s=20,
                      today=today)
    return logins


def demo_accounts() -> list[DemoLogin]:
    """Create (or update) one demo account per role, all with DEMO_PASSWORD; returns their logins."""
    health = Body.objects.get(slug="health")
    turkistan = Region.objects.get(slug="turkistan")
    accounts = [
        dict(username="admin", first="Әлия", last="Серікқызы", role=Role.AUTHORIZED_ADMIN, superuser=True),
        dict(username="analyst", first="Дәурен", last="Абенов", role=Role.AUTHORIZED_ANALYST),
        dict(username="health", first="Мадина", last="Қалиева", role=Role.BODY_COORDINATOR, body=health),
        dict(username="akimat-turkistan", first="Бекзат", last="Оспанов", role=Role.AKIMAT_COORDINATOR,
             region=turkistan),
        dict(username="government", first="Ержан", last="Тұрсынов", role=Role.GOVERNMENT_VIEWER),
        dict(username="moderator", first="Аружан", last="Сапарова", role=Role.MODERATOR),
    ]
    logins = []
    for spec in accounts:
        _user(**spec)
        scope = (spec.get("body") or spec.get("region") or "")
        logins.append(DemoLogin(spec["username"], str(spec["role"].label), scope.name_en if scope else ""))
    return logins


DEMO_SECTORS = ("health", "housing-utilities", "jobs-wages", "roads-transport", "water", "energy-heating")
SPIKES = {  # (region, sector): (extra appeals in the last week, texts, signatories)
    ("mangystau", "jobs-wages"): (45, ["Жұмысшылар ереуіл жариялады, жалақы үш ай төленбеді",
                                       "Рабочие угрожают голодовкой из-за задолженности по зарплате"], 150),
    ("almaty", "housing-utilities"): (30, ["Тариф өсті, жылу жоқ", "Нет отопления в доме"], 1),
    ("kyzylorda", "water"): (9, ["Ауыз су жоқ"], 1),
}


def _appeals(today: dt.date) -> None:
    """Five and a half years of weekly appeals per region and sector, with this week's flare-ups,
    imported through the real importer; then a tension scan as of today."""
    rng = np.random.default_rng(12)
    week = today - dt.timedelta(days=today.weekday() + 7)
    weeks = 52 * 5 + 30
    path = Path(settings.BASE_DIR) / "var" / "demo-appeals.csv"
    path.parent.mkdir(exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["external_id", "received_on", "region", "sector", "kind", "signatories", "text", "language"])
        for region in Region.objects.order_by("kato_code"):
            base = region.population / 400_000
            for sector in DEMO_SECTORS:
                season = 1.0 + 0.3 * np.cos(2 * np.pi * (np.arange(weeks) + (7 if "heating" in sector else 0)) / 52)
                counts = rng.poisson(base * season)
                extra, texts, signatories = SPIKES.get((region.slug, sector), (0, [], 1))
                counts[-1] += extra
                for i, count in enumerate(counts):
                    day = week - dt.timedelta(weeks=weeks - 1 - i)
                    for j in range(int(count)):
                        spike = i == weeks - 1 and j < extra
                        n += 1
                        out.writerow([f"DEMO-{n}", (day + dt.timedelta(days=j % 5)).isoformat(), region.kato_code,
                                      sector, "complaint" if spike or j % 3 == 0 else "request",
                                      signatories if spike and j % 4 == 0 else 1,
                                      texts[j % len(texts)] if spike else "", "kk" if j % 2 else "ru"])
    appeals_import(actor=SYSTEM, path=path, today=today)
    tension_scan(as_of=today)


REGION_TOWNS = {
    "abai": "Семей", "akmola": "Көкшетау", "aktobe": "Ақтөбе", "almaty-region": "Қонаев", "atyrau": "Атырау",
    "west-kazakhstan": "Орал", "zhambyl": "Тараз", "zhetisu": "Талдықорған", "karaganda": "Қарағанды",
    "kostanay": "Қостанай", "kyzylorda": "Қызылорда", "mangystau": "Ақтау", "pavlodar": "Павлодар",
    "north-kazakhstan": "Петропавл", "turkistan": "Түркістан", "ulytau": "Жезқазған", "east-kazakhstan": "Өскемен",
    "astana": "Астана", "almaty": "Алматы", "shymkent": "Шымкент",
}
VENUES = ["Облыстық мәдениет үйі", "Аудандық әкімдіктің мәжіліс залы", "Жастар орталығы", "Драма театры",
          "Ауылдық клуб", "Колледждің акт залы"]
TOPICS = {
    "health": "Ауылдық медицина, дәрі-дәрмекпен қамту", "education": "Мектептердегі орын тапшылығы",
    "energy": "Жылу беру маусымы, газдандыру", "transport": "Аудандық жолдарды жөндеу, автобус қатынасы",
    "water-irrigation": "Суару маусымы, ауыз су", "labour-social": "Жалақы берешегі, жұмыспен қамту",
    "agriculture": "Жайылым, мал шаруашылығына субсидиялар", "ecology": "Қоқыс полигондары, ауа сапасы",
}
QUESTIONS = [
    ("Ауылымызда дәрігерлік амбулатория қашан ашылады?", "health"),
    ("Мектепке дейін автобус жоқ, балалар 5 шақырым жаяу жүреді.", "roads-transport"),
    ("Жылу тарифі неге өсті?", "energy-heating"),
    ("Ауыз су құбыры 2019 жылдан бері салынбай жатыр.", "water"),
    ("Зауыт жұмысшыларына үш ай жалақы төленбеді.", "jobs-wages"),
    ("Жайылым жер жетіспейді, мал басы азайып барады.", "agriculture-land"),
    ("Ғаламтор жылдамдығы өте төмен, мектеп оқушылары оқи алмайды.", "digital-services"),
    ("Почему в посёлке нет стабильного газоснабжения?", "energy-heating"),
]
PROMISES = [
    "Ауылдық амбулатория құрылысын келесі жылдың бюджетіне енгізу",
    "Аудандық жолдың 12 шақырымын орташа жөндеуден өткізу",
    "Жалақы берешегін өтеу бойынша кәсіпорынмен кездесу ұйымдастыру",
    "Ауыз су құбырының жобалық-сметалық құжаттамасын әзірлеу",
    "Мектеп автобусын сатып алу мәселесін шешу",
    "Жайылым жерлерді қайтару бойынша тексеру жүргізу",
]


def _at(day: dt.date, hour: int = 11) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour), timezone.get_default_timezone())


def _coordinators() -> tuple[dict[str, User], dict[str, User]]:
    bodies, akimats = {}, {}
    for body in Body.objects.filter(exempt=False):
        user = (User.objects.filter(username="health").first() if body.slug == "health" else None) or _user(
            username=f"coord-{body.slug}", first="Үйлестіруші", last=body.slug, role=Role.BODY_COORDINATOR, body=body)
        bodies[body.slug] = user
    for region in Region.objects.all():
        user = (User.objects.filter(username="akimat-turkistan").first() if region.slug == "turkistan" else None) \
            or _user(username=f"akimat-{region.slug}", first="Әкімдік", last=region.slug,
                     role=Role.AKIMAT_COORDINATOR, region=region)
        akimats[region.slug] = user
    return bodies, akimats


def _meeting(rng, *, body, region, day, coord, head=None, hour=11, kind=Meeting.Kind.SCHEDULED) -> Meeting:
    head = head or body.heads.filter(is_first_head=True).first()
    return meeting_create(
        actor=coord, body=body, head=head, region=region, settlement=REGION_TOWNS.get(region.slug, region.name_kk),
        venue=rng.choice(VENUES), starts_at=_at(day, hour), kind=kind,
        topics=TOPICS.get(body.slug, "Саладағы өзекті мәселелер"), capacity=rng.choice([None, 150, 300]),
        rationale_text="Өңірдегі азаматтар өтініштерінің саны және соңғы сапардан бері өткен уақыт",
        stream_url="https://video.example.kz/live/" + body.slug,
    )


def _walk(meeting, steps, *, coord, akimat, when: dt.datetime) -> Meeting:
    """Move a meeting through `steps` as the right people, backdated to `when` (one hour apart)."""
    for i, (target, extra) in enumerate(steps):
        actor = akimat if target in (Status.AGREED, Status.RETURNED, Status.DECLINED) and \
            meeting.status == Status.PROPOSED else coord
        meeting = meeting_transition(actor=actor, meeting=meeting, target=target,
                                     at=when + dt.timedelta(hours=i), **extra)
    return meeting


AGREE = [(Status.PROPOSED, {}), (Status.AGREED, {})]
HOLD = [*AGREE, (Status.ANNOUNCED, {}), (Status.HELD, {})]


def _held(rng, meeting, *, coord, akimat, today, reported=True) -> Meeting:
    start = timezone.localtime(meeting.starts_at).date()
    meeting = _walk(meeting, HOLD[:-1], coord=coord, akimat=akimat, when=_at(start - dt.timedelta(days=30), 9))
    meeting = meeting_transition(actor=coord, meeting=meeting, target=Status.HELD,
                                 at=meeting.starts_at + dt.timedelta(hours=3))
    for item in meeting.support_items.all():
        support_item_set(actor=akimat, item=item, done=True, owner="Әкімдік аппараты")
    if not reported:
        return meeting
    meeting_record_results(actor=coord, meeting=meeting, attendance=rng.randint(80, 420),
                           speakers=rng.randint(6, 25), online_viewers=rng.randint(300, 5000),
                           summary="Тұрғындар өзекті мәселелерді көтерді, жауаптар берілді.",
                           media_links=[f"https://news.example.kz/{meeting.pk}"])
    sectors = {s.slug: s for s in Sector.objects.all()}
    for text, sector in rng.sample(QUESTIONS, 3):
        on_spot = rng.random() < 0.5
        question_raise_at_meeting(actor=coord, meeting=meeting, text=text, sector=sectors.get(sector),
                                  handling="on_the_spot" if on_spot else "under_control",
                                  answer="Мәселе бойынша түсініктеме берілді." if on_spot else "")
    for j in range(rng.randint(1, 2)):
        deadline = start + dt.timedelta(days=rng.choice([45, 90, 150, 240]))
        c = commitment_create(actor=coord, meeting=meeting, text=rng.choice(PROMISES), deadline=deadline,
                              responsible_body=meeting.body if j == 0 else None,
                              responsible_region=meeting.region if j else None)
        if deadline < today and rng.random() < 0.6:
            commitment_update(actor=coord, commitment=c, expected_version=c.version, progress=100,
                              evidence="Акт қабылдау-тапсыру қол қойылды")
        elif rng.random() < 0.7:
            commitment_update(actor=coord, commitment=c, expected_version=c.version,
                              progress=rng.choice([20, 40, 60, 80]), evidence="Жұмыс жүргізілуде")
    return meeting_transition(actor=coord, meeting=meeting, target=Status.REPORTED,
                              at=meeting.starts_at + dt.timedelta(days=2))


def _year(rng: random.Random, today: dt.date) -> None:
    """A year of meetings in which every compliance status shows up."""
    coords, akimats = _coordinators()
    regions = list(Region.objects.order_by("kato_code"))
    year = today.year
    current = Quarter.of(today)
    bodies = list(Body.objects.valid_on(today).filter(exempt=False).order_by("slug"))
    cal = working_calendar()
    for i, body in enumerate(bodies):
        coord = coords[body.slug]
        deputy = body.heads.filter(is_first_head=False).first()
        for q in quarters_of(year):
            if q > current:
                break
            region = regions[(i * 3 + q.number * 7) % len(regions)]
            akimat = akimats[region.slug]
            day = q.start + dt.timedelta(days=20 + (i * 5) % 50)
            while not cal.is_working_day(day):
                day += dt.timedelta(days=1)
            if q < current:
                if i == 2 and q.number == 2:       # held by a deputy: does not count
                    _held(rng, _meeting(rng, body=body, region=region, day=day, coord=coord, head=deputy),
                          coord=coord, akimat=akimat, today=today)
                elif i == 5 and q.number == 1:     # cancelled: the quarter is missed
                    m = _meeting(rng, body=body, region=region, day=day, coord=coord)
                    _walk(m, [*AGREE, (Status.CANCELLED, {"comment": "Министрдің шұғыл іссапары"})],
                          coord=coord, akimat=akimat, when=_at(day - dt.timedelta(days=25)))
                elif i == 7 and q.number == 3:     # nothing at all
                    pass
                else:
                    _held(rng, _meeting(rng, body=body, region=region, day=day, coord=coord),
                          coord=coord, akimat=akimat, today=today)
                _report(body, q, i, coord, cal)
                continue
            _current_quarter(rng, body, i, region, akimats, coord, today)
    _health_showcase(rng, coords["health"], akimats["turkistan"], today)


def _current_quarter(rng, body, i, region, akimats, coord, today):
    akimat = akimats[region.slug]
    future = today + dt.timedelta(days=7 + i % 20)
    while future.weekday() >= 5:
        future += dt.timedelta(days=1)
    pattern = i % 5
    if body.slug == "health":
        return
    if pattern == 0:    # already held this quarter
        past = today - dt.timedelta(days=10 + i)
        while past.weekday() >= 5:
            past -= dt.timedelta(days=1)
        _held(rng, _meeting(rng, body=body, region=region, day=past, coord=coord), coord=coord, akimat=akimat,
              today=today)
    elif pattern == 1:  # agreed and announced
        m = _meeting(rng, body=body, region=region, day=future, coord=coord)
        _walk(m, [*AGREE, (Status.ANNOUNCED, {})], coord=coord, akimat=akimat, when=_at(today - dt.timedelta(5)))
    elif pattern == 2:  # waiting for the akimat
        m = _meeting(rng, body=body, region=region, day=future, coord=coord)
        _walk(m, [(Status.PROPOSED, {})], coord=coord, akimat=akimat, when=_at(today - dt.timedelta(days=6)))
    elif pattern == 3:  # the akimat counter-proposed
        m = _meeting(rng, body=body, region=region, day=future, coord=coord)
        _walk(m, [(Status.PROPOSED, {}), (Status.RETURNED, {
            "comment": "Бұл күні облыстық сессия өтеді", "proposed_starts_at": _at(future + dt.timedelta(days=2), 15),
            "proposed_venue": "Облыстық филармония"})], coord=coord, akimat=akimat, when=_at(today - dt.timedelta(4)))
    else:               # declined, still a draft to re-propose
        m = _meeting(rng, body=body, region=region, day=future, coord=coord)
        _walk(m, [(Status.PROPOSED, {}), (Status.DECLINED, {"comment": "Көктемгі су тасқыны қаупіне байланысты"})],
              coord=coord, akimat=akimat, when=_at(today - dt.timedelta(days=9)))


def _health_showcase(rng, coord, akimat, today):
    """Work waiting for the two demo coordinators: results to record, a request to answer."""
    body = Body.objects.get(slug="health")
    turkistan = Region.objects.get(slug="turkistan")
    past = today - dt.timedelta(days=6)
    while past.weekday() >= 5:
        past -= dt.timedelta(days=1)
    m = _meeting(rng, body=body, region=turkistan, day=past, coord=coord)
    _walk(m, [*AGREE, (Status.ANNOUNCED, {})], coord=coord, akimat=akimat, when=_at(past - dt.timedelta(days=20)))
    future = today + dt.timedelta(days=14)
    while future.weekday() >= 5:
        future += dt.timedelta(days=1)
    m = _meeting(rng, body=body, region=turkistan, day=future, coord=coord, hour=15)
    _walk(m, [(Status.PROPOSED, {})], coord=coord, akimat=akimat, when=_at(today - dt.timedelta(days=5)))
    _meeting(rng, body=body, region=Region.objects.get(slug="kyzylorda"), day=future + dt.timedelta(days=7),
             coord=coord)


CITIZEN_QUESTIONS = [
    ("Ауылымызға жедел жәрдем 40 минутта келеді. Бұл мәселе қашан шешіледі?", "kk"),
    ("Когда в нашем районе отремонтируют дорогу до областного центра?", "ru"),
    ("Мектеп жанындағы аялдамаға автобус неге тоқтамайды?", "kk"),
    ("Будут ли субсидии для молодых фермеров в следующем году?", "ru"),
]


def _portal_questions() -> None:
    """Questions citizens sent in advance for the announced meetings, waiting for the moderator."""
    upcoming = list(Meeting.objects.filter(status=Status.ANNOUNCED, starts_at__gt=timezone.now())[:4])
    for i, meeting in enumerate(upcoming):
        for j, (text, lang) in enumerate(CITIZEN_QUESTIONS[i % 2::2]):
            # Each demo citizen writes from their own address, as the rate limit is per client.
            question_submit(meeting=meeting, text=text, client_ip=f"192.0.2.{10 * i + j + 1}", language=lang,
                            author_name="Азамат", author_contact=f"+7 701 000 00 {10 * i + j:02d}")


def _report(body, quarter, i, coord, cal):
    """Quarterly information: mostly on time, some late, some missing."""
    deadline = report_deadline(quarter, cal)
    if i % 5 == 3:
        return
    submitted = deadline + dt.timedelta(days=3) if i % 5 == 1 else deadline - dt.timedelta(days=2)
    report = QuarterlyReport.objects.create(body=body, year=quarter.year, quarter=quarter.number,
                                           status=QuarterlyReport.Status.SUBMITTED, submitted_at=_at(submitted, 16),
                                           submitted_by=coord, comment="Кездесулер туралы жинақталған ақпарат")
    audit_record(actor=coord, action="report.submit", obj=report, before=None, after=snapshot(report),
                 comment="demo")


