"""The second factor's code pages come back with the code typed and the message beside its box, in kk, ru and
en (0104); a wrong code admits nobody."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from kezdesu.core.testing.forms import LANGUAGES, assert_refused, said, signed_in
from kezdesu.users.errors import UsersError
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_factor(settings):
    settings.STAFF_2FA_REQUIRED = True


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_wrong_code_at_sign_in_is_said_beside_the_box(lang):
    user = staff(Role.AUTHORIZED_ANALYST)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client = signed_in(user, lang)
    response = client.post("/accounts/2fa/verify/", {"token": "120 000"})
    assert_refused(response, typed=['value="120 000"'], message=said(lang, UsersError.BAD_OTP.label))
    assert client.get("/staff/")["Location"].startswith("/accounts/2fa/verify/")  # still not admitted


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_wrong_first_code_at_enrolment_leaves_the_device_unconfirmed(lang):
    user = staff(Role.AUTHORIZED_ADMIN)
    client = signed_in(user, lang)
    assert client.get("/accounts/2fa/setup/").status_code == 200
    response = client.post("/accounts/2fa/setup/", {"token": "000000"})
    assert_refused(response, typed=['value="000000"'], message=said(lang, UsersError.BAD_OTP.label))
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
