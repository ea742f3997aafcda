"""Clause 1.2: rank the regions for a body by evidence of problems in its sectors.

Evidence per region: appeals per 100,000 people in the body's sectors over the last 12 weeks and
their trend against the 12 weeks before, open tension alerts, citizens' questions, the body's
unresolved commitments there, and the time since the body's head last met people there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db.models import Count, Max
from django.utils import timezone

from kezdesu.meetings.models import Commitment, Meeting
from kezdesu.planning.messages import evidence_text
from kezdesu.questions.models import Question
from kezdesu.registry.models import Body, Region
from kezdesu.tension.models import Appeal, TensionAlert

WINDOW_WEEKS = 12
ALERT_POINTS = {"mandatory": 30.0, "warning": 15.0, "watch": 5.0}
NEVER_VISITED_WEEKS = 104


@dataclass(frozen=True)
class Recommendation:
    region_id: int
    region_slug: str
    region_name: str
    score: float
    appeals_per_100k: float
    trend: float              # recent / previous window, 1.0 = flat
    alerts: dict[str, int]
    questions: int
    open_commitments: int
    weeks_since_visit: int | None

    def as_dict(self) -> dict:
        """The figures, stored with a plan item; their words are said when read (`messages.evidence_text`)."""
        return asdict(self)

    @property
    def evidence_lines(self) -> list[str]:
        return evidence_text(self.as_dict())


def recommend_regions(*, body: Body, today: dt.date | None = None) -> list[Recommendation]:
    """Regions ranked best first for `body`, each with the evidence behind its score (0–100+)."""
    today = today or timezone.localdate()
    sectors = list(body.sectors.values_list("pk", flat=True))
    recent_from = today - dt.timedelta(weeks=WINDOW_WEEKS)
    previous_from = recent_from - dt.timedelta(weeks=WINDOW_WEEKS)
    appeals = Appeal.objects.filter(sector_id__in=sectors, received_on__gte=previous_from, received_on__lt=today)
    recent = dict(appeals.filter(received_on__gte=recent_from).values_list("region_id").annotate(n=Count("id")))
    previous = dict(appeals.filter(received_on__lt=recent_from).values_list("region_id").annotate(n=Count("id")))
    alerts: dict[int, dict[str, int]] = {}
    current = TensionAlert.objects.current().filter(sector_id__in=sectors)
    for region_id, level in current.values_list("region_id", "level"):
        alerts.setdefault(region_id, {}).setdefault(level, 0)
        alerts[region_id][level] += 1
    questions = dict(Question.objects.filter(sector_id__in=sectors, created_at__date__gte=today - dt.timedelta(180))
                     .values_list("region_id").annotate(n=Count("id")))
    commitments = dict(Commitment.objects.open().filter(meeting__body=body).values_list("meeting__region_id")
                       .annotate(n=Count("id")))
    last_visit = dict(Meeting.objects.filter(body=body, status__in=Meeting.Status.HELD_STATES)
                      .values_list("region_id").annotate(last=Max("starts_at")))
    regions = list(Region.objects.order_by("kato_code"))
    rates = {r.pk: recent.get(r.pk, 0) * 100_000 / max(1, r.population) for r in regions}
    top_rate = max(rates.values(), default=0) or 1.0
    top_questions = max(questions.values(), default=0) or 1
    out = []
    for r in regions:
        trend = (recent.get(r.pk, 0) + 1) / (previous.get(r.pk, 0) + 1)
        visited = last_visit.get(r.pk)
        weeks = (today - timezone.localtime(visited).date()).days // 7 if visited else None
        region_alerts = alerts.get(r.pk, {})
        score = (40 * rates[r.pk] / top_rate
                 + 10 * min(max(trend - 1, 0), 1)
                 + sum(ALERT_POINTS[level] * n for level, n in region_alerts.items())
                 + 10 * questions.get(r.pk, 0) / top_questions
                 + min(3 * commitments.get(r.pk, 0), 10)
                 + 20 * min((weeks if weeks is not None else NEVER_VISITED_WEEKS) / 52, 1))
        out.append(Recommendation(r.pk, r.slug, r.name, round(score, 2), round(rates[r.pk], 2), round(trend, 2),
                                  region_alerts, questions.get(r.pk, 0), commitments.get(r.pk, 0), weeks))
    return sorted(out, key=lambda x: -x.score)
