"""The themes engine on its own: plain texts in, groups of positions with readable labels out."""

import re

from kezdesu.questions.themes.engine import group_texts

ROADS_RU = ["Когда отремонтируют дорогу до нашего села?", "Дорога в селе разбита, когда будет ремонт дороги?",
            "Ремонт дороги на улице Абая обещали три года назад."]
WATER_KK = ["Ауылымызда ауыз су жоқ, су құбыры қашан тартылады?", "Су құбыры тартылды, бірақ ауыз су келмейді.",
            "Ауыз су сапасы нашар, су құбыры ескі."]
SCHOOL_RU = ["Когда построят новую школу в микрорайоне?", "В школе не хватает мест, новую школу обещали.",
             "Школа переполнена, нужна новая школа."]
HOSPITAL_KK = ["Ауруханада дәрігер жетіспейді.", "Аудандық ауруханаға жаңа дәрігерлер қашан келеді?",
               "Аурухана ғимараты ескі, дәрігерлер аз."]


def _groups_of(texts):
    return {frozenset(g.members) for g in group_texts(texts)}


def test_obvious_topics_in_kazakh_and_russian_are_grouped_apart():
    texts = ROADS_RU + WATER_KK + SCHOOL_RU + HOSPITAL_KK
    groups = _groups_of(texts)
    for start in (0, 3, 6, 9):
        assert frozenset(range(start, start + 3)) in groups


def test_labels_are_words_of_their_group():
    texts = ROADS_RU + WATER_KK
    for group in group_texts(texts):
        assert group.words and group.label == ", ".join(group.words)
        words_of_group = {w for i in group.members for w in re.findall(r"\w+", texts[i].lower())}
        assert set(group.words) <= words_of_group
    labels = {g.label for g in group_texts(texts)}
    assert any("су" in label.split(", ") for label in labels)
    assert any("дороги" in label.split(", ") or "ремонт" in label.split(", ") for label in labels)


def test_the_same_input_gives_the_same_groups():
    texts = ROADS_RU + HOSPITAL_KK + SCHOOL_RU + WATER_KK
    assert group_texts(texts) == group_texts(list(texts))


def test_largest_group_first_and_every_text_once():
    texts = [*ROADS_RU, "Дорогу разбили грузовики, когда ремонт дороги?", *HOSPITAL_KK]
    groups = group_texts(texts)
    assert [len(g.members) for g in groups] == sorted((len(g.members) for g in groups), reverse=True)
    assert sorted(i for g in groups for i in g.members) == list(range(len(texts)))


def test_tiny_inputs():
    assert group_texts([]) == []
    [one] = group_texts(["Жол қашан жөнделеді?"])
    assert one.members == (0,) and one.label == "Жол қашан жөнделеді?"
    two = group_texts(["Ауыз су қашан болады?", "Жаңа мектеп қашан салынады?"])
    assert sorted(i for g in two for i in g.members) == [0, 1]


def test_identical_texts_form_one_group_and_wordless_texts_one_more():
    same = ["Газ қашан болады?"] * 4
    [group] = group_texts(same)
    assert group.members == (0, 1, 2, 3) and group.label == "газ"
    groups = group_texts([*same, "???", "12 345"])
    assert {frozenset(g.members) for g in groups} == {frozenset({0, 1, 2, 3}), frozenset({4, 5})}
    assert groups[1].label == "???"


def test_a_long_central_text_as_label_is_shortened():
    long = "Сұрақ " + "өте ұзақ мәтін " * 20
    [group] = group_texts([long])
    assert len(group.label) <= 90 and group.label.endswith("…")


WATER_RU = ["Нет питьевой воды в посёлке, когда проведут водопровод?", "Водопровод провели, но вода не идёт.",
            "Качество питьевой воды плохое, водопровод старый."]
SECTORS = {"water": ("вод", "су"), "roads-transport": ("дорог", "жол"), "health": ("больниц", "аурухана")}


def test_a_kazakh_and_a_russian_question_on_one_concept_meet_only_through_the_lexicon():
    texts = WATER_KK + WATER_RU + ROADS_RU + HOSPITAL_KK
    kazakh, russian = frozenset(range(0, 3)), frozenset(range(3, 6))
    without = _groups_of(texts)
    assert kazakh in without and russian in without
    with_lexicon = {frozenset(g.members) for g in group_texts(texts, concepts=SECTORS)}
    assert kazakh | russian in with_lexicon
    assert frozenset(range(6, 9)) in with_lexicon and frozenset(range(9, 12)) in with_lexicon


def test_a_concept_without_stems_or_without_weight_changes_nothing():
    texts = WATER_KK + WATER_RU + ROADS_RU
    assert group_texts(texts, concepts={"water": ()}) == group_texts(texts)
    unweighted = group_texts(texts, concepts=SECTORS, concept_weight=0)
    assert [(g.label, g.members) for g in unweighted] == [(g.label, g.members) for g in group_texts(texts)]


def test_a_group_names_the_concept_most_of_its_texts_carry():
    texts = WATER_KK + WATER_RU + ROADS_RU + ["Налоги на малый бизнес выросли.", "Налоги снова выросли вдвое."]
    by_members = {frozenset(g.members): g.concept for g in group_texts(texts, concepts=SECTORS)}
    assert by_members[frozenset(range(6))] == "water"
    assert by_members[frozenset(range(6, 9))] == "roads-transport"
    assert by_members[frozenset({9, 10})] == ""
    assert {g.concept for g in group_texts(texts)} == {""}
