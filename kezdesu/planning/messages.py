"""The planning engine's reasons in words, in the reader's language.

The engine (`kezdesu.planning.solver`) returns `Reason(code, params)` and words nothing; this module
holds one translatable sentence per code, with the params as named placeholders, and words a reason
(fresh from the engine or stored with a plan as {"code": …, "params": …}) in the active language.
"""

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kezdesu.planning.solver.reasons import Code, Reason
from kezdesu.tension.models import TensionAlert

MESSAGES: Mapping[Code, str] = {
    Code.DUPLICATE_BODY: _("Duplicate body %(body)s (%(times)s times)."),
    Code.DUPLICATE_REGION: _("Duplicate region %(region)s (%(times)s times)."),
    Code.DUPLICATE_WEEK: _("Duplicate week index %(week)s (%(times)s times)."),
    Code.BAD_QUARTER: _("Week %(week)s: the quarter must be 1 or more, not %(quarter)s."),
    Code.BAD_WORKING_DAYS: _("Week %(week)s: working days must be between 0 and 7, not %(days)s."),
    Code.NEGATIVE_BOUNDS: _("%(body)s: the minimum and maximum number of meetings must not be negative."),
    Code.SCORE_UNKNOWN_PAIR: _("Score given for an unknown pair (%(body)s, %(region)s)."),
    Code.BAD_SCORE: _("The score of (%(body)s, %(region)s) must be a non-negative integer, not %(value)s."),
    Code.CAPACITY_UNKNOWN_REGION: _("Capacity given for an unknown region %(region)s."),
    Code.NEGATIVE_CAPACITY: _("The capacity of region %(region)s must not be negative, not %(capacity)s."),
    Code.NEGATIVE_DEFAULT_CAPACITY: _("The default capacity of a region must not be negative."),
    Code.NEGATIVE_WEIGHT: _("The weight of the %(term)s term must not be negative."),
    Code.PIN_UNKNOWN_BODY: _("Pinned meeting (%(body)s, %(region)s, week %(week)s) names an unknown body."),
    Code.PIN_UNKNOWN_REGION: _("Pinned meeting (%(body)s, %(region)s, week %(week)s) names an unknown region."),
    Code.PIN_WEEK_OUTSIDE: _(
        "Pinned meeting (%(body)s, %(region)s, week %(week)s) names a week outside the half-year."
    ),
    Code.PINS_SAME_WEEK: _(
        "%(body)s: %(count)s pinned meetings in week %(week)s, but a head meets at most once a week."
    ),
    Code.PINS_ABOVE_MAX: _("%(body)s: %(count)s pinned meetings exceed the maximum of %(max)s."),
    Code.MIN_ABOVE_MAX: _("%(body)s: the minimum of %(min)s meetings is above the maximum of %(max)s."),
    Code.MAX_BELOW_QUARTERS: _(
        "%(body)s: the maximum of %(max)s meetings is below the %(quarters)s quarters that each need a meeting."
    ),
    Code.QUARTER_WITHOUT_WEEK: _(
        "%(body)s: no week left to meet in quarter %(quarter)s — of its %(weeks)s weeks, %(blocked)s "
        "are blocked by the body and %(short)s have fewer than %(min_working_days)s working days "
        "(rule: at least one meeting per quarter)."
    ),
    Code.QUARTERS_UNREACHABLE: _(
        "%(body)s: cannot meet once in every quarter with meetings at least %(gap)s weeks apart in "
        "its usable weeks (%(weeks_by_quarter)s) (rules: one meeting per quarter, minimum gap, "
        "blocked weeks)."
    ),
    Code.TOO_FEW_FIT: _(
        "%(body)s: needs %(need)s meetings (minimum %(min)s, one per quarter) but at most %(most)s "
        "fit in its usable weeks at least %(gap)s weeks apart."
    ),
    Code.PINS_FORCE_ABOVE_MAX: _(
        "%(body)s: its pinned meetings force at least %(least)s meetings, above the maximum of %(max)s."
    ),
    Code.NO_COUNT_FITS: _(
        "%(body)s: no number of meetings between %(need)s and %(max)s fits its usable and pinned "
        "weeks at least %(gap)s weeks apart."
    ),
    Code.TOO_FEW_OPEN_REGIONS: _(
        "%(body)s: needs %(need)s meetings in different regions but only %(open)s regions have "
        "capacity (rule: no repeat region)."
    ),
    Code.PINS_OVER_CAPACITY: _(
        "Region %(region)s, week %(week)s: %(count)s pinned meetings but the akimat can host "
        "%(capacity)s a week (rule: region capacity)."
    ),
    Code.QUARTER_OVER_CAPACITY: _(
        "Quarter %(quarter)s: %(demand)s bodies each need a meeting but the regions offer only "
        "%(supply)s free visit slots in its usable weeks (rule: region capacity)."
    ),
    Code.HALF_OVER_CAPACITY: _(
        "The bodies need %(need)s more meetings but the regions offer only %(supply)s free visit "
        "slots in the half-year (rule: region capacity)."
    ),
    Code.MEETING_REPEATED: _("%(body)s: meeting (%(body)s, %(region)s, week %(week)s) appears %(times)s times."),
    Code.MEETING_UNKNOWN_BODY: _("(%(body)s, %(region)s, week %(week)s): unknown body %(body)s."),
    Code.MEETING_UNKNOWN_REGION: _("(%(body)s, %(region)s, week %(week)s): unknown region %(region)s."),
    Code.MEETING_WEEK_OUTSIDE: _("(%(body)s, %(region)s, week %(week)s): week %(week)s is outside the half-year."),
    Code.PIN_MISSING: _("%(body)s: pinned meeting (%(body)s, %(region)s, week %(week)s) is missing from the plan."),
    Code.MEETING_IN_BLOCKED_WEEK: _(
        "%(body)s: meeting (%(body)s, %(region)s, week %(week)s) falls in a week the body blocked."
    ),
    Code.MEETING_IN_SHORT_WEEK: _(
        "%(body)s: meeting (%(body)s, %(region)s, week %(week)s) falls in a week with %(days)s "
        "working days (minimum %(minimum)s)."
    ),
    Code.TWO_MEETINGS_IN_WEEK: _("%(body)s: two meetings in week %(week)s (%(region)s, %(other)s)."),
    Code.MEETINGS_TOO_CLOSE: _("%(body)s: meetings in weeks %(week)s and %(other)s are closer than %(gap)s weeks."),
    Code.REGION_REPEATED: _("%(body)s: visits region %(region)s twice (weeks %(week)s and %(other)s)."),
    Code.ABOVE_MAX: _("%(body)s: %(count)s meetings, above the maximum of %(max)s."),
    Code.BELOW_MIN: _("%(body)s: %(count)s meetings, below the minimum of %(min)s."),
    Code.QUARTER_MISSED: _("%(body)s: no meeting in quarter %(quarter)s (rule: at least one meeting per quarter)."),
    Code.REGION_OVER_CAPACITY: _("Region %(region)s, week %(week)s: %(count)s visits but capacity %(capacity)s."),
    Code.CORE_REPEAT_REGION: _("%(body)s visits each region at most once."),
    Code.CORE_MAX: _("%(body)s holds at most %(max)s meetings."),
    Code.CORE_MIN: _("%(body)s holds at least %(min)s meetings."),
    Code.CORE_QUARTER: _("%(body)s meets at least once in quarter %(quarter)s."),
    Code.CORE_GAP: _("Meetings of %(body)s are at least %(gap)s weeks apart."),
    Code.CORE_CAPACITY: _("Region %(region)s hosts at most %(capacity)s visits a week."),
    Code.PROVEN_CONFLICT: _(
        "CP-SAT proved that no plan satisfies all hard constraints together; these constraints conflict:"
    ),
    Code.PROVEN_NO_CORE: _(
        "CP-SAT proved that no plan satisfies all hard constraints together; the likely causes are "
        "region capacity in weeks that many bodies share, and the minimum gap with blocked weeks "
        "leaving too few weeks in a quarter."
    ),
    Code.USABLE_WEEKS: _("%(body)s can meet only in weeks %(weeks)s (blocked or short weeks)."),
    Code.NO_USABLE_WEEKS: _("%(body)s has no usable week (every week is blocked or short)."),
    Code.MODEL_REJECTED: _("CP-SAT rejected the model: %(detail)s"),
    Code.TIME_LIMIT: _("No plan found within the time limit of %(seconds)s s."),
    Code.GREEDY_NO_PLAN: _("The greedy heuristic found no valid plan; the CP-SAT solver may still find one."),
}


