"""Themes through the selectors and the pages: public questions only, each role within its scope."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.questions.models import Question
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.questions.themes.selectors import meeting_themes, region_themes
from kezdesu.registry.models import Sector
from kezdesu.registry.tests.factories import RegionFactory, SectorFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
THEMES = reverse("questions:themes")

WATER = ["Ауылымызда ауыз су жоқ, су құбыры қашан тартылады?", "Су құбыры тартылды, бірақ ауыз су келмейді.",
         "Ауыз су сапасы нашар, су құбыры ескі."]
ROADS = ["Когда отремонтируют дорогу до нашего села?", "Дорога в селе разбита, когда будет ремонт дороги?",
         "Ремонт дороги на улице Абая обещали три года назад."]


def _ask(meeting, texts, *, status="published", **fields):
    return [QuestionFactory(meeting=meeting, text=text, status=status, **fields) for text in texts]


def _dated(questions, day: dt.date):
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(created_at=at(day))


@pytest.fixture
def meeting():
    return MeetingFactory(status="announced")


def test_a_meeting_s_themes_group_its_public_questions_largest_first(meeting):
    water = _ask(meeting, WATER)
    roads = _ask(meeting, ROADS[:2])
    hidden = _ask(meeting, ["Су құбыры туралы жарияланбаған сұрақ"], status="received")
    _ask(meeting, ["Су құбыры туралы қабылданбаған сұрақ"], status="rejected")
    _ask(MeetingFactory(status="announced"), ["Су құбыры басқа кездесуде"])
    themes = meeting_themes(meeting)
    assert [t.size for t in themes] == [3, 2]
    assert set(themes[0].question_ids) == {q.pk for q in water}
    assert set(themes[1].question_ids) == {q.pk for q in roads}
    assert "су" in themes[0].label.split(", ")
    assert hidden[0].pk not in {pk for t in themes for pk in t.question_ids}
    assert meeting_themes(meeting, limit=1) == themes[:1]


def test_examples_are_the_most_supported_then_the_earliest(meeting):
    first, second, third = _ask(meeting, WATER)
    Question.objects.filter(pk=third.pk).update(support_count=5)
    Question.objects.filter(pk=first.pk).update(published_at=at(dt.date(2026, 7, 1)))
    Question.objects.filter(pk=second.pk).update(published_at=at(dt.date(2026, 6, 1)))
    [theme] = meeting_themes(meeting)
    assert theme.question_ids == (third.pk, second.pk, first.pk)
    assert theme.examples == (WATER[2], WATER[1], WATER[0])
    # Supports do not touch `updated_at`: the cached grouping is reused and the order still follows them.
    Question.objects.filter(pk=first.pk).update(support_count=9)
    assert meeting_themes(meeting)[0].question_ids[0] == first.pk


def test_the_cache_follows_the_set_of_questions(meeting):
    _ask(meeting, WATER)
    assert [t.size for t in meeting_themes(meeting)] == [3]
    _ask(meeting, ["Ауыз су құбыры біздің көшеге де керек, су жоқ."])
    assert [t.size for t in meeting_themes(meeting)] == [4]
    cache.clear()
    assert [t.size for t in meeting_themes(meeting)] == [4]


def test_the_sectors_routing_stems_join_kazakh_and_russian_questions_and_an_edit_regroups(meeting):
    water_kk = _ask(meeting, WATER)
    water_ru = _ask(meeting, ["Нет питьевой воды в посёлке, когда проведут водопровод?",
                              "Водопровод провели, но вода не идёт.",
                              "Качество питьевой воды плохое, водопровод старый."])
    apart = meeting_themes(meeting)
    assert {frozenset(t.question_ids) for t in apart} == {frozenset(q.pk for q in water_kk),
                                                          frozenset(q.pk for q in water_ru)}
    sector = SectorFactory(slug="water", keywords="вод;канал;су", name_kk="Сумен жабдықтау",
                           name_ru="Водоснабжение", name_en="Water supply")
    [together] = meeting_themes(meeting)
    assert set(together.question_ids) == {q.pk for q in water_kk + water_ru}
    # Most of the theme's questions carry the sector's stems: its name, in the reader's language, comes first.
    with translation.override("ru"):
        assert meeting_themes(meeting)[0].label.startswith("Водоснабжение: ")
    with translation.override("kk"):
        assert meeting_themes(meeting)[0].label.startswith("Сумен жабдықтау: ")
    # The stems are part of the cache key: a lexicon without the bridge groups the two languages apart again.
    Sector.objects.filter(pk=sector.pk).update(keywords="канал")
    assert len(meeting_themes(meeting)) == 2


def test_no_questions_no_themes(meeting):
    assert meeting_themes(meeting) == []
    _ask(meeting, WATER, status="received")
    assert meeting_themes(meeting) == []


def test_a_region_s_themes_over_a_period(meeting):
    inside = _ask(meeting, WATER)
    _dated(inside, dt.date(2026, 5, 10))
    before = _ask(meeting, ROADS)
    _dated(before, dt.date(2026, 3, 1))
    elsewhere = _ask(MeetingFactory(status="announced"), WATER)
    _dated(elsewhere, dt.date(2026, 5, 10))
    themes = region_themes(meeting.region, start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31))
    assert {pk for t in themes for pk in t.question_ids} == {q.pk for q in inside}
    assert region_themes(meeting.region, start=dt.date(2026, 5, 11), end=dt.date(2026, 5, 31)) == []


def test_the_staff_page_needs_a_staff_role_other_than_moderation(client, meeting):
    assert client.get(THEMES).status_code == 302
    client.force_login(staff(Role.MODERATOR))
    assert client.get(THEMES).status_code == 403


def test_a_body_sees_the_themes_of_its_meetings_only(client, meeting):
    _ask(meeting, WATER)
    other = MeetingFactory(status="announced", region=meeting.region)
    _ask(other, ROADS)
    client.force_login(staff(Role.BODY_COORDINATOR, body=meeting.body))
    page = client.get(THEMES).content.decode()
    assert WATER[0] in page and ROADS[0] not in page
    page = client.get(THEMES, {"meeting": meeting.pk}).content.decode()
    assert WATER[0] in page and "Сәуле Омарова" not in page and "+7 701" not in page
    assert client.get(THEMES, {"meeting": other.pk}).status_code == 404


def test_an_akimat_sees_its_region_and_the_authorized_body_all(client, meeting):
    _ask(meeting, WATER)
    elsewhere = MeetingFactory(status="announced", region=RegionFactory())
    _ask(elsewhere, ROADS)
    client.force_login(staff(Role.AKIMAT_COORDINATOR, region=meeting.region))
    page = client.get(THEMES).content.decode()
    assert WATER[0] in page and ROADS[0] not in page
    assert client.get(THEMES, {"meeting": elsewhere.pk}).status_code == 404
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    page = client.get(THEMES).content.decode()
    assert WATER[0] in page and ROADS[0] in page
    page = client.get(THEMES, {"region": elsewhere.region_id}).content.decode()
    assert WATER[0] not in page and ROADS[0] in page
    assert client.get(THEMES, {"meeting": elsewhere.pk}).status_code == 200


def test_the_period_filters_and_a_reversed_period_is_refused(client, meeting):
    recent = _ask(meeting, WATER)
    old = _ask(meeting, ROADS)
    _dated(old, timezone.localdate() - dt.timedelta(days=400))
    client.force_login(staff(Role.AUTHORIZED_ADMIN))
    page = client.get(THEMES).content.decode()  # the last 90 days by default
    assert WATER[0] in page and ROADS[0] not in page
    start = (timezone.localdate() - dt.timedelta(days=500)).isoformat()
    page = client.get(THEMES, {"start": start, "end": timezone.localdate().isoformat()}).content.decode()
    assert WATER[0] in page and ROADS[0] in page
    response = client.get(THEMES, {"start": "2026-06-01", "end": "2026-05-01"})
    assert response.status_code == 400 and recent[0].text not in response.content.decode()


def test_the_public_meeting_page_shows_themes_from_a_few_questions(client, meeting):
    _ask(meeting, WATER)
    _ask(meeting, ROADS[:1])
    url = f"/ru/meetings/{meeting.pk}/"
    assert "themes-summary" not in client.get(url).content.decode()
    _ask(meeting, ROADS[1:])
    page = client.get(url).content.decode()
    assert "themes-summary" in page and "О чём спрашивают люди" in page
    assert "3 вопроса" in page


def test_each_role_reaches_the_themes_once_from_the_header_or_the_questions_page(meeting):
    coordinator = staff(Role.BODY_COORDINATOR, body=meeting.body)
    analyst = staff(Role.AUTHORIZED_ANALYST)
    client = Client()
    client.force_login(coordinator)
    # The body coordinator's header already holds "Citizens' questions"; the themes open from that page.
    assert f'href="{THEMES}"' not in client.get(reverse("dashboards:home")).content.decode()
    assert f'href="{THEMES}"' in client.get(reverse("questions:answers")).content.decode()
    client.force_login(analyst)
    assert f'href="{THEMES}"' in client.get(reverse("dashboards:home")).content.decode()
