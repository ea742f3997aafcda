"""Read-only composition for the staff dashboard; every figure comes from the compliance rules."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kezdesu.compliance.half_years import half_year_items
from kezdesu.compliance.rules import Quarter, quarters_of
from kezdesu.compliance.selectors import compliance_for
from kezdesu.meetings.lifecycle import TRANSITIONS
from kezdesu.meetings.models import Commitment, Meeting, MeetingCoHost, Status
from kezdesu.registry.map import region_map as draw
from kezdesu.registry.models import Body, Region
from kezdesu.tension.models import Obligation
from kezdesu.users.scoping import scope_bodies


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    what: str
    status: str


def compliance_matrix(user, *, year: int, today: dt.date):
    """Rows of (body, [QuarterStatus for Q1..Q4], [predecessors whose quarters it carries]) for the
    bodies the user sees."""
    rows = compliance_for(user=user, quarters=quarters_of(year), today=today)
    slugs = {r.body for r in rows} | {s for r in rows for s in r.line}
    bodies = {b.slug: b for b in Body.objects.filter(slug__in=slugs)}
    grouped: dict[str, dict[Quarter, object]] = defaultdict(dict)
    for r in rows:
        grouped[r.body][r.quarter] = r
    out = []
    for slug in sorted(grouped, key=lambda s: (bodies[s].exempt, bodies[s].short_name)):
        before = dict.fromkeys(s for r in grouped[slug].values() for s in r.line if s != slug)
        out.append((bodies[slug], [grouped[slug].get(q) for q in quarters_of(year)], [bodies[s] for s in before]))
    return out


def coverage(user, *, year: int):
    """Held meetings per body × region in `year`: (regions, [(body, [count per region])])."""
    regions = list(Region.objects.order_by("kato_code"))
    held = Meeting.objects.visible_to(user).filter(starts_at__year=year, status__in=Status.HELD_STATES)
    # A joint meeting is a visit of each of its hosts.
    counts = Counter(held.values_list("body_id", "region_id")) + Counter(
        MeetingCoHost.objects.filter(meeting__in=held).values_list("body_id", "meeting__region_id"))
    body_ids = {b for b, _r in counts} | set(
        Body.objects.valid_during(dt.date(year, 1, 1), dt.date(year, 12, 31)).filter(exempt=False)
        .values_list("pk", flat=True))
    bodies = scope_bodies(Body.objects.filter(pk__in=body_ids), user).order_by("slug")
    return regions, [(b, [counts.get((b.pk, r.pk), 0) for r in regions]) for b in bodies]


def upcoming_deadlines(user, *, today: dt.date, days: int = 30) -> list[Deadline]:
    horizon = today + dt.timedelta(days=days)
    out: list[Deadline] = []
    for q in (Quarter.of(today), Quarter.of(today - dt.timedelta(days=40))):
        rows = [r for r in compliance_for(user=user, quarters=[q], today=today)
                if today <= r.report_deadline <= horizon and r.report_status in ("due", "not_due")]
        if rows:
            out.append(Deadline(rows[0].report_deadline,
                                str(_("Quarterly information for %(q)s (clause 1.4): %(n)s bodies not yet submitted"))
                                % {"q": q, "n": len(rows)}, "due"))
    # Clause 4 and the reading of "before the 15th" are applied by `half_year_items`.
    for item in half_year_items(today=today, halves=[(y, h) for y in (today.year, today.year + 1) for h in (1, 2)]):
        d = item.deadline
        if d is None or item.done_on is not None or not today <= d <= horizon:
            continue
        what = (_("Draft schedule for %(y)s-H%(h)s to the Government (clause 3.1)") if item.item == "schedule"
                else _("Results of %(y)s-H%(h)s to the Office of the Government (clause 3.3)"))
        out.append(Deadline(d, str(what) % {"y": item.year, "h": item.half}, "due"))
    for c in Commitment.objects.visible_to(user).open().filter(deadline__range=(today, horizon)) \
            .select_related("meeting__body")[:20]:
        out.append(Deadline(c.deadline, f"{c.meeting.body.short_name}: {c.text[:90]}", "in_progress"))
    return sorted(out, key=lambda d: d.day)


def overdue_commitments(user, *, today: dt.date):
    return Commitment.objects.visible_to(user).open().filter(deadline__lt=today) \
        .select_related("meeting__body", "meeting__region", "responsible_body", "responsible_region") \
        .order_by("deadline")


def awaiting_action(user):
    """Meetings in a state from which the user's role has a next step, within the user's scope."""
    role = user.role
    states = {source for (source, _t), rule in TRANSITIONS.items() if role in rule.roles
              and _t not in (Status.CANCELLED, Status.POSTPONED) and not rule.on_change_only}
    qs = Meeting.objects.visible_to(user).run_by(user).filter(status__in=states) \
        .select_related("body", "region", "head")
    today_q = Q(status__in=[Status.ANNOUNCED]) & Q(starts_at__gt=timezone.now())
    return qs.exclude(today_q).order_by("starts_at")


def obligations(user):
    """Clause 1.3: unscheduled meetings owed (open or missed) within the user's scope."""
    qs = Obligation.objects.visible_to(user).filter(status__in=[Obligation.Status.OPEN, Obligation.Status.MISSED]) \
        .select_related("body", "alert__region", "alert__sector", "meeting").order_by("deadline")
    return qs[:50]


def visits_map(*, regions, coverage, year: int, body_slug: str = ""):
    """The dashboard's map from `coverage` (above): per region, how many bodies held a meeting there in
    `year`, or, with `body_slug`, how many meetings that one body held there. Returns (map, chosen body)."""
    chosen = next((b for b, _counts in coverage if b.slug == body_slug), None)
    if chosen is None and len(coverage) == 1:
        chosen = coverage[0][0]
    rows = [(b, counts) for b, counts in coverage if chosen is None or b == chosen]

    def value(region):
        i = regions.index(region)
        if chosen is not None:
            n = rows[0][1][i] if rows else 0
            label = ngettext("%(region)s: %(n)s meeting held", "%(region)s: %(n)s meetings held", n)
            return (str(n) if n else "—", 0 if n == 0 else 4 if n >= 3 else n + 1,
                    label % {"region": region.name, "n": n}, str(n))
        n = sum(1 for _b, counts in rows if counts[i])
        label = ngettext("%(region)s: visited by %(n)s body", "%(region)s: visited by %(n)s bodies", n)
        return (str(n) if n else "—", 0 if n == 0 else 1 if n <= 2 else 2 if n <= 5 else 3 if n <= 9 else 4,
                label % {"region": region.name, "n": n}, str(n))

    if chosen is not None:
        title = str(_("Regions visited in %(year)s: %(body)s")) % {"year": year, "body": chosen.short_name}
        heading, legend = _("Meetings held"), [(0, _("not visited")), (2, _("one meeting")),
                                               (3, _("two meetings")), (4, _("three or more"))]
    else:
        title = str(_("Regions visited in %(year)s by all bodies")) % {"year": year}
        heading, legend = _("Bodies that held a meeting"), [
            (0, _("not visited")), (1, "1–2"), (2, "3–5"), (3, "6–9"), (4, _("10 or more"))]
    return draw(regions=regions, title=title, value=value, value_heading=heading, legend=legend), chosen
