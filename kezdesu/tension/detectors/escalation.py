"""Escalation signals from the content of one week's appeals (pure Python).

Three pieces of evidence, all cheap and explainable:

* the share of complaints among the week's appeals;
* the number of collective appeals (``signatories >= COLLECTIVE_SIGNATORIES``);
* keyword categories (strike, hunger strike, rally, protest, unpaid wages, ...) found in
  Kazakh or Russian text.

Matching.  Text is NFKC-normalised and case-folded; inside words that mix scripts,
Latin look-alikes are mapped to Cyrillic (``"ереуiл"`` typed with a Latin i);
``ё`` becomes ``е``; and the Kazakh-specific letters are folded to their closest Russian
ones (``ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, һ→х, і→и``) because people often type Kazakh on a
Russian layout.  Patterns are folded the same way.  Every pattern word is a *stem*
that must start a word and may be followed by any ending, which covers the
inflection of both languages (``забастовку``, ``ереуілге``, ``аштық жарияладық``).
A "near" pattern requires two stems within a few words of each other in either order
(``задолженность по заработной плате``, ``зарплату не выплачивают``).

Score (documented weights, each keyword category counted once per week):
``hunger_strike`` 3, ``self_harm`` 3, ``strike`` 2, ``rally`` 2, ``protest`` 1,
``unpaid_wages`` 1, ``layoffs`` 1; collective appeals 2 for the first plus 0.5 for
each further one (at most +1); a complaint share of at least 75 % among at least 5
appeals adds 1.  ``strength`` is "strong" when a category of weight >= 2 was found or
there is a collective appeal, "weak" when the score is at least 1, else "none".

Against the cell's usual rate (:func:`escalation_counts` with ``usual``, the counts of the
weeks before).  A wording that is part of the cell's ordinary mail ("wages not paid on
time" every week) is no rise.  A keyword category, the collective appeals and a high
complaint share each count only when they rose:

* a category or collective appeals seen less than ``RARE_PER_WEEK`` times a week on average
  (about five a year) count from the first appeal, as without a history;
* otherwise they count when this week's number is improbable under the usual share of the
  week's appeals: ``P(X >= observed) < RISE_P`` for ``X`` Poisson with mean
  ``usual share * appeals this week``;
* a high complaint share counts when it is improbable under the usual complaint share
  (binomial upper tail ``< RISE_P``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from scipy import stats

from .model import AppealFact, ContentCounts, EscalationSignal

COLLECTIVE_SIGNATORIES = 10
RARE_PER_WEEK = 0.1
RISE_P = 0.01
HIGH_COMPLAINT_SHARE = 0.75
MIN_APPEALS_FOR_SHARE = 5

# Kind names as the registry or a person may write them.
_KIND_ALIASES = {
    "complaint": "complaint",
    "жалоба": "complaint",
    "шағым": "complaint",
    "request": "request",
    "заявление": "request",
    "запрос": "request",
    "өтініш": "request",
    "proposal": "proposal",
    "предложение": "proposal",
    "ұсыныс": "proposal",
    "report": "report",
    "отклик": "report",
    "сообщение": "report",
    "хабарлама": "report",
}

CATEGORY_WEIGHTS: dict[str, float] = {
    "hunger_strike": 3.0,
    "self_harm": 3.0,
    "strike": 2.0,
    "rally": 2.0,
    "protest": 1.0,
    "unpaid_wages": 1.0,
    "layoffs": 1.0,
}
STRONG_WEIGHT = 2.0

# Each entry: (category, pattern).  A pattern is either a phrase (tuple of stems that
# follow each other) or ("near", phrase_a, phrase_b, max_words_between).  Alternatives
# inside a stem are written with "|"; a leading "=" makes a stem a whole word ("=не").
_Phrase = tuple[str, ...]
_PATTERNS: tuple[tuple[str, tuple], ...] = (
    # --- hunger strike
    ("hunger_strike", ("голодовк",)),
    ("hunger_strike", ("голодн", "забастовк|акци")),
    ("hunger_strike", ("near", ("объяв",), ("голод",), 2)),
    ("hunger_strike", ("near", ("аштық",), ("жариял|акция|ереуіл",), 2)),
    ("hunger_strike", ("аштыққа", "отыр")),
    # --- self-harm threats
    ("self_harm", ("самосожж",)),
    ("self_harm", ("near", ("поджечь|подожгу|подожжем|облить|обольем",), ("себя",), 2)),
    ("self_harm", ("near", ("өзін|өзімізді|өзімді",), ("өрте|өртейм|өлтір",), 2)),
    # --- strike
    ("strike", ("забастов",)),
    ("strike", ("бастов|бастую|бастует|бастуют|бастуем",)),
    ("strike", ("стачк",)),
    ("strike", ("ереуіл",)),
    # --- rally / march / picket
    ("rally", ("митинг",)),
    ("rally", ("пикет",)),
    ("rally", ("шестви",)),
    ("rally", ("шеру",)),
    ("rally", ("near", ("жаппай",), ("жиналыс|жиналамыз|жиналды",), 1)),
    # --- protest / discontent
    ("protest", ("протест",)),
    ("protest", ("наразылы",)),
    ("protest", ("near", ("акци",), ("несоглас",), 2)),
    # --- unpaid wages
    (
        "unpaid_wages",
        (
            "near",
            ("задолженн|задолжал|задержк|задерж|невыплат|долг|долги",),
            ("зарплат|заработн|зп|жалован",),
            3,
        ),
    ),
    ("unpaid_wages", ("near", ("=не", "выплач|выплат|плат|получ|дают|выда"), ("зарплат|заработн|зп",), 3)),
    (
        "unpaid_wages",
        (
            "near",
            ("жалақ|айлық",),
            ("төленбе|төлемей|төлемед|төлемеу|берешег|берешек|қарыз|кешіктір|бермей|бермед|берілме|алмай|алмад",),
            3,
        ),
    ),
    # --- mass layoffs
    ("layoffs", ("near", ("массов",), ("сокращ|увольн",), 2)),
    ("layoffs", ("near", ("жаппай",), ("қысқар|жұмыстан",), 2)),
)

_KAZAKH_FOLD = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
                              "і": "и", "ё": "е"})
# Latin letters that look like Cyrillic ones; only applied inside words that already
# contain Cyrillic, so Latin text is left alone.
_LOOKALIKES = str.maketrans({"a": "а", "c": "с", "e": "е", "i": "і", "k": "к", "o": "о", "p": "р", "x": "х",
                             "y": "у", "h": "һ", "m": "м", "t": "т", "b": "в"})
_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SEP = r"[\W_]+"


def _fix_mixed(match: re.Match[str]) -> str:
    word = match.group(0)
    if _CYRILLIC.search(word) and re.search(r"[a-z]", word):
        return word.translate(_LOOKALIKES)
    return word


def normalise(text: str) -> str:
    """Return ``text`` in the folded form patterns are matched against (see module doc)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _WORD.sub(_fix_mixed, folded)
    return folded.translate(_KAZAKH_FOLD)


