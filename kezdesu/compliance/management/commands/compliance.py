import datetime as dt
import json

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from kezdesu.compliance.half_years import half_year_items, item_as_dict
from kezdesu.compliance.readings import reading_rows
from kezdesu.compliance.rules import Quarter, quarters_of
from kezdesu.compliance.selectors import compliance_for, readings
from kezdesu.core.actors import SYSTEM


class Command(BaseCommand):
    help = ("Quarterly compliance of every body (clause 1.1) and its report deadline (clause 1.4); the unscheduled "
            "meetings owed (clause 1.3) and the half-year schedule and results (clauses 3.1, 3.3); with the "
            "readings of the resolution the figures rest on.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="evaluate as of this date (YYYY-MM-DD)")
        parser.add_argument("--body", action="append", help="body slug (repeatable)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        if options["quarter"]:
            quarters = [Quarter(options["year"], options["quarter"])]
        else:
            quarters = quarters_of(options["year"])
        today = options["as_of"] or timezone.localdate()
        rows = compliance_for(user=SYSTEM, quarters=quarters, today=today, body_slugs=options["body"])
        if options["body"] and not rows:
            raise CommandError(f"no such body: {', '.join(options['body'])}")
        data = [{
            "body": r.body, "quarter": str(r.quarter), "status": r.status, "counted": list(r.counted),
            "not_counted": [{"id": v.id, "reason": v.reason} for v in r.not_counted],
            "planned": list(r.planned), "report_deadline": r.report_deadline.isoformat(),
            "report_status": r.report_status, "line": list(r.line), "joint": list(r.joint),
        } for r in rows]
        current = reading_rows(readings())
        owed = self.owed_besides_quarters(today=today, year=options["year"], body_slugs=options["body"])
        if options["json"]:
            self.stdout.write(json.dumps({
                "readings": {row.key: {"value": row.value, "affects": row.affects, "decision": row.decision}
                             for row in current} | owed.pop("readings"),
                "quarters": data, **owed,
            }, ensure_ascii=False))
            return
        for row in current:
            self.stdout.write(f"# {row.key}={json.dumps(row.value)}  ({row.decision})")
        for row in data:
            line = f"  (with {', '.join(s for s in row['line'] if s != row['body'])})" if len(row["line"]) > 1 else ""
            self.stdout.write(f"{row['body']:<28} {row['quarter']}  {row['status']:<14} "
                              f"report {row['report_deadline']} {row['report_status']}{line}")
        self.write_owed(owed)

    def owed_besides_quarters(self, *, today: dt.date, year: int, body_slugs) -> dict:
        """Clause 1.3 obligations (of `body_slugs`, default all) and the half-year items of clauses 3.1 and
        3.3 for `year`, as of `today`: the rest of what the bodies and the authorized body owe. Tension is
        read through the app registry (it builds on compliance, not the other way round)."""
        Obligation, TensionAlert = apps.get_model("tension", "Obligation"), apps.get_model("tension", "TensionAlert")
        obligations = Obligation.objects.visible_to(SYSTEM).select_related("body", "alert__region", "alert__sector",
                                                                           "meeting")
        obligations = obligations.filter(Q(alert__opened_on__year=year) | Q(deadline__year=year))
        if body_slugs:
            obligations = obligations.filter(body__slug__in=body_slugs)
        alerts = TensionAlert.objects.visible_to(SYSTEM).filter(status=TensionAlert.Status.UNBOUND)
        return {
            "tension_obligations": [{
                "id": o.pk, "body": o.body.slug, "region": o.alert.region.slug, "sector": o.alert.sector.slug,
                "alert": o.alert_id, "opened_on": o.alert.opened_on.isoformat(), "deadline": o.deadline.isoformat(),
                "status": o.status, "meeting": o.meeting_id,
                "overdue": o.status == Obligation.Status.OPEN and o.deadline < today,
            } for o in obligations.order_by("deadline", "body__slug")],
            "tension_unbound_alerts": [{
                "id": a.pk, "region": a.region.slug, "sector": a.sector.slug, "opened_on": a.opened_on.isoformat(),
            } for a in alerts.select_related("region", "sector").order_by("opened_on")],
            "half_years": [item_as_dict(i) for i in half_year_items(today=today, halves=[(year, 1), (year, 2)])],
            "readings": {"HALF_YEAR_DEADLINE_INCLUSIVE": {
                "value": settings.KEZDESU["HALF_YEAR_DEADLINE_INCLUSIVE"], "affects": "half_year_deadlines",
                "decision": "docs/decisions/0021-half-year-deadlines.md"}},
        }

    def write_owed(self, owed: dict) -> None:
        for o in owed["tension_obligations"]:
            self.stdout.write(f"{o['body']:<28} clause 1.3  {o['region']}/{o['sector']}  "
                              f"deadline {o['deadline']} {o['status']}")
        for a in owed["tension_unbound_alerts"]:
            self.stdout.write(f"{'(no bound body)':<28} clause 1.3  {a['region']}/{a['sector']}  "
                              f"since {a['opened_on']}")
        for h in owed["half_years"]:
            self.stdout.write(f"{h['half_year']:<28} {h['item']:<9} deadline {h['deadline'] or '—'} {h['status']} "
                              f"({h['reading']})")
