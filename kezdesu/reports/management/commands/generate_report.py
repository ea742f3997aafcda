import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kezdesu.compliance.rules import Quarter
from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.registry.models import Body
from kezdesu.reports import selectors
from kezdesu.reports.builders import HalfYear
from kezdesu.reports.renderers import FORMATS, LANGUAGES, render

KINDS = ("quarterly", "half-year", "annex", "procedure")


class Command(BaseCommand):
    help = ("Generate a report as DOCX, PDF or XLSX in Kazakh or Russian: a body's quarterly information "
            "(clause 1.4), the half-year results (3.3), the schedule annex (3.1) or the procedure (3.2).")

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=KINDS)
        parser.add_argument("--body", help="body slug (quarterly only)")
        parser.add_argument("--period", help="2026-Q3 for quarterly, 2026-H2 for half-year and annex")
        parser.add_argument("--procedure-version", type=int, help="procedure version (default: the one in force)")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--lang", required=True, choices=LANGUAGES)
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="evaluate statuses as of YYYY-MM-DD")
        parser.add_argument("--out", required=True, type=Path, help="file to write")

    def handle(self, *args, **options):
        kind, today = options["kind"], options["as_of"] or timezone.localdate()
        if options["body"] and kind != "quarterly":
            raise CommandError("--body applies to --kind quarterly only")
        try:
            data = self._data(kind, options, today)
        except ApplicationError as err:
            raise CommandError(err.message) from err
        rendered = render(data, fmt=options["format"], lang=options["lang"])
        out: Path = options["out"]
        if out.parent and not out.parent.is_dir():
            raise CommandError(f"directory {out.parent} does not exist")
        out.write_bytes(rendered.content)
        self.stdout.write(str(out))

    def _data(self, kind: str, options: dict, today: dt.date):
        if kind == "procedure":
            versions = selectors.procedure_versions(SYSTEM)
            document = (versions.filter(version=options["procedure_version"]).first() if options["procedure_version"]
                        else selectors.procedure_current(SYSTEM, today=today) or versions.first())
            if document is None:
                raise CommandError("no such procedure version" if options["procedure_version"]
                                   else "no procedure published")
            return selectors.procedure_data(document, today=today)
        period = options["period"]
        if not period:
            raise CommandError(f"--period is required for --kind {kind}")
        if kind == "quarterly":
            if not options["body"]:
                raise CommandError("--body is required for --kind quarterly")
            try:
                quarter = Quarter.parse(period)
            except ValueError:
                raise CommandError(f"bad quarter {period!r}: expected e.g. 2026-Q3") from None
            body = Body.objects.filter(slug=options["body"]).first()
            if body is None:
                raise CommandError(f"no such body: {options['body']}")
            data = selectors.quarterly_data(user=SYSTEM, body=body, quarter=quarter, today=today)
            if data is None:
                raise CommandError(f"{body.slug} did not exist in {quarter}")
            return data
        try:
            half = HalfYear.parse(period)
        except ValueError:
            raise CommandError(f"bad half-year {period!r}: expected e.g. 2026-H2") from None
        if kind == "half-year":
            return selectors.half_year_data(user=SYSTEM, half=half, today=today)
        return selectors.annex_data(half=half, today=today)
