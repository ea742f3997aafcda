import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kezdesu.core.calendar import WorkingCalendar, working_calendar
from kezdesu.core.models import CalendarOverride

D = dt.date
CAL = WorkingCalendar()


@pytest.mark.parametrize(("day", "working"), [
    (D(2024, 1, 1), False),    # New Year
    (D(2024, 1, 3), True),
    (D(2024, 3, 8), False),    # International Women's Day (Friday)
    (D(2024, 3, 25), False),   # Nauryz moved from Saturday 23 March
    (D(2024, 5, 8), False),    # day off moved from Saturday 4 May
    (D(2024, 7, 8), False),    # Capital Day moved from Saturday 6 July
    (D(2024, 12, 16), False),  # Independence Day
    (D(2025, 1, 3), False),    # day off moved from Sunday 5 January
    (D(2025, 9, 1), False),    # Constitution Day moved from Saturday 30 August
    (D(2026, 3, 24), False),
    (D(2026, 10, 26), False),  # Republic Day moved from Sunday 25 October
    (D(2026, 10, 27), True),
    (D(2027, 1, 4), False),
    (D(2027, 6, 15), True),
    (D(2026, 11, 28), False),  # Saturday
])
def test_kazakhstan_working_days(day, working):
    assert CAL.is_working_day(day) is working


def test_moved_working_saturday_counts_when_recorded():
    assert CAL.is_working_day(D(2024, 5, 4)) is False
    cal = WorkingCalendar(moved={D(2024, 5, 4): True})
    assert cal.is_working_day(D(2024, 5, 4)) is True


@pytest.mark.parametrize(("nominal", "effective"), [
    (D(2024, 4, 10), D(2024, 4, 10)),    # Wednesday: stays
    (D(2024, 8, 10), D(2024, 8, 12)),    # Saturday → Monday
    (D(2025, 1, 10), D(2025, 1, 10)),
    (D(2026, 1, 10), D(2026, 1, 12)),    # Saturday → Monday (Q4 2025 report)
    (D(2026, 10, 10), D(2026, 10, 12)),  # Saturday → Monday (Q3 2026 report)
    (D(2027, 1, 10), D(2027, 1, 11)),    # Sunday → Monday
    (D(2024, 12, 15), D(2024, 12, 17)),  # Sunday, then Independence Day on Monday → Tuesday
    (D(2027, 5, 9), D(2027, 5, 11)),     # Victory Day Sunday, moved day off Monday → Tuesday
])
def test_deadline_moves_to_next_working_day(nominal, effective):
    assert CAL.deadline(nominal) == effective


def test_deadline_can_be_kept_nominal():
    assert WorkingCalendar(move_deadlines=False).deadline(D(2026, 10, 10)) == D(2026, 10, 10)


def test_add_working_days_skips_holidays_and_weekends():
    assert CAL.add_working_days(D(2024, 3, 20), 1) == D(2024, 3, 26)  # over Nauryz
    assert CAL.add_working_days(D(2026, 11, 20), 3) == D(2026, 11, 25)
    assert CAL.add_working_days(D(2026, 11, 25), -3) == D(2026, 11, 20)
    assert CAL.add_working_days(D(2026, 11, 25), 0) == D(2026, 11, 25)


@given(st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 20)), st.integers(min_value=0, max_value=40))
def test_add_working_days_lands_on_working_day_and_counts_back(day, n):
    result = CAL.add_working_days(day, n)
    assert CAL.working_days_between(day, result) == n
    if n:
        assert CAL.is_working_day(result)


@pytest.mark.django_db
def test_calendar_reads_moved_days_from_the_table(reference):
    cal = working_calendar()
    assert cal.is_working_day(D(2024, 5, 4)) is True   # worked Saturday recorded by load_reference
    CalendarOverride.objects.create(date=D(2026, 12, 31), kind=CalendarOverride.Kind.DAY_OFF,
                                    name_kk="Демалыс", name_ru="Выходной", name_en="Day off")
    assert working_calendar().is_working_day(D(2026, 12, 31)) is False
