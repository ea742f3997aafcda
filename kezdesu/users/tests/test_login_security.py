"""Staff logins: lock-out after repeated failures (and unlocking), the second factor, idle sessions."""

import time

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kezdesu.core.models import AuditEvent
from kezdesu.users.middleware import LAST_SEEN
from kezdesu.users.models import Role
from kezdesu.users.services import _new_recovery_codes
from kezdesu.users.tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # the factories' password


def login(client, username, password, ip="203.0.113.7", url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return client.get("/staff/", REMOTE_ADDR="203.0.113.7").status_code == 200


def code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


# --- Lock-out ----------------------------------------------------------------------------------------


def test_five_wrong_passwords_then_the_right_one_is_refused(client):
    user = staff(Role.AUTHORIZED_ANALYST)
    answers = [login(client, user.username, "wrong-password").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth failure locks
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    refused = login(client, user.username, PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts" in refused.content.decode()
    assert not signed_in(client)
    # From another address too: the account itself is locked.
    assert login(Client(), user.username, PASSWORD, ip="198.51.100.77").status_code == 429


def test_lockout_page_is_translated(client):
    user = staff(Role.AUTHORIZED_ANALYST)
    for _ in range(5):
        login(client, user.username, "wrong-password")
    assert "Кіру бұғатталды" in login(client, user.username, PASSWORD).content.decode()  # Kazakh first


def test_an_address_guessing_many_accounts_is_locked_out(client):
    users = [staff(Role.AUTHORIZED_ANALYST) for _ in range(6)]
    for user in users[:5]:
        login(client, user.username, "wrong-password", ip="198.51.100.9")
    assert login(client, users[5].username, PASSWORD, ip="198.51.100.9").status_code == 429
    assert login(Client(), users[5].username, PASSWORD, ip="198.51.100.10").status_code == 302


def test_admin_login_locks_out_too(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(5):
        login(client, admin.username, "wrong-password", url="/admin/login/")
    assert login(client, admin.username, PASSWORD, url="/admin/login/").status_code == 429
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_api_token_endpoint_locks_out(client):
    user = staff(Role.AUTHORIZED_ANALYST)
    url = "/api/v1/auth/token/"
    wrong = client.post(url, {"username": user.username, "password": "nope"}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "bad_credentials"
    for _ in range(4):
        client.post(url, {"username": user.username, "password": "nope"}, content_type="application/json")
    locked = client.post(url, {"username": user.username, "password": PASSWORD}, content_type="application/json")
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out" and "token" not in locked.json()


def test_unlock_with_the_management_command(client):
    user = staff(Role.AUTHORIZED_ANALYST)
    for _ in range(5):
        login(client, user.username, "wrong-password")
    assert login(client, user.username, PASSWORD).status_code == 429
    call_command("axes_reset_username", user.username)
    assert login(client, user.username, PASSWORD).status_code == 302 and signed_in(client)


def test_token_endpoint_gives_a_token_for_the_right_password(client):
    user = staff(Role.AUTHORIZED_ANALYST)
    response = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200
    listed = client.get("/api/v1/staff/meetings/", HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert listed.status_code == 200


# --- Second factor -----------------------------------------------------------------------------------


@pytest.fixture
def two_factor(settings):
    settings.STAFF_2FA_REQUIRED = True


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def test_without_a_device_staff_are_sent_to_enrolment_and_reach_no_staff_page(client, two_factor):
    user = staff(Role.AUTHORIZED_ADMIN)
    assert login(client, user.username, PASSWORD).status_code == 302
    for path in ("/staff/", "/staff/meetings/", "/staff/questions/moderation/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/setup/"), path
    api = client.get("/api/v1/staff/meetings/")
    assert api.status_code == 403 and api.json()["code"] == "otp_required"
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/accounts/2fa/setup/", {"token": "000000"}).status_code == 400
    done = client.post("/accounts/2fa/setup/", {"token": code(device), "next": "/staff/"})
    codes = done.context["codes"]
    assert done.status_code == 200 and len(codes) == 10 and all(c in done.content.decode() for c in codes)
    assert signed_in(client)
    assert AuditEvent.objects.filter(action="user.2fa_enrol", object_id=str(user.pk)).exists()
    # The codes are shown once: the setup page now only leads on.
    assert client.get("/accounts/2fa/setup/").status_code == 302


def test_a_valid_one_time_code_admits(client, two_factor):
    user = staff(Role.AUTHORIZED_ANALYST)
    device = enrolled(user)
    login(client, user.username, PASSWORD)
    assert client.get("/staff/")["Location"].startswith("/accounts/2fa/verify/")
    wrong = client.post("/accounts/2fa/verify/", {"token": "123456"})
    assert wrong.status_code == 400 and not signed_in(client)
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None  # no waiting in a test
    device.save()
    admitted = client.post("/accounts/2fa/verify/", {"token": code(device), "next": "/staff/meetings/"})
    assert admitted.status_code == 302 and admitted["Location"] == "/staff/meetings/"
    assert signed_in(client)


def test_a_recovery_code_works_once(client, two_factor):
    user = staff(Role.AUTHORIZED_ANALYST)
    enrolled(user)
    recovery = _new_recovery_codes(user)[0]
    login(client, user.username, PASSWORD)
    assert client.post("/accounts/2fa/verify/", {"token": recovery}).status_code == 302 and signed_in(client)
    assert AuditEvent.objects.filter(action="user.2fa_recovery_used").count() == 1
    again = Client()
    login(again, user.username, PASSWORD)
    assert again.post("/accounts/2fa/verify/", {"token": recovery}).status_code == 400
    assert again.get("/staff/").status_code == 302


def test_api_token_needs_the_one_time_code(client, two_factor):
    user = staff(Role.AUTHORIZED_ANALYST)
    device = enrolled(user)
    url = "/api/v1/auth/token/"
    missing = client.post(url, {"username": user.username, "password": PASSWORD}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["code"] == "otp_required"
    granted = client.post(url, {"username": user.username, "password": PASSWORD, "otp_token": code(device)},
                          content_type="application/json")
    assert granted.status_code == 200 and granted.json()["token"]
    unenrolled = staff(Role.AUTHORIZED_ANALYST)
    refused = client.post(url, {"username": unenrolled.username, "password": PASSWORD},
                          content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "otp_not_enrolled"


def test_demo_and_tests_keep_password_only_logins(client):
    user = staff(Role.AUTHORIZED_ANALYST)
    login(client, user.username, PASSWORD)
    assert signed_in(client)


def test_administrator_resets_a_lost_second_factor(client, admin_client, two_factor, settings):
    user = staff(Role.AUTHORIZED_ANALYST)
    enrolled(user)
    settings.STAFF_2FA_REQUIRED = False  # the administrator's own session
    response = admin_client.post("/admin/users/user/", {"action": "reset_second_factor",
                                                          "_selected_action": [user.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="user.2fa_reset", object_id=str(user.pk)).exists()
    settings.STAFF_2FA_REQUIRED = True
    login(client, user.username, PASSWORD)
    assert client.get("/staff/")["Location"].startswith("/accounts/2fa/setup/")


# --- Idle sessions -----------------------------------------------------------------------------------


def test_idle_session_expires(client, settings):
    settings.SESSION_IDLE_MINUTES = 30
    user = staff(Role.AUTHORIZED_ANALYST)
    login(client, user.username, PASSWORD)
    assert signed_in(client)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert signed_in(client)  # 29 minutes idle: still in, and the clock starts again
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/staff/")
    assert response.status_code == 302 and "expired=1" in response["Location"]
    assert not signed_in(client)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(response["Location"]).content.decode()
    assert "Your session ended after a period without activity" in page
