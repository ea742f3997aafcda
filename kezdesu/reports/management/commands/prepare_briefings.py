import json

from django.core.management.base import BaseCommand, CommandError

from kezdesu.reports.services import briefing_packs_schedule


class Command(BaseCommand):
    help = ("Queue the briefing pack (DOCX and PDF, Kazakh and Russian) of every agreed meeting starting within "
            "BRIEFING_DAYS_BEFORE days that has no current pack; run daily by kezdesu-briefings.timer.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="days ahead to look (default: BRIEFING_DAYS_BEFORE)")
        parser.add_argument("--json", action="store_true", help="print the meetings and their jobs as JSON")

    def handle(self, *args, **options):
        if options["days"] is not None and options["days"] < 0:
            raise CommandError("--days must not be negative")
        result = briefing_packs_schedule(days=options["days"])
        data = {state: [{"meeting": m.pk, "body": m.body.slug, "region": m.region.slug,
                         "starts_at": m.starts_at.isoformat(), "job": job.pk} for m, job in pairs]
                for state, pairs in result.items()}
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"{len(data['queued'])} briefing packs queued, {len(data['waiting'])} already waiting")
