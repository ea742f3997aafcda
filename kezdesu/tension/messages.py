"""The tension engine's reasons in words, in the reader's language.

The engine (`kezdesu.tension.detectors`) returns `Reason(code, params)` and words nothing; this module
holds one translatable sentence per code and words a reason, fresh from the engine or stored with an
alert's evidence as {"code": …, "params": …}. Evidence stored before the codes existed holds English
text, which is shown as it is.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from kezdesu.tension.detectors import Reason

MESSAGES: Mapping[str, str] = {
    "primary_alarm": _("Alarm of the %(detector)s detector: more appeals than its threshold."),
    "very_high": _("Very high exceedance: the count is at least three times as far above the expectation "
                   "as the threshold."),
    "secondary_alarm": _("A secondary statistical alarm (CUSUM or EARS)."),
    "escalation": _("Escalation in the appeals' content: %(strength)s."),
}

STRENGTHS: Mapping[str, str] = {"weak": _("weak"), "strong": _("strong")}


def reason_text(reason: Reason | Mapping | str) -> str:
    """Returns the reason worded in the active language. Raises KeyError for an unknown code."""
    if isinstance(reason, str):
        return reason
    if not isinstance(reason, Reason):
        reason = Reason(reason["code"], reason.get("params", {}))
    params = dict(reason.params)
    if "strength" in params:
        params["strength"] = str(STRENGTHS.get(params["strength"], params["strength"]))
    return str(MESSAGES[reason.code]) % params
