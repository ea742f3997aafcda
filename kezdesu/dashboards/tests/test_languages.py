"""Every code is said in the reader's language: English pages carry no Cyrillic, Russian pages no Kazakh-only
letters, beyond the names of people and places that are data."""

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kezdesu.core.actors import SYSTEM
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory, MeetingResultFactory, at
from kezdesu.planning.models import PlanItem
from kezdesu.planning.services import plan_create, plan_optimise
from kezdesu.questions.models import Question
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.models import Body, Head, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.tension.services import appeals_import, tension_scan
from kezdesu.tension.tests.factories import AS_OF
from kezdesu.tension.tests.test_import import CSV as APPEALS_WITH_BAD_ROWS
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[\u0400-\u04FF]+")
KAZAKH_ONLY = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
PLACE = "Shymkent Palace of Culture"


@pytest.fixture
def office(cells, tmp_path):
    """Meetings in every state the pages show, an alert, a plan; free text in Latin letters (it is data)."""
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    head = HeadFactory(body=health, position_kk="Министр", position_ru="Министр", position_en="Minister")
    today = dt.date.today()
    held = MeetingFactory(body=health, head=head, region=Region.objects.get(slug="turkistan"), status="reported",
                          starts_at=at(today - dt.timedelta(days=30)), settlement="Turkistan", venue=PLACE,
                          topics="Rural clinics")
    MeetingResultFactory(meeting=held, attendance=120, summary="Residents asked about clinics.")
    CommitmentFactory(meeting=held, text="Hire two doctors", progress=30, deadline=today + dt.timedelta(days=60))
    QuestionFactory(meeting=held, region=held.region, status=Question.Status.ANSWERED, text="When is the doctor?",
                    answer="From February.", author_name="Dana", author_contact="+77015551234")
    upcoming = MeetingFactory(body=health, head=head, region=Region.objects.get(slug="zhambyl"), status="announced",
                              starts_at=at(today + dt.timedelta(days=30)), settlement="Taraz", venue=PLACE,
                              topics="Water supply")
    proposed = MeetingFactory(body=energy, head=HeadFactory(body=energy, position_en="Minister"),
                              region=Region.objects.get(slug="abai"), status="proposed", settlement="Semey",
                              venue=PLACE, topics="Heating", starts_at=at(today + dt.timedelta(days=40)))
    tension_scan(as_of=AS_OF)
    analyst = staff(Role.AUTHORIZED_ANALYST)
    plan = plan_create(actor=analyst, year=today.year + 1, half=1)
    monday = dt.date(today.year + 1, 1, 11)
    PlanItem.objects.create(plan=plan, body=health, region=Region.objects.get(slug="abai"),
                            week_start=monday - dt.timedelta(days=monday.weekday()))
    optimised = plan_create(actor=analyst, year=today.year + 1, half=2)
    plan_optimise(actor=analyst, plan=optimised, time_limit_s=2, today=today)
    appeals = tmp_path / "appeals.csv"
    appeals.write_text(APPEALS_WITH_BAD_ROWS, encoding="utf-8")
    batch = appeals_import(actor=SYSTEM, path=appeals, today=AS_OF).batch
    coordinator = staff(Role.BODY_COORDINATOR, body=health)
    return {"analyst": analyst, "coordinator": coordinator, "held": held, "upcoming": upcoming,
            "proposed": proposed, "plan": plan, "optimised": optimised, "batch": batch}


