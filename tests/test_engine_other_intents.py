"""Scores, deadlines, tasks, data requests, help, out-of-scope questions, clarification, empty
input, and the English replies.

Expected facts come from the seed documents:
* 000_e642b3dde7764993.txt — plan 86/KH-STNMT: PGI 2023 scores, national medians, ranks, 2024
  targets;
* 001_c77665e9622eaef4.txt — UBND's PGI plan for 2024: tasks per agency (section II) and the
  deadlines of section III (20/7/2024 agency plans, 10/12/2024 results, 20/12/2024 Sở TN&MT's
  report);
* 004_51da78fc3bee2419.txt — Sở TN&MT's 2023 letter: data per agency (Biểu mẫu NN), deadline
  28/02/2023, phone 0205.3896.668;
* 002 (plan 18/KH-UBND, 2026) has no deadline anywhere.
"""

import re

import pytest

from tests.support.engine_ask import BQL, ask


def numbers(line):
    """The numbers of a reply line as printed: '4,84', '56%', '62/63', '58'."""
    return set(re.findall(r"\d+(?:[.,/]\d+)?%?", line))


def line_with(text, fragment):
    return next((x for x in text.splitlines() if fragment in x), "")


def deadline_map(r):
    return {d["date"]: d["status"] for d in r["deadlines"]}


# ==============================================================================================
# scores


def test_total_pgi_2023_score_rank_and_2024_targets_in_vietnamese():
    """Total PGI 2023: 17,33 points, rank 62/63; targets 2024: 22,37 points, rank 25/63 (decimal
    comma)."""
    r = ask("xếp hạng PGI 2023 của tỉnh")
    line = line_with(r["text"], "Tổng")
    assert ("scores", {"17,33", "62/63", "22,37", "25/63"}) == (
        r["intent"],
        numbers(line) & {"17,33", "62/63", "22,37", "25/63"},
    )


def test_vietnamese_scores_use_a_decimal_comma_only():
    """Vietnamese replies write 17,33, never 17.33."""
    text = ask("Lạng Sơn đạt bao nhiêu điểm PGI năm 2023")["text"]
    assert (True, False) == ("17,33" in text, "17.33" in text)


def test_total_pgi_in_english_uses_a_decimal_point():
    """English replies write 17.33 and 22.37, never 17,33."""
    text = ask("What was Lang Son's PGI score and rank in 2023?", lang="en")["text"]
    assert (True, True, True, False) == (
        "17.33" in text,
        "22.37" in text,
        "62/63" in text,
        "17,33" in text,
    )


@pytest.mark.parametrize(
    "question,intent,fact",
    [
        ("tổng điểm PGI năm 2023 của Lạng Sơn", "scores", "17,33"),
        ("điểm PGI tỉnh Lạng Sơn năm 2023", "scores", "17,33"),
        ("hạn nộp báo cáo PGI của Lạng Sơn", "deadlines", "10/12/2024"),
    ],
)
def test_the_province_name_in_a_question_is_not_an_agency(question, intent, fact):
    """'… của Lạng Sơn' / 'tỉnh Lạng Sơn' names the province, not Báo Lạng Sơn or a company: the
    question is answered."""
    r = ask(question)
    assert (intent, True) == (r["intent"], fact in r["text"])


COMPONENTS = {
    # code: (2023 score, national median, rank 2023, target 2024, target rank)
    "1": ("4,84", "6,8", "58", "6,58", "39"),
    "2": ("4,14", "5,99", "60", "6,11", "21"),
    "3": ("3,60", "4,02", "57", "4,38", "19"),
    "4": ("4,75", "5,04", "51", "5,30", "21"),
}


@pytest.mark.parametrize(
    "question,code",
    [
        ("điểm CSTP 1 năm 2023", "1"),
        ("CSTP 2 năm 2023 xếp thứ mấy", "2"),
        ("chỉ số thành phần 3 xếp hạng bao nhiêu", "3"),
        ("mục tiêu chỉ số thành phần 4 năm 2024", "4"),
        ("diem trung vi cstp 2", "2"),
    ],
)
def test_component_score_median_rank_target_and_target_rank(question, code):
    """Each component index: 2023 score, national median, 2023 rank, 2024 target and target rank
    of plan 86."""
    r = ask(question)
    line = line_with(r["text"], f"Chỉ số thành phần {code}")
    assert ("scores", set(COMPONENTS[code])) == (
        r["intent"],
        numbers(line) & set(COMPONENTS[code]),
    )


def test_component_question_answers_only_that_component():
    """Asking for CSTP 2 does not print the other components."""
    text = ask("điểm CSTP 2 năm 2023")["text"]
    assert [False, False, False] == [f"Chỉ số thành phần {c}" in text for c in "134"]


