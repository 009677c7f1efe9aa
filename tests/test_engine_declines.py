"""What the documents do not hold is declined, with what they do hold — never answered from
another row."""

from __future__ import annotations

import pytest

from tests.support.engine_ask import ask


@pytest.mark.parametrize(
    "question, now, says",
    [
        ("điểm CSTP 5 năm 2023", None, "Không có chỉ số thành phần 5"),
        ("điểm 2023 của chỉ số cung cấp nước sạch là bao nhiêu", None, "1.5"),
        (
            "điểm năm 2023 của chỉ số trả chi phí không chính thức cho thanh tra là bao nhiêu",
            None,
            "2.7",
        ),
        ("hạn nộp báo cáo thực hiện kế hoạch 18 năm 2026 là khi nào", None, "18/KH-UBND"),
        ("số liệu bộ chỉ số BVMT năm 2024 nộp hạn nào", "2024-01-10", "2024"),
        ("ai ký kế hoạch 18/KH-UBND", None, "không cho biết người ký"),
        ("Sở Xây dựng đã nộp số liệu BVMT chưa", None, "/tiendo"),
        ("kết quả bộ chỉ số BVMT năm 2022 của tỉnh được bao nhiêu điểm", None, "2022"),
        # an amount of money: the plans state none, whatever indicator the words resemble
        ("Kinh phí thực hiện kế hoạch PGI năm 2026 là bao nhiêu tỷ đồng?", None, "số tiền"),
        ("Ngân sách bao nhiêu tiền để thực hiện chỉ số 3.3", None, "kinh phí"),
        ("Tỉnh bố trí bao nhiêu tiền để làm PGI", None, "ngân sách"),
        # the list of communes says nothing of the districts they came from
        ("huyện Cao Lộc cũ nay gồm những xã nào", None, "huyện cũ nào"),
        ("xã Đồng Đăng trước thuộc huyện nào", None, "UBND các xã, phường"),
    ],
)
def test_a_fact_the_documents_lack_is_declined(question, now, says):
    ans = ask(question, now=now)
    assert ans["intent"] in ("unknown", "clarify") and not ans["indicators"], ans["text"][:300]
    assert not (ans["indicator"] or {}).get("lead") and says in ans["text"], ans["text"][:300]


@pytest.mark.parametrize(
    "question",
    ["còn phối hợp thì sao ạ", "chỉ số đó được bao nhiêu điểm", "chỉ số này ai chủ trì"],
)
def test_a_follow_up_without_its_subject_is_not_answered_from_a_guess(question):
    """A pointer at an indicator said before ("chỉ số đó"), with nothing before it: no row, no
    table."""
    ans = ask(question)
    assert ans["intent"] in ("unknown", "clarify") and ans["indicator"] is None
    assert not ans["indicators"] and "Tổng điểm" not in ans["text"]


@pytest.mark.parametrize(
    "question",
    ["Cục Quản lý thị trường phối hợp những chỉ số nào", "cuc thue tinh chu tri chi so gi"],
)
def test_a_central_body_the_plans_never_name_is_declined(question):
    ans = ask(question)
    assert ans["intent"] == "unknown" and not ans["indicators"], ans["text"][:300]
    assert "không phải cơ quan cấp tỉnh" in ans["text"], ans["text"][:300]


@pytest.mark.parametrize(
    "question", ["Trung tâm thì lo những chỉ số nào", "trung tam duoc giao chi so gi"]
)
def test_a_bare_kind_of_body_is_asked_about_even_when_one_body_has_it(question):
    ans = ask(question)
    assert ans["intent"] == "clarify" and ans["agency"] is None, ans["text"][:300]
    assert not ans["indicators"], ans["text"][:300]


@pytest.mark.parametrize(
    "question, code",
    [
        ("DN thiếu kinh phí đầu tư xanh thì chỉ số nào", "4.2"),
        ("tiền đầu tư xanh chiếm bao nhiêu phần trăm chi phí vận hành, ai chủ trì", "3.7"),
    ],
)
def test_money_as_an_indicator_subject_is_no_budget_question(question, code):
    """A lack of funds or a share of costs is what an indicator measures: it is answered."""
    ans = ask(question)
    assert (ans["indicator"] or {}).get("code") == code, ans["text"][:300]


@pytest.mark.parametrize(
    "question", ["bên ấy phối hợp mấy chỉ số", "cơ quan đó chủ trì chỉ số nào vậy"]
)
def test_a_body_pointed_at_but_never_named_is_asked_about(question):
    """ "bên ấy", "cơ quan đó" with no body named before: which one is asked, no indicator list."""
    ans = ask(question)
    assert ans["intent"] in ("unknown", "clarify")
    assert not ans.get("indicators")
    assert "cơ quan nào" in ans["text"]


def test_a_named_officer_is_not_in_the_documents():
    """ "chuyên viên nào … tên là gì": the documents name no officer of a department."""
    ans = ask("chuyên viên nào của Sở Xây dựng theo dõi PGI vậy")
    assert ans["intent"] in ("unknown", "clarify")
    assert not ans.get("indicators")


@pytest.mark.parametrize(
    "question",
    [
        "Sở Hải quan và Biên phòng tỉnh Lạng Sơn phối hợp chỉ số nào",
        "nhiệm vụ của Sở Biển và Hải đảo trong kế hoạch",
    ],
)
def test_a_department_no_province_has_is_asked_about(question):
    """A "Sở …" that is neither in the registry nor one of the departments a province may have
    is no body to answer for with the groups' roles (a name near a registered one is asked
    about with choices instead: "Sở Năng lượng" / "Sở Công Thương")."""
    ans = ask(question)
    assert ans["intent"] in ("unknown", "clarify")
    assert not ans.get("indicators")
    assert "Xin kiểm tra lại tên" in ans["text"]


def test_a_real_department_the_plans_do_not_name_holds_its_groups_roles():
    """Sở Tư pháp exists in every province though the plans never name it: the groups of
    provincial bodies it belongs to lead 3.1 and 3.2."""
    ans = ask("Sở Tư pháp chủ trì chỉ số nào")
    assert ans["intent"] == "agency_indicators"
    assert {"3.1", "3.2"} <= {i["code"] for i in ans["indicators"]}


def test_a_pointing_phrase_that_folds_like_a_subject_is_no_subject():
    """ "chỉ số đó thì ai phối hợp": "đó thì" folds as "đô thị" (urban), written otherwise; no
    indicator was named, none is answered."""
    ans = ask("chỉ số đó thì ai phối hợp")
    assert ans["intent"] in ("unknown", "clarify")
    assert not ans.get("indicator")


def test_another_province_opening_the_question_is_not_a_greeting():
    """ "Đà Nẵng …" folds as "dạ …", a polite opening; written so it is the province."""
    ans = ask("Đà Nẵng giao sở nào chủ trì chỉ số về nước sạch?")
    assert ans["intent"] == "unknown"
    assert "Đà Nẵng" in ans["text"]
    assert not ans.get("indicator")
