"""Reads for clause 1.3: weekly appeal series per region × sector, and what each user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import Min, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from kezdesu.registry.map import region_map as draw
from kezdesu.registry.models import Region
from kezdesu.tension.detectors import LEVEL_RANK, ContentCounts, WeeklySeries
from kezdesu.tension.detectors.farrington import farrington_backtest
from kezdesu.tension.models import Appeal, TensionAlert, WeeklyCount, WeeklyKeywordCount

HISTORY_WEEKS = 52 * 5 + 30  # five years back for Farrington's baseline, plus the excluded half-year


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def last_complete_week(as_of: dt.date) -> dt.date:
    """The Monday of the last full week before `as_of` (the week being assessed)."""
    return monday(as_of) - dt.timedelta(days=7)


USUAL_WEEKS = 52  # the weeks before the assessed one that give a cell its usual rate of each wording


@dataclass(frozen=True)
class ScanInput:
    """What the scan assesses: the series, each cell's counts of the assessed week and of the weeks before."""

    series: list[WeeklySeries]
    content: dict[str, ContentCounts]
    usual: dict[str, ContentCounts]
    week: dt.date


def weekly_series(*, as_of: dt.date, region_id: int | None = None, sector_id: int | None = None) -> ScanInput:
    """Weekly counts of every region × sector cell with appeals, up to the last complete week, read from
    the weekly counts the import keeps (never from the appeals themselves).

    Returns the series (key "region_id:sector_id", population of the region as the offset), each key's
    counts of the assessed week and of up to USUAL_WEEKS weeks before it (for the escalation signal), and
    the assessed week's Monday.
    """
    week = last_complete_week(as_of)
    cell = {}
    if region_id is not None:
        cell["region_id"] = region_id
    if sector_id is not None:
        cell["sector_id"] = sector_id
    qs = WeeklyCount.objects.filter(week_start__lte=week, week_start__gt=week - dt.timedelta(weeks=HISTORY_WEEKS),
                                    appeals__gt=0, **cell)
    first = qs.aggregate(first=Min("week_start"))["first"]
    if first is None:
        return ScanInput([], {}, {}, week)
    n_weeks = (week - first).days // 7 + 1
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * n_weeks)
    for r, s, w, n in qs.values_list("region_id", "sector_id", "week_start").annotate(n=Sum("appeals")) \
            .order_by():
        counts[(r, s)][(w - first).days // 7] = n
    population = dict(Region.objects.values_list("pk", "population"))
    series = [WeeklySeries(key=f"{r}:{s}", start=first, counts=tuple(c),
                           population=tuple(float(population[r]) for _ in range(n_weeks)))
              for (r, s), c in sorted(counts.items())]
    since = max(first, week - dt.timedelta(weeks=USUAL_WEEKS))
    content = _content(qs.filter(week_start=week), WeeklyKeywordCount.objects.filter(week_start=week, **cell), 1)
    usual = _content(qs.filter(week_start__gte=since, week_start__lt=week),
                     WeeklyKeywordCount.objects.filter(week_start__gte=since, week_start__lt=week, **cell),
                     (week - since).days // 7)
    return ScanInput(series, content, usual, week)


def _content(counts, keywords, weeks: int) -> dict[str, ContentCounts]:
    """Sums the counts (and the wording counts) of a span of `weeks` weeks per cell."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r, s, kind, n, collective in counts.values_list("region_id", "sector_id", "kind") \
            .annotate(n=Sum("appeals"), c=Sum("collective")).order_by():
        total = totals[f"{r}:{s}"]
        total[0] += n
        total[1] += n if kind == Appeal.Kind.COMPLAINT else 0
        total[2] += collective
    hits: dict[str, dict[str, int]] = defaultdict(dict)
    for r, s, category, n in keywords.values_list("region_id", "sector_id", "category") \
            .annotate(n=Sum("appeals")).order_by():
        hits[f"{r}:{s}"][category] = n
    return {key: ContentCounts(appeals=a, complaints=c, collective=k, hits=hits.get(key, {}), weeks=weeks)
            for key, (a, c, k) in totals.items()}


@dataclass(frozen=True)
class CellHistory:
    """The last weeks of one cell as the detector judged each of them at the time (a backtest): counts,
    expectation, threshold and alarm per week, None where the detector did not apply or, as in R, where
    too few appeals arrived for an alarm."""

    start: dt.date
    counts: list[int]
    expected: list[float | None]
    upper: list[float | None]
    alarms: list[bool]


def cell_history(*, region_id: int, sector_id: int, week: dt.date, weeks: int = 52,
                 alpha: float = 0.01) -> CellHistory | None:
    """Backtest the cell's last `weeks` weeks up to `week` from the weekly counts, with the options of the
    scan (calendar reference weeks, population offset). Returns None when the cell has no appeals."""
    rows = dict(WeeklyCount.objects.filter(region_id=region_id, sector_id=sector_id, week_start__lte=week,
                                           week_start__gt=week - dt.timedelta(weeks=HISTORY_WEEKS))
                .values_list("week_start").annotate(n=Sum("appeals")).order_by())
    if not rows:
        return None
    first = min(rows)
    n_weeks = (week - first).days // 7 + 1
    counts = np.zeros(n_weeks)
    for day, n in rows.items():
        counts[(day - first).days // 7] = n
    population = float(Region.objects.values_list("population", flat=True).get(pk=region_id))
    shown = min(weeks, n_weeks)
    bt = farrington_backtest(counts[None, :], shown, alpha=alpha, start=first,
                             population=np.full((1, n_weeks), population))

    def listed(values: np.ndarray) -> list[float | None]:
        return [None if np.isnan(v) else round(float(v), 3) for v in values]

    return CellHistory(start=first + dt.timedelta(weeks=bt.first_t), counts=[int(c) for c in counts[bt.first_t:]],
                       expected=listed(bt.expected[0]), upper=listed(bt.upper[0]),
                       alarms=[bool(a) for a in bt.alarm[0]])


def alert_appeals(alert: TensionAlert) -> QuerySet[Appeal]:
    """The appeals behind `alert`: its region × sector over the weeks its chart shows, newest first.

    Appeals hold no personal data; whether their text is shown is the page's decision by role.
    """
    series_start = (alert.evidence.get("series") or {}).get("start")
    first_week = dt.date.fromisoformat(series_start) if series_start else alert.week_start
    return (Appeal.objects.filter(region_id=alert.region_id, sector_id=alert.sector_id,
                                  week_start__gte=first_week, week_start__lte=alert.week_start)
            .select_related("recipient_body").order_by("-received_on", "-pk"))


LEVEL_SIGNS = {"mandatory": "!!!", "warning": "!!", "watch": "!"}


def alert_region_map(*, alerts, regions):
    """The tension page's map: each region's highest current alert level, the tile a link to that alert."""
    top = {}
    for alert in alerts:
        best = top.get(alert.region_id)
        if best is None or (LEVEL_RANK[alert.level], alert.score) > (LEVEL_RANK[best.level], best.score):
            top[alert.region_id] = alert

    def value(region):
        alert = top.get(region.pk)
        if alert is None:
            return "·", 0, _("%(region)s: no open alert") % {"region": region.name}, str(_("no open alert"))
        level = str(alert.get_level_display())
        return (LEVEL_SIGNS[alert.level], LEVEL_RANK[alert.level] + (1 if alert.level == "mandatory" else 0),
                _("%(region)s: %(level)s") % {"region": region.name, "level": level}, level)

    return draw(regions=regions, title=_("Highest alert level by region"), value=value,
                url=lambda r: reverse("tension:alert", args=[top[r.pk].pk]) if r.pk in top else "",
                value_heading=_("Highest alert level"),
                legend=[(0, _("no open alert")), (1, "! " + _("watch")), (2, "!! " + _("warning")),
                        (4, "!!! " + _("unscheduled meeting required"))])