@pytest.mark.parametrize("code", list(COMPONENTS))
def test_component_scores_in_english_use_a_decimal_point(code):
    """In English, component scores are written 4.84, 6.58 …"""
    r = ask(f"score of component index {code}", lang="en")
    want = {v.replace(",", ".") for v in COMPONENTS[code]}
    assert want == numbers(line_with(r["text"], f"Component index {code}")) & want


PLAN86_INDICATORS = {
    # code: (2023 score, median, rank, 2024 target, target rank) — plan 86's own numbering
    "1.1": ("56%", "61%", "44", "81%", "2"),
    "1.4": ("54%", "64%", "16", "43%", "1"),
    "2.1": ("76%", "76%", "33", "77%", "27"),
    "2.5": ("46%", "47%", "30", "45%", "26"),
    "2.7": ("27%", "31%", "42", "50%", "2"),
    "3.3": ("69%", "64%", "18", "70%", "17"),
    "4.1": ("39%", "39%", "32", "62%", "1"),
    "4.2": ("37%", "37%", "31", "54%", "4"),
}


@pytest.mark.parametrize("code", list(PLAN86_INDICATORS))
def test_indicator_scores_of_plan_86(code):
    """'điểm chỉ số X năm 2023' gives plan 86's row X: score, median, rank, target and target
    rank."""
    r = ask(f"điểm chỉ số {code} năm 2023")
    line = line_with(r["text"], f"Chỉ số {code} của Kế hoạch 86/KH-STNMT")
    want = set(PLAN86_INDICATORS[code])
    assert ("scores", want) == (r["intent"], numbers(line) & want)


def test_indicator_1_1_scored_56_percent_in_2023():
    """Indicator 1.1 'Chất lượng môi trường tốt hoặc rất tốt' scored 56% in 2023 (target 81%)."""
    text = ask("chỉ số 1.1 năm 2023 đạt bao nhiêu điểm")["text"]
    assert (True, True) == ("56%" in text, "81%" in text)


def test_score_of_a_code_that_plan_86_does_not_have():
    """Plan 86 has no 3.4 (CSTP 3 has 3 rows there): the reply declines, says so and gives no
    number."""
    r = ask("điểm chỉ số 3.4 năm 2023")
    assert ("unknown", True, True, False) == (
        r["intent"],
        "3.4" in r["text"],
        "86/KH-STNMT" in r["text"],
        "%" in r["text"],
    )


@pytest.mark.parametrize(
    "question,value",
    [
        ("kết quả năm 2023 của chỉ số 2.6", "1%"),
        ("chỉ số 1.3 năm 2023 được bao nhiêu phần trăm", "54%"),
    ],
)
def test_result_and_percentage_questions_are_score_questions(question, value):
    """'kết quả năm 2023 của chỉ số 2.6' (plan 86: 1%) and '… bao nhiêu phần trăm' ask for a
    score."""
    r = ask(question)
    assert ("scores", True) == (r["intent"], value in r["text"])


def test_scores_cite_plan_86():
    """Score answers cite the appendix of plan 86/KH-STNMT of 19/07/2024."""
    text = ask("điểm PGI năm 2023")["text"]
    assert (True, True) == ("86/KH-STNMT" in text, "19/07/2024" in text)


# ==============================================================================================
# deadlines


@pytest.mark.parametrize(
    "now,status",
    [
        ("2024-06-15", "upcoming"),
        ("2024-07-19", "upcoming"),
        ("2024-07-20", "upcoming"),
        ("2024-07-21", "past"),
        ("2025-01-10", "past"),
    ],
)
def test_agency_plan_deadline_status_relative_to_today(now, status):
    """20/07/2024 (agency plans) is upcoming up to and including that day, past afterwards."""
    r = ask("hạn nộp kế hoạch cụ thể của đơn vị", as_agency="Sở Xây dựng", now=now)
    assert ("deadlines", status) == (r["intent"], deadline_map(r).get("2024-07-20"))


def test_past_deadline_is_labelled_as_past_in_the_text():
    """A past deadline is shown and labelled 'đã qua', never hidden."""
    r = ask("hạn nộp kế hoạch cụ thể của đơn vị", as_agency="Sở Công Thương", now="2024-07-25")
    assert ("past", True) == (deadline_map(r).get("2024-07-20"), "đã qua" in r["text"])


def test_results_report_deadline_for_a_department():
    """Departments report results by 10/12/2024; Sở TN&MT's own 20/12/2024 report is not theirs."""
    r = ask(
        "hạn báo cáo kết quả thực hiện nhiệm vụ PGI", as_agency="Sở Công Thương", now="2024-12-01"
    )
    assert ("Sở Công Thương", "upcoming", None) == (
        r["agency"],
        deadline_map(r).get("2024-12-10"),
        deadline_map(r).get("2024-12-20"),
    )


