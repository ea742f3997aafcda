from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionError(models.TextChoices):
    NOT_YOURS = "not_yours", _("This question is outside your organisation's scope.")
    ILLEGAL_TRANSITION = "illegal_transition", _("A question cannot move from “%(source)s” to “%(target)s”.")
    REASON_REQUIRED = "reason_required", _("Please give a reason for rejecting the question.")
    EMPTY_ANSWER = "empty_answer", _("The answer is empty.")
    MEETING_NOT_HELD = "meeting_not_held", _("Questions raised at a meeting can be recorded once it is held.")
    ROLE_CANNOT = "role_cannot", _("Your role cannot do this with questions.")
