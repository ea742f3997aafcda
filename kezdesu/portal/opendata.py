"""Open data: public meetings, published questions and commitments as CSV or JSON, without personal data.

Each dataset is a list of columns, each a name and a function of one row; the same columns feed both
formats, so the CSV and the JSON always agree.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from kezdesu.core.locale import local_zone
from kezdesu.core.spreadsheet import csv_row
from kezdesu.portal import selectors


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(local_zone()).isoformat()
    return value.isoformat()


def _slug(obj) -> str | None:
    return obj.slug if obj is not None else None


def _names(path: Callable, prefix: str, field: str = "name") -> list[tuple[str, Callable]]:
    return [(f"{prefix}_{field}_{lang}" if prefix else f"{field}_{lang}",
             lambda row, lang=lang: getattr(path(row), f"{field}_{lang}") if path(row) is not None else None)
            for lang in ("kk", "ru", "en")]


def _result(m, field):
    result = getattr(m, "result", None)
    return getattr(result, field) if result is not None else None


@dataclass(frozen=True)
class Dataset:
    slug: str
    columns: list[tuple[str, Callable]]
    rows: Callable[[], QuerySet]

    @property
    def fields(self) -> list[str]:
        return [name for name, _ in self.columns]

    def records(self) -> Iterator[dict]:
        for row in self.rows().iterator(chunk_size=2000):
            yield {name: get(row) for name, get in self.columns}


MEETINGS = Dataset("meetings", [
    ("id", lambda m: m.pk),
    ("starts_at", lambda m: _iso(m.starts_at)),
    ("ends_at", lambda m: _iso(m.starts_at + dt.timedelta(minutes=m.duration_minutes))),
    ("body", lambda m: m.body.slug),
    *_names(lambda m: m.body, "body"),
    *_names(lambda m: m.head, "head", "full_name"),
    ("head_is_first_head", lambda m: m.standing.first_head),
    ("region", lambda m: m.region.slug),
    *_names(lambda m: m.region, "region"),
    ("settlement", lambda m: m.settlement),
    ("venue", lambda m: m.venue),
    ("format", lambda m: m.format),
    ("kind", lambda m: m.kind),
    ("status", lambda m: m.status),
    ("topics", lambda m: m.topics),
    ("stream_url", lambda m: m.stream_url),
    ("capacity", lambda m: m.capacity),
    ("attendance", lambda m: _result(m, "attendance")),
    ("online_viewers", lambda m: _result(m, "online_viewers")),
    ("speakers", lambda m: _result(m, "speakers")),
], lambda: selectors.public_meetings().select_related("result").order_by("starts_at", "id"))

QUESTIONS = Dataset("questions", [
    ("id", lambda q: q.pk),
    ("meeting_id", lambda q: q.meeting_id),
    ("region", lambda q: q.region.slug),
    ("sector", lambda q: _slug(q.sector)),
    ("origin", lambda q: q.origin),
    ("language", lambda q: q.language),
    ("status", lambda q: q.status),
    ("text", lambda q: q.text),
    ("handling", lambda q: q.handling),
    ("answer", lambda q: q.answer),
    ("referred_to", lambda q: _slug(q.referred_to)),
    ("published_at", lambda q: _iso(q.published_at)),
    ("answered_at", lambda q: _iso(q.answered_at)),
], lambda: selectors.public_questions().order_by("id"))

COMMITMENTS = Dataset("commitments", [
    ("id", lambda c: c.pk),
    ("meeting_id", lambda c: c.meeting_id),
    ("meeting_date", lambda c: c.meeting.starts_at.astimezone(local_zone()).date().isoformat()),
    ("meeting_body", lambda c: c.meeting.body.slug),
    ("meeting_region", lambda c: c.meeting.region.slug),
    ("text", lambda c: c.text),
    ("responsible_body", lambda c: _slug(c.responsible_body)),
    ("responsible_region", lambda c: _slug(c.responsible_region)),
    ("deadline", lambda c: _iso(c.deadline)),
    ("status", lambda c: c.status),
    ("progress", lambda c: c.progress),
    ("evidence", lambda c: c.evidence),
    ("closed_at", lambda c: _iso(c.closed_at)),
], lambda: selectors.public_commitments().order_by("id"))

DATASETS = {d.slug: d for d in (MEETINGS, QUESTIONS, COMMITMENTS)}


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(dataset: Dataset) -> Iterator[str]:
    """CSV with a header row; starts with a byte-order mark so spreadsheet programs read Cyrillic right.

    Text that a spreadsheet would run as a formula is neutralised (see kezdesu.core.spreadsheet).
    """
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(dataset.fields)
    for record in dataset.records():
        yield writer.writerow(csv_row(record.values()))


def json_chunks(dataset: Dataset) -> Iterator[str]:
    """A JSON array of objects, one per row, streamed."""
    yield "["
    for i, record in enumerate(dataset.records()):
        yield ("," if i else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"
