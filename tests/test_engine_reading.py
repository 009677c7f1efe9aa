"""How the engine reads words it could misread: diacritics, months, "tỉnh nào", the words of local
bodies, numbers with thousands, and a question about a task that names no indicator.

The expected facts come from the seed documents: plan 18/KH-UBND's appendix (002_…), the 2024 plan
(001_…: section III.2 gives the press the results of PGI 2023 to publicise; II.1.đ gives the
police search and rescue; results are due to Sở TN&MT by 10/12/2024) and plan 86's appendix
(000_…: component 1 scored 4,84 in 2023, target 6,58 for 2024).
"""

import pytest

from kb.ask.intents import named_month
from kb.codes import find_codes
from kb.words.marks import misread
from tests.support.engine_ask import CAT, XD, XTDT, ask

DECLINED = ("unknown", "clarify")


def test_a_word_written_with_other_diacritics_is_another_word():
    """ "lương" (salary) is not explained by a text's "lượng" (quantity)."""
    assert frozenset({"luong"}) == misread("lương cán bộ", ["Số lượng công chức, cán bộ"])


def test_a_question_typed_without_diacritics_misreads_nothing():
    """Folded words are all a question typed without diacritics has: none is another word."""
    assert frozenset() == misread("luong can bo", ["Số lượng công chức, cán bộ"])


def test_where_the_tone_mark_is_placed_makes_no_other_word():
    """ "hoá" and "hóa" are one word."""
    assert frozenset() == misread("xanh hoá", ["xanh hóa doanh nghiệp"])


def test_a_salary_question_is_not_answered_with_a_body_s_indicators():
    """ "lương cán bộ sở xây dựng bao nhiêu": the documents hold no salary; nothing confident."""
    ans = ask("lương cán bộ sở xây dựng bao nhiêu")
    assert ans["intent"] in DECLINED
    assert not ans.get("indicators")


def test_a_month_is_named_by_its_number_with_or_without_a_year():
    """ "tháng 12", "tháng 12/2024" (folded "thang 12 2024"), "tháng 12 năm 2024"."""
    assert (12, None) == named_month(["thang", "12", "phai", "nop"])
    assert (12, 2024) == named_month(["thang", "12", "2024"])
    assert (12, 2024) == named_month(["trong", "thang", "12", "nam", "2024"])


def test_a_day_s_date_and_the_word_may_name_no_month():
    """ "10/12/2024" is a date; "biểu mấy" (folded "may") is no May."""
    assert named_month(["han", "10", "12", "2024"]) is None
    assert named_month(["bieu", "may"]) is None
    assert (5, 2024) == named_month(["in", "may", "2024"])


def test_a_month_named_with_what_is_due_asks_for_that_month_s_deadlines():
    """In December 2024 the results to Sở TN&MT (10/12/2024) are what Sở Xây dựng must send."""
    ans = ask("bên em tháng 12 phải nộp gì không", as_agency=XD, now="2024-12-01")
    assert "deadlines" == ans["intent"]
    assert {"2024-12-10"} == {d["date"] for d in ans["deadlines"]}


def test_a_month_stated_to_be_checked_is_no_filter():
    """ "… là cuối tháng 3 đúng không": the deadline (28/02/2023) is answered, not March's."""
    ans = ask("hạn gửi số liệu bộ chỉ số BVMT 2022 là cuối tháng 3 đúng không", now="2023-02-10")
    assert "28/02/2023" in ans["text"]


def test_which_province_is_another_province_s_question():
    """ "tỉnh nào đứng cuối bảng PGI 2023": the documents rank no other province."""
    ans = ask("tỉnh nào đứng cuối bảng PGI 2023")
    assert ans["intent"] in DECLINED
    assert not (ans.get("indicator") or {}).get("lead")


def test_commune_and_ward_written_together_name_no_commune():
    """ "ở xã phường" is the communes and wards, not a commune called Phường: 1.15's lead."""
    ans = ask("chi so thu gom rac hang ngay o xa phuong do ai chu tri")
    assert "indicator_agencies" == ans["intent"]
    assert "1.15" == ans["indicator"]["code"]


def test_a_number_with_its_thousands_is_no_code():
    """ "10.000 dân" is ten thousand people, not indicator 10.0."""
    assert ([], None) == find_codes(["tren", "10.000", "dan"])
    assert [("1.5", 0)] == find_codes(["1.5"])[0]


