"""Reads for clause 1.3: weekly appeal series per region × sector, and what each user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from kezdesu.registry.map import region_map as draw
from kezdesu.registry.models import Region
from kezdesu.tension.detectors import AppealFact, WeeklySeries
from kezdesu.tension.models import Appeal

HISTORY_WEEKS = 52 * 5 + 30  # five years back for Farrington's baseline, plus the excluded half-year


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def last_complete_week(as_of: dt.date) -> dt.date:
    """The Monday of the last full week before `as_of` (the week being assessed)."""
    return monday(as_of) - dt.timedelta(days=7)


def weekly_series(*, as_of: dt.date, region_id: int | None = None, sector_id: int | None = None
                  ) -> tuple[list[WeeklySeries], dict[str, list[AppealFact]], dt.date]:
    """Weekly counts of every region × sector cell with appeals, up to the last complete week.

    Returns the series (key "region_id:sector_id", population of the region as the offset), the
    assessed week's appeals per key for the escalation signal, and that week's Monday.
    """
    week = last_complete_week(as_of)
    qs = Appeal.objects.filter(week_start__lte=week, week_start__gt=week - dt.timedelta(weeks=HISTORY_WEEKS))
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    if sector_id is not None:
        qs = qs.filter(sector_id=sector_id)
    first = qs.aggregate(first=Min("week_start"))["first"]
    if first is None:
        return [], {}, week
    n_weeks = (week - first).days // 7 + 1
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * n_weeks)
    for r, s, w, n in qs.values_list("region_id", "sector_id", "week_start").annotate(n=Count("id")):
        counts[(r, s)][(w - first).days // 7] = n
    population = dict(Region.objects.values_list("pk", "population"))
    series = [WeeklySeries(key=f"{r}:{s}", start=first, counts=tuple(c),
                           population=tuple(float(population[r]) for _ in range(n_weeks)))
              for (r, s), c in sorted(counts.items())]
    facts: dict[str, list[AppealFact]] = defaultdict(list)
    for r, s, kind, signatories, text, lang in qs.filter(week_start=week).values_list(
            "region_id", "sector_id", "kind", "signatories", "text", "language"):
        facts[f"{r}:{s}"].append(AppealFact(kind=kind, signatories=signatories, text=text or None, lang=lang or None))
    return series, dict(facts), week


LEVEL_ORDER = {"mandatory": 3, "warning": 2, "watch": 1}
LEVEL_SIGNS = {"mandatory": "!!!", "warning": "!!", "watch": "!"}


def alert_region_map(*, alerts, regions):
    """The tension page's map: each region's highest current alert level, the tile a link to that alert."""
    top = {}
    for alert in alerts:
        best = top.get(alert.region_id)
        if best is None or (LEVEL_ORDER[alert.level], alert.score) > (LEVEL_ORDER[best.level], best.score):
            top[alert.region_id] = alert

    def value(region):
        alert = top.get(region.pk)
        if alert is None:
            return "·", 0, _("%(region)s: no open alert") % {"region": region.name}, str(_("no open alert"))
        level = str(alert.get_level_display())
        return (LEVEL_SIGNS[alert.level], LEVEL_ORDER[alert.level] + (1 if alert.level == "mandatory" else 0),
                _("%(region)s: %(level)s") % {"region": region.name, "level": level}, level)

    return draw(regions=regions, title=_("Highest alert level by region"), value=value,
                url=lambda r: reverse("tension:alert", args=[top[r.pk].pk]) if r.pk in top else "",
                value_heading=_("Highest alert level"),
                legend=[(0, _("no open alert")), (1, "! " + _("watch")), (2, "!! " + _("warning")),
                        (4, "!!! " + _("unscheduled meeting required"))])
