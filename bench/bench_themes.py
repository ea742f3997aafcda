"""Themes of citizens' questions: how well the grouping matches topics a person assigned, and how long
10,000 questions take.

The labelled set `bench/data/questions.tsv` holds 320 questions (10 topics, 16 in Kazakh and 16 in Russian
each). Rows at even positions of each topic and language are the tuning half (the engine's threshold and
the weight of the sectors' stems were chosen on them); rows at odd positions are the held-out half, used
for no choice. Prints, without and with the registry sectors' routing stems (read from
`kezdesu/registry/data/sectors.csv`, no database), the adjusted Rand index of each half against the
topics, against topic and language, and within each language (on character n-grams alone a Kazakh and a
Russian question on one topic share few n-grams, so a theme per topic and language is what they can
reach), then the time for 10,000 questions resampled from the set with small perturbations.

    .venv/bin/python bench/bench_themes.py
"""

from __future__ import annotations

import csv
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from kezdesu.questions.themes.engine import group_texts  # noqa: E402

DATA = ROOT / "bench" / "data" / "questions.tsv"
SECTORS = ROOT / "kezdesu" / "registry" / "data" / "sectors.csv"
LARGE = 10_000


def load() -> tuple[list[dict], list[dict]]:
    """Return the tuning half and the held-out half of the labelled set."""
    with DATA.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    position: dict[tuple[str, str], int] = defaultdict(int)
    tuning, held_out = [], []
    for row in rows:
        key = (row["topic"], row["language"])
        (tuning if position[key] % 2 == 0 else held_out).append(row)
        position[key] += 1
    return tuning, held_out


def lexicon() -> dict[str, tuple[str, ...]]:
    """The registry sectors' routing stems (Kazakh and Russian), as the site passes them: slug -> stems."""
    with SECTORS.open(encoding="utf-8") as f:
        return {row["slug"]: tuple(s.strip().lower() for s in row["keywords"].split(";") if s.strip())
                for row in csv.DictReader(f)}


def predicted(texts: list[str], concepts=None) -> list[int]:
    labels = [0] * len(texts)
    for number, group in enumerate(group_texts(texts, concepts=concepts)):
        for i in group.members:
            labels[i] = number
    return labels


def ari(rows: list[dict], *, by_language: bool = False, concepts=None) -> float:
    texts = [r["text"] for r in rows]
    truth = [r["topic"] + "/" + r["language"] if by_language else r["topic"] for r in rows]
    return adjusted_rand_score(truth, predicted(texts, concepts))


def report(name: str, rows: list[dict], concepts=None) -> None:
    groups = group_texts([r["text"] for r in rows], concepts=concepts)
    per_language = " ".join(
        f"{lang}={ari([r for r in rows if r['language'] == lang], concepts=concepts):.3f}" for lang in ("kk", "ru"))
    mixed = sum(1 for g in groups if len({rows[i]["language"] for i in g.members}) == 2)
    print(f"{name}: {len(rows)} questions, {len(groups)} themes ({mixed} in both languages); "
          f"ARI against topic={ari(rows, concepts=concepts):.3f}, "
          f"against topic+language={ari(rows, by_language=True, concepts=concepts):.3f}, "
          f"within one language: {per_language}")


def perturbed(rows: list[dict], n: int, seed: int = 7) -> list[tuple[str, str]]:
    """`n` questions resampled from `rows` with the topic and language of each, each with a word dropped or
    two words swapped, a place name or a number added, and its case or punctuation changed, so that few
    are exact copies."""
    rng = random.Random(seed)
    places = ["Жаңатас", "Қосшы", "Абай", "Ақсу", "Степногорск", "Шу", "Лисаковск", "Қарабұлақ", "Балхаш"]
    out = []
    for _ in range(n):
        row = rng.choice(rows)
        words = row["text"].split()
        if len(words) > 4 and rng.random() < 0.5:
            del words[rng.randrange(len(words))]
        if len(words) > 3 and rng.random() < 0.5:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        if rng.random() < 0.5:
            words.append(rng.choice(places))
        if rng.random() < 0.3:
            words.append(str(rng.randrange(1, 300)))
        text = " ".join(words)
        text = text.upper() if rng.random() < 0.05 else text.rstrip("?.") + rng.choice(["?", ".", "!", ""])
        out.append((text, row["topic"] + "/" + row["language"]))
    return out


def main() -> None:
    tuning, held_out = load()
    sectors = lexicon()
    for name, concepts in (("without the lexicon", None), ("with the sectors' stems", sectors)):
        print(f"-- {name}")
        report("tuning half", tuning, concepts)
        report("held-out half", held_out, concepts)
        report("whole set", tuning + held_out, concepts)
    sample = perturbed(tuning + held_out, LARGE)
    texts = [text for text, _truth in sample]
    for name, concepts in (("without the lexicon", None), ("with the sectors' stems", sectors)):
        start, cpu = time.perf_counter(), time.process_time()
        groups = group_texts(texts, concepts=concepts)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        labels = [0] * len(texts)
        for number, group in enumerate(groups):
            for i in group.members:
                labels[i] = number
        truth = [truth for _text, truth in sample]
        topic = [t.split("/")[0] for t in truth]
        print(f"{LARGE} questions {name} grouped in {elapsed:.2f} s wall ({cpu:.2f} s CPU) into "
              f"{len(groups)} themes, ARI against topic {adjusted_rand_score(topic, labels):.3f}, "
              f"against topic+language {adjusted_rand_score(truth, labels):.3f} "
              f"(largest: {', '.join(f'{g.label} ({len(g.members)})' for g in groups[:3])})")


if __name__ == "__main__":
    main()
