"""What people read for each status the compliance rules return (compliance/rules.py), written once."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The quarterly quota of a body (clause 1.1): `QuarterStatus.status`.
QUOTA_LABELS = {
    "exempt": _("exempt"), "met": _("met"), "planned": _("planned"), "pending": _("no meeting yet"),
    "at_risk": _("at risk"), "missed": _("missed"), "not_applicable": _("not applicable"),
    "not_owed": _("not owed"),
}
# A deadline (clauses 1.4, 3.1, 3.3): `QuarterStatus.report_status` and the half-year items.
DEADLINE_LABELS = {
    "not_due": _("not due"), "due": _("due"), "on_time": _("on time"), "late": _("late"), "missing": _("missing"),
    "exempt": _("exempt"), "not_owed": _("not owed"), "not_applicable": _("not applicable"),
}
STATUS_LABELS = {**QUOTA_LABELS, **DEADLINE_LABELS}
