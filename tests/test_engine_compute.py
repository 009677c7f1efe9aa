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
