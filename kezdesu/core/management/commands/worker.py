from django.core.management import call_command
from django.core.management.base import BaseCommand

from kezdesu.core.jobs import jobs_reap


class Command(BaseCommand):
    help = ("Run background tasks (imports, optimiser runs, scans, mail). Jobs abandoned by a worker that died "
            "are enqueued again or marked failed first. Stop with SIGTERM: the current task is finished.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is waiting, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
        parser.add_argument("--worker-id", help="unique name of this worker (default: random)")
        parser.add_argument("--reload", action="store_true", help="restart on code changes (development)")

    def handle(self, *args, **options):
        counts = jobs_reap()
        if any(counts.values()):
            self.stdout.write(f"abandoned jobs: {counts['retried']} enqueued again, {counts['failed']} failed")
        extra = {"worker_id": options["worker_id"]} if options["worker_id"] else {}
        call_command("db_worker", batch=options["batch"], interval=options["interval"], reload=options["reload"],
                     startup_delay=not options["batch"], verbosity=options["verbosity"], **extra)