def test_focal_department_consolidated_report_deadline():
    """Sở NN&MT (as Sở TN&MT's successor) reports to UBND tỉnh by 20/12/2024."""
    r = ask(
        "hạn tổng hợp báo cáo UBND tỉnh",
        as_agency="Sở Nông nghiệp và Môi trường",
        now="2024-12-12",
    )
    assert "upcoming" == deadline_map(r).get("2024-12-20")


@pytest.mark.parametrize(
    "commune", ["UBND xã Tân Thành", "UBND phường Kỳ Lừa", "UBND phường Đông Kinh"]
)
def test_commune_gets_the_deadlines_addressed_to_the_district_committees(commune):
    """'UBND các huyện, thành phố' were succeeded by the communes: a commune's asker gets
    20/07/2024."""
    r = ask("hạn nộp kế hoạch", as_agency=commune, now="2024-07-10")
    assert (commune, "upcoming") == (r["agency"], deadline_map(r).get("2024-07-20"))


def test_commune_gets_the_2023_data_deadline_addressed_to_the_districts():
    """The 2023 letter asked 'UBND các huyện, thành phố Lạng Sơn' for data by 28/02/2023."""
    r = ask(
        "hạn gửi số liệu bộ chỉ số bảo vệ môi trường",
        as_agency="UBND phường Đông Kinh",
        now="2023-02-20",
    )
    assert "upcoming" == deadline_map(r).get("2023-02-28")


@pytest.mark.parametrize(
    "agency",
    ["Sở Y tế", "Sở Công Thương", "Công ty cổ phần cấp thoát nước Lạng Sơn", "Cục Thống kê tỉnh"],
)
def test_data_deadline_28_02_2023_for_the_letters_recipients(agency):
    """Every recipient of the 2023 letter had to answer by 28/02/2023 — past on 05/03/2023."""
    r = ask("hạn gửi số liệu bộ chỉ số BVMT", as_agency=agency, now="2023-03-05")
    assert "past" == deadline_map(r).get("2023-02-28")


def test_deadline_topic_filter_keeps_the_matching_deadline():
    """'hạn báo cáo kết quả' filters to the results report (10/12/2024), not the plan deadline
    of 20/07/2024."""
    r = ask(
        "hạn báo cáo kết quả thực hiện nhiệm vụ PGI", as_agency="Sở Xây dựng", now="2024-12-01"
    )
    assert ("upcoming", None) == (
        deadline_map(r).get("2024-12-10"),
        deadline_map(r).get("2024-07-20"),
    )


def test_all_deadlines_of_the_2024_plan():
    """The 2024 plan (section III) has three deadlines: 20/07, 10/12 and 20/12/2024, all past in
    11/2026."""
    r = ask("các thời hạn của kế hoạch PGI 2024")
    assert {"2024-07-20": "past", "2024-12-10": "past", "2024-12-20": "past"} == {
        k: v for k, v in deadline_map(r).items() if k.startswith("2024")
    }


def test_recipient_named_in_a_deadline_question_is_not_the_asker():
    """Công an tỉnh asking when to send results 'cho Sở TN&MT' gets its own deadline,
    10/12/2024."""
    r = ask("hạn gửi báo cáo kết quả cho Sở TN&MT", as_agency="Công an tỉnh", now="2024-12-05")
    assert ("Công an tỉnh", "upcoming") == (r["agency"], deadline_map(r).get("2024-12-10"))


@pytest.mark.parametrize(
    "question",
    [
        "hạn nộp báo cáo theo Kế hoạch 18/KH-UBND",
        "thời hạn thực hiện kế hoạch 18 năm 2026",
        "hạn chót chỉ số xanh năm 2026 là khi nào",
    ],
)
def test_no_deadline_is_invented_for_the_current_plan(question):
    """Plan 18/KH-UBND (2026) states no deadline: none dated 2026 or later is returned, and a
    question that names the plan or its year is declined rather than answered with other plans'
    deadlines.
    """
    r = ask(question)
    assert [] == [d for d in r["deadlines"] if d["date"] >= "2026-01-01"]
    assert r["intent"] in ("deadlines", "unknown")


@pytest.mark.parametrize(
    "question",
    ["hạn nộp báo cáo theo Kế hoạch 18/KH-UBND", "hạn chót chỉ số xanh năm 2026 là khi nào"],
)
def test_reply_says_the_current_plan_has_no_deadline_in_the_documents(question):
    """The reply says the documents give no deadline for 18/KH-UBND and points to the focal
    department."""
    text = ask(question)["text"]
    assert (True, True) == ("không nêu thời hạn" in text, "18/KH-UBND" in text)


def test_deadlines_in_english():
    """English deadline replies use English words and dates, with the Vietnamese titles of the
    documents."""
    r = ask(
        "When is the deadline for the agency implementation plans?", lang="en", now="2024-07-01"
    )
    assert ("upcoming", True, True, True) == (
        deadline_map(r).get("2024-07-20"),
        "20 Jul 2024" in r["text"],
        "days left" in r["text"],
        "Xây dựng kế hoạch cụ thể" in r["text"],
    )


