"""Themes of the published questions of a meeting or of a region over a period (what people ask most).

Only public questions (`Question.objects.public()`) are grouped. The grouping (labels and which questions
belong together) is kept in the shared cache under a key made of the set of questions: their ids and the
latest change among them, so a published, withdrawn or edited question gives a new key. The registry
sectors' routing stems (`Sector.keywords`, Kazakh and Russian) are passed to the engine as concepts, so
that questions in both languages about one sector come together; a digest of the stems is part of the
key, so an edited lexicon regroups. A theme most of whose questions carry one sector's stems is labelled
with the sector's name in the reader's language before its words. The order of the
questions inside a theme (most supported first, then the earliest) is read fresh on every call, because
supports are counted without touching `updated_at`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from kezdesu.meetings.models import Meeting
from kezdesu.questions.models import Question
from kezdesu.questions.themes.engine import group_texts
from kezdesu.registry.models import Region, Sector
from kezdesu.users.roles import can

EXAMPLES = 3
CACHE_SECONDS = 7 * 24 * 3600
# Part of the cache key: raise it when the engine's grouping changes.
ENGINE_VERSION = 2


@dataclass(frozen=True)
class Theme:
    """One theme: its label, how many questions it holds, the texts of the first few and all their ids
    (most supported first, then the earliest published)."""

    label: str
    size: int
    examples: tuple[str, ...]
    question_ids: tuple[int, ...]


def _stems(sectors: list[Sector]) -> dict[str, tuple[str, ...]]:
    """The sectors' routing stems, lower-cased: slug -> stems (sectors without keywords left out)."""
    lexicon = {}
    for sector in sectors:
        stems = tuple(sorted({" ".join(s.lower().split()) for s in sector.keywords.split(";") if s.strip()}))
        if stems:
            lexicon[sector.slug] = stems
    return lexicon


def _key(rows: list[tuple], lexicon: dict[str, tuple[str, ...]]) -> str:
    ids = ",".join(str(pk) for pk in sorted(row[0] for row in rows))
    latest = max(row[1] for row in rows).isoformat()
    stems = ";".join(f"{slug}={','.join(stems)}" for slug, stems in sorted(lexicon.items()))
    digest = hashlib.sha256(f"{ENGINE_VERSION}|{stems}|{latest}|{ids}".encode()).hexdigest()
    return f"questions:themes:{digest}"


def _grouping(questions: QuerySet[Question], key: str,
              lexicon: dict[str, tuple[str, ...]]) -> list[tuple[str, str, tuple[int, ...]]]:
    """(label, sector slug or "", question ids) of each theme, from the cache when it holds them."""
    grouping = cache.get(key)
    if grouping is None:
        pks, texts = [], []
        for pk, text in questions.order_by("pk").values_list("pk", "text"):
            pks.append(pk)
            texts.append(text)
        grouping = [(group.label, group.concept, tuple(pks[i] for i in group.members))
                    for group in group_texts(texts, concepts=lexicon)]
        cache.set(key, grouping, CACHE_SECONDS)
    return grouping


def themes_of(questions: QuerySet[Question], *, limit: int | None = None) -> list[Theme]:
    """The themes of `questions` (restricted here to the public ones), largest first; at most `limit`."""
    questions = questions.public().order_by()
    rows = list(questions.values_list("pk", "updated_at", "support_count", "published_at", "created_at"))
    if not rows:
        return []
    rank = {pk: (-support, published or created, pk) for pk, _changed, support, published, created in rows}
    sectors = list(Sector.objects.exclude(keywords="").order_by("slug"))
    lexicon = _stems(sectors)
    grouping = [(label, sector, tuple(pk for pk in pks if pk in rank))
                for label, sector, pks in _grouping(questions, _key(rows, lexicon), lexicon)]
    grouping = sorted((g for g in grouping if g[2]), key=lambda g: -len(g[2]))[:limit]
    names = {sector.slug: sector.name for sector in sectors}
    ordered = [(f"{names[sector]}: {label}" if sector in names else label, tuple(sorted(pks, key=rank.__getitem__)))
               for label, sector, pks in grouping]
    return _themes(ordered)


def _themes(ordered: list[tuple[str, tuple[int, ...]]]) -> list[Theme]:
    """Themes from (label, question ids in order), with the texts of their first examples."""
    texts = dict(Question.objects.filter(pk__in=[pk for _label, pks in ordered for pk in pks[:EXAMPLES]])
                 .values_list("pk", "text"))
    return [Theme(label=label, size=len(pks), examples=tuple(texts[pk] for pk in pks[:EXAMPLES]), question_ids=pks)
            for label, pks in ordered]


def meeting_themes(meeting: Meeting, *, limit: int | None = None) -> list[Theme]:
    """The themes of a meeting's published questions, largest first."""
    return themes_of(Question.objects.filter(meeting=meeting), limit=limit)


def region_themes(region: Region, *, start: dt.date, end: dt.date, limit: int | None = None) -> list[Theme]:
    """The themes of the published questions about `region` asked from `start` to `end` (both included)."""
    return themes_of(Question.objects.filter(region=region, created_at__date__range=(start, end)), limit=limit)


# The staff page: the same themes, of the questions the user may read.

def _visible(user) -> QuerySet[Question]:
    if not can(user, "question.themes"):
        return Question.objects.none()
    return Question.objects.visible_to(user).public()


def theme_meetings(user) -> QuerySet[Meeting]:
    """The meetings the user sees that have public questions the user may read, latest first."""
    return (Meeting.objects.visible_to(user).filter(pk__in=_visible(user).values("meeting"))
            .select_related("body", "region").order_by("-starts_at", "id"))


def theme_regions(user) -> QuerySet[Region]:
    """The regions of the public questions the user may read."""
    return Region.objects.filter(pk__in=_visible(user).values("region")).order_by("name_ru")


def staff_meeting_themes(user, meeting: Meeting, *, limit: int | None = None) -> list[Theme]:
    """The themes of a meeting's public questions as far as the user may read them."""
    return themes_of(_visible(user).filter(meeting=meeting), limit=limit)


def staff_period_themes(user, *, start: dt.date, end: dt.date, region: Region | None = None,
                        limit: int | None = None) -> list[Theme]:
    """The themes of the public questions the user may read, asked from `start` to `end` (both included),
    about `region` when given."""
    questions = _visible(user).filter(created_at__date__range=(start, end))
    if region is not None:
        questions = questions.filter(region=region)
    return themes_of(questions, limit=limit)
