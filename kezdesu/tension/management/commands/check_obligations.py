import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kezdesu.tension.services import obligations_review


class Command(BaseCommand):
    help = ("Daily deadline check of clause 1.3: link unscheduled meetings to the obligations they answer and "
            "mark obligations whose deadline has passed as missed.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="treat this date as today")

    def handle(self, *args, **options):
        with transaction.atomic():
            missed = obligations_review(as_of=options["as_of"] or timezone.localdate())
        self.stdout.write(f"missed={len(missed)}")
