from django.core.management.base import BaseCommand

from kezdesu.core.jobs import jobs_reap


class Command(BaseCommand):
    help = ("Enqueue again (or mark failed after JOB_MAX_ATTEMPTS) the jobs whose worker stopped sending "
            "heartbeats for JOB_STALE_SECONDS. Run every few minutes by deploy/kezdesu-housekeeping.timer.")

    def handle(self, *args, **options):
        counts = jobs_reap()
        self.stdout.write(f"retried={counts['retried']} failed={counts['failed']}")
