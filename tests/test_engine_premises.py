"""Premises with numbers and dates are checked against the documents, true or false."""

from __future__ import annotations

import pytest

from tests.support.engine_ask import ask


@pytest.mark.parametrize(
    "question, now, intent, verdict",
    [
        (
            "CSTP 2 năm 2023 được 5,99 điểm hả",
            None,
            "scores",
            "Không đúng: theo văn bản là 4,14, không phải 5,99.",
        ),
        ("năm 2023 Lạng Sơn được 17,33 điểm PGI đúng không", None, "scores", "Đúng vậy: 17,33."),
        (
            "PGI 2023 tỉnh mình xếp 60/63 phải k",
            None,
            "scores",
            "Không đúng: theo văn bản là 62/63",
        ),
        ("mục tiêu 2024 tỉnh phấn đấu xếp thứ 20/63 hả", None, "scores", "theo văn bản là 25/63"),
        (
            "hạn gửi số liệu bộ chỉ số BVMT 2022 là 15/3/2023 à",
            "2023-02-15",
            "deadlines",
            "theo văn bản là 28/02/2023",
        ),
        (
            "Sở TNMT tổng hợp báo cáo UBND tỉnh trước 20/12/2024 đúng không",
            "2024-12-01",
            "deadlines",
            "Đúng vậy: 20/12/2024.",
        ),
        (
            "kế hoạch 18 có 40 chỉ số đúng không",
            None,
            "documents",
            "theo văn bản là 42, không phải 40",
        ),
        ("CSTP 3 có 8 chỉ số phải không", None, "documents", "theo văn bản là 10, không phải 8"),
        (
            "kế hoạch 18 ban hành ngày 12/01/2026 phải không",
            None,
            "documents",
            "theo văn bản là 21/01/2026",
        ),
        (
            "biểu mẫu 24 là của Sở Y tế đúng không",
            None,
            "data_requests",
            "theo văn bản là Sở Tài chính, không phải Sở Y tế",
        ),
    ],
)
def test_a_stated_value_is_confirmed_or_corrected(question, now, intent, verdict):
    ans = ask(question, now=now)
    assert intent == ans["intent"] and verdict in ans["text"], ans["text"][:300]


def test_a_code_written_with_a_comma_is_no_stated_value():
    """ "chỉ tiêu 1,5 … đúng không" names indicator 1.5; it states no value to check."""
    ans = ask("chỉ tiêu 1,5 do Sở Xây dựng chủ trì đúng không")
    assert ("indicator_agencies", "1.5") == (ans["intent"], ans["indicator"]["code"])


def test_a_bare_decimal_opening_the_question_is_a_code_not_a_premise():
    """ "2.4 thì đơn vị nào chủ trì nhỉ": "nhỉ" asks for agreement, but the 2.4 opening the
    question is indicator 2.4, no figure to check; "17,33 điểm … đúng không" is a figure."""
    ans = ask("2.4 thì đơn vị nào chủ trì nhỉ")
    assert ans["intent"] == "indicator_agencies"
    assert ans["indicator"]["code"] == "2.4"
    assert "Đúng vậy: 17,33" in ask("17,33 điểm là điểm PGI 2023 đúng không")["text"]
