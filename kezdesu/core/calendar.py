"""Working days of Kazakhstan: public holidays from `holidays` plus days the Government moved.

`WorkingCalendar` is pure (it is handed the moved days); `working_calendar()` builds one from the
database. Every deadline of the resolution is computed through `WorkingCalendar.deadline`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

import holidays


def within(day: dt.date, start: dt.date, end: dt.date | None) -> bool:
    """`day` falls in the span from `start` to `end`, both included; no `end` means still running
    (a head in office, a body in the registry)."""
    return start <= day and (end is None or day <= end)


@cache
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("KZ", years=year).keys())


@dataclass(frozen=True)
class WorkingCalendar:
    """`moved` maps a date to True (made a working day) or False (made a day off)."""

    moved: Mapping[dt.date, bool] = field(default_factory=dict)
    move_deadlines: bool = True

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.moved:
            return self.moved[day]
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def next_working_day(self, day: dt.date) -> dt.date:
        """Return `day` itself if it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """Return the date `n` working days after `day` (before it when `n` is negative)."""
        step = dt.timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Return the number of working days in (start, end], negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for i in range(1, (end - start).days + 1) if self.is_working_day(start + dt.timedelta(i)))

    def working_days_in(self, days: Iterable[dt.date]) -> int:
        return sum(1 for d in days if self.is_working_day(d))

    def deadline(self, nominal: dt.date) -> dt.date:
        """Return the effective deadline: a nominal one on a day off moves to the next working day."""
        return self.next_working_day(nominal) if self.move_deadlines else nominal


def working_calendar() -> WorkingCalendar:
    """Return the calendar with the moved days currently recorded by staff."""
    from django.conf import settings

    from kezdesu.core.models import CalendarOverride

    moved = {
        row.date: row.kind == CalendarOverride.Kind.WORKING_DAY
        for row in CalendarOverride.objects.only("date", "kind")
    }
    return WorkingCalendar(moved=moved, move_deadlines=settings.KEZDESU["DEADLINES_MOVE_TO_WORKING_DAY"])