def test_deadline_dates_are_written_dd_mm_yyyy_in_vietnamese():
    """Vietnamese replies write 10/12/2024."""
    text = ask(
        "hạn báo cáo kết quả thực hiện nhiệm vụ PGI", as_agency="Sở Tài chính", now="2024-12-01"
    )["text"]
    assert True is ("10/12/2024" in text)


# ==============================================================================================
# tasks


@pytest.mark.parametrize(
    "question,agency,fragments",
    [
        (
            "Sở Công Thương có nhiệm vụ gì",
            "Sở Công Thương",
            [
                "khu, cụm công nghiệp sinh thái",
                "đổi chất thải có khả năng tái chế",
                "tiếp cận các chính sách khuyến khích",
            ],
        ),
        (
            "nhiệm vụ của Công an tỉnh trong kế hoạch PGI",
            "Công an tỉnh",
            ["tìm kiếm cứu hộ, cứu nạn", "chi phí không chính thức"],
        ),
        (
            "Bộ Chỉ huy Quân sự tỉnh cần làm gì",
            "Bộ Chỉ huy Quân sự tỉnh",
            ["khắc phục các sự cố ô nhiễm môi trường và thiên tai"],
        ),
        ("Sở GD&ĐT có nhiệm vụ gì", "Sở Giáo dục và Đào tạo", ["giáo dục môi trường"]),
        ("Thanh tra tỉnh có nhiệm vụ gì", "Thanh tra tỉnh", ["không chồng chéo"]),
        ("Đài KTTV có nhiệm vụ gì", "Đài Khí tượng Thủy văn tỉnh", ["thời tiết cực đoan"]),
        (
            "nhiệm vụ của Trung tâm XTĐT",
            "Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch tỉnh",
            ["hội chợ thương mại"],
        ),
    ],
)
def test_tasks_of_an_agency(question, agency, fragments):
    """An agency's tasks are those of its section(s) in part II of the 2024 plan."""
    r = ask(question)
    assert ("tasks", agency, [True] * len(fragments)) == (
        r["intent"],
        r["agency"],
        [f in r["text"] for f in fragments],
    )


def test_finance_department_gets_the_former_planning_departments_tasks_marked():
    """Sở Tài chính: its own budget task (II.3.đ) and Sở KH&ĐT's investment task (II.4.a),
    marked as Sở KH&ĐT's."""
    text = ask("nhiệm vụ của Sở Tài chính trong kế hoạch PGI 2024")["text"]
    assert (True, True, True) == (
        "cân đối nguồn ngân sách" in text,
        "cải thiện môi trường đầu tư" in text,
        "Sở Kế hoạch và Đầu tư" in text,
    )


def test_science_department_gets_the_former_information_departments_tasks_marked():
    """Sở KH&CN: its own technology screening (II.3.d) and Sở TT&TT's media tasks (II.1.h,
    II.3.e), marked."""
    text = ask("Sở Khoa học và Công nghệ cần làm gì")["text"]
    assert (True, True, True) == (
        "sàng lọc kỹ lưỡng các công nghệ" in text,
        "định hướng truyền thông" in text,
        "Sở Thông tin và Truyền thông" in text,
    )


def test_old_name_tasks_are_answered_for_the_successor():
    """'Sở GTVT' tasks are Sở Xây dựng's now: the transport tasks (II.1.d, II.3.g) are among
    them, with a note."""
    r = ask("Sở Giao thông vận tải có nhiệm vụ gì")
    assert ("Sở Xây dựng", True, True, True) == (
        r["agency"],
        "hạ tầng giao thông" in r["text"],
        "đăng kiểm" in r["text"],
        "Sở Giao thông vận tải" in r["text"],
    )


def test_tasks_filtered_by_component():
    """'trong CSTP 3' keeps Sở Công Thương's section II.3 tasks and drops its II.2 task."""
    text = ask("nhiệm vụ của Sở Công Thương trong CSTP 3")["text"]
    assert (True, False) == (
        "đổi chất thải có khả năng tái chế" in text,
        "khu, cụm công nghiệp sinh thái" in text,
    )


def test_tasks_of_an_agency_do_not_include_other_named_agencies_tasks():
    """Sở Công Thương does not get Sở Xây dựng's construction-waste task."""
    assert False is (
        "bãi tập kết, xử lý chất thải rắn xây dựng" in ask("Sở Công Thương có nhiệm vụ gì")["text"]
    )


def test_named_department_is_not_also_one_of_the_other_departments_in_that_section():
    """In II.3, Sở Tài chính is named (đ), so the 'Các Sở, ban, ngành khác' tasks of II.3.i are
    not its."""
    text = ask("nhiệm vụ của Sở Tài chính trong CSTP 3")["text"]
    assert False is ("ưu tiên mua hàng hóa dịch vụ của các doanh nghiệp" in text)


