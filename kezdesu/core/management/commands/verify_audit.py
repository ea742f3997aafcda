import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kezdesu.core.audit import audit_verify, read_checkpoints
from kezdesu.core.models import AuditEvent


class Command(BaseCommand):
    help = ("Check the keyed hash chain of the audit trail (and, with --checkpoint, the signed checkpoints kept "
            "outside the database); exits non-zero naming the first bad row.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--checkpoint", type=Path, action="append", default=[],
                            help="a JSON Lines file (or log) of checkpoints written by audit_checkpoint; repeatable")

    def handle(self, *args, **options):
        marks = []
        for path in options["checkpoint"]:
            try:
                marks += read_checkpoints(path)
            except (OSError, ValueError) as exc:
                raise CommandError(f"{path}: {exc}") from exc
        problem = audit_verify(checkpoints=marks)
        count = AuditEvent.objects.count()
        if options["json"]:
            self.stdout.write(json.dumps({
                "ok": problem is None, "events": count, "checkpoints": len(marks),
                "first_bad_seq": problem.seq if problem else None,
                "reason": problem.reason if problem else None,
            }))
        if problem is not None:
            raise CommandError(f"audit chain broken at row seq={problem.seq}: {problem.reason}")
        if not options["json"]:
            self.stdout.write(f"audit chain intact: {count} events, {len(marks)} checkpoints")
