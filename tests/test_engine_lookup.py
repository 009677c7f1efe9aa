"""Reverse look-ups over the texts: who does a task, who supplies a data item, which passage
says it."""

from __future__ import annotations

import pytest

from tests.support.engine_ask import CT, ask


@pytest.mark.parametrize(
    "question, intent, says",
    [
        (
            "thí điểm đổi vỏ lon chai nhựa lấy dầu ăn giấy vệ sinh là việc của sở nào",
            "tasks",
            "Sở",
        ),
        (
            "ai hướng dẫn thu gom bao gói thuốc bảo vệ thực vật",
            "tasks",
            "bao gói thuốc bảo vệ thực vật",
        ),
        (
            "tổng khối lượng nước sạch cấp cho đô thị năm 2022 thì đơn vị nào cung cấp",
            "data_requests",
            "m3",
        ),
        (
            "thông tư liên tịch 05/2016 hướng dẫn về cái gì",
            "documents",
            "bao gói thuốc bảo vệ thực vật",
        ),
        ("đề án trồng 1 tỷ cây xanh theo quyết định số mấy", "documents", "524"),
    ],
)
def test_the_one_text_that_explains_the_question_answers_it(question, intent, says):
    ans = ask(question)
    assert intent == ans["intent"] and says in ans["text"], ans["text"][:300]
    assert "Nguồn:" in ans["text"]


def test_a_task_names_the_successor_of_an_old_agency_name():
    """The 2024 plan names Sở GTVT; the reply gives Sở Xây dựng, with the document's wording."""
    ans = ask("việc kiểm soát khí thải phương tiện giao thông là nhiệm vụ của sở nào")
    assert "tasks" == ans["intent"] and "Sở Xây dựng (Sở Giao thông vận tải)" in ans["text"], ans[
        "text"
    ][:300]


def test_weather_small_talk_is_not_answered_from_a_task():
    assert ask("thời tiết hôm nay thế nào")["intent"] in ("unknown", "clarify", "help")


def test_who_does_a_task_found_by_its_words_names_its_one_agency():
    ans = ask("cơ quan nào kêu gọi tạp hóa đổi chai nhựa, vỏ hộp lấy dầu ăn")
    assert ans["intent"] == "tasks" and ans["agency"] == CT, ans["text"][:300]


def test_the_forms_asked_with_a_month_are_the_data_not_a_deadline():
    ans = ask("tháng 2 năm 2023 Sở Nội vụ nộp biểu số mấy")
    assert ans["intent"] == "data_requests" and ans["agency"] == "Sở Nội vụ", ans["text"][:300]