def test_a_dash_addressed_to_district_committees_is_not_a_police_task():
    """II.3.i's second dash begins 'UBND các huyện, thành phố: chỉ đạo UBND các xã…': it is not
    Công an tỉnh's."""
    assert False is (
        "chỉ đạo UBND các xã, phường, thị trấn tuyên truyền"
        in ask("nhiệm vụ của Công an tỉnh")["text"]
    )


def test_commune_gets_the_district_committees_tasks():
    """A commune asker gets the tasks of 'UBND các huyện, thành phố' (II.1.k), marked as theirs."""
    r = ask("UBND xã Tân Thành có nhiệm vụ gì")
    assert ("UBND xã Tân Thành", True, True) == (
        r["agency"],
        "bao gói thuốc bảo vệ thực vật" in r["text"],
        "UBND các huyện, thành phố" in r["text"],
    )


def test_tasks_without_an_agency_give_the_plans_purpose():
    """'kế hoạch PGI 2024 có nhiệm vụ gì' without an agency: the plan's purpose and the
    component goals."""
    r = ask("kế hoạch PGI 2024 có mục đích gì")
    assert ("tasks", True, True) == (
        r["intent"],
        "04 chỉ số thành phần" in r["text"],
        "6,58" in r["text"],
    )


# ==============================================================================================
# data requests


@pytest.mark.parametrize(
    "question,agency,forms",
    [
        ("Sở Y tế cần cung cấp những số liệu gì", "Sở Y tế", ["Biểu mẫu 05", "Biểu mẫu 09"]),
        ("Sở Công Thương phải gửi biểu mẫu nào", "Sở Công Thương", ["Biểu mẫu 04", "Biểu mẫu 21"]),
        (
            "Sở Tài chính cung cấp số liệu gì cho bộ chỉ số bảo vệ môi trường",
            "Sở Tài chính",
            ["Biểu mẫu 24"],
        ),
        ("Sở Nội vụ cần cung cấp dữ liệu gì", "Sở Nội vụ", ["Biểu mẫu 25"]),
        (
            "BQL KKT cần cung cấp số liệu gì",
            "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
            ["Biểu mẫu 03"],
        ),
        (
            "Sở Nông nghiệp và Môi trường cần cung cấp số liệu gì",
            "Sở Nông nghiệp và Môi trường",
            ["Biểu mẫu 16", "Biểu mẫu 19", "Biểu mẫu 20"],
        ),
        (
            "Sở Xây dựng cần cung cấp dữ liệu gì",
            "Sở Xây dựng",
            [
                "Biểu mẫu 01",
                "Biểu mẫu 11",
                "Biểu mẫu 12",
                "Biểu mẫu 13",
                "Biểu mẫu 15",
                "Biểu mẫu 07",
            ],
        ),
    ],
)
def test_data_requested_of_an_agency(question, agency, forms):
    """Each recipient of the 2023 letter is told the forms (Biểu mẫu) of its section."""
    r = ask(question)
    assert ("data_requests", agency, [True] * len(forms)) == (
        r["intent"],
        r["agency"],
        [f in r["text"] for f in forms],
    )


def test_agriculture_environment_gets_the_former_rural_development_items_marked():
    """Sở NN&MT answers for Sở NN&PTNT's items (16, 19, 20) and says they were asked of Sở
    NN&PTNT."""
    text = ask("Sở NN&PTNT cung cấp số liệu gì")["text"]
    assert (True, True) == (
        "Sở Nông nghiệp và Phát triển nông thôn" in text,
        "rừng tự nhiên bị cháy" in text,
    )


def test_construction_gets_the_former_transport_departments_item_marked():
    """Sở Xây dựng also answers for Sở GTVT's item 07 (public transport vehicles), marked as Sở
    GTVT's."""
    text = ask("Sở Xây dựng cần cung cấp dữ liệu gì")["text"]
    assert (True, True) == (
        "phương tiện giao thông công cộng" in text,
        "Sở Giao thông vận tải" in text,
    )


def test_data_of_another_agency_is_not_listed():
    """Sở Y tế is not asked for Sở Xây dựng's urban waste-water data (Biểu mẫu 01)."""
    assert False is ("Biểu mẫu 01" in ask("Sở Y tế cần cung cấp những số liệu gì")["text"])


def test_statistics_office_provides_population_data():
    """Cục Thống kê provides urban and rural population and rural households."""
    r = ask("Cục Thống kê cung cấp số liệu gì")
    assert ("Cục Thống kê tỉnh Lạng Sơn", True) == (
        r["agency"],
        "Dân số khu vực nông thôn" in r["text"],
    )


