"""The open readings of the resolution, described for the pages, documents and `compliance --json`
that show each next to the figures it affects."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kezdesu.compliance.rules import Readings


@dataclass(frozen=True)
class ReadingRow:
    key: str             # the setting in config/env.py
    value: bool | int
    affects: str         # the figure it changes: "quarterly_quota" or "quarters_owed"
    decision: str        # the note that explains the default
    label: str           # what the reading is, for people
    current: str         # what it says now, for people


def reading_rows(readings: Readings) -> list[ReadingRow]:
    """Every open reading with its current value, in the order the pages show them."""
    yes, no = _("yes"), _("no")
    days = readings.min_days_in_office
    return [
        ReadingRow("ACTING_HEAD_COUNTS", readings.acting_counts, "quarterly_quota",
                   "docs/decisions/0013-acting-head-counts.md",
                   str(_("A meeting held by an acting first head counts toward the quota")),
                   str(yes if readings.acting_counts else no)),
        ReadingRow("ONLINE_MEETINGS_COUNT", readings.online_counts, "quarterly_quota",
                   "docs/decisions/0014-online-only-meetings.md",
                   str(_("A meeting held online only counts toward the quota")),
                   str(yes if readings.online_counts else no)),
        ReadingRow("UNSCHEDULED_COUNT_FOR_QUARTER", readings.unscheduled_counts, "quarterly_quota",
                   "docs/decisions/0015-unscheduled-meetings-count.md",
                   str(_("An unscheduled meeting (clause 1.3) also counts toward the quarterly quota")),
                   str(yes if readings.unscheduled_counts else no)),
        ReadingRow("QUARTER_MIN_DAYS_IN_OFFICE", days, "quarters_owed",
                   "docs/decisions/0016-bodies-created-or-abolished-mid-quarter.md",
                   str(_("A body created or abolished during a quarter owes that quarter")),
                   str(_("if in office on the quarter's last day")) if days <= 0
                   else str(_("if in office at least %(days)s days of the quarter") % {"days": days})),
    ]
