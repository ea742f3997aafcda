import json

from django.core.management.base import BaseCommand, CommandError

from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.planning.messages import reason_text
from kezdesu.planning.services import half_weeks, parse_half, plan_create, plan_optimise


class Command(BaseCommand):
    help = "Draft the half-year schedule of meetings with the optimiser (clause 3.1)."

    def add_arguments(self, parser):
        parser.add_argument("--half", required=True, help="e.g. 2027-H1")
        parser.add_argument("--time-limit", type=float, default=30.0, help="seconds for the optimiser")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        try:
            year, half = parse_half(options["half"])
            plan = plan_create(actor=SYSTEM, year=year, half=half)
            result = plan_optimise(actor=SYSTEM, plan=plan, time_limit_s=options["time_limit"])
        except ApplicationError as err:
            raise CommandError(err.message) from err
        weeks = {w.index: w.start for w in half_weeks(year, half)}
        data = {"plan": plan.pk, "version": plan.version, "status": result.status, "objective": result.objective,
                "bound": result.bound, "gap": result.gap, "wall_s": round(result.wall_s, 2),
                "terms": dict(result.terms), "explanation": [r.as_dict() for r in result.explanation],
                "items": [{"body": a.body, "region": a.region, "week_start": weeks[a.week].isoformat()}
                          for a in sorted(result.assignments, key=lambda a: (a.week, a.body))]}
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"{options['half']} v{plan.version}: {result.status}, objective {result.objective}, "
                          f"bound {result.bound}, gap {result.gap:.2%}, {result.wall_s:.1f} s, "
                          f"{len(result.assignments)} meetings")
        for line in result.explanation:
            self.stdout.write(f"  {reason_text(line)}")
