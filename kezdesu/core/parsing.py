"""Parsing what people type into addresses and forms: years, periods, whole numbers.

Anything out of range is refused here, at the edge, with a translated message (a 400 page or an API error),
instead of reaching a date constructor or a database column and failing there as a server error.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# The years the system plans and reports on; the resolution is from 2024.
MIN_YEAR, MAX_YEAR = 2000, 2100
# The largest value of a 32-bit integer column (PostgreSQL `integer`), the narrowest the project uses.
MAX_INT = 2**31 - 1


def year_in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def parse_year(raw: str | None, *, default: int) -> int:
    """Return the year in `raw`, or `default` when it is empty.

    Raises BadRequest (400) with a translated message when it is not a year between MIN_YEAR and MAX_YEAR.
    """
    if raw is None or not str(raw).strip():
        return default
    try:
        year = int(str(raw).strip())
    except ValueError:
        year = None
    if year is None or not year_in_range(year):
        raise BadRequest(_("The year must be a number from %(min)s to %(max)s.") % {"min": MIN_YEAR,
                                                                                    "max": MAX_YEAR})
    return year


def parse_int(raw: str | None, *, minimum: int = 0, maximum: int = MAX_INT) -> int:
    """Return the whole number in `raw`. Raises BadRequest (400) with a translated message otherwise."""
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:
        raise BadRequest(_("A number sent with the form is not valid: it must be a whole number from %(min)s to "
                           "%(max)s. Reload the page and try again.") % {"min": minimum, "max": maximum})
    return value
