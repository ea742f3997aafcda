from django.db import models
from django.utils.translation import gettext_lazy as _

from kezdesu.core.errors import Refusal


class PortalError(models.TextChoices):
    REGISTRATION_CLOSED = "registration_closed", _(
        "Registration is open only for announced meetings with seats for citizens, before they start.")
    ALREADY_REGISTERED = "already_registered", _("This contact is already registered for the meeting.")
    NAME_REQUIRED = "name_required", _("Please give your name.")
    BAD_CONTACT = "bad_contact", _("Please give a phone number (10 to 15 digits) or an e-mail address.")
    TOO_MANY = "too_many_registrations", _(
        "Too many registrations from your connection. Please try again in an hour.")
    SPAM = "spam_suspected", _("The form was not accepted. Please reload the page and try again.")
    REGISTRATION_NOT_FOUND = "registration_not_found", _("No registration has this code.")
    ALREADY_CANCELLED = "already_cancelled", _("This registration is already cancelled.")
    CANCEL_CLOSED = "cancel_closed", _("The meeting has started: the registration can no longer be cancelled.")
    BAD_EMAIL = "bad_email", _("Please give a valid e-mail address.")
    TOO_MANY_SUBSCRIPTIONS = "too_many_subscriptions", _(
        "Too many subscription requests from your connection. Please try again in an hour.")
    FOLLOW_TARGET_REQUIRED = "follow_target_required", _("Choose one meeting, region or body to follow.")
    FOLLOW_CLOSED = "follow_closed", _("Only meetings published on the portal can be followed.")
    FOLLOW_LINK_UNKNOWN = "follow_link_unknown", _(
        "This link is not valid or the subscription has already ended.")
    FOLLOW_LINK_EXPIRED = "follow_link_expired", _(
        "This confirmation link has expired. Please subscribe again to get a new one.")


# The kinds of refusal among these codes (kezdesu/core/responses.py answers each with its HTTP status).
REFUSALS = {
    PortalError.ALREADY_REGISTERED: Refusal.CONFLICT,
    PortalError.TOO_MANY: Refusal.TOO_MANY,
    PortalError.REGISTRATION_NOT_FOUND: Refusal.NOT_FOUND,
    PortalError.ALREADY_CANCELLED: Refusal.CONFLICT,
    PortalError.CANCEL_CLOSED: Refusal.CONFLICT,
    PortalError.TOO_MANY_SUBSCRIPTIONS: Refusal.TOO_MANY,
    PortalError.FOLLOW_CLOSED: Refusal.CONFLICT,
    PortalError.FOLLOW_LINK_UNKNOWN: Refusal.NOT_FOUND,
    PortalError.FOLLOW_LINK_EXPIRED: Refusal.CONFLICT,
}
