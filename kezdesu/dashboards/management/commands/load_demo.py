import json

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from kezdesu.dashboards.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load demo accounts and data for a realistic year; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the logins as JSON")

    def handle(self, *args, **options):
        # The demo plays a year of notifications; they are kept in the app, not mailed or printed.
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
            logins = demo_load()
        if options["json"]:
            self.stdout.write(json.dumps([{"username": x.username, "password": DEMO_PASSWORD, "role": x.role,
                                           "scope": x.scope} for x in logins], ensure_ascii=False))
            return
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for x in logins:
            scope = f" [{x.scope}]" if x.scope else ""
            self.stdout.write(f"  {x.username:<18} {x.role}{scope}")
