"""Public pages are cacheable: no per-visitor state, caching headers, and a shared page cache that a write
to the data it shows replaces at once."""

import pytest
from django.conf import settings
from django.test import Client

from kezdesu.meetings.models import Meeting
from kezdesu.meetings.services import commitment_update, meeting_transition, meeting_update
from kezdesu.portal.tests.factories import RegistrationFactory
from kezdesu.questions.models import Question
from kezdesu.questions.services import question_transition
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def public_paths(data):
    return ["/kk/", "/ru/meetings/", "/en/meetings/?when=past", f'/kk/meetings/{data["past"].pk}/',
            "/kk/commitments/", "/kk/open-data/", "/ru/ical/all.ics", "/kk/ical/region/abai.ics",
            "/kk/feeds/meetings.rss", "/ru/feeds/meetings.atom?region=abai", "/en/feeds/commitments.rss",
            "/kk/feeds/commitments.atom?body=energy", f'/ru/meetings/{data["upcoming"].pk}/calendar.ics',
            "/api/v1/meetings/", "/api/v1/commitments/", "/api/v1/questions/"]


def test_public_answers_carry_no_visitor_state_and_can_be_cached(client, portal_data):
    for path in public_paths(portal_data):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, (path, response.cookies)
        assert "Cookie" not in response.get("Vary", ""), (path, response["Vary"])
        assert "csrfmiddlewaretoken" not in response.content.decode() and "X-CSRFToken" not in response.content.decode()
        control = response["Cache-Control"]
        assert control.startswith("public, max-age=0, s-maxage=") and "stale-while-revalidate=" in control, path
        assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")


def test_a_repeated_request_is_not_modified(client, portal_data):
    first = client.get("/kk/meetings/")
    again = client.get("/kk/meetings/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    since = client.get("/kk/meetings/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_pages_with_a_form_are_not_cached(client, portal_data):
    response = client.get(f'/kk/meetings/{portal_data["upcoming"].pk}/ask/')
    assert response.status_code == 200 and "csrfmiddlewaretoken" in response.content.decode()
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert "public" not in response.get("Cache-Control", "")


def test_the_stored_page_is_served_until_its_data_changes(client, portal_data):
    """A change that bypasses the models (a raw update) is not seen: the page really comes from the cache."""
    past = portal_data["past"]
    assert "Жылу беру маусымы" in client.get(f"/kk/meetings/{past.pk}/").content.decode()
    Meeting.objects.filter(pk=past.pk).update(topics="Жаңа тақырып")
    assert "Жылу беру маусымы" in client.get(f"/kk/meetings/{past.pk}/").content.decode()
    past.refresh_from_db()
    past.save()  # any save through the model gives the meetings a new generation
    assert "Жаңа тақырып" in client.get(f"/kk/meetings/{past.pk}/").content.decode()


def test_a_changed_meeting_shows_at_once_on_every_page(client, portal_data):
    up = portal_data["upcoming"]
    coordinator = staff(Role.BODY_COORDINATOR, body=up.body)
    pages = [f"/kk/meetings/{up.pk}/", "/ru/ical/all.ics", "/api/v1/meetings/"]
    assert all("Мектептер мен балабақшалар" not in client.get(path).content.decode().replace("\r\n ", "")
               for path in pages)
    up = meeting_update(actor=coordinator, meeting=up, expected_version=up.version,
                        topics="Мектептер мен балабақшалар")
    for path in pages:
        assert "Мектептер мен балабақшалар" in client.get(path).content.decode().replace("\r\n ", ""), path

    link = f'href="/kk/meetings/{up.pk}/"'
    assert link in client.get("/kk/").content.decode() and link in client.get("/kk/meetings/").content.decode()
    meeting_transition(actor=coordinator, meeting=up, target=Meeting.Status.CANCELLED, comment="Су тасқыны")
    assert link not in client.get("/kk/").content.decode() and link not in client.get("/kk/meetings/").content.decode()
    assert client.get(f"/kk/meetings/{up.pk}/").status_code == 404
    assert f"meeting-{up.pk}@kezdesu" not in client.get("/ru/ical/all.ics").content.decode()


def test_a_published_question_shows_on_its_meeting_page(client, portal_data):
    past, received = portal_data["past"], portal_data["received"]
    assert received.text not in client.get(f"/kk/meetings/{past.pk}/").content.decode()
    question_transition(actor=staff(Role.MODERATOR), question=received, target=Question.Status.PUBLISHED)
    assert received.text in client.get(f"/kk/meetings/{past.pk}/").content.decode()
    assert received.text in client.get("/api/v1/questions/").content.decode()


def test_commitment_progress_shows_on_the_commitments_and_meeting_pages(client, portal_data):
    commitment = portal_data["commitment"]
    assert 'aria-valuenow="90"' not in client.get("/kk/commitments/").content.decode()
    assert 'aria-valuenow="90"' not in client.get(f'/kk/meetings/{portal_data["past"].pk}/').content.decode()
    coordinator = staff(Role.BODY_COORDINATOR, body=portal_data["energy"])
    commitment_update(actor=coordinator, commitment=commitment, expected_version=commitment.version, progress=90)
    assert 'aria-valuenow="90"' in client.get("/kk/commitments/").content.decode()
    assert 'aria-valuenow="90"' in client.get(f'/kk/meetings/{portal_data["past"].pk}/').content.decode()
    assert '"progress":90' in client.get("/api/v1/commitments/").content.decode().replace(" ", "")


def test_a_registration_changes_the_seats_of_its_meeting_only(client, portal_data):
    up = portal_data["upcoming"]
    assert "0 of 2 taken" in client.get(f"/en/meetings/{up.pk}/").content.decode()
    RegistrationFactory(meeting=up)
    assert "1 of 2 taken" in client.get(f"/en/meetings/{up.pk}/").content.decode()


def test_staff_with_a_session_get_the_same_page_marked_private(client, portal_data):
    path = f'/kk/meetings/{portal_data["past"].pk}/'
    anonymous = Client().get(path)
    client.force_login(staff(Role.MODERATOR))
    signed_in = client.get(path)
    assert signed_in.content == anonymous.content
    assert signed_in["Cache-Control"] == "private, no-cache"


def test_the_meeting_page_paginates_its_questions(client, portal_data):
    past = portal_data["past"]
    for i in range(24):
        QuestionFactory(meeting=past, region=past.region, status=Question.Status.PUBLISHED,
                        text=f"Сұрақ нөмірі {i:02d}")
    first = client.get(f"/kk/meetings/{past.pk}/").content.decode()
    second = client.get(f"/kk/meetings/{past.pk}/?page=2").content.decode()
    # 25 published questions in all (with the answered one of the fixture): 20, then 5.
    assert first.count('class="qa"') == 20 and second.count('class="qa"') == 5
    assert 'href="?page=2"' in first and 'rel="prev"' in second
    shown = {f"Сұрақ нөмірі {i:02d}" for i in range(24) if f"Сұрақ нөмірі {i:02d}" in first + second}
    assert len(shown) == 24
