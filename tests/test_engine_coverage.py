"""Every word accounted for: a question understood only in part is never answered confidently."""

from __future__ import annotations

from tests.support.engine_ask import ask


def test_an_unknown_index_name_makes_the_answer_partial_not_confident():
    """ "PCI" is no word of the documents: the PGI rank is given as the part understood, labelled
    so."""
    ans = ask("chỉ số PCI 2023 của Lạng Sơn xếp thứ mấy")
    assert ("clarify", ["pci"]) == (ans["intent"], ans["understood"]["not_understood"])
    assert "Tôi chỉ hiểu một phần câu hỏi" in ans["text"] and "“pci”" in ans["text"]
    assert "Tôi hiểu là bạn hỏi về điểm số và mục tiêu PGI" in ans["text"]
    assert ans["indicators"] == [] and ans["indicator"] is None


def test_the_part_understood_is_in_english_for_an_english_question():
    ans = ask("What was Lang Son's PAPI rank in 2023?", lang="en")
    assert "clarify" == ans["intent"] and "papi" in ans["understood"]["not_understood"]
    assert "I understood only part of your question" in ans["text"]


def test_a_fully_understood_question_has_no_understood_field():
    ans = ask("Sở Xây dựng chủ trì chỉ số nào")
    assert ("agency_indicators", None) == (ans["intent"], ans["understood"])


def test_synonyms_and_grammar_words_are_explained():
    """Fillers, numbers, comparison words and words of the answer's indicator leave nothing
    over."""
    for q in (
        "thủ tục giấy tờ về môi trường rườm rà nhiêu khê thì thuộc chỉ số nào, ai chủ trì",
        "đơn vị mình chủ trì những chỉ số nào nhỉ",
        "số liệu nước thải đô thị ai cung cấp",
    ):
        ans = ask(q, as_agency="Sở Xây dựng")
        assert ans["understood"] is None and ans["intent"] != "clarify", (q, ans["text"][:200])
