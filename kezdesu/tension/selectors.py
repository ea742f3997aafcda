"""Reads for clause 1.3: weekly appeal series per region × sector, and what each user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Min, QuerySet

from kezdesu.registry.models import Region
from kezdesu.tension.detectors import AppealFact, WeeklySeries
from kezdesu.tension.models import Appeal, TensionAlert

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


def alert_appeals(alert: TensionAlert) -> QuerySet[Appeal]:
    """The appeals behind `alert`: its region × sector over the weeks its chart shows, newest first.

    Appeals hold no personal data; whether their text is shown is the page's decision by role.
    """
    series_start = (alert.evidence.get("series") or {}).get("start")
    first_week = dt.date.fromisoformat(series_start) if series_start else alert.week_start
    return (Appeal.objects.filter(region_id=alert.region_id, sector_id=alert.sector_id,
                                  week_start__gte=first_week, week_start__lte=alert.week_start)
            .select_related("recipient_body").order_by("-received_on", "-pk"))
