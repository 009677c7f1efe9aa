"""Questions typed as officials type them and framed as they frame them (issue 14).

Each test is a kind of question, not one question: the plans' words abbreviated on a phone ("cs"
for chỉ số, "ct"/"ph" for chủ trì/phối hợp, "bn", "lq", "kq"), a senior introducing himself to the
bot ("anh là …"), the asker's unit inside the body introduced ("…, phòng …"), the one who asked the
asker to ask ("sếp bảo em hỏi"), a gap between a score and its target, a legal instrument asked
for, a numbered item of the 2022 request and its note.
"""

from __future__ import annotations

import pytest

from kb.ask import context
from kb.normalize import normalize
from tests.support.engine_ask import CAT, CT, CTN, NNMT, TC, XD, ask


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("cs 1.5", "chi so 1.5"),
        ("ai ct, ai ph", "ai chu tri ai phoi hop"),
        ("so ct", "so cong thuong"),  # the department, not "chủ trì"
        ("la bn", "la bao nhieu"),
        ("bn oi", "ban oi"),  # the friend addressed, no count
        ("ct ubnd tinh", "chu tich ubnd tinh"),
        ("kq pgi", "ket qua pgi"),
        ("ptrach cs nao", "phu trach chi so nao"),
    ],
)
def test_phone_abbreviations_of_the_plans_words_are_written_out(typed, read):
    assert normalize(typed) == read


@pytest.mark.parametrize(
    ("q", "agency"),
    [
        ("so xd ph nhung cs j", XD),
        ("sct ct cs nao", CT),
        ("stc lq toi cs nao vay", TC),
    ],
)
def test_an_agency_asked_in_phone_typing_gets_its_indicators(q, agency):
    ans = ask(q)
    assert ans["intent"] == "agency_indicators", ans["text"][:300]
    assert ans["agency"] == agency


@pytest.mark.parametrize("q", ["cs 1.5 ai ph", "cs 2.2 do ai ct z"])
def test_an_indicator_asked_in_phone_typing_gets_its_agencies(q):
    ans = ask(q)
    assert ans["intent"] == "indicator_agencies", ans["text"][:300]


def test_a_senior_introducing_himself_is_context():
    reading = context.read(
        "Chào em, chị là chuyên viên Sở Xây dựng, em liệt kê các chỉ số sở mình"
    )
    intro = normalize("chị là chuyên viên Sở Xây dựng").split()
    assert {reading.toks[i] for i in reading.context} >= set(intro)


def test_the_asker_s_unit_inside_the_body_carries_the_introduction_on():
    q = "Em bên Sở Công Thương, phòng Quản lý công nghiệp. Xin hỏi đơn vị em chủ trì chỉ số nào"
    ans = ask(q)
    assert ans["intent"] == "agency_indicators", ans["text"][:300]
    assert ans["agency"] == CT


def test_who_asked_the_asker_to_ask_is_accounted_for():
    q = "Dạ em ở Công an tỉnh, sếp giao em hỏi đơn vị mình phối hợp những chỉ số nào ạ"
    ans = ask(q)
    assert ans["intent"] == "agency_indicators", ans["text"][:300]
    assert ans["agency"] == CAT


def test_the_gap_between_score_and_target_is_the_planned_increase():
    ans = ask("chỉ số nào chênh lệch giữa kết quả 2023 và mục tiêu 2024 nhiều nhất")
    assert ans["intent"] == "scores", ans["text"][:300]
    assert "mức tăng dự kiến" in ans["text"].split("\n")[0], ans["text"][:300]


def test_a_gap_with_no_target_named_is_still_the_gap_to_the_median():
    ans = ask("chỉ số thành phần nào có khoảng cách tới trung vị lớn nhất")
    assert ans["intent"] == "scores", ans["text"][:300]
    assert "trung vị" in ans["text"].split("\n")[0], ans["text"][:300]


def test_a_legal_instrument_asked_is_answered_by_the_text_citing_it():
    ans = ask("văn bản nào hướng dẫn việc thu gom, xử lý bao gói thuốc bảo vệ thực vật")
    assert "05/2016" in ans["text"], ans["text"][:300]


def test_a_numbered_item_of_the_2022_request_is_shown_with_its_note():
    ans = ask("biểu mẫu 24 chi ngân sách sự nghiệp môi trường có ghi chú gì không")
    assert ans["intent"] == "data_requests", ans["text"][:300]
    assert "sự nghiệp khoa học" in ans["text"]