def _text(response) -> str:
    body = response.content.decode()
    # The language switch names each language in itself, as it should.
    body = re.sub(r'(?s)<nav class="langswitch".*?</nav>', " ", body)
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", body)
    body = re.sub(r"(?s)<!--.*?-->", " ", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _pages(office) -> list[str]:
    alert = office["held"].region.alerts.first() or Region.objects.get(slug="mangystau").alerts.first()
    return [
        reverse("portal:home"), reverse("portal:meetings"), reverse("portal:meetings") + "?when=past",
        reverse("portal:meeting", args=[office["held"].pk]), reverse("portal:meeting", args=[office["upcoming"].pk]),
        reverse("portal:ask", args=[office["upcoming"].pk]), reverse("portal:commitments"),
        reverse("portal:track-form"), reverse("portal:open-data"),
        reverse("dashboards:home"), reverse("meetings:list"), reverse("meetings:detail", args=[office["held"].pk]),
        reverse("meetings:detail", args=[office["proposed"].pk]), reverse("tension:overview"),
        reverse("tension:alert", args=[alert.pk]), reverse("planning:list"),
        reverse("planning:detail", args=[office["plan"].pk]), reverse("reports:index"),
        reverse("dashboards:registry"), reverse("dashboards:audit"), reverse("dashboards:notifications"),
        reverse("tension:upload"),
        # Pages of engines' codes: the optimiser's terms and reasons, import rejections, report statuses.
        reverse("planning:detail", args=[office["optimised"].pk]),
        reverse("tension:batch", args=[office["batch"].pk]),
        reverse("reports:quarterly", args=["health", _last_quarter()]),
        reverse("reports:half-year", args=[_this_half_year()]),
        reverse("reports:briefing", args=[office["upcoming"].pk]),
    ]


def _last_quarter() -> str:
    today = dt.date.today()
    quarter = (today.month - 1) // 3  # the quarter before the current one, 0 meaning last year's fourth
    return f"{today.year}-Q{quarter}" if quarter else f"{today.year - 1}-Q4"


def _this_half_year() -> str:
    today = dt.date.today()
    return f"{today.year}-H{1 if today.month <= 6 else 2}"


def _coordinator_pages(office) -> list[str]:
    return [reverse("dashboards:home"), reverse("dashboards:meeting-new"),
            reverse("meetings:detail", args=[office["held"].pk]),
            reverse("meetings:edit", args=[office["upcoming"].pk])]


def _names(lang: str, office) -> list[str]:
    """Names of people and places: data, written as their owners write them."""
    names = [office["analyst"].get_full_name(), office["coordinator"].get_full_name()]
    with translation.override(lang):
        for region in Region.objects.all():
            names += [region.name, region.short_name, region.centre]  # the centre in the page language only
    for head in Head.objects.all():
        names.append(getattr(head, f"full_name_{lang}"))
    # The legal basis of an exemption is quoted as the decree words it, in Kazakh.
    names += [b.exempt_basis for b in Body.objects.exclude(exempt_basis="")]
    return sorted(filter(None, names), key=len, reverse=True)


def _walk(office, lang: str):
    names = _names(lang, office)
    with translation.override(lang):  # public pages carry their language in the address
        walks = ((office["analyst"], _pages(office)), (office["coordinator"], _coordinator_pages(office)))
    for user, paths in walks:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            text = _text(response)
            for name in names:
                text = text.replace(name, " ")
            yield f"{user.membership.role} {path}", text


def test_english_pages_have_no_cyrillic(office):
    wrong = {}
    for path, text in _walk(office, "en"):
        if words := sorted(set(CYRILLIC.findall(text))):
            wrong[path] = " ".join(words)
    assert wrong == {}, "\n".join(f"{k}: {v}" for k, v in wrong.items())


def test_russian_pages_have_no_kazakh_only_letters(office):
    wrong = {}
    for path, text in _walk(office, "ru"):
        words = {w for w in CYRILLIC.findall(text) if KAZAKH_ONLY.search(w)}
        if words:
            wrong[path] = " ".join(sorted(words))
    assert wrong == {}, "\n".join(f"{k}: {v}" for k, v in wrong.items())


def test_no_choice_list_starts_with_bare_dashes(office):
    """Django's "---------" says nothing: an empty choice is named in words ("Choose…", "All regions")."""
    dashed = [path for path, text in _walk(office, "en") if "---------" in text]
    assert dashed == []


@pytest.mark.parametrize(("lang", "past", "future"),
                         [("ru", "Провёл", "Проведёт"), ("en", "Held by", "Will be held by")])
def test_who_holds_a_meeting_is_said_in_the_right_tense(office, lang, past, future):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    with translation.override(lang):
        held_url = reverse("portal:meeting", args=[office["held"].pk])
        ahead_url = reverse("portal:meeting", args=[office["upcoming"].pk])
    held, ahead = _text(client.get(held_url)), _text(client.get(ahead_url))
    assert past in held and future not in held
    assert future in ahead and past not in ahead
    client.force_login(office["analyst"])
    assert future in _text(client.get(reverse("meetings:detail", args=[office["proposed"].pk])))
