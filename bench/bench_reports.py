"""Every bound body's quarterly information (clause 1.4) in DOCX, PDF and XLSX, in Kazakh and Russian,
from a fresh SQLite file holding a realistic quarter: the real 20 regions and 22 bodies, and for each
body bound by the resolution two or three meetings (one by a deputy for some) with results, questions
and commitments, all made through the services. Prints the figure; target <= 20 s on 2 cores.

    .venv/bin/python bench/bench_reports.py
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

TARGET_S = 20.0
YEAR, QUARTER = 2026, 3
AS_OF = dt.date(2026, 10, 5)
QUESTIONS = ["Ауылға ауыз су қашан тартылады?", "Емханада дәрігер жетіспейді", "Жол жөндеу қашан басталады?",
             "Мектеп ғимараты апатты жағдайда", "Жалақы уақытында төленбейді", "Газ құбыры қашан келеді?"]
PROMISES = ["Әулиекөл ауданы Үшқоңыр ауылындағы ұңғыманы жөндеу", "Аудандық аурухананы жабдықтау",
            "Шаһар көшелеріндегі жарықтандыруды қалпына келтіру", "Мектеп автобусын сатып алу"]


def setup_django() -> None:
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_quarter(rng: random.Random) -> list:
    """Creates the quarter's meetings through the services; returns the bound bodies."""
    from django.utils import timezone

    from kezdesu.compliance.rules import Quarter
    from kezdesu.meetings.services import (
        commitment_create,
        meeting_create,
        meeting_record_results,
        meeting_transition,
    )
    from kezdesu.questions.services import question_raise_at_meeting
    from kezdesu.registry.models import Body, Head, Region
    from kezdesu.registry.services import reference_load
    from kezdesu.users.models import Membership, Role, User

    reference_load(actor=None)
    quarter = Quarter(YEAR, QUARTER)
    regions = list(Region.objects.order_by("kato_code"))
    akimats = {}
    for region in regions:
        user = User.objects.create(username=f"akimat-{region.slug}")
        Membership.objects.create(user=user, role=Role.AKIMAT_COORDINATOR, region=region)
        akimats[region.pk] = user
    bodies = list(Body.objects.valid_during(quarter.start, quarter.end).filter(exempt=False).order_by("slug"))
    for i, body in enumerate(bodies):
        coordinator = User.objects.create(username=f"coord-{body.slug}", first_name="Үйлестіруші")
        Membership.objects.create(user=coordinator, role=Role.BODY_COORDINATOR, body=body)
        minister = Head.objects.create(body=body, full_name_kk="Әбдіров Қайрат", full_name_ru="Абдиров Кайрат",
                                       full_name_en="Kairat Abdirov", position_kk="Министр", position_ru="Министр",
                                       start=dt.date(2024, 1, 1))
        deputy = Head.objects.create(body=body, full_name_kk="Нұрғалиев Серік", full_name_ru="Нургалиев Серик",
                                     full_name_en="Serik Nurgaliyev", position_kk="Вице-министр",
                                     position_ru="Вице-министр", is_first_head=False, start=dt.date(2024, 1, 1))
        for j in range(2 + i % 2):
            region = regions[(3 * i + 7 * j) % len(regions)]
            day = quarter.start + dt.timedelta(days=10 + 25 * j + i % 7)
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            starts = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 11))
            meeting = meeting_create(actor=coordinator, body=body, head=deputy if (i % 4 == 1 and j == 0) else minister,
                                     region=region, settlement=region.centre_kk, venue="Мәдениет үйі",
                                     starts_at=starts, stream_url=f"https://video.example.kz/{body.slug}/{j}")
            when = starts - dt.timedelta(days=30)
            for actor, target in ((coordinator, "proposed"), (akimats[region.pk], "agreed"),
                                  (coordinator, "announced")):
                meeting = meeting_transition(actor=actor, meeting=meeting, target=target, at=when)
            meeting = meeting_transition(actor=coordinator, meeting=meeting, target="held",
                                         at=starts + dt.timedelta(hours=3))
            meeting_record_results(actor=coordinator, meeting=meeting, attendance=rng.randint(80, 420),
                                   speakers=rng.randint(6, 25), online_viewers=rng.randint(300, 5000),
                                   media_links=[f"https://news.example.kz/{meeting.pk}"])
            for text in rng.sample(QUESTIONS, 3):
                on_spot = rng.random() < 0.5
                question_raise_at_meeting(actor=coordinator, meeting=meeting, text=text,
                                          handling="on_the_spot" if on_spot else "under_control",
                                          answer="Түсініктеме берілді." if on_spot else "")
            commitment_create(actor=coordinator, meeting=meeting, text=rng.choice(PROMISES),
                              deadline=day + dt.timedelta(days=90), responsible_body=body)
            meeting_transition(actor=coordinator, meeting=meeting, target="reported", at=starts + dt.timedelta(days=2))
    return bodies


def generate(bodies: list, out: Path) -> tuple[int, float]:
    from kezdesu.compliance.rules import Quarter
    from kezdesu.reports import selectors
    from kezdesu.reports.renderers import FORMATS, LANGUAGES, render

    start = time.perf_counter()
    files = 0
    for body in bodies:
        data = selectors.quarterly_data(user=None, body=body, quarter=Quarter(YEAR, QUARTER), today=AS_OF)
        for fmt in FORMATS:
            for lang in LANGUAGES:
                rendered = render(data, fmt=fmt, lang=lang)
                (out / rendered.filename).write_bytes(rendered.content)
                files += 1
    return files, time.perf_counter() - start


def main() -> int:
    setup_django()
    from kezdesu.reports.renderers import FORMATS, LANGUAGES

    started = time.perf_counter()
    bodies = make_quarter(random.Random(2026))
    print(f"data: {len(bodies)} bodies, their meetings, questions and commitments made through the services "
          f"in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as out:
        files, elapsed = generate(bodies, Path(out))
    print(f"quarterly reports: {len(bodies)} bodies x {len(FORMATS)} formats x {len(LANGUAGES)} languages = "
          f"{files} files in {elapsed:.1f} s (target <= {TARGET_S:.0f} s)")
    return 0 if elapsed <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
