"""Clauses 3.1 and 3.3 as of a day: the draft schedule and the results of each half-year, with their
deadlines and statuses (`rules.half_year_item`). The plans and the results sent are read through the
app registry, so this module imports neither planning nor reports (they build on compliance)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kezdesu.compliance.labels import DEADLINE_LABELS
from kezdesu.compliance.rules import HalfYearItem, half_year_item
from kezdesu.core.calendar import working_calendar

ITEMS = ("schedule", "results")
ITEM_LABELS = {
    "schedule": _("Draft schedule to the Government (clause 3.1)"),
    "results": _("Results to the Office of the Government (clause 3.3)"),
}
READING_LABELS = {
    True: _("“Before 15 June/December” is read as: the 15th still counts."),
    False: _("“Before 15 June/December” is read as: the 14th is the last day."),
}


def _local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def halves_until(today: dt.date) -> list[tuple[int, int]]:
    """Half-years from the one the act came into force in to the next one after `today`, oldest first."""
    first = settings.KEZDESU["RESOLUTION_IN_FORCE"]
    year, half = first.year, 1 if first.month <= 6 else 2
    last = (today.year + 1, 1) if today.month > 6 else (today.year, 2)
    out = []
    while (year, half) <= last:
        out.append((year, half))
        year, half = (year + 1, 1) if half == 2 else (year, 2)
    return out


def _schedule_sent(halves: set[tuple[int, int]]) -> dict[tuple[int, int], dt.date]:
    """The day the first version of each half-year's plan was submitted to the Government."""
    if not apps.is_installed("kezdesu.planning"):
        return {}
    plan = apps.get_model("planning", "Plan")
    out: dict[tuple[int, int], dt.date] = {}
    for year, half, at in (plan.objects.filter(submitted_at__isnull=False).order_by("submitted_at")
                           .values_list("year", "half", "submitted_at")):
        if (year, half) in halves:
            out.setdefault((year, half), _local_day(at))
    return out


def _results_sent(halves: set[tuple[int, int]]) -> dict[tuple[int, int], dt.date]:
    if not apps.is_installed("kezdesu.reports"):
        return {}
    submission = apps.get_model("reports", "HalfYearSubmission")
    rows = submission.objects.filter(status="submitted").values_list("year", "half", "submitted_at")
    return {(y, h): _local_day(at) for y, h, at in rows if (y, h) in halves}


def half_year_items(*, today: dt.date, halves: Iterable[tuple[int, int]] | None = None) -> list[HalfYearItem]:
    """The schedule and results items of `halves` (default: every half-year since entry into force up to
    the next one), as of `today`, ordered by half-year then item."""
    halves = list(halves) if halves is not None else halves_until(today)
    wanted = set(halves)
    done = {"schedule": _schedule_sent(wanted), "results": _results_sent(wanted)}
    calendar = working_calendar()
    in_force = settings.KEZDESU["RESOLUTION_IN_FORCE"]
    inclusive = settings.KEZDESU["HALF_YEAR_DEADLINE_INCLUSIVE"]
    return [half_year_item(year=y, half=h, item=item, today=today, done_on=done[item].get((y, h)), calendar=calendar,
                           in_force=in_force, inclusive=inclusive)
            for y, h in halves for item in ITEMS]


def item_as_dict(item: HalfYearItem) -> dict:
    return {"half_year": f"{item.year}-H{item.half}", "item": item.item, "owed": item.owed,
            "nominal_deadline": item.nominal_deadline.isoformat(),
            "deadline": item.deadline.isoformat() if item.deadline else None, "status": item.status,
            "done_on": item.done_on.isoformat() if item.done_on else None,
            "reading": "15th_inclusive" if item.inclusive else "15th_exclusive"}


@dataclass(frozen=True)
class ItemRow:
    """One half-year item ready for a page: the verdict with its labels."""

    item: HalfYearItem
    period: str
    what: str
    label: str


def item_rows(items: Iterable[HalfYearItem]) -> list[ItemRow]:
    return [ItemRow(i, f"{i.year}-H{i.half}", str(ITEM_LABELS[i.item]), str(DEADLINE_LABELS[i.status])) for i in items]


def reading_label() -> str:
    return str(READING_LABELS[bool(settings.KEZDESU["HALF_YEAR_DEADLINE_INCLUSIVE"])])


def recent_items(*, today: dt.date) -> list[HalfYearItem]:
    """What pages show: the previous, current and next half-year's items."""
    return half_year_items(today=today)[-6:]


def half_year_context(today: dt.date) -> dict:
    """Template context for `includes/half_year_items.html`."""
    return {"half_year_rows": item_rows(recent_items(today=today)), "half_year_reading": reading_label()}