def _stem(stem: str) -> str:
    if stem.startswith("="):
        return rf"{re.escape(normalise(stem[1:]))}(?!\w)"
    alternatives = "|".join(re.escape(normalise(s)) for s in stem.split("|"))
    return rf"(?:{alternatives})\w*"


def _phrase(words: _Phrase) -> str:
    return _SEP.join(_stem(w) for w in words)


def _compile(pattern: tuple) -> re.Pattern[str]:
    if pattern and pattern[0] == "near":
        _, a, b, gap = pattern
        pa, pb = _phrase(a), _phrase(b)
        between = rf"(?:{_SEP}\w+){{0,{gap}}}{_SEP}"
        body = rf"(?:{pa}{between}{pb}|{pb}{between}{pa})"
    else:
        body = _phrase(pattern)
    return re.compile(rf"(?<!\w){body}")


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((category, _compile(pattern)) for category, pattern in _PATTERNS)


def keyword_categories(text: str | None) -> tuple[str, ...]:
    """Return the sorted keyword categories found in ``text`` (empty for None or blank)."""
    if not text or not text.strip():
        return ()
    norm = normalise(text)
    return tuple(sorted({category for category, rx in _compiled() if rx.search(norm)}))


def _kind(kind: str) -> str:
    key = kind.strip().casefold()
    return _KIND_ALIASES.get(key, key)