def test_former_district_is_asked_about_industrial_clusters():
    """UBND huyện Cao Lộc's own item: the industrial-cluster projects in its area."""
    assert True is ("Cụm công nghiệp" in ask("UBND huyện Cao Lộc cần cung cấp số liệu gì")["text"])


@pytest.mark.parametrize(
    "question", ["Sở Y tế cần cung cấp những số liệu gì", "số điện thoại liên hệ khi gửi số liệu"]
)
def test_data_reply_gives_contact_phone_and_deadline(question):
    """Data replies give the phone 0205.3896.668 and the deadline 28/02/2023 (past in 2026)."""
    r = ask(question)
    assert ("data_requests", True, True, "past") == (
        r["intent"],
        "0205.3896.668" in r["text"],
        "28/02/2023" in r["text"],
        deadline_map(r).get("2023-02-28"),
    )


def test_data_request_in_english():
    """In English: English labels, Vietnamese items, the phone number."""
    text = ask("What data must the Department of Health provide?", lang="en")["text"]
    assert (True, True, True) == (
        "Contact" in text,
        "0205.3896.668" in text,
        "chất thải nguy hại y tế" in text,
    )


# ==============================================================================================
# help, out of scope

# The list of what the bot answers (help and out-of-scope replies); the "which agency?" reply has
# only the first.
CAPABILITIES = [
    "Ai chủ trì chỉ số 1.5?",
    "Hạn nộp báo cáo khi nào?",
    "Điểm PGI 2023 của tỉnh?",
    "Sở Công Thương có nhiệm vụ gì?",
    "Sở Y tế cần cung cấp số liệu gì?",
]


def lists_capabilities(text):
    return all(c in text for c in CAPABILITIES)


@pytest.mark.parametrize(
    "question", ["help", "/start", "bạn làm được gì", "hướng dẫn sử dụng", "/help"]
)
def test_help_questions(question):
    """'help', '/start', 'bạn làm được gì' get the help text with example questions."""
    r = ask(question)
    assert ("help", [], True) == (r["intent"], r["indicators"], lists_capabilities(r["text"]))


@pytest.mark.parametrize(
    "question",
    [
        "thời tiết Lạng Sơn hôm nay thế nào",
        "giá vàng hôm nay bao nhiêu",
        "thủ đô của Pháp là gì",
        "con mèo bay qua cửa sổ",
        "đội nào vô địch World Cup 2022",
        "cách nấu phở bò",
        "asdf qwerty zxcv",
    ],
)
def test_out_of_scope_questions_are_unknown_without_indicators(question):
    """Questions outside the plans: intent unknown, no agency, no indicators, no indicator."""
    r = ask(question)
    assert ("unknown", None, [], None) == (
        r["intent"],
        r["agency"],
        r["indicators"],
        r["indicator"],
    )


@pytest.mark.parametrize(
    "question",
    ["thời tiết Lạng Sơn hôm nay thế nào", "giá vàng hôm nay bao nhiêu", "thủ đô của Pháp là gì"],
)
def test_out_of_scope_reply_lists_what_the_bot_can_answer(question):
    """The reply to an out-of-scope question lists the kinds of questions the bot answers."""
    assert True is lists_capabilities(ask(question)["text"])


def test_football_question_with_toi_lists_what_the_bot_can_answer():
    """'kết quả bóng đá tối qua' is out of scope: the reply lists what the bot answers."""
    r = ask("kết quả bóng đá tối qua")
    assert ("unknown", True) == (r["intent"], lists_capabilities(r["text"]))


@pytest.mark.parametrize("question", ["tối nay ăn gì", "kết quả bóng đá tối qua"])
def test_out_of_scope_question_of_a_registered_user_returns_no_indicators(question):
    """A registered official asking something unrelated gets 'unknown', not their agency's
    indicators."""
    r = ask(question, as_agency="Công an tỉnh")
    assert ("unknown", []) == (r["intent"], r["indicators"])


@pytest.mark.parametrize("question", ["giá vàng hôm nay bao nhiêu", "thời tiết ngày mai ra sao"])
def test_out_of_scope_question_of_a_registered_user_without_toi(question):
    """Unrelated questions stay unknown when the asker is registered."""
    r = ask(question, as_agency="Sở Y tế")
    assert ("unknown", []) == (r["intent"], r["indicators"])


# ==============================================================================================
# clarify, empty


@pytest.mark.parametrize(
    "question", ["Sở Tài", "Sở Tài chủ trì chỉ số nào", "so tai phoi hop chi so nao"]
)
def test_ambiguous_agency_asks_which_one(question):
    """'Sở Tài' is Sở Tài chính or the former Sở Tài nguyên và Môi trường: clarify, numbered
    choices, no indicators."""
    r = ask(question)
    assert ("clarify", [], None, True, True) == (
        r["intent"],
        r["indicators"],
        r["agency"],
        "1. " in r["text"],
        "2. " in r["text"],
    )


