import json

from django.core.management.base import BaseCommand

from kezdesu.registry.services import reference_load


class Command(BaseCommand):
    help = "Load regions, central executive bodies, sectors and moved days; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print counts as JSON")

    def handle(self, *args, **options):
        counts = reference_load(actor=None)
        if options["json"]:
            self.stdout.write(json.dumps({**counts.by_kind, "created": counts.created, "updated": counts.updated,
                                          "unchanged": counts.unchanged}))
        else:
            summary = ", ".join(f"{k}={v}" for k, v in counts.by_kind.items())
            self.stdout.write(f"reference data: {summary} (created {counts.created}, updated {counts.updated})")
