"""The 400, 403, 404 and 500 pages: the site's design, the visitor's language, DEBUG off (as pytest runs)."""

import pytest
from django.conf import settings
from django.test import Client

from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

ERROR_URLS = "kezdesu.core.tests.error_urls"


def _client(lang: str) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize(("lang", "heading"), [("kk", "Қате орын алды"), ("ru", "Что-то пошло не так"),
                                               ("en", "Something went wrong")])
def test_500_page_is_translated_and_needs_no_database(lang, heading):
    # No django_db mark: any query while rendering the page would fail the test.
    response = _client(lang).get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert f'<html lang="{lang}">' in body and heading in body
    assert "kezdesu.css" in body and 'class="topbar"' in body
    assert "DatabaseError" not in body and "went away" not in body


@pytest.mark.django_db
@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize(("lang", "heading"), [("kk", "Қол жеткізу жабық"), ("ru", "Доступ запрещён"),
                                               ("en", "Access denied")])
def test_403_page_is_in_the_design_and_language(lang, heading):
    response = _client(lang).get("/forbidden/")
    assert response.status_code == 403
    body = response.content.decode()
    assert heading in body and 'class="topbar"' in body and "errorpage" in body


@pytest.mark.django_db
def test_a_staff_page_refused_to_a_role_answers_with_the_403_page(reference):
    client = _client("en")
    client.force_login(staff(Role.MODERATOR))
    response = client.get("/staff/tension/")
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "heading"), [("kk", "Бет табылмады"), ("ru", "Страница не найдена"),
                                               ("en", "Page not found")])
def test_404_page_is_in_the_design_and_language(lang, heading):
    response = _client(lang).get("/staff/meetings/999999/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert heading in body and 'class="topbar"' in body and "errorpage" in body


@pytest.mark.django_db
def test_400_page_is_in_the_design():
    response = _client("en").get("/", HTTP_HOST="bad host name")
    assert response.status_code == 400
    assert "Request not understood" in response.content.decode()