def test_who_publicises_the_pgi_results_is_a_task_of_the_2024_plan():
    """ "PGI" names the index, no indicator: the task of section III.2 is found."""
    ans = ask("ai phải tuyên truyền kết quả PGI 2023 trên báo đài")
    assert "tasks" == ans["intent"]
    assert "định hướng thông tin" in ans["text"]


def test_a_task_is_answered_where_the_reading_only_guessed_at_indicators():
    """ "ai lo tìm kiếm cứu nạn khi có thiên tai" names no indicator: the police's task."""
    ans = ask("ai lo tìm kiếm cứu nạn khi có thiên tai")
    assert "tasks" == ans["intent"]
    assert CAT in ans["text"]


def test_the_computations_own_cue_words_are_understood():
    """ "còn thiếu … để đạt mục tiêu" asks the gap to the target: 6,58 − 4,84 = 1,74."""
    ans = ask("CSTP 1 còn thiếu bao nhiêu điểm để đạt mục tiêu 2024")
    assert "scores" == ans["intent"]
    assert "1,74" in ans["text"]


def test_the_total_s_gap_to_its_target_is_computed():
    """ "tổng điểm PGI phải tăng thêm bao nhiêu": 22,37 − 17,33 = 5,04 (plan 86's total row)."""
    ans = ask("tổng điểm PGI phải tăng thêm bao nhiêu để đạt mục tiêu 2024")
    assert "scores" == ans["intent"]
    assert "5,04" in ans["text"]
    assert "22,37" in ans["text"]


def test_an_abbreviation_is_written_out_as_the_documents_write_it():
    """ "Chỉ số xanh (PGI)" in the plans' titles; "VCCI" after the Federation's name (001_…)."""
    assert "Chỉ số xanh" in ask("PGI là viết tắt của chỉ số gì vậy")["text"]
    vcci = ask("VCCI là gì")
    assert "documents" == vcci["intent"]
    assert "Liên đoàn Thương mại và Công nghiệp Việt Nam" in vcci["text"]


def test_an_abbreviation_the_documents_never_write_out_is_not_known():
    """Nothing is invented for an abbreviation no document spells out."""
    assert ask("XYZ là viết tắt của gì")["intent"] in DECLINED


def test_a_letter_is_no_misspelt_police():
    """ "công văn" (a letter) is written so in the documents: no "Công an" to ask about; the
    request's signer (004_…) is answered."""
    ans = ask("công văn xin số liệu bộ chỉ số BVMT 2022 do ai ký")
    assert "Nguyễn Hữu Trực" in ans["text"]


def test_a_data_item_is_found_by_the_letter_s_own_number():
    """ "chỉ số 07" of the 2022 request is the public transport item (xe/10.000 người)."""
    ans = ask("chỉ số 07 trong công văn xin số liệu BVMT 2022 là gì")
    assert "data_requests" == ans["intent"]
    assert "xe/10.000 người" in ans["text"]
    assert "triệu dân" not in ans["text"]


def test_a_unit_is_answered_from_an_item_written_with_its_unit():
    """ "tính theo đơn vị gì": only items with their unit in brackets answer (004_…: people per
    million inhabitants), not the commune staff item written without one."""
    ans = ask("số công chức làm BVMT tính theo đơn vị gì")
    assert "data_requests" == ans["intent"]
    assert "người/triệu dân" in ans["text"]
    assert "phương tiện giao thông" not in ans["text"]


def test_the_years_a_named_document_is_about():
    """Plan 86 is about 2023 (results) and 2024 (targets); plan 18 about 2026."""
    text = ask("kế hoạch 86 nói về những năm nào")["text"]
    assert "2023" in text
    assert "2024" in text
    assert "2026" in ask("kế hoạch 18 áp dụng cho năm nào")["text"]


def test_how_many_communes_and_wards_the_province_has():
    """65 since 1/7/2025: 4 wards and 61 communes (places.yaml, from Nghị quyết 1672)."""
    ans = ask("Lạng Sơn hiện nay có bao nhiêu xã phường")
    assert "documents" == ans["intent"]
    assert "65" in ans["text"]
    assert "61" in ans["text"]


def test_which_year_is_best_cannot_be_said_from_one_year_of_results():
    """Plan 86 holds the 2023 results only: "năm nào … cao nhất" is declined, not answered with
    2023's best component."""
    ans = ask("năm nào Lạng Sơn đạt PGI cao nhất")
    assert "unknown" == ans["intent"]
    assert "2023" in ans["text"]


