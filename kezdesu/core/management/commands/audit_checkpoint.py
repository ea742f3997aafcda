import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from kezdesu.core.audit import audit_checkpoint


class Command(BaseCommand):
    help = ("Sign the newest audit row (sequence number and hash) and append it to the checkpoint file "
            "(AUDIT_CHECKPOINT_FILE) and the log; run it from a timer and keep the file off the database host.")

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="append here instead of AUDIT_CHECKPOINT_FILE")
        parser.add_argument("--json", action="store_true", help="print the checkpoint as JSON")

    def handle(self, *args, **options):
        path = options["file"] or settings.AUDIT_CHECKPOINT_FILE
        mark = audit_checkpoint(path=Path(path) if path else None)
        if options["json"]:
            self.stdout.write(json.dumps(mark, sort_keys=True))
        else:
            self.stdout.write(f"audit checkpoint seq={mark['seq']} hash={mark['hash'][:16]}… key={mark['key_id']}"
                              + (f" → {path}" if path else ""))