def reason_text(reason: Reason | Mapping | str) -> str:
    """Returns the reason worded in the active language.

    Takes a `Reason`, its stored form {"code": …, "params": …}, or text that is already worded (a plan
    stores as text the refusal that kept the optimiser from starting). Raises ValueError for an
    unknown code and KeyError when the params lack a placeholder of the sentence.
    """
    if isinstance(reason, str):
        return reason
    if not isinstance(reason, Reason):
        reason = Reason(reason["code"], reason.get("params", {}))
    params = {name: _param(name, value) for name, value in reason.params.items()}
    return str(MESSAGES[reason.code]) % params


def reasons_text(reasons: Iterable[Reason | Mapping | str], *, separator: str = "; ") -> str:
    """Returns the reasons worded and joined into one line."""
    return separator.join(reason_text(r) for r in reasons)


def _param(name: str, value: object) -> object:
    if name == "weeks_by_quarter":
        return "; ".join(
            str(_("quarter %(quarter)s: weeks %(weeks)s")) % {"quarter": quarter, "weeks": _listed(weeks)}
            for quarter, weeks in value
        )
    if isinstance(value, list | tuple):
        return _listed(value)
    return value


def _listed(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


def evidence_text(evidence: Mapping) -> list[str]:
    """A region's evidence for a body (clause 1.2: a `Recommendation`, or the rationale stored with a plan
    item or a meeting) in words, in the active language. Only the figures are stored; the words are said
    when read, so every reader sees them in their own language."""
    if not evidence or "appeals_per_100k" not in evidence:
        return []
    lines = [gettext("%(rate).1f appeals per 100,000 people in 12 weeks (trend ×%(trend).2f)")
             % {"rate": evidence["appeals_per_100k"], "trend": evidence.get("trend", 1.0)}]
    for level, n in sorted((evidence.get("alerts") or {}).items()):
        lines.append(gettext("%(n)d open tension alert(s): %(level)s")
                     % {"n": n, "level": TensionAlert.Level(level).label})
    if questions := evidence.get("questions"):
        lines.append(gettext("%(n)d citizens' questions in 6 months") % {"n": questions})
    if commitments := evidence.get("open_commitments"):
        lines.append(gettext("%(n)d unresolved commitments of this body") % {"n": commitments})
    weeks = evidence.get("weeks_since_visit")
    lines.append(gettext("never visited by this body's head") if weeks is None
                 else gettext("last visit %(w)d weeks ago") % {"w": weeks})
    return lines