def test_whom_to_call_about_an_incident_is_no_indicator_question():
    """ "cá chết hàng loạt thì báo cho ai": a contact, which the plans do not hold."""
    ans = ask("cá chết hàng loạt thì báo cho ai")
    assert ans["intent"] in DECLINED
    assert not (ans.get("indicator") or {}).get("lead")


def test_an_everyday_description_of_an_indicator_finds_it():
    """Firms paying "tiền ngoài luồng" to inspectors is 2.7, led by the police (002_…)."""
    ans = ask("chỉ số dn phải chi tiền ngoài luồng cho đoàn kiểm tra môi trường ai chủ trì")
    assert "2.7" == ans["indicator"]["code"]
    assert [CAT] == ans["indicator"]["lead"]


def test_which_component_has_most_indicators_is_a_count_not_a_score():
    """Plan 18: 15 + 11 + 10 + 6 indicators; component 1 has the most (no score is asked)."""
    ans = ask("cstp nào có nhiều chỉ số nhất")
    assert "documents" == ans["intent"]
    assert "15" in ans["text"]


def test_a_staff_count_is_not_answered_with_a_body_s_indicators():
    """ "bao nhiêu người": no document counts a body's staff."""
    ans = ask("số lượng cán bộ sở xây dựng bao nhiêu người")
    assert ans["intent"] in DECLINED
    assert not ans.get("indicators")


def test_a_bare_percent_sign_asks_for_a_share_unless_a_role_is_asked():
    """ "… năm 2023 bao nhiêu %" asks plan 86's figure (3.1: 65%); beside "ai chủ trì" the "%"
    describes the indicator (2.4's share of firms fined)."""
    share = ask("chỉ số 3.1 năm 2023 bao nhiêu %")
    assert "scores" == share["intent"]
    assert "65%" in share["text"]
    assert "indicator_agencies" == ask("chỉ số bao nhiêu % dn bị phạt thì ai chủ trì")["intent"]


def test_a_measure_described_before_a_role_question_asks_no_score():
    ans = ask("tỷ lệ chi phí đầu tư xanh là bao nhiêu phần trăm thì chỉ số đó ai chủ trì")
    assert ans["intent"] == "indicator_agencies", ans["text"][:300]
    assert ans["indicator"]["code"] == "3.7", ans["text"][:300]
    assert ask("điểm CSTP 3 năm 2023 là bao nhiêu")["intent"] == "scores"


@pytest.mark.parametrize(
    "question, intent, code",
    [
        # "chẳng bao giờ" (never) asks no time
        (
            "Doanh nghiệp than chẳng bao giờ nhận được tin nhắn cảnh báo trước khi lũ về. Chỉ số"
            " này ai chủ trì?",
            "indicator_agencies",
            "1.11",
        ),
        # the phone as a device, not a number asked
        (
            "Doanh nghiệp nói mở điện thoại ra không xem được dự báo thời tiết. Đơn vị nào chủ trì"
            " chỉ số này?",
            "indicator_agencies",
            "1.9",
        ),
        # knowing nothing of it is awareness (4.5), not the law's lack (3.10)
        (
            "DN bảo là sếp không biết gì về đầu tư xanh nên chẳng làm, chỉ số này cơ quan nào chủ"
            " trì?",
            "indicator_agencies",
            "4.5",
        ),
        # a formal letter: "Kính gửi" names the addressee, "xã chúng tôi" the asker's commune
        (
            "Kính gửi Sở Nông nghiệp và Môi trường. Văn phòng HĐND và UBND xã Hữu Lũng đề nghị cho"
            " biết xã chúng tôi được giao chủ trì những chỉ số nào?",
            "agency_indicators",
            None,
        ),
        ("Chào bạn, bạn có thể giúp tôi những việc gì?", "help", None),
    ],
)
def test_narrative_register_and_negation_do_not_change_what_is_asked(question, intent, code):
    ans = ask(question)
    assert (intent, code) == (ans["intent"], (ans["indicator"] or {}).get("code")), ans["text"][
        :300
    ]


def test_the_letters_addressee_is_no_body_asked_about():
    ans = ask(
        "Kính gửi Sở Nông nghiệp và Môi trường. Văn phòng HĐND và UBND xã Hữu Lũng đề nghị cho"
        " biết xã chúng tôi được giao chủ trì những chỉ số nào?"
    )
    assert "UBND xã Hữu Lũng" == ans["agency"] and len(ans["indicators"]) == 9


