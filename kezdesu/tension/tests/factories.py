"""Appeal series for tests: a quiet Poisson history with an optional last-week spike."""

import datetime as dt

import numpy as np

from kezdesu.tension.models import Appeal
from kezdesu.tension.store import counts_rebuild

AS_OF = dt.date(2026, 11, 25)          # Wednesday; the assessed week starts Monday 16 November
WEEK = dt.date(2026, 11, 16)


def history(region, sector, *, weeks=300, mean=4.0, last=None, texts=(), signatories=1, seed=1):
    rng = np.random.default_rng(seed)
    rows, n = [], 0
    for i in range(weeks):
        week = WEEK - dt.timedelta(weeks=weeks - 1 - i)
        count = int(rng.poisson(mean)) if (last is None or i < weeks - 1) else last
        for j in range(count):
            text = texts[j % len(texts)] if (texts and i == weeks - 1) else ""
            rows.append(Appeal(external_id=f"{region.slug}-{sector.slug}-{n}", received_on=week, week_start=week,
                               region=region, sector=sector, kind="complaint",
                               signatories=signatories if i == weeks - 1 else 1, text=text))
            n += 1
    Appeal.objects.bulk_create(rows, batch_size=2000)
    counts_rebuild()  # stored behind the import's back: the counts the scan reads follow
