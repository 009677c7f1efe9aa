"""The concept lexicon (kb/data/lexicon.yaml) and the one ranked text index over the KB's texts."""

from __future__ import annotations

import pytest

from kb.loader import validate
from kb.normalize import normalize
from tests.support.engine_ask import ask

LEX = "lexicon.yaml"


def _problems(sources):
    kb, problems = validate(sources)
    assert kb is None
    return [str(p) for p in problems]


def test_shipped_lexicon_is_loaded_for_every_indicator_of_the_current_plan(kb):
    """Every indicator of plan 18 has everyday phrases; they are part of the KB version."""
    codes = {e.code for e in kb.lexicon if "." in e.code}
    assert {i.code for i in kb.indicators if i.plan_id == "plan-18-2026"} == codes


def test_a_lexicon_entry_for_an_unknown_code_is_a_problem_with_its_path(shipped_sources):
    src = dict(shipped_sources)
    src[LEX] = src[LEX].replace('- code: "4.6"', '- code: "4.60"', 1)
    problems = _problems(src)
    assert any(
        p.startswith("lexicon.yaml: lexicon.indicators[41].code: '4.60' is not a code")
        for p in problems
    ), problems


def test_an_empty_phrase_list_is_a_problem(shipped_sources):
    src = dict(shipped_sources)
    src[LEX] = src[LEX].replace(
        'phrases: ["tuân thủ", "thực thi pháp luật môi trường", "compliance", "enforcement"]',
        "phrases: []",
        1,
    )
    assert any(
        "lexicon.components[1].phrases: must be a non-empty list" in p for p in _problems(src)
    )


def test_an_admin_phrase_makes_a_new_wording_findable(shipped_sources):
    """A phrase added to the lexicon file is used by the next KB version built from it."""
    from kb.ask.engine import Engine
    from kb.index import KbIndex

    q = "ai chủ trì chỉ số về chuyện đóng cửa xưởng vì khói bụi"
    src = dict(shipped_sources)
    src[LEX] = src[LEX].replace(
        '"pollution level", ', '"pollution level", "đóng cửa xưởng vì khói bụi", ', 1
    )
    kb, problems = validate(src)
    assert [] == problems
    before = ask(q)
    after = Engine(KbIndex(kb)).answer(q)
    assert (
        before["intent"] != "indicator_agencies"
        or (before["indicator"] or {}).get("code") != "1.2"
    )
    assert ("indicator_agencies", "1.2") == (after.intent, after.indicator.code)


def test_everyday_words_of_an_indicator_find_it():
    """The survey's wording, not the plan's, finds the indicator (lexicon phrases in the index)."""
    ans = ask("chi so chi phi khong chinh thuc ai chu tri")
    assert ("indicator_agencies", "2.7") == (ans["intent"], ans["indicator"]["code"])


def test_ordinary_words_are_not_read_as_a_misspelt_agency_name():
    """ "công bằng" is a word of indicator 2.9, not a typo of "Công an"."""
    ans = ask("thanh kiem tra cong bang ai chu tri")
    assert ("indicator_agencies", "2.9") == (ans["intent"], ans["indicator"]["code"])


def test_text_index_ranks_data_items_tasks_and_footnotes(engine):
    """One index over every text: a data item by its words, with the item's own form."""
    hits = engine.texts.search(normalize("bãi chôn lấp hợp vệ sinh").split(), kinds=("data_item",))
    item = engine.texts.texts[
        next(
            i
            for i, t in enumerate(engine.texts.texts)
            if t.key == hits[0].key and t.kind == "data_item"
        )
    ]
    assert "bãi chôn lấp" in item.text and "Biểu mẫu 13" in item.text


@pytest.mark.parametrize(
    "question, code",
    [
        ("ai chủ trì chỉ số doanh nghiệp thấy đoàn kiểm tra thiên vị, không công bằng", "2.9"),
        (
            "Kính gửi trợ lý, chỉ số dễ tiếp cận thông tin khí tượng do ai chủ trì. Trân trọng",
            "1.9",
        ),
    ],
)
def test_everyday_words_and_letter_closings_find_the_indicator(question, code):
    ans = ask(question)
    assert ans["intent"] == "indicator_agencies", ans["text"][:300]
    assert ans["indicator"]["code"] == code, ans["text"][:300]


@pytest.mark.parametrize(
    ("question", "code"),
    [
        # the topic index drops "không", "vì", "thiếu"; the indicators differ by those words
        ("doanh nghiệp không đầu tư xanh vì thiếu nhận thức thì ai chủ trì", "4.5"),
        ("doanh nghiệp không đầu tư xanh vì thiếu vốn thì ai chủ trì", "4.2"),
        ("DN không biết đầu tư xanh là gì nên không làm, ai chủ trì chỉ số này", "4.5"),
    ],
)
def test_a_phrase_with_grammar_words_only_one_indicator_has_names_it(question, code):
    """A run of words of one indicator's name or everyday phrases, holding a negation or a cause
    (kb/words/phrases.py), decides where the bag of content words sees several green-investment
    indicators alike."""
    r = ask(question)
    assert (r["intent"], (r["indicator"] or {}).get("code")) == ("indicator_agencies", code), r[
        "text"
    ]


def test_a_distinctive_run_of_content_words_alone_does_not_override_the_topic_index():
    """ "đoàn kiểm tra môi trường" is a run only 2.6's everyday phrases have, but it holds no
    grammar word: a question about fair inspections stays 2.9."""
    r = ask("DN phản ánh đoàn kiểm tra môi trường làm không công bằng, chỉ số này ai chủ trì")
    assert (r["indicator"] or {}).get("code") == "2.9", r["text"]


def test_phrase_index_keeps_only_runs_one_indicator_has():
    from kb.words.phrases import PhraseIndex

    idx = PhraseIndex(
        {
            "4.2": ["Không đầu tư xanh vì thiếu năng lực"],
            "4.5": ["Không đầu tư xanh vì thiếu nhận thức"],
        }
    )
    words = normalize("vì sao không đầu tư xanh vì thiếu nhận thức").split()
    hit = idx.best(words)
    assert (hit.code, hit.grammar) == ("4.5", True)
    assert idx.best(normalize("không đầu tư xanh vì thiếu").split()) is None  # both have it
