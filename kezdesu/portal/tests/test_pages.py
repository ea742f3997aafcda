"""Public pages: readable without an account, in Kazakh by default, never showing private data."""

import datetime as dt

import pytest
from django.utils import timezone

from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

PRIVATE = ("Бақыт Жұмабаев", "bakyt@example.kz", "Сәуле Омарова", "+7 701 000 00 00")


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_home_lists_upcoming_public_meetings_in_kazakh(client, portal_data):
    page = html(client.get("/kk/"))
    assert '<html lang="kk">' in page
    assert f'href="/kk/meetings/{portal_data["upcoming"].pk}/"' in page
    assert f'href="/kk/meetings/{portal_data["draft"].pk}/"' not in page
    assert "Жасырын жоба" not in page


def test_meeting_list_splits_upcoming_and_past_and_hides_drafts(client, portal_data):
    upcoming = html(client.get("/kk/meetings/"))
    past = html(client.get("/kk/meetings/?when=past"))
    assert f'/kk/meetings/{portal_data["upcoming"].pk}/' in upcoming
    assert f'/kk/meetings/{portal_data["past"].pk}/' not in upcoming
    assert f'/kk/meetings/{portal_data["past"].pk}/' in past
    assert f'/kk/meetings/{portal_data["draft"].pk}/' not in upcoming + past


def test_meeting_list_filters_by_region_body_and_month(client, portal_data):
    up = portal_data["upcoming"]
    assert f"/kk/meetings/{up.pk}/" in html(client.get("/kk/meetings/?region=turkistan&body=health"))
    assert f"/kk/meetings/{up.pk}/" not in html(client.get("/kk/meetings/?region=abai"))
    assert f"/kk/meetings/{up.pk}/" not in html(client.get("/kk/meetings/?body=energy"))
    month = timezone.localtime(up.starts_at).strftime("%Y-%m")
    assert f"/kk/meetings/{up.pk}/" in html(client.get(f"/kk/meetings/?month={month}"))
    assert f"/kk/meetings/{up.pk}/" not in html(client.get("/kk/meetings/?month=2020-01"))
    ignored = html(client.get("/kk/meetings/?month=2026-13"))
    assert f"/kk/meetings/{up.pk}/" in ignored and 'role="alert"' in ignored


def test_meeting_list_is_paginated(client, portal_data):
    start = timezone.now() + dt.timedelta(days=40)
    for i in range(25):
        MeetingFactory(body=portal_data["health"], region=portal_data["abai"], status=Meeting.Status.ANNOUNCED,
                       starts_at=start + dt.timedelta(days=i))
    first, second = html(client.get("/kk/meetings/?region=abai")), html(client.get("/kk/meetings/?region=abai&page=2"))
    assert first.count('<tr>\n      <td><a href="/kk/meetings/') == 20
    assert second.count('<tr>\n      <td><a href="/kk/meetings/') == 5
    assert 'rel="next"' in first and "region=abai" in first.split('rel="next"')[0].rsplit("href=", 1)[1]


def test_meeting_page_before_the_meeting(client, portal_data):
    up = portal_data["upcoming"]
    page = html(client.get(f"/kk/meetings/{up.pk}/"))
    assert "11:00–13:00" in page  # 06:00 UTC is 11:00 in Asia/Almaty
    assert "https://video.example.kz/live/health" in page and "Ауылдық емханалар" in page
    assert f'href="/kk/meetings/{up.pk}/ask/"' in page and f'href="/kk/meetings/{up.pk}/register/"' in page


def test_meeting_page_after_the_meeting_shows_results_answers_and_commitments(client, portal_data):
    page = html(client.get(f'/kk/meetings/{portal_data["past"].pk}/'))
    assert "240" in page and "Тұрғындар жылу туралы сұрады." in page
    assert "Жылу қашан қосылады?" in page and "Қазан айының 1-інен бастап." in page
    assert "Модерациядан өтпеген сұрақ" not in page and "Қабылданбаған сұрақ" not in page
    assert "Қазандықты жөндеу" in page and 'class="w40"' in page and 'aria-valuenow="40"' in page
    assert "st-overdue" in page  # the 2024 deadline has passed with the work still open
    assert "/ask/" not in page
    for private in PRIVATE:
        assert private not in page


def test_unpublished_meeting_is_not_found(client, portal_data):
    assert client.get(f'/kk/meetings/{portal_data["draft"].pk}/').status_code == 404
    assert client.get(f'/kk/meetings/{portal_data["draft"].pk}/ask/').status_code == 404


@pytest.mark.parametrize(("lang", "region", "word"), [
    ("ru", "область Абай", "Встречи"),
    ("en", "Abai Region", "Meetings"),
])
def test_pages_follow_the_language_of_their_address(client, portal_data, lang, region, word):
    page = html(client.get(f'/{lang}/meetings/{portal_data["past"].pk}/'))
    assert f'<html lang="{lang}">' in page and region in page
    assert word in html(client.get(f"/{lang}/meetings/"))


def test_commitments_page_filters(client, portal_data):
    page = html(client.get("/kk/commitments/"))
    assert "Қазандықты жөндеу" in page and "Жолды жөндеу" in page
    assert "Жолды жөндеу" not in html(client.get("/kk/commitments/?status=in_progress"))
    assert "Қазандықты жөндеу" not in html(client.get("/kk/commitments/?region=turkistan"))
    assert "Қазандықты жөндеу" in html(client.get("/kk/commitments/?body=energy"))


def test_tracking_page_by_code(client, portal_data):
    answered = portal_data["answered"]
    response = client.get("/kk/track/", {"code": answered.tracking_code.lower().removeprefix("q-")})
    assert response.status_code == 302 and response.url == f"/kk/track/{answered.tracking_code}/"
    page = html(client.get(response.url))
    assert "Қазан айының 1-інен бастап." in page
    for private in PRIVATE:
        assert private not in page
    rejected = html(client.get(f'/kk/track/{portal_data["rejected"].tracking_code}/'))
    assert "Тақырыптан тыс" in rejected
    assert client.get("/kk/track/Q-NOSUCH22/").status_code == 404