@pytest.mark.parametrize(
    ("q", "figure"),
    [
        ("chỉ số nào đặt mục tiêu năm 2024 cao nhất", "81%"),
        ("chỉ số thành phần nào có mục tiêu thấp nhất", "4,38"),
    ],
)
def test_the_highest_or_lowest_target_is_read_from_the_target_column(q, figure):
    ans = ask(q)
    first = ans["text"].split("\n")[0]
    assert "mục tiêu năm 2024" in first and figure in first, ans["text"][:300]


@pytest.mark.parametrize("q", ["pgi la viet tat cua j", "vcci viết tắt của gì vậy"])
def test_an_abbreviation_typed_in_lower_case_is_still_asked_about(q):
    ans = ask(q)
    assert ans["intent"] == "documents", ans["text"][:300]
    assert "viết tắt của" in ans["text"]


@pytest.mark.parametrize(
    ("q", "codes", "absent"),
    [
        ("chỉ số nào có nhiều cơ quan chủ trì nhất", ["2.6"], ["1.13"]),
        ("những chỉ số nào có đúng ba cơ quan chủ trì", ["1.13", "2.4"], ["2.6"]),
        ("chỉ số nào có hơn 2 cơ quan chủ trì", ["1.13", "2.4", "2.6"], ["1.5"]),
        ("chi so nao co nhieu don vi phoi hop nhat", ["1.13"], ["2.6"]),
    ],
)
def test_the_number_of_an_indicator_s_agencies_is_counted_from_the_plan(q, codes, absent):
    ans = ask(q)
    assert ans["intent"] == "indicator_agencies", ans["text"][:300]
    listed = [line.split()[1] for line in ans["text"].split("\n") if line.startswith("• ")]
    assert set(codes) <= set(listed) and not set(absent) & set(listed), listed


def test_an_indicator_named_keeps_its_own_agencies_when_their_number_is_asked():
    ans = ask("chỉ số 2.6 có mấy cơ quan chủ trì")
    assert ans["indicator"]["code"] == "2.6", ans["text"][:300]


@pytest.mark.parametrize(
    ("q", "way"),
    [
        ("chỉ số nào có khoảng cách với trung vị nhỏ nhất", "thấp nhất"),
        ("chỉ số thành phần nào còn cách mục tiêu ít nhất", "thấp nhất"),
        ("thành phần nào có khoảng cách tới mục tiêu lớn nhất", "cao nhất"),
    ],
)
def test_the_smallest_or_largest_gap_is_the_one_asked(q, way):
    first = ask(q)["text"].split("\n")[0]
    assert way in first, first


@pytest.mark.parametrize(
    "q", ["Chi cục Kiểm lâm phối hợp chỉ số nào", "chi cuc kiem lam lq cs nao"]
)
def test_a_sub_department_the_plans_do_not_name_is_no_indicator_topic(q):
    ans = ask(q)
    assert ans["intent"] != "indicator_agencies", ans["text"][:300]
    assert (ans["agency"] or "").startswith("Chi cục"), ans["text"][:300]


def test_tieu_cuc_is_no_head_of_a_body_s_name():
    ans = ask("chỉ số về thiên tai ảnh hưởng tiêu cực đến doanh nghiệp do ai chủ trì")
    assert ans["intent"] == "indicator_agencies", ans["text"][:300]


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("đường hỏng sau mưa lũ lâu sửa là chỉ số nào ai chủ trì", "1.12"),
        ("cán bộ môi trường gây khó dễ doanh nghiệp thuộc chỉ số nào", "2.7"),
        ("doanh nghiệp bị kiểm tra dồn dập thì tính vào chỉ số nào", "2.6"),
        ("nước máy bị đục thì ai chủ trì chỉ số đó", "1.5"),
    ],
)
def test_everyday_symptoms_name_their_indicator(q, code):
    ans = ask(q)
    assert ans["intent"] == "indicator_agencies", ans["text"][:300]
    assert ans["indicator"]["code"] == code


