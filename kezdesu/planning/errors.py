from django.db import models
from django.utils.translation import gettext_lazy as _

from kezdesu.core.errors import Refusal


class PlanError(models.TextChoices):
    NOT_ALLOWED = "not_allowed", _("Your role cannot do this with the plan.")
    ILLEGAL_TRANSITION = "illegal_transition", _("The plan cannot move from “%(source)s” to “%(target)s”.")
    NOT_ALL_AGREED = "not_all_agreed", _("Every body must agree the plan before it is submitted.")
    DECREE_REQUIRED = "decree_required", _("Give the decree number and date.")
    EDIT_BREAKS_RULES = "edit_breaks_rules", _("This change breaks the plan's rules: %(why)s")
    BAD_HALF = "bad_half", _("A half-year is written like 2027-H1 or 2027-H2.")
    NO_AGREEMENT = "no_agreement", _(
        "This plan does not ask your body for agreement: it has no item of your body yet.")
    AGREEMENT_CLOSED = "agreement_closed", _(
        "The plan is “%(state)s”: the bodies' agreement can no longer change.")


# The kinds of refusal among these codes (kezdesu/core/responses.py answers each with its HTTP status).
REFUSALS = {
    PlanError.NOT_ALLOWED: Refusal.FORBIDDEN,
    PlanError.AGREEMENT_CLOSED: Refusal.CONFLICT,
}
