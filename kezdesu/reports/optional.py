"""Tension alerts (clause 1.3) and half-year plans (clause 3.1) live in their own apps. Reports look their
models up lazily through the app registry and carry on without them (the sections say so), so this
app neither imports them at load time nor breaks if one is switched off.

Fields used: `tension.TensionAlert` (region, sector, peak_level, opened_on), `tension.Obligation`
(alert, body, deadline, status, meeting); `planning.Plan` (year, half, version, status, decree_number,
decree_date) and its `items` (body, region, week_start).
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import models

# The most advanced plan of a half-year is the one to print.
AGREED_PLAN_STATUSES = ("approved", "submitted", "agreed")


def optional_model(app_label: str, model_name: str) -> type[models.Model] | None:
    """Returns the model if its app is installed and defines it, else None."""
    if not apps.is_installed(f"kezdesu.{app_label}"):
        return None
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def alert_model() -> type[models.Model] | None:
    return optional_model("tension", "TensionAlert")


def obligation_model() -> type[models.Model] | None:
    return optional_model("tension", "Obligation")


def plan_model() -> type[models.Model] | None:
    return optional_model("planning", "Plan")


def find_plan(plan_cls: type[models.Model], *, year: int, half: int) -> models.Model | None:
    """Returns the latest version of the half-year's plan in its most advanced agreed status, or None."""
    plans = plan_cls.objects.filter(year=year, half=half)
    for status in AGREED_PLAN_STATUSES:
        plan = plans.filter(status=status).order_by("-version", "-pk").first()
        if plan is not None:
            return plan
    return None


def plan_items(plan: models.Model) -> list[tuple[models.Model, models.Model, dt.date]]:
    """Returns (body, region, Monday of the week) of every item of `plan`."""
    return [(item.body, item.region, item.week_start) for item in plan.items.select_related("body", "region")]
