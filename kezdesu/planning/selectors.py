"""Reads of half-year plans."""

from __future__ import annotations

from kezdesu.planning.models import Plan

# The statuses whose plan can be printed as the annex of the Government decree, most advanced first.
ANNEX_STATUSES = (Plan.Status.APPROVED, Plan.Status.SUBMITTED, Plan.Status.AGREED)


def annex_plan(year: int, half: int) -> Plan | None:
    """The plan of the half-year that its decree annex prints: the latest version in the most advanced agreed
    status (approved, then submitted, then agreed), or None while no version is agreed by the bodies."""
    plans = Plan.objects.filter(year=year, half=half)
    for status in ANNEX_STATUSES:
        plan = plans.filter(status=status).order_by("-version", "-pk").first()
        if plan is not None:
            return plan
    return None
