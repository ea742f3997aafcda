import json

from django.core.management.base import BaseCommand, CommandError

from kezdesu.core.audit import audit_verify
from kezdesu.core.models import AuditEvent


class Command(BaseCommand):
    help = "Check the hash chain of the audit trail; exits non-zero naming the first bad row."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        problem = audit_verify()
        count = AuditEvent.objects.count()
        if options["json"]:
            self.stdout.write(json.dumps({
                "ok": problem is None, "events": count,
                "first_bad_seq": problem.seq if problem else None,
                "reason": problem.reason if problem else None,
            }))
        if problem is not None:
            raise CommandError(f"audit chain broken at row seq={problem.seq}: {problem.reason}")
        if not options["json"]:
            self.stdout.write(f"audit chain intact: {count} events")
