import json

from django.core.management.base import BaseCommand

from kezdesu.portal.services import subscriptions_purge


class Command(BaseCommand):
    help = ("Forget follow-up subscriptions never confirmed in time, with their e-mail addresses. "
            "Run every few minutes by deploy/kezdesu-housekeeping.timer.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        purged = subscriptions_purge()
        self.stdout.write(json.dumps({"purged": purged}) if options["json"] else f"purged={purged}")
