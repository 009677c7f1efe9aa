"""An agency with something else: its indicators of one component index, or on one subject."""

from __future__ import annotations

import pytest

from tests.support.engine_ask import ask


def _codes(ans, role):
    return sorted(
        (i["code"] for i in ans["indicators"] if i["role"] == role),
        key=lambda c: [int(x) for x in c.split(".")],
    )


def test_an_agency_and_a_component_index_gives_only_that_components_indicators():
    ans = ask("Sở NN&MT chủ trì những chỉ số nào trong CSTP 2 vậy")
    assert ("agency_indicators", "Sở Nông nghiệp và Môi trường") == (ans["intent"], ans["agency"])
    assert ["2.1", "2.2", "2.3", "2.4", "2.6", "2.8", "2.9", "2.10"] == _codes(ans, "lead")


def test_an_agency_and_a_subject_gives_its_indicators_on_that_subject():
    ans = ask("Sở Công Thương có chỉ số nào về khu, cụm công nghiệp không")
    assert ["1.6", "2.11"] == _codes(ans, "lead") and ans["understood"] is None


def test_the_official_name_outweighs_a_paraphrase_of_the_lexicon():
    """ "nước sạch" is the name of 1.5; 1.13 (basic services after disasters) only mentions
    water."""
    assert ["1.5"] == _codes(ask("Sở Xây dựng có chỉ số nào về nước sạch k"), "lead")


def test_a_component_the_plan_does_not_have_is_said_so():
    ans = ask("Sở Xây dựng chủ trì chỉ số nào ở CSTP 7")
    assert "unknown" == ans["intent"] and not ans["indicators"]


def test_a_commune_whose_name_holds_a_cue_word_is_recognised():
    """ "Hữu Liên": "liên" (as in "liên quan") would end a name; the list of communes knows it."""
    ans = ask("xã em phải phối hợp chỉ số nào trong CSTP 2 ạ", as_agency="UBND xã Hữu Liên")
    assert "agency_indicators" == ans["intent"]
    assert ["2.5", "2.7", "2.8", "2.9", "2.10", "2.11"] == _codes(ans, "coordinate")


@pytest.mark.parametrize(
    "question, says",
    [
        ("chỉ số 1.12 có mấy cơ quan phối hợp", "4 cơ quan, nhóm cơ quan phối hợp."),
        ("chỉ số 1.5 có bao nhiêu đơn vị chủ trì", "2 cơ quan chủ trì."),
    ],
)
def test_an_indicators_agencies_are_counted_when_asked_how_many(question, says):
    """Each agency once; a group is one entry of its cell, and the count says so."""
    assert says in ask(question)["text"]