def test_clarification_offers_both_candidates():
    """The choices name Sở Tài chính and Sở Tài nguyên và Môi trường (now Sở NN&MT)."""
    text = ask("Sở Tài chủ trì chỉ số nào")["text"]
    assert (True, True) == ("Sở Tài chính" in text, "Sở Tài nguyên và Môi trường" in text)


@pytest.mark.parametrize("question", ["", "   ", "\n\t ", "?"])
def test_empty_or_blank_question_gets_help(question):
    """An empty, blank or punctuation-only message gets the help text, with no indicators."""
    r = ask(question)
    assert ("help", [], None, True) == (
        r["intent"],
        r["indicators"],
        r["indicator"],
        bool(r["text"].strip()),
    )


# ==============================================================================================
# English


@pytest.mark.parametrize(
    "question,english,vietnamese",
    [
        (
            "Sở Xây dựng chủ trì chỉ số nào",
            ["Lead", "indicators in plan"],
            ["Chất lượng dịch vụ: Cung cấp nước sạch"],
        ),
        (
            "chỉ số 1.5 ai chủ trì",
            ["Lead:", "Coordinate:", "Indicator 1.5"],
            ["Sở Xây dựng (nước sạch đô thị)"],
        ),
        (
            "điểm CSTP 1 năm 2023",
            ["score", "target", "median"],
            ["Giảm thiểu ô nhiễm môi trường và thiên tai"],
        ),
        ("Sở Công Thương có nhiệm vụ gì", ["Tasks of"], ["cụm công nghiệp sinh thái"]),
        ("Sở Y tế cần cung cấp những số liệu gì", ["Data", "Deadline"], ["Biểu mẫu 05"]),
        ("help", ["I answer questions"], ["Sở Xây dựng chủ trì chỉ số nào?"]),
        ("giá vàng hôm nay bao nhiêu", ["I can't answer"], ["Sở Y tế cần cung cấp số liệu gì?"]),
        (
            "Sở TN&MT chủ trì chỉ số nào",
            ["is now", "answering for"],
            ["Sở Nông nghiệp và Môi trường"],
        ),
    ],
)
def test_english_replies_have_english_words_and_vietnamese_facts(question, english, vietnamese):
    """lang='en' translates the words around the facts; names and document text stay Vietnamese."""
    text = ask(question, lang="en")["text"]
    assert [True] * (len(english) + len(vietnamese)) == [w in text for w in english + vietnamese]


# ==============================================================================================
# message size


@pytest.mark.parametrize(
    "question",
    [
        "Sở NN&MT phụ trách chỉ số nào",
        "UBND xã Tân Thành phụ trách chỉ số nào",
        "UBND huyện Cao Lộc có nhiệm vụ gì",
        "Sở KH&CN có nhiệm vụ gì",
        "Sở Nông nghiệp và Môi trường có nhiệm vụ gì",
    ],
)
def test_longest_replies_are_whole_and_split_within_each_channels_limit(question):
    """The core gives the whole reply (tasks are never cut); Telegram's pieces stay within 4096
    characters, Zalo's within 2000, and no line is lost."""
    from handlers.textsplit import split_text
    from handlers.zalo.sender import draw

    text = ask(question)["text"]
    telegram, zalo = split_text(text), draw(text, [], "")
    assert (True, True) == (
        all(len(p) <= 4096 for p in telegram),
        all(len(p) <= 2000 for p in zalo),
    )
    assert set(text.split("\n")) - {""} <= set("\n".join(zalo).split("\n"))


# ==============================================================================================
# self-reference in other intents


def test_my_tasks_use_the_askers_agency():
    """'tôi có nhiệm vụ gì' from Sở Y tế: Sở Y tế's tasks (as one of the other departments)."""
    r = ask("tôi có nhiệm vụ gì", as_agency="Sở Y tế")
    assert ("tasks", "Sở Y tế", True) == (
        r["intent"],
        r["agency"],
        "ứng phó với biến đổi khí hậu" in r["text"],
    )


def test_my_data_use_the_askers_agency():
    """'đơn vị mình cần cung cấp số liệu gì' from Sở Y tế: forms 05 and 09."""
    r = ask("đơn vị mình cần cung cấp số liệu gì", as_agency="Sở Y tế")
    assert ("data_requests", "Sở Y tế", True, True) == (
        r["intent"],
        r["agency"],
        "Biểu mẫu 05" in r["text"],
        "Biểu mẫu 09" in r["text"],
    )


def test_my_deadlines_use_the_askers_agency():
    """'hạn chót của tôi' from Sở Tài chính on 01/12/2024: 10/12/2024 upcoming; Sở TN&MT's
    20/12/2024 is not its."""
    r = ask("hạn chót của tôi", as_agency="Sở Tài chính", now="2024-12-01")
    assert ("Sở Tài chính", "upcoming", None) == (
        r["agency"],
        deadline_map(r).get("2024-12-10"),
        deadline_map(r).get("2024-12-20"),
    )


