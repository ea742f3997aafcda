"""Group short texts (citizens' questions in Kazakh and Russian, often mixed) into themes with readable labels.

Pure: no Django. Texts in, groups of their positions out; the same input always gives the same groups.

- Texts become TF-IDF vectors of character n-grams inside words (`char_wb`), so that inflected forms share
  most of their n-grams: «жолдар», «жолды», «жолын» or «дороги», «дорогу», «дорогами» land near each other
  without a stemmer or a downloaded language model.
- Optional concepts (the site passes the registry sectors' routing stems in Kazakh and Russian) add one
  column each to the texts with a word that starts with one of their stems, so that «су» and «вода»,
  sharing no n-gram, still come near each other.
- Up to `SAMPLE` texts are grouped by average-linkage agglomerative clustering on cosine distances with a
  distance threshold: the number of groups follows from the data. Beyond the sample, each remaining text
  joins the group whose centroid is nearest, so memory stays O(SAMPLE²) and 10,000 texts take seconds.
- A group's label is its two or three most distinctive whole words (how much more often the group uses a
  word than the other texts do), in the form the group uses most; when no word is shared by enough of the
  group, the label is its shortest central text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfTransformer

# Cosine distance under which average-linkage groups merge (tuned on the tuning half of bench/data).
DISTANCE_THRESHOLD = 0.95
# Texts clustered pairwise; the others are assigned to the nearest group's centroid.
SAMPLE = 1500
SEED = 12
# A word labels a group when at least this share of the group's texts use it.
LABEL_MIN_SHARE = 0.3
LABEL_WORDS = 3
LABEL_MAX_CHARS = 90
# Word forms sharing this many first letters count as one word for the labels («жолдар», «жолдары»).
STEM = 5

# Small lists of words that say nothing about a theme: function words and the words of any question.
STOP_WORDS = frozenset("""
    және мен пен бен да де та те ма ме ба бе па пе ғой ше шы ші бұл осы сол ол біз біздің бізге бізде
    мен менің сіз сіздер сіздің олар оның үшін туралы бойынша дейін кейін қашан неге неліктен қалай
    қандай қай кім не нені неше қанша жоқ бар емес болады болды болып бола бола ма ма? керек тиіс
    мүмкін әлі тағы да деп қазір енді жыл жылы жылдан көп аз өте ең ғана тек барлық әр бір екі
    сұрақ сұрағым сұраймын өтінемін рахмет құрметті министр мырза ханым
    и в во на не что как так по за из от до для при о об про с со к ко у а но или же ли бы то это
    этот эта эти этого мы нас нам наш наши нашем нашей нашего вы вас вам ваш они их им он она оно
    когда почему зачем где куда сколько какой какая какие каких кто чем будет будут было были есть
    нет уже еще ещё всё все всех очень может можно нужно надо ли также только между после через
    вопрос прошу просим спасибо уважаемый господин министр год года лет
    the a an and or of to in on for with is are be will when why how what who which there this that
    do does can our we please question minister it at by as or no if so up us
    ол ей ее их им да ну уж ко со во из ок
""".split())

# Weight of a concept column (see `_concept_columns`) beside the L2-normalised n-gram row; tuned on the
# tuning half of bench/data together with the threshold.
CONCEPT_WEIGHT = 0.4

# Two letters make a word: «су» (water) is one of the most asked-about.
WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Group:
    """One theme: its label, the words it was made of (empty when the label is a text), the positions of
    its texts in the input, most central first, and the concept found in at least half of its texts and
    in more of them than any other ("" when none is, or when no concepts were given)."""

    label: str
    words: tuple[str, ...]
    members: tuple[int, ...]
    concept: str = ""


def _normalise(text: str) -> str:
    """The text's content words, lower-cased (stop words, digits and punctuation dropped)."""
    return " ".join(w for w in WORD.findall(text.lower().replace("ё", "е")) if w not in STOP_WORDS)


