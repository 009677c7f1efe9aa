"""Agency names that contain everyday words ("giáo", "khí", "hội") and codes typed without a space."""

from __future__ import annotations

import pytest

from tests.support.engine_ask import ask


@pytest.mark.parametrize(
    ("question", "agency"),
    [
        ("Sở Giáo dục chủ trì chỉ số nào", "Sở Giáo dục và Đào tạo"),
        ("so giao duc phu trach gi", "Sở Giáo dục và Đào tạo"),
        ("Đài Khí tượng phối hợp chỉ số nào", "Đài Khí tượng Thủy văn tỉnh"),
        ("Hiep hoi doanh nghiep tinh phoi hop chi so nao", "Hiệp hội doanh nghiệp tỉnh"),
        ("Sở Giao thông phụ trách chỉ số nào", "Sở Xây dựng"),
    ],
)
def test_names_with_everyday_words_are_agencies(question, agency):
    """A name is read whole even when one of its words is also a question word elsewhere."""
    assert ("agency_indicators", agency) == (ask(question)["intent"], ask(question)["agency"])


def test_component_code_typed_without_a_space():
    """"cstp2 chi so 4" is indicator 2.4."""
    r = ask("cstp2 chi so 4 ai chu tri")
    assert ("indicator_agencies", "2.4") == (r["intent"], r["indicator"]["code"])
