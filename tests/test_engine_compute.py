"""Computations over plan 86's score table, each naming the table it used."""

from __future__ import annotations

import pytest

from tests.support.engine_ask import ask


@pytest.mark.parametrize(
    "question, figures, table",
    [
        (
            "CSTP 1 còn cách mục tiêu 2024 bao nhiêu điểm",
            ["4,84", "6,58", "1,74"],
            "các chỉ số thành phần",
        ),
        (
            "CSTP 4 thấp hơn trung vị cả nước bao nhiêu",
            ["4,75", "5,04", "0,29"],
            "các chỉ số thành phần",
        ),
        (
            "CSTP 2 với CSTP 4 năm 2023 cái nào cao điểm hơn",
            ["cao hơn: Chỉ số thành phần 4", "4,14"],
            "các chỉ số thành phần",
        ),
        (
            "những chỉ tiêu nào năm 2023 cao hơn trung vị cả nước",
            ["3 dòng", "34%", "54%", "69%"],
            "các dòng chỉ số của Kế hoạch 86",
        ),
        ("có mấy CSTP năm 2023 dưới trung vị", ["4 dòng"], "các chỉ số thành phần"),
    ],
)
def test_a_computation_gives_the_figures_and_names_its_table(question, figures, table):
    ans = ask(question)
    assert "scores" == ans["intent"] and ans["understood"] is None, ans["text"]
    assert all(f in ans["text"] for f in figures), ans["text"]
    assert f"Bảng dùng: {table}" in ans["text"]


def test_rows_equal_to_the_median_are_listed():
    text = ask("các chỉ tiêu nào bằng đúng trung vị cả nước năm 2023")["text"]
    assert all(f in text for f in ("76%", "39%", "37%")), text


@pytest.mark.parametrize(
    "question",
    [
        "năm 2023 chỉ số 2.7 (thanh tra, kiểm tra công bằng) đạt mấy %, còn trung vị là bao nhiêu",
        "cho biết điểm 2023 của chỉ số 2.7 kiểm tra công bằng và trung vị cả nước",
    ],
)
def test_one_named_row_with_a_relation_word_in_its_name_gives_its_score_and_median(question):
    # "công bằng" (fair) holds "bằng" (equal): one named row, not the rows equal to the median
    text = ask(question)["text"]
    assert "27%" in text and "31%" in text, text


@pytest.mark.parametrize(
    "question, head, rows, absent",
    [
        # a number after a relation is a value, though "4,5" folds like code 4.5
        (
            "chỉ số thành phần nào có điểm trên 4,5",
            "2 dòng có điểm năm 2023 > 4,5",
            ["4,84", "4,75"],
            ["4,14"],
        ),
        ("CSTP nào xếp hạng dưới 58", "dòng có xếp hạng năm 2023 < 58", ["51", "57"], ["60"]),
        (
            "chỉ tiêu nào có thứ hạng mục tiêu 32 năm 2024",
            "1 dòng có thứ hạng mục tiêu năm 2024 = 32",
            ["Chỉ số 3.1 của Kế hoạch 86/KH-STNMT", "cùng mã số trong kế hoạch hiện hành"],
            [],
        ),
        ("có mấy chỉ số đạt từ 50% trở lên", "9 dòng có điểm năm 2023 ≥ 50%", [], []),
        ("which components scored above 4.5", "2 dòng", ["4,84"], ["3,60"]),
    ],
)
def test_rows_compared_with_a_figure_are_listed_with_their_figures(question, head, rows, absent):
    """Score, rank, target or target rank against a number: the rows that pass, counted, from the
    table the answer names."""
    ans = ask(question)
    text = ans["text"]
    assert "scores" == ans["intent"] and ans["understood"] is None, text
    assert head in text and all(r in text for r in rows), text
    assert not any(a in text for a in absent), text
    assert "Bảng dùng:" in text


def test_a_rank_premise_is_no_threshold():
    """ "xếp hạng 62 đúng không" checks the province's rank; it lists no rows ranked 62."""
    ans = ask("Lạng Sơn xếp hạng 62 đúng không")
    assert ans["text"].startswith("Đúng vậy: 62/63."), ans["text"]


def test_a_rank_named_just_after_a_target_is_the_target_rank():
    """ "mục tiêu đạt hạng 1": plan 86's target rank column (indicators 1.4 and 4.1 of its
    numbering), not the 2023 rank."""
    ans = ask("chỉ số nào có mục tiêu đạt hạng 1 vào năm 2024")
    assert ans["intent"] == "scores"
    assert "mục tiêu" in ans["text"]
    assert "phổ biến" in ans["text"] and "tư vấn" in ans["text"]


def test_plan_86_rows_are_named_by_its_numbering_and_by_the_current_plan_s_code():
    """Plan 86 numbers its rows its own way: row 2.6 ("phối hợp liên ngành") is the current
    plan's 2.8; the rows equal to the median say both."""
    text = ask("những chỉ số nào năm 2023 tỉnh đạt bằng đúng trung vị cả nước")["text"]
    assert "Chỉ số 2.6 của Kế hoạch 86/KH-STNMT" in text
    assert "(chỉ số 2.8 của kế hoạch hiện hành)" in text


def test_a_sum_of_money_is_declined_whatever_else_the_question_says():
    """ "bao nhiêu tỷ": the plans state no budget, though "triển khai" is a task's word and
    "kinh phí" opens the question like "kính" opens a letter."""
    ans = ask("kinh phí triển khai kế hoạch PGI của tỉnh năm nay bao nhiêu tỷ")
    assert ans["intent"] == "unknown"
    assert not ans.get("indicators") and not ans.get("indicator")


def test_a_superlative_over_the_indicators_of_one_component():
    """ "trong CSTP Đảm bảo tuân thủ, chỉ số nào …": plan 86's rows of component 2 only; its
    worst 2023 rank is row 2.2 (47th)."""
    text = ask("trong CSTP Đảm bảo tuân thủ chỉ số nào xếp hạng kém nhất năm 2023")["text"]
    assert "2.2" in text and "47" in text
    assert "Chỉ số 1.1 của" not in text


def test_places_between_a_rank_and_its_target_rank():
    """ "tăng bao nhiêu bậc": component 4 ranked 51st in 2023 with a target of 21st in 2024, 30
    places up (plan 86), not a difference of scores."""
    ans = ask("CSTP 4 từ thứ hạng 2023 đến thứ hạng mục tiêu 2024 tăng mấy bậc")
    assert ans["intent"] == "scores"
    assert "tăng 30 bậc" in ans["text"]


def test_the_component_that_fell_most_since_2022_from_the_plan_s_own_figures():
    """The 2024 plan states the changes since 2022 (components 1, 2, 3 fell by 0,53, 1,32, 0,97):
    the largest fall is component 2's, quoted from the plan."""
    ans = ask("chỉ số thành phần nào giảm điểm mạnh nhất so với năm 2022")
    assert ans["intent"] == "scores"
    assert "giảm 1,32" in ans["text"] and "0,53" not in ans["text"]