def _vectors(texts: Sequence[str]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows of the texts' character 3- to 5-grams inside words (`char_wb`).

    `char_wb` takes its n-grams from each space-padded word alone, so a text's counts are the sum of its
    words' counts: the n-grams of each distinct word are made once (far fewer words than texts) and
    summed by a text-by-word matrix. The n-grams are hashed into 2**20 slots rather than collected in a
    vocabulary; collisions are rare at that size."""
    by_word = CountVectorizer(analyzer=str.split, dtype=np.float32)
    text_words = by_word.fit_transform(texts)
    word_ngrams = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**20, alternate_sign=False,
                                    norm=None, dtype=np.float32).transform(by_word.get_feature_names_out())
    # Only the slots in use are kept as columns, so that products with group centroids stay small.
    used, columns = np.unique(word_ngrams.indices, return_inverse=True)
    word_ngrams = sparse.csr_matrix((word_ngrams.data, columns, word_ngrams.indptr),
                                    shape=(word_ngrams.shape[0], len(used)))
    return TfidfTransformer(sublinear_tf=True).fit_transform(text_words @ word_ngrams).astype(np.float32).tocsr()


def _stems(stems: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted({" ".join(_normalise_word(w) for w in stem.split()) for stem in stems if stem.strip()}))


def _normalise_word(word: str) -> str:
    return word.lower().replace("ё", "е")


def _concept_hits(normalised: Sequence[str], concepts: Mapping[str, Sequence[str]]) -> sparse.csr_matrix:
    """One 0/1 column per concept (in the order of `sorted(concepts)`): 1 in the rows of the texts with a
    word that starts with one of the concept's stems (a stem of two words matches two words in a row)."""
    rows, cols = [], []
    for col, name in enumerate(sorted(concepts)):
        stems = _stems(concepts[name])
        if not stems:
            continue
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in stems) + ")")
        for row, text in enumerate(normalised):
            if pattern.search(text):
                rows.append(row)
                cols.append(col)
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(normalised), len(concepts)))


def _with_concepts(vectors: sparse.csr_matrix, hits: sparse.csr_matrix | None, weight: float) -> sparse.csr_matrix:
    """The n-gram rows with the concept columns (times `weight`) appended, L2-normalised again."""
    if hits is None or weight <= 0 or not hits.nnz:
        return vectors
    joined = sparse.hstack([vectors, hits * np.float32(weight)], format="csr")
    norms = np.sqrt(np.asarray(joined.multiply(joined).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags((1.0 / norms).astype(np.float32)) @ joined).tocsr()


def _dominant(members: Sequence[int], concepts_of: Mapping[int, tuple[str, ...]]) -> str:
    """The concept found in at least half of the texts and in more of them than any other, else ""."""
    counts = Counter(c for i in members for c in concepts_of.get(i, ()))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if not ranked or ranked[0][1] * 2 < len(members) or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return ""
    return ranked[0][0]


def _cluster_sample(vectors: sparse.csr_matrix, threshold: float) -> np.ndarray:
    similarity = (vectors @ vectors.T).toarray()
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=threshold)
    return model.fit_predict(distance)


def _centroids(vectors: sparse.csr_matrix, labels: np.ndarray, k: int) -> sparse.csr_matrix:
    onehot = sparse.csr_matrix((np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
                               shape=(k, len(labels)))
    sums = onehot @ vectors
    norms = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ sums


def assign(vectors: sparse.csr_matrix, threshold: float = DISTANCE_THRESHOLD) -> tuple[np.ndarray, np.ndarray]:
    """Return one group number per row of `vectors` (L2-normalised TF-IDF rows), and each row's cosine
    similarity to the centroid of its group (of the sampled rows of the group, beyond `SAMPLE` rows)."""
    n = vectors.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int), np.ones(1)
    if n <= SAMPLE:
        labels = _cluster_sample(vectors, threshold)
        centroids = _centroids(vectors, labels, int(labels.max()) + 1)
        similarity = (vectors @ centroids.T).tocsr()
    else:
        rng = np.random.default_rng(SEED)
        sample = np.sort(rng.choice(n, size=SAMPLE, replace=False))
        sample_labels = _cluster_sample(vectors[sample], threshold)
        centroids = _centroids(vectors[sample], sample_labels, int(sample_labels.max()) + 1)
        similarity = (vectors @ centroids.T).tocsr()
        labels = np.asarray(similarity.argmax(axis=1)).ravel()
        labels[sample] = sample_labels
    return labels, np.asarray(similarity[np.arange(n), labels]).ravel()


def _stem(word: str) -> str:
    return word[:STEM]


