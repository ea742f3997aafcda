"""The engine's reasons in words: a sentence per code, in Kazakh, Russian and English."""

import dataclasses
import datetime
import re

from django.utils import translation

from kezdesu.planning.messages import MESSAGES, reason_text, reasons_text
from kezdesu.planning.solver import Assignment, BodySpec, Code, PlanningProblem, Week, check, explain_infeasible
from kezdesu.planning.solver.instances import national_instance
from kezdesu.planning.solver.reasons import Reason, reason

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(str(text)))


def test_every_code_has_a_sentence():
    assert set(MESSAGES) == set(Code)


def test_every_sentence_is_translated_with_the_same_placeholders():
    for code, message in MESSAGES.items():
        words = {}
        for lang in ("en", "kk", "ru"):
            with translation.override(lang):
                words[lang] = str(message)
        # A missing Russian sentence would fall back to the Kazakh one (the default language), and a
        # missing Kazakh one to the English msgid: all three must differ.
        assert len(set(words.values())) == 3, (code, words)
        assert placeholders(words["kk"]) == placeholders(words["ru"]) == placeholders(words["en"]), code


def _engine_reasons() -> list[Reason]:
    """Returns reasons of many kinds, from the engine itself."""
    monday = datetime.date(2027, 1, 4)
    weeks = tuple(
        Week(i, monday + datetime.timedelta(weeks=i), working_days=2 if i == 4 else 5, quarter=1 if i < 6 else 2)
        for i in range(12)
    )
    problem = PlanningProblem(
        bodies=(BodySpec("health"), BodySpec("education", min_meetings=1, max_meetings=1)),
        regions=("astana", "almaty"),
        weeks=weeks,
        min_gap_weeks=3,
        pinned=(Assignment("health", "astana", 0),),
    )
    plan = [Assignment("health", "astana", 4), Assignment("health", "astana", 5), Assignment("x", "y", 99)]
    reasons = [*check(problem, plan), *check(problem, [*plan, plan[0]])]
    reasons += explain_infeasible(problem)
    usable_5_and_6 = BodySpec("health", blocked_weeks=frozenset(range(12)) - {5, 6})
    reasons += explain_infeasible(dataclasses.replace(problem, bodies=(usable_5_and_6,), pinned=()))
    crowded = national_instance()
    reasons += explain_infeasible(dataclasses.replace(crowded, default_capacity=0, region_capacity={"abai": 1}))
    return reasons


def test_engine_reasons_carry_exactly_the_values_their_sentence_names():
    reasons = _engine_reasons()
    assert len({r.code for r in reasons}) >= 10
    for r in reasons:
        assert set(r.params) == placeholders(MESSAGES[r.code]), r


def test_a_reason_reads_the_same_fresh_or_stored():
    why = reason(Code.USABLE_WEEKS, body="health", weeks=[2, 8])
    with translation.override("ru"):
        assert reason_text(why) == reason_text(why.as_dict()) == (
            "health может проводить встречи только на неделях 2, 8 (остальные недели заблокированы или короткие)."
        )
    with translation.override("kk"):
        assert reasons_text([why, "Дайын мәтін."]) == (
            "health тек 2, 8 апталарда кездесе алады (қалған апталар бұғатталған немесе қысқа).; Дайын мәтін."
        )
