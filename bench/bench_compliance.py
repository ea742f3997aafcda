"""Compliance of every body over 12 quarters and 10,000 meetings: the rules alone, then through the
database (a fresh SQLite file). Prints the figures; target < 1 s.

    .venv/bin/python bench/bench_compliance.py
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEETINGS = 10_000
YEARS = (2024, 2025, 2026)
STATES = ["held", "reported", "reported", "agreed", "announced", "cancelled", "proposed", "draft"]


def pure() -> None:
    from kezdesu.compliance.rules import BodyFact, MeetingFact, Readings, compliance_matrix, quarters_of
    from kezdesu.core.calendar import WorkingCalendar

    rng = random.Random(1)
    bodies = [BodyFact(f"body-{i}", i < 5, dt.date(2024, 1, 1), None) for i in range(21)]
    meetings = [MeetingFact(id=i, body=rng.choice(bodies).slug,
                            day=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365)),
                            status=rng.choice(STATES), agreed=rng.random() < 0.9, first_head=rng.random() < 0.85,
                            acting=rng.random() < 0.05) for i in range(MEETINGS)]
    quarters = [q for y in YEARS for q in quarters_of(y)]
    start = time.perf_counter()
    rows = compliance_matrix(bodies=bodies, meetings=meetings, quarters=quarters, today=dt.date(2026, 11, 24),
                             calendar=WorkingCalendar(), in_force=dt.date(2024, 1, 18), readings=Readings())
    elapsed = time.perf_counter() - start
    print(f"compliance rules: {len(bodies)} bodies x {len(quarters)} quarters over {len(meetings)} meetings "
          f"-> {len(rows)} statuses in {elapsed:.3f} s (target < 1 s)")


def through_database() -> None:
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from kezdesu.compliance.rules import quarters_of
    from kezdesu.compliance.selectors import compliance_for
    from kezdesu.meetings.models import Meeting
    from kezdesu.registry.models import Body, Head, Region
    from kezdesu.registry.services import reference_load

    call_command("migrate", verbosity=0)
    reference_load(actor=None)
    rng = random.Random(2)
    bodies = list(Body.objects.all())
    heads = [Head.objects.create(body=b, full_name_kk="Басшы", full_name_ru="Руководитель", full_name_en="Head",
                                 start=dt.date(2024, 1, 1), is_first_head=first)
             for b in bodies for first in (True, False)]
    heads_of = {b.pk: [h for h in heads if h.body_id == b.pk] for b in bodies}
    regions = list(Region.objects.all())
    tz = timezone.get_default_timezone()
    rows = []
    for _ in range(MEETINGS):
        body = rng.choice(bodies)
        status = rng.choice(STATES)
        start = timezone.make_aware(dt.datetime(2024, 1, 1, 11) + dt.timedelta(days=rng.randrange(3 * 365)), tz)
        rows.append(Meeting(body=body, head=rng.choice(heads_of[body.pk]), region=rng.choice(regions), settlement="x",
                            venue="y", starts_at=start, status=status,
                            agreed_at=start if status in ("held", "reported", "agreed", "announced") else None))
    Meeting.objects.bulk_create(rows, batch_size=2000)
    quarters = [q for y in YEARS for q in quarters_of(y)]
    start = time.perf_counter()
    result = compliance_for(user=None, quarters=quarters, today=dt.date(2026, 11, 24))
    elapsed = time.perf_counter() - start
    print(f"compliance via SQLite: {len(bodies)} bodies x {len(quarters)} quarters over {MEETINGS} meetings "
          f"-> {len(result)} statuses in {elapsed:.3f} s (target < 1 s)")


if __name__ == "__main__":
    pure()
    through_database()