def test_an_english_component_named_by_its_everyday_word():
    ans = ask("What was Lang Son's 2023 score on the compliance sub-index?", lang="en")
    assert "scores" == ans["intent"] and "4.14" in ans["text"], ans["text"][:300]


def test_a_subject_phrase_of_stop_words_is_still_the_subject():
    """ "báo trước" (warn ahead) is two stop words alone ("báo", "trước") and one subject
    together: with "lũ", it names indicator 1.11 (authorities warn before natural disasters)."""
    ans = ask("mưa lũ tới mà chính quyền chẳng báo trước, chỉ số ấy ai chủ trì")
    assert ans["intent"] == "indicator_agencies"
    assert ans["indicator"]["code"] == "1.11"


def test_the_errand_that_sent_the_asker_is_the_setting_not_the_question():
    """ "Lãnh đạo giao em …, nhờ … cho biết …": the errand names tasks, the question asks for the
    indicators the asker's body leads."""
    ans = ask(
        "Sếp giao em tổng hợp các nhiệm vụ PGI, anh chị cho biết giúp Sở Xây dựng chủ trì những"
        " chỉ số nào ạ"
    )
    assert ans["intent"] == "agency_indicators"
    assert ans["agency"] == XD


@pytest.mark.parametrize(
    "question",
    [
        "Tôi là trưởng phòng của Công an tỉnh, đơn vị tôi phối hợp chỉ số nào",
        "em là phó phòng ở Công an tỉnh, cho em hỏi đơn vị em phối hợp những chỉ số nào",
    ],
)
def test_the_askers_own_post_is_no_person_asked_about(question):
    """A post after "tôi là" is the asker's ("trưởng phòng", "phó phòng"), not a person whose
    name or phone is asked."""
    ans = ask(question)
    assert ans["intent"] == "agency_indicators"
    assert ans["agency"] == CAT


def test_a_leader_of_a_body_acting_is_no_body_s_name():
    """ "Lãnh đạo Sở yêu cầu …": "Sở yêu cầu" is no department the registry lacks."""
    ans = ask(
        "Tôi ở Sở Xây dựng. Lãnh đạo Sở yêu cầu tổng hợp: Sở chúng tôi chủ trì những chỉ số nào?"
    )
    assert ans["intent"] == "agency_indicators"
    assert ans["agency"] == XD


def test_a_role_s_phrase_and_the_story_s_time_words_are_no_subject():
    """ "chịu trách nhiệm chính" asks the lead, "lúc có lúc mất", "có hôm" tell when: none of
    them is looked up as an indicator's words, so tap water (1.5) stands out."""
    ans = ask("nước máy ở nhà xưởng lúc có lúc mất, có hôm đục, đơn vị nào chịu trách nhiệm chính")
    assert ans["intent"] == "indicator_agencies"
    assert ans["indicator"]["code"] == "1.5"


def test_an_introduced_asker_asking_which_department_leads_gets_the_indicator_s_leads():
    """The commune introduced is the asker; "do Sở nào chủ trì" asks who leads the indicator of
    warnings before disasters (1.11), not the commune's list."""
    ans = ask("Em là cán bộ UBND xã Na Sầm. Chỉ số về cảnh báo trước thiên tai do Sở nào chủ trì?")
    assert ans["intent"] == "indicator_agencies"
    assert ans["indicator"]["code"] == "1.11"


def test_a_subject_phrase_holding_a_stop_word_is_still_looked_up():
    """ "bão lũ" holds "bão", folded the "bao" of "bao nhiêu": the phrase is the disaster's."""
    from datetime import date

    from kb.ask.parse import parse
    from tests.support.engine_ask import _engine

    engine = _engine()[0]
    p = parse(engine, "bão lũ làm công ty thua lỗ, chỉ số đó ai chủ trì", None, date(2026, 11, 22))
    assert ("bao", "lu") == p.content[:2]


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("làm hồ sơ môi trường lằng nhằng, qua nhiều cửa quá, chỉ số đó ai lo", "2.5"),
        (
            "hạn hán với mưa đá làm nhà xưởng thiệt hại, chỉ số nào nói về doanh nghiệp gặp khó"
            " vì thiên tai",
            None,
        ),
    ],
)
def test_everyday_words_of_a_burden_and_of_a_drought(question, code):
    """ "lằng nhằng", "nhiều cửa" are the survey's "phiền hà" of procedures; "hạn hán" (drought)
    is a disaster, and no "hạn" (deadline) is asked."""
    ans = ask(question)
    assert ans["intent"] != "deadlines"
    if code is not None:
        assert ans["intent"] == "indicator_agencies" and ans["indicator"]["code"] == code


