import csv
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.core.spreadsheet import csv_row
from kezdesu.tension.services import appeals_import


class Command(BaseCommand):
    help = ("Import citizens' appeals from CSV, JSON Lines or XLSX: valid rows are imported together, rows with "
            "errors are rejected with their reason, a file that breaks a limit imports nothing; idempotent on "
            "external_id.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--report", type=Path, help="write every rejected row (line, id, reason) to this CSV")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"no such file: {path}")

        def progress(rows: int) -> None:
            sys.stderr.write(f"\r{rows:,} rows read")
            sys.stderr.flush()

        try:
            result = appeals_import(actor=SYSTEM, path=path, progress=progress)
        except ApplicationError as err:
            raise CommandError(err.message) from err
        sys.stderr.write("\n")
        batch = result.batch
        if options["report"]:
            with options["report"].open("w", encoding="utf-8", newline="") as fh:
                # The external id comes from the imported file: quoted and neutralised like every export.
                writer = csv.writer(fh)
                writer.writerow(["line", "external_id", "reason"])
                for r in result.rejected:
                    writer.writerow(csv_row([r.line, r.external_id, str(r.code)]))
        summary = {"batch": batch.pk, "rows": batch.rows_total, "created": batch.rows_created,
                   "unchanged": batch.rows_unchanged, "rejected": batch.rows_rejected,
                   "rejected_rows": [{"line": r.line, "external_id": r.external_id, "reason": str(r.code.label)}
                                     for r in result.rejected[:100]]}
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(f"{batch.rows_total} rows: {batch.rows_created} created, {batch.rows_unchanged} already "
                          f"present, {batch.rows_rejected} rejected")
        for r in result.rejected[:20]:
            self.stdout.write(f"  line {r.line} {r.external_id}: {r.code.label}")