def tally(appeals: Iterable[AppealFact]) -> ContentCounts:
    """Returns the counts of one week's appeals: complaints, collective appeals, appeals per keyword category."""
    n = 0
    complaints = 0
    collective = 0
    hits: dict[str, int] = {}
    for appeal in appeals:
        n += 1
        if _kind(appeal.kind) == "complaint":
            complaints += 1
        if max(appeal.signatories or 1, 1) >= COLLECTIVE_SIGNATORIES:
            collective += 1
        for category in keyword_categories(appeal.text):
            hits[category] = hits.get(category, 0) + 1
    return ContentCounts(appeals=n, complaints=complaints, collective=collective, hits=hits)


def _risen(observed: float, usual_total: float, week: ContentCounts, usual: ContentCounts | None) -> bool:
    """True when ``observed`` appeals this week are more than the cell's usual rate explains."""
    if observed <= 0:
        return False
    if usual is None or usual.weeks <= 0 or usual_total / usual.weeks < RARE_PER_WEEK:
        return True
    if usual.appeals > 0:
        mean = usual_total / usual.appeals * week.appeals
    else:
        mean = usual_total / usual.weeks
    return bool(stats.poisson.sf(observed - 1, mean) < RISE_P)


def _share_risen(week: ContentCounts, usual: ContentCounts | None) -> bool:
    n = week.appeals
    if n < MIN_APPEALS_FOR_SHARE or week.complaints / n < HIGH_COMPLAINT_SHARE:
        return False
    if usual is None or usual.appeals <= 0:
        return True
    usual_share = min(usual.complaints / usual.appeals, 1.0)
    return bool(stats.binom.sf(week.complaints - 1, n, usual_share) < RISE_P)


def _score(categories: tuple[str, ...], collective: int, high_share: bool) -> float:
    score = sum(CATEGORY_WEIGHTS[c] for c in categories)
    if collective:
        score += 2.0 + min(0.5 * (collective - 1), 1.0)
    return score + (1.0 if high_share else 0.0)


def escalation_counts(week: ContentCounts, usual: ContentCounts | None = None) -> EscalationSignal:
    """The escalation signal of one week's counts, judged against the cell's ``usual`` counts (the
    weeks before; None: no history, everything counts).  See the module doc for the rules."""
    usual_hits = usual.hits if usual is not None else {}
    categories = tuple(sorted(c for c, n in week.hits.items()
                              if c in CATEGORY_WEIGHTS and _risen(n, usual_hits.get(c, 0.0), week, usual)))
    collective = week.collective if _risen(week.collective, usual.collective if usual else 0, week, usual) else 0
    score = _score(categories, collective, _share_risen(week, usual))
    strong = collective > 0 or any(CATEGORY_WEIGHTS[c] >= STRONG_WEIGHT for c in categories)
    strength = "strong" if strong else ("weak" if score >= 1.0 else "none")
    return EscalationSignal(
        complaint_share=week.complaints / week.appeals if week.appeals else 0.0,
        collective=collective,
        keywords=categories,
        score=score,
        n_appeals=week.appeals,
        strength=strength,
        hits={k: float(v) for k, v in week.hits.items()},
    )


def escalation(appeals: Iterable[AppealFact]) -> EscalationSignal:
    """Compute the escalation signal of one week's appeals, without a history.

    Returns an :class:`EscalationSignal` (all zeros for an empty week).  Never raises
    for odd input: unknown kinds count as non-complaints, ``signatories < 1`` as 1.
    """
    return escalation_counts(tally(appeals))


__all__ = ["CATEGORY_WEIGHTS", "COLLECTIVE_SIGNATORIES", "escalation", "escalation_counts", "keyword_categories",
           "normalise", "tally"]