def test_a_factory_is_not_the_water_company_cut_short():
    """ "nhà máy" opens the water company's everyday name "nhà máy nước", and is any factory."""
    ans = ask("xin giấy phép môi trường cho nhà máy cần những giấy tờ gì")
    assert ans.get("agency") is None


def test_an_english_introduction_with_a_director_who_asked():
    """ "My director asked me …": the asker's boss, no person asked about; "formerly", "both" are
    English grammar."""
    ans = ask(
        "Hello, I work at the Department of Construction. My director asked me which indicators"
        " our department is responsible for, both leading and coordinating."
    )
    assert ans["intent"] == "agency_indicators"
    assert ans["agency"] == XD


def test_an_authority_s_measures_are_its_solutions():
    """ "biện pháp chặn từ trước" is the survey's "giải pháp để phòng ngừa" (2.3)."""
    ans = ask(
        "chính quyền không có biện pháp ngăn chặn ô nhiễm từ trước, chỉ số tương ứng ai chủ trì"
    )
    assert ans["intent"] == "indicator_agencies"
    assert ans["indicator"]["code"] == "2.3"


@pytest.mark.parametrize(
    ("question", "code"),
    [
        (
            "bão về mà chính quyền không thông báo trước cho doanh nghiệp, chỉ số này ai chủ trì",
            "1.11",
        ),
        (
            "mỗi ngành cử một đoàn kiểm tra riêng, không phối hợp với nhau, chỉ số đó ai chủ trì",
            "2.8",
        ),
        (
            "đoàn thanh tra môi trường xử lý người này nặng người kia nhẹ, chỉ số đó ai chủ trì",
            "2.9",
        ),
    ],
)
def test_everyday_words_of_warning_of_inspections_apart_and_of_unfairness(question, code):
    """ "thông báo trước" warns; "không phối hợp với nhau" is the interagency item's subject, not
    the role "phối hợp"; "người này nặng người kia nhẹ" is unfair."""
    ans = ask(question)
    assert ans["intent"] == "indicator_agencies"
    assert ans["indicator"]["code"] == code


def test_a_clause_opening_with_chi_so_is_no_unit_of_the_introduced_body():
    """ "mình ở phòng … BQL KKT. Chỉ số về xử lý chất thải ở khu, cụm công nghiệp thì đơn vị mình
    chủ trì phạm vi nào": "chỉ số" is no "chi cục" continuing the introduction; the body's part
    on that indicator (1.6, the industrial zones) is answered."""
    ans = ask(
        "Chào bạn, mình ở phòng quản lý môi trường BQL KKT. Chỉ số về xử lý chất thải ở khu,"
        " cụm công nghiệp thì đơn vị mình chủ trì phạm vi nào?"
    )
    assert ans["intent"] == "indicator_agencies"
    assert ans["indicator"]["code"] == "1.6"
    assert "Khu công nghiệp" in ans["text"]


@pytest.mark.parametrize(
    ("question", "intent", "agency"),
    [
        ("bchqs tinh nv j trong kh 2024", "tasks", "Bộ Chỉ huy Quân sự tỉnh"),
        (
            "Tôi là viên chức Trung tâm XTĐT. Theo kế hoạch 2024 đơn vị tôi phải tổ chức hoạt"
            " động gì để quảng bá hàng hóa của doanh nghiệp xanh?",
            "tasks",
            XTDT,
        ),
        (
            "Tôi nguyên là cán bộ Phòng TN&MT huyện Đình Lập, nay về UBND xã Đình Lập. Xã chủ"
            " trì những chỉ số nào?",
            "agency_indicators",
            None,
        ),
    ],
)
def test_tasks_asked_as_activities_and_a_post_the_asker_once_held(question, intent, agency):
    """ "nv j" is "nhiệm vụ gì"; "phải tổ chức hoạt động gì" asks the plan's tasks; "tôi nguyên
    là cán bộ …" introduces the asker as "tôi là" does."""
    ans = ask(question)
    assert ans["intent"] == intent
    if agency is not None:
        assert ans["agency"] == agency
