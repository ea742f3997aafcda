import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kezdesu.compliance.rules import Quarter, quarters_of
from kezdesu.compliance.selectors import compliance_for
from kezdesu.core.actors import SYSTEM


class Command(BaseCommand):
    help = "Quarterly compliance of every body (clause 1.1) and its report deadline (clause 1.4)."

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
            "report_status": r.report_status,
        } for r in rows]
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for row in data:
            self.stdout.write(f"{row['body']:<28} {row['quarter']}  {row['status']:<14} "
                              f"report {row['report_deadline']} {row['report_status']}")