def test_supplying_what_asks_for_the_data_of_the_body_the_letter_asked():
    """ "Sở TN&MT đề nghị Ban … cung cấp gì": the letter's issuer is named first, the board
    supplies."""
    ans = ask("Sở TN&MT đề nghị Ban quản lý KKT cung cấp gì")
    assert ("data_requests", BQL) == (ans["intent"], ans["agency"]), ans["text"][:300]
    assert "Biểu mẫu 03" in ans["text"]


def test_a_document_issued_under_a_former_name_gives_the_body_s_name_now():
    """Plan 86 was issued by Sở Tài nguyên và Môi trường, since 03/2025 Sở Nông nghiệp và Môi
    trường (agencies.yaml): the answer says both."""
    ans = ask("ai ban hành kế hoạch 86/KH-STNMT")
    assert ans["intent"] == "documents"
    assert "Sở Tài nguyên và Môi trường" in ans["text"]
    assert "nay là Sở Nông nghiệp và Môi trường" in ans["text"]


def test_a_signer_asked_with_a_comrade_is_the_signer():
    """ "đồng chí nào ký": who signed the 2024 plan (Lương Trọng Quỳnh, its signature block)."""
    ans = ask("kế hoạch PGI năm 2024 do đồng chí nào ký vậy")
    assert ans["intent"] == "documents"
    assert "Lương Trọng Quỳnh" in ans["text"]


def test_the_deadline_asked_with_nothing_that_says_which_is_asked_back():
    """ "hạn nộp là bao giờ", no body, topic or document: the plans set four deadlines, for
    different bodies; each is offered as a choice (the "bao" of "bao giờ" is no "báo cáo")."""
    ans = ask("hạn nộp là bao giờ")
    assert ans["intent"] == "clarify"
    assert not ans.get("deadlines")
    assert "10/12/2024" in ans["text"] and "28/02/2023" in ans["text"]


def test_the_one_deadline_still_ahead_is_the_one_meant():
    """On 15/12/2024 only the focal department's report of 20/12/2024 is still ahead."""
    ans = ask("hạn chót là khi nào", now="2024-12-15")
    assert ans["intent"] == "deadlines"
    assert "2024-12-20" in {d["date"] for d in ans["deadlines"]}


@pytest.mark.parametrize(
    ("question", "as_agency"),
    [("các hạn chót là gì", None), ("hạn nộp là bao giờ", "so-xay-dung")],
)
def test_a_list_asked_for_or_a_known_asker_gets_the_deadlines(question, as_agency):
    ans = ask(question, as_agency=as_agency)
    assert ans["intent"] == "deadlines"
    assert ans["deadlines"]


def test_the_signer_of_a_letter_named_with_its_issuer():
    """ "công văn … của Sở TN&MT do ai ký": the body named issued the 2022 data request, which
    its deputy director signed."""
    ans = ask("công văn xin số liệu bộ chỉ số BVMT năm 2022 của Sở TN&MT do ai ký")
    assert ans["intent"] == "documents"
    assert "Nguyễn Hữu Trực" in ans["text"]
    assert "số Số" not in ans["text"]


def test_a_list_asked_of_the_bot_is_no_data_request():
    """ "đề nghị cung cấp danh mục các chỉ số mà Sở … phối hợp": the bot is asked for a list."""
    ans = ask("Đề nghị cung cấp danh sách các chỉ số mà Sở Xây dựng được giao chủ trì.")
    assert ans["intent"] == "agency_indicators"
    assert {"1.5", "1.12", "1.13"} <= {i["code"] for i in ans["indicators"]}


def test_the_latest_plan_asks_no_superlative():
    """ "theo kế hoạch mới nhất": the current plan, no "highest" over the score table."""
    ans = ask("Công an tỉnh chủ trì những chỉ số nào theo kế hoạch mới nhất")
    assert ans["intent"] == "agency_indicators"


def test_a_commune_s_name_qualified_as_new_keeps_its_whole_list():
    """ "xã Hữu Lũng (xã mới sau sắp xếp)": the qualifier filters nothing out."""
    ans = ask("xã Hữu Lũng (xã mới sau sắp xếp) phối hợp những chỉ số nào")
    assert ans["intent"] == "agency_indicators"
    assert len(ans["indicators"]) > 20


def test_a_plan_that_must_be_issued_by_a_day_asks_the_deadline():
    """ "kế hoạch cụ thể phải ban hành trước ngày nào": the deadline of 20/07/2024 for each body's
    own plan, not when a document was issued."""
    ans = ask("kế hoạch cụ thể của Sở Xây dựng phải ban hành trước ngày nào")
    assert ans["intent"] == "deadlines"
    assert "2024-07-20" in {d["date"] for d in ans["deadlines"]}
