"""The moderation queue: moderators publish or reject, with HTMX; nobody else gets in."""

import pytest

from kezdesu.questions.models import Question
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def moderator(client):
    user = staff(Role.MODERATOR)
    client.force_login(user)
    return user


def test_queue_needs_a_moderator(client, portal_data):
    assert client.get("/moderation/").status_code == 302  # to the login page
    client.force_login(staff(Role.BODY_COORDINATOR, body=portal_data["health"]))
    assert client.get("/moderation/").status_code == 403
    received = portal_data["received"]
    assert client.post(f"/moderation/{received.pk}/publish/").status_code == 403
    assert Question.objects.get(pk=received.pk).status == Question.Status.RECEIVED


def test_queue_lists_received_questions_without_authors(client, portal_data, moderator):
    page = client.get("/moderation/").content.decode()
    assert "Модерациядан өтпеген сұрақ" in page and "Жылу қашан қосылады?" not in page
    assert "Сәуле Омарова" not in page and "+7 701 000 00 00" not in page


def test_publish_with_htmx_puts_the_question_on_the_meeting_page(client, portal_data, moderator):
    received = portal_data["received"]
    response = client.post(f"/moderation/{received.pk}/publish/", **HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<li class="card queue__item" id="q-{received.pk}">')
    assert "st-published" in fragment
    assert Question.objects.get(pk=received.pk).status == Question.Status.PUBLISHED
    assert "Модерациядан өтпеген сұрақ" in client.get(f'/kk/meetings/{portal_data["past"].pk}/').content.decode()


def test_reject_needs_a_reason(client, portal_data, moderator):
    received = portal_data["received"]
    fragment = client.post(f"/moderation/{received.pk}/reject/", {"reason": " "}, **HTMX).content.decode()
    assert 'role="alert"' in fragment and Question.objects.get(pk=received.pk).status == Question.Status.RECEIVED
    client.post(f"/moderation/{received.pk}/reject/", {"reason": "Жеке деректер бар"}, **HTMX)
    received.refresh_from_db()
    assert received.status == Question.Status.REJECTED and received.rejection_reason == "Жеке деректер бар"
    assert "Жеке деректер бар" in client.get(f"/kk/track/{received.tracking_code}/").content.decode()


def test_without_htmx_the_decision_redirects_back(client, portal_data, moderator):
    response = client.post(f'/moderation/{portal_data["received"].pk}/publish/')
    assert response.status_code == 302 and response.url == "/moderation/"
