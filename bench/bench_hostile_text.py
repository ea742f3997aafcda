"""Rendering documents with hostile stored text: a procedure of 1 MB (older than the limits; shortened
to 200,000 characters with a mark) and of 200,000 characters (the limit), in PDF, DOCX and XLSX.
Prints seconds per file; target < 5 s each.

    .venv/bin/python bench/bench_hostile_text.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from kezdesu.reports.builders import Names, ProcedureData
    from kezdesu.reports.renderers import render

    sentence = "Кездесу әкімдікпен келісіледі және тұрғындарға алдын ала хабарланады. "
    for size in (200_000, 1_000_000):
        text = (sentence * (size // len(sentence) + 1))[:size]
        data = ProcedureData(version=1, title=Names("Тәртіп", "Порядок"), text=Names(text, text),
                             effective_from=dt.date(2026, 1, 1), published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                             published_by="", generated_on=dt.date(2026, 1, 2))
        for fmt in ("pdf", "docx", "xlsx"):
            start = time.perf_counter()
            content = render(data, fmt=fmt, lang="kk").content
            seconds = time.perf_counter() - start
            print(f"procedure {size:>9,} chars  {fmt:4}  {seconds:6.2f} s  {len(content):>9,} bytes")


if __name__ == "__main__":
    main()
