from django.core.management.base import BaseCommand
from django.db import transaction

from kezdesu.tension.store import counts_rebuild


class Command(BaseCommand):
    help = ("Recompute the weekly appeal counts the tension scan reads from the stored appeals (after a restore "
            "or a manual repair); imports keep them up to date on their own.")

    def handle(self, *args, **options):
        with transaction.atomic():
            counts, wordings = counts_rebuild()
        self.stdout.write(f"{counts} weekly counts, {wordings} weekly wording counts")