@pytest.mark.parametrize(
    ("q", "role", "agency"),
    [
        ("đơn vị nào phải chủ trì nhiều chỉ số nhất", "chủ trì", NNMT),
        ("sở nào phối hợp nhiều chỉ số nhất?", "phối hợp", NNMT),
        ("which agency leads the most indicators", "chủ trì", NNMT),
    ],
)
def test_the_agency_with_the_most_indicators_is_counted_from_the_assignment_table(q, role, agency):
    ans = ask(q)
    head = ans["text"].split("\n")[0]
    assert ans["intent"] == "indicator_agencies" and role in head, ans["text"][:300]
    assert agency in ans["text"] and "Chỉ số thành phần 1" not in ans["text"], ans["text"][:300]


def test_the_agency_with_the_fewest_indicators_of_a_component_is_counted_there():
    ans = ask("cơ quan nào chủ trì ít chỉ số nhất trong chỉ số thành phần 2")
    assert ans["intent"] == "indicator_agencies" and "(11 chỉ số)" in ans["text"], ans["text"]


@pytest.mark.parametrize(
    ("q", "as_agency", "intent", "agency"),
    [
        (
            "Dạ em chào, em bên Công an tỉnh. Cho em hỏi nhiệm vụ của đơn vị trong kế hoạch PGI?",
            None,
            "tasks",
            CAT,
        ),
        ("nhiệm vụ của cơ quan theo kế hoạch PGI 2024 là gì", XD, "tasks", XD),
        (
            "Tôi là cán bộ Sở Tài chính. Trách nhiệm của đơn vị trong kế hoạch PGI là gì?",
            None,
            "agency_indicators",
            TC,
        ),
    ],
)
def test_of_the_unit_points_back_at_the_asker_s_own_body(q, as_agency, intent, agency):
    ans = ask(q, as_agency=as_agency)
    assert ans["intent"] == intent and ans["agency"] == agency, ans["text"][:300]


def test_of_the_lead_agency_is_no_self_reference():
    ans = ask("nhiệm vụ của cơ quan chủ trì chỉ số 1.1 là gì", as_agency=XD)
    assert ans["agency"] != XD, ans["text"][:300]


@pytest.mark.parametrize(
    ("q", "intent"),
    [
        ("Sở Công Thương có trách nhiệm gì theo bảng phân công", "agency_indicators"),
        ("Sở Công Thương phải làm gì theo kế hoạch 18", "agency_indicators"),
        ("Sở Công Thương có nhiệm vụ gì năm 2026", "agency_indicators"),
        ("Sở Công Thương có nhiệm vụ gì năm 2024", "tasks"),
    ],
)
def test_the_assignment_table_or_its_year_selects_the_agency_s_indicators(q, intent):
    ans = ask(q)
    assert ans["intent"] == intent and ans["agency"] == CT, ans["text"][:300]


@pytest.mark.parametrize(
    "q",
    [
        "Kính gửi bộ phận hỗ trợ, Sở Tài chính chủ trì chỉ số nào",
        "Good afternoon, which indicators does the Department of Finance lead?",
        "Sở Tài chính chủ trì chỉ số nào? Trước đây Sở Xây dựng có nhiệm vụ tuyên truyền.",
    ],
)
def test_polite_openings_and_remarks_on_the_past_leave_the_question_alone(q):
    ans = ask(q)
    assert ans["intent"] == "agency_indicators" and ans["agency"] == TC, ans["text"][:300]


def test_the_head_of_the_introduced_name_names_the_asker_again():
    ans = ask(
        "Chào bot, tôi là nhân viên Công ty cổ phần cấp thoát nước Lạng Sơn. "
        "Công ty có nhiệm vụ gì trong kế hoạch PGI 2024?"
    )
    assert ans["intent"] == "tasks" and ans["agency"] == CTN, ans["text"][:300]


def test_a_word_that_only_holds_a_relation_word_asks_no_difference():
    ans = ask("chỉ số về thanh tra công bằng năm 2023 được bao nhiêu điểm")
    assert ans["intent"] == "scores", ans["text"][:300]


def test_at_least_before_a_number_is_no_superlative():
    """ "ít nhất 1 lần" (at least once), typed without marks: the question is the indicator of
    firms receiving inspection teams (2.6), not the body with the fewest indicators."""
    ans = ask(
        "nam qua cty nao cung phai tiep doan kiem tra moi truong it nhat 1 lan,"
        " chi so do ai chu tri"
    )
    assert ans["intent"] == "indicator_agencies"
    assert ans["indicator"]["code"] == "2.6"