def _words_of(normalised: Sequence[str]) -> list[dict[str, str]]:
    """For each normalised text, its distinct content words: stem -> the first form used."""
    result = []
    for text in normalised:
        words: dict[str, str] = {}
        for word in text.split():
            words.setdefault(_stem(word), word)
        result.append(words)
    return result


def _label_words(members: Sequence[int], words: list[dict[str, str]], df: Counter, n: int) -> tuple[str, ...]:
    size = len(members)
    inside: Counter = Counter()
    forms: dict[str, Counter] = defaultdict(Counter)
    for i in members:
        for stem, form in words[i].items():
            inside[stem] += 1
            forms[stem][form] += 1
    rest = n - size
    scored = []
    for stem, count in inside.items():
        share = count / size
        if share < LABEL_MIN_SHARE or (size > 1 and count < 2):
            continue
        outside = (df[stem] - count) / rest if rest else 0.0
        scored.append((share - outside, count, stem))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    chosen = []
    for _score, _count, stem in scored[:LABEL_WORDS]:
        form, _ = min(forms[stem].items(), key=lambda item: (-item[1], len(item[0]), item[0]))
        chosen.append(form)
    return tuple(chosen)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= LABEL_MAX_CHARS:
        return text
    return text[:LABEL_MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _group(members: list[int], texts: Sequence[str], words: list[dict[str, str]], df: Counter,
           concept: str = "") -> Group:
    chosen = _label_words(members, words, df, len(texts)) if len(members) > 1 else ()
    if chosen:
        return Group(label=", ".join(chosen), words=chosen, members=tuple(members), concept=concept)
    central = members[: max(3, len(members) // 3)]
    return Group(label=_shorten(min((texts[i] for i in central), key=lambda t: (len(t), t))), words=(),
                 members=tuple(members), concept=concept)


def _cluster(normalised: list[str], lettered: list[int], threshold: float,
             concepts: Mapping[str, Sequence[str]] | None, concept_weight: float
             ) -> tuple[dict[int, list[int]], dict[int, tuple[str, ...]]]:
    """Cluster the texts with letters: each cluster's positions (most central first), and the concepts each
    position carries."""
    kept = [normalised[i] for i in lettered]
    hits = _concept_hits(kept, concepts) if concepts else None
    concepts_of: dict[int, tuple[str, ...]] = {}
    if hits is not None:
        names = sorted(concepts)
        for row, position in enumerate(lettered):
            found = hits.indices[hits.indptr[row]:hits.indptr[row + 1]]
            if len(found):
                concepts_of[position] = tuple(names[c] for c in found)
    labels, closeness = assign(_with_concepts(_vectors(kept), hits, concept_weight), threshold)
    members_of: dict[int, list[int]] = defaultdict(list)
    for row in sorted(range(len(lettered)), key=lambda r: (-closeness[r], r)):
        members_of[int(labels[row])].append(lettered[row])
    return members_of, concepts_of


def group_texts(texts: Sequence[str], *, threshold: float = DISTANCE_THRESHOLD,
                concepts: Mapping[str, Sequence[str]] | None = None,
                concept_weight: float = CONCEPT_WEIGHT) -> list[Group]:
    """Return the themes of `texts`, largest first (ties: the earliest text first). Every position of
    `texts` is in exactly one group, most central first; an empty input gives no groups. Texts without a
    content word (only digits, signs or stop words) form one group labelled by their shortest text.

    `concepts` maps a concept's name to its word stems (in any language): a text with a word starting
    with one of them gets the concept as one more feature, so that texts in two languages about one
    concept («су», «вода») come closer although they share no n-gram."""
    if not texts:
        return []
    normalised = [_normalise(t) for t in texts]
    lettered = [i for i, t in enumerate(normalised) if t]
    members_of, concepts_of = _cluster(normalised, lettered, threshold, concepts, concept_weight) \
        if lettered else ({}, {})
    words = _words_of(normalised)
    df: Counter = Counter(stem for w in words for stem in w)
    groups = [_group(members, texts, words, df, _dominant(members, concepts_of)) for members in members_of.values()]
    wordless = [i for i, t in enumerate(normalised) if not t]
    if wordless:
        groups.append(_group(wordless, texts, words, df))
    groups.sort(key=lambda g: (-len(g.members), min(g.members)))
    return groups
