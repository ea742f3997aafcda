import dataclasses
import datetime as dt
import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from kezdesu.compliance.reminders import reminders_send


class Command(BaseCommand):
    help = "Send due reminders (akimat silent, meeting tomorrow, results missing, commitments, quarter at risk)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="treat this date as today")
        parser.add_argument("--json", action="store_true", help="print counts as JSON")

    def handle(self, *args, **options):
        counts = dataclasses.asdict(reminders_send(today=options["as_of"] or timezone.localdate()))
        if options["json"]:
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write(", ".join(f"{k}={v}" for k, v in counts.items()))
