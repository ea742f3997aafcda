from django.db import models
from django.utils.translation import gettext_lazy as _

from kezdesu.core.errors import Refusal


class ReportError(models.TextChoices):
    ROLE_CANNOT = "role_cannot", _("Your role cannot do this with reports.")
    NOT_YOURS = "not_yours", _("This report belongs to another body.")
    ALREADY_SUBMITTED = "already_submitted", _(
        "The report for %(period)s was already submitted on %(date)s; a submitted report cannot be submitted again.")
    QUARTER_NOT_OVER = "quarter_not_over", _(
        "The quarter %(period)s is not over yet: its report can be submitted from %(date)s.")
    NOT_OWED = "not_owed", _(
        "No report for %(period)s is owed by this body: the quarter is reported by the body in office on its "
        "deadline.")
    BAD_FORMAT = "bad_format", _("Unknown format “%(value)s” (expected docx, pdf or xlsx).")
    BAD_LANGUAGE = "bad_language", _("Unknown language “%(value)s” (expected kk or ru).")
    NO_AGREED_PLAN = "no_agreed_plan", _("There is no agreed plan for %(period)s.")
    EMPTY_PROCEDURE = "empty_procedure", _("A procedure needs a title and a text in Kazakh and in Russian.")
    NOT_RECIPIENT = "not_recipient", _("The procedure is addressed to the coordinators of central executive bodies.")
    RESULTS_SENT = "results_sent", _(
        "The results of %(period)s were already sent on %(date)s; they cannot be sent again.")
    HALF_NOT_STARTED = "half_not_started", _("The half-year %(period)s has not started yet.")
    NOT_AGREED = "not_agreed", _(
        "A briefing pack is prepared for a meeting agreed with the akimat and not yet held.")


# The kinds of refusal among these codes (kezdesu/core/responses.py answers each with its HTTP status).
REFUSALS = {
    ReportError.ROLE_CANNOT: Refusal.FORBIDDEN,
    ReportError.NOT_YOURS: Refusal.FORBIDDEN,
    ReportError.NOT_RECIPIENT: Refusal.FORBIDDEN,
    ReportError.NOT_OWED: Refusal.CONFLICT,
    ReportError.ALREADY_SUBMITTED: Refusal.CONFLICT,
    ReportError.RESULTS_SENT: Refusal.CONFLICT,
    ReportError.NO_AGREED_PLAN: Refusal.NOT_FOUND,
    ReportError.NOT_AGREED: Refusal.CONFLICT,
}
