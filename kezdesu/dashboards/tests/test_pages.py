import pytest
from django.test import Client

from kezdesu.dashboards.demo import DEMO_PASSWORD, demo_accounts
from kezdesu.registry.models import Body
from kezdesu.users.models import Role, User
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_login_page_is_kazakh_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="kk">' in html
    assert "Жүйеге кіру" in html


def test_language_switch_changes_the_page(client):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="ru">' in html and "Вход" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Sign in to the back office" in client.get("/accounts/login/").content.decode()


def test_security_headers_and_csrf(reference):
    response = Client().get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403


def test_login_with_password_reaches_the_dashboard(client, reference):
    user = staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="health"))
    response = client.post("/accounts/login/", {"username": user.username, "password": "correct-horse-battery"})
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Денсаулық сақтау министрлігі" in page.content.decode()


def test_registry_page_lists_exempt_basis(client, reference):
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    html = client.get("/staff/registry/").content.decode()
    assert "Қорғаныс министрлігі" in html and "No. 12" in html


def test_demo_logins_all_work(reference):
    # The accounts alone: the demo's year of meetings and appeals is data, not what signing in needs.
    logins = demo_accounts()
    users = User.objects.filter(memberships__active=True)
    assert {u.role for u in users} == set(Role.values)
    assert sorted(x.username for x in logins) == sorted(u.username for u in users)
    for user in users:
        c = Client()
        assert c.login(username=user.username, password=DEMO_PASSWORD)
        assert c.get("/staff/", follow=True).status_code == 200  # a moderator is sent on to the queue
    assert len(demo_accounts()) == len(logins) and User.objects.count() == len(users)  # safe to run again


def test_browser_language_does_not_override_kazakh(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="kk">' in html
