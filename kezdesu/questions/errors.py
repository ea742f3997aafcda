from django.db import models
from django.utils.translation import gettext_lazy as _

from kezdesu.core.errors import Refusal


class QuestionError(models.TextChoices):
    NOT_YOURS = "not_yours", _("This question is outside your organisation's scope.")
    ILLEGAL_TRANSITION = "illegal_transition", _("A question cannot move from “%(source)s” to “%(target)s”.")
    REASON_REQUIRED = "reason_required", _("Please give a reason for rejecting the question.")
    EMPTY_ANSWER = "empty_answer", _("The answer is empty.")
    MEETING_NOT_HELD = "meeting_not_held", _("Questions raised at a meeting can be recorded once it is held.")
    ROLE_CANNOT = "role_cannot", _("Your role cannot do this with questions.")
    MEETING_NOT_OPEN = "meeting_not_open", _(
        "Questions can be sent in advance only to an announced meeting that has not started yet.")
    TEXT_LENGTH = "text_length", _("Please write your question in %(min)s to %(max)s characters.")
    BAD_CONTACT = "bad_contact", _("Please give a phone number (10 to 15 digits) or an e-mail address.")
    TOO_MANY = "too_many_questions", _(
        "You have sent too many questions in the last hour. Please try again later.")
    SPAM = "spam_suspected", _("The form was not accepted. Please reload the page and try again.")
    REFERRAL_BODY_REQUIRED = "referral_body_required", _("Choose the body the question is referred to.")
    REFERRAL_TO_ITSELF = "referral_to_itself", _("A question cannot be referred to the body that answers it.")
    BAD_ANSWER_MODE = "bad_answer_mode", _("Choose how the question was answered.")
    BAD_EMAIL = "bad_email", _("Please give a valid e-mail address.")
    NOT_SUPPORTABLE = "not_supportable", _(
        "Only published questions of an announced meeting that has not started yet can be supported.")
    TOO_MANY_SUPPORTS = "too_many_supports", _(
        "Too many supports from your connection. Please try again in an hour.")
    SUPPORT_LINK_UNKNOWN = "support_link_unknown", _("This confirmation link is not valid. Check that it was "
                                                      "copied in full.")
    SUPPORT_LINK_EXPIRED = "support_link_expired", _("This confirmation link has expired. Please support the "
                                                      "question again to get a new one.")
    SUPPORT_LINK_USED = "support_link_used", _("This confirmation link has already been used.")
    ALREADY_SUPPORTED = "already_supported", _(
        "You have already supported this question. Thank you: each address counts once.")


# The kinds of refusal among these codes (kezdesu/core/responses.py answers each with its HTTP status).
REFUSALS = {
    QuestionError.NOT_YOURS: Refusal.FORBIDDEN,
    QuestionError.ROLE_CANNOT: Refusal.FORBIDDEN,
    QuestionError.TOO_MANY: Refusal.TOO_MANY,
    QuestionError.NOT_SUPPORTABLE: Refusal.CONFLICT,
    QuestionError.TOO_MANY_SUPPORTS: Refusal.TOO_MANY,
    QuestionError.SUPPORT_LINK_UNKNOWN: Refusal.NOT_FOUND,
    QuestionError.SUPPORT_LINK_EXPIRED: Refusal.CONFLICT,
    QuestionError.SUPPORT_LINK_USED: Refusal.CONFLICT,
    QuestionError.ALREADY_SUPPORTED: Refusal.CONFLICT,
}
