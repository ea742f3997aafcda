from django.db import models
from django.utils.translation import gettext_lazy as _

from kezdesu.core.errors import Refusal


class UsersError(models.TextChoices):
    LOCKED_OUT = "locked_out", _(
        "Too many failed sign-in attempts. The account or your address is locked for a while; "
        "the administrator can unlock it sooner.")
    BAD_CREDENTIALS = "bad_credentials", _("The username or password is wrong.")
    OTP_REQUIRED = "otp_required", _(
        "A one-time code from your authenticator app (or a recovery code) is required.")
    OTP_NOT_ENROLLED = "otp_not_enrolled", _(
        "Two-factor authentication is required: set it up in the back office first.")
    BAD_OTP = "bad_otp", _("The code is wrong or has expired. Please try again.")
    ALREADY_ENROLLED = "already_enrolled", _("Two-factor authentication is already set up for this account.")
    SESSION_EXPIRED = "session_expired", _("Your session ended after a period without activity. Please sign in again.")


# The kinds of refusal among these codes (kezdesu/core/responses.py answers each with its HTTP status).
REFUSALS = {
    UsersError.LOCKED_OUT: Refusal.TOO_MANY,
    UsersError.OTP_NOT_ENROLLED: Refusal.FORBIDDEN,
    UsersError.ALREADY_ENROLLED: Refusal.CONFLICT,
}
