import datetime as dt
import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from kezdesu.tension.services import tension_scan


class Command(BaseCommand):
    help = "Assess every region × sector series, open/update/close tension alerts and obligations (clause 1.3)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="scan as of this date (YYYY-MM-DD)")
        parser.add_argument("--json", action="store_true", help="print the alerts as JSON")

    def handle(self, *args, **options):
        result = tension_scan(as_of=options["as_of"] or timezone.localdate())

        def row(a):
            return {"id": a.pk, "region": a.region.slug, "sector": a.sector.slug, "level": a.level,
                    "score": round(a.score, 3), "status": a.status, "fired": a.evidence.get("fired", [])}

        data = {"week_start": result.week_start.isoformat(), "series": result.series,
                "opened": [row(a) for a in result.opened], "updated": [row(a) for a in result.updated],
                "closed": [row(a) for a in result.closed],
                "obligations": [{"body": o.body.slug, "region": o.alert.region.slug, "deadline": o.deadline.isoformat()}
                                for o in result.obligations],
                "missed": [{"body": o.body.slug, "region": o.alert.region.slug} for o in result.missed]}
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"week {data['week_start']}: {result.series} series, {len(result.opened)} opened, "
                          f"{len(result.updated)} updated, {len(result.closed)} closed, "
                          f"{len(result.obligations)} new obligations, {len(result.missed)} missed")
