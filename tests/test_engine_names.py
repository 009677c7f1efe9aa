"""Agency names that contain everyday words ("giáo", "khí", "hội") and codes typed without a
space."""

from __future__ import annotations

import pytest

from tests.support.engine_ask import CTN, XTDT, ask


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
    """ "cstp2 chi so 4" is indicator 2.4."""
    r = ask("cstp2 chi so 4 ai chu tri")
    assert ("indicator_agencies", "2.4") == (r["intent"], r["indicator"]["code"])


@pytest.mark.parametrize(
    "question, agency",
    [
        ("bên điện lực phối hợp chỉ số nào", "Công ty Điện lực Lạng Sơn"),
        ("cty nước có phải phối hợp chỉ số nào không", "Công ty cổ phần cấp thoát nước Lạng Sơn"),
        ("bên VNPT phối hợp chỉ số nào", "Viễn Thông Lạng Sơn"),
        ("quân sự tỉnh phối hợp chỉ số gì", "Bộ Chỉ huy Quân sự tỉnh"),
        ("Which indicators does the power company coordinate?", "Công ty Điện lực Lạng Sơn"),
    ],
)
def test_everyday_names_of_bodies_are_known(question, agency):
    """The power company, the water company, the statistics office… by the names officials use."""
    ans = ask(question)
    assert ("agency_indicators", agency) == (ans["intent"], ans["agency"])


def test_thong_nhat_is_no_superlative():
    """ "thống nhất" (agree) holds "nhất" but asks for no best or worst."""
    ans = ask("Sở Công Thương phối hợp chỉ số nào, bên em cần thống nhất trước khi họp")
    assert ("agency_indicators", "Sở Công Thương") == (ans["intent"], ans["agency"])


def test_a_commune_official_naming_their_commune_is_answered_for_it():
    ans = ask("UBND xã Lộc Bình chỗ tôi chủ trì những chỉ số gì", as_agency="UBND các xã, phường")
    assert ans["intent"] == "agency_indicators", ans["text"][:300]
    assert ans["agency"] == "UBND xã Lộc Bình", ans["text"][:300]


def test_an_initialism_of_the_centre_is_its_name():
    assert ask("TTXTĐT phối hợp chỉ số nào")["agency"] == XTDT


@pytest.mark.parametrize("question", ["các xã phường được giao chỉ số nào", "cấp xã phải làm gì"])
def test_the_commune_level_alone_names_the_communes_group(question):
    assert ask(question)["agency"] == "UBND các xã, phường"


@pytest.mark.parametrize(
    ("question", "name"),
    [
        # "lâm" folds to "lam" (làm, a verb ending a name): written so, it is the name's
        ("Chi cục Kiểm lâm chủ trì chỉ số nào", "Chi cục Kiểm lâm"),
        ("sở tư pháp có chỉ số nào", "Sở Tư pháp"),
    ],
)
def test_a_body_the_registry_lacks_is_named_as_written(question, name):
    """An unlisted body keeps every word of its name, in the case the asker wrote it, its first
    word after the head capitalised."""
    r = ask(question)
    assert r["agency"] == name, r["text"]
    assert name in r["text"]


def test_a_verb_after_an_unlisted_body_still_ends_its_name():
    """ "làm" written as the verb ends the name: "Sở Ngoại vụ làm gì" is about "Sở Ngoại vụ"."""
    assert "Sở Ngoại vụ làm" not in ask("Sở Ngoại vụ làm gì")["text"]


@pytest.mark.parametrize(
    "question, agency",
    [
        # "hỏi" (ask) folds like "Hội" (association): written with its marks, it is no name
        (
            "chỉ số hỏi DN có được cán bộ nhà nước giải thích luật môi trường không, ai chủ trì",
            None,
        ),
        ("cho em hỏi Hội DN tỉnh chủ trì gì", "Hiệp hội doanh nghiệp tỉnh"),
        ("hoi doanh nghiep tinh chu tri gi", "Hiệp hội doanh nghiệp tỉnh"),
        # one mistyped mark among a name's words is a typo of the name
        ("Sở Xây dưng chủ trì chỉ số nào", "Sở Xây dựng"),
    ],
)
def test_a_word_written_with_other_marks_is_not_a_name(question, agency):
    assert agency == ask(question)["agency"]


def test_a_kind_word_written_with_other_marks_names_no_commune():
    """ "xả thải" (discharge) folds like "xã Thải": written with its marks, it is no commune."""
    ans = ask(
        "xả thải ở cụm công nghiệp không được xử lý, ai quản lý chỉ số xử lý chất thải ở khu, cụm"
        " công nghiệp?"
    )
    assert ("indicator_agencies", "1.6") == (ans["intent"], (ans["indicator"] or {}).get("code"))


def test_no_name_runs_on_across_a_comma():
    """ "chuyên viên của Sở, lãnh đạo bảo em hỏi …": "Sở" alone is the asker's department, no
    "Sở Lãnh đạo"; the leader who asks is no person asked about."""
    ans = ask(
        "em là chuyên viên của Sở, lãnh đạo bảo em hỏi Sở mình chủ trì chỉ số nào", "Sở Tài chính"
    )
    assert ("agency_indicators", "Sở Tài chính") == (ans["intent"], ans["agency"]), ans["text"][
        :200
    ]


def test_a_bare_kind_with_the_indicator_named_is_the_one_body_holding_a_role_there():
    """ "Công ty phối hợp ở chỉ số cung cấp nước sạch là ai": of the companies, the water company
    alone coordinates 1.5; a bare kind with no indicator is still asked about."""
    ans = ask("Công ty phối hợp ở chỉ số cung cấp nước sạch là ai")
    assert ("indicator_agencies", "1.5", CTN) == (
        ans["intent"],
        (ans["indicator"] or {}).get("code"),
        ans["agency"],
    )
    assert "clarify" == ask("Công ty phối hợp chỉ số nào")["intent"]


def test_story_words_after_a_bare_commune_word_are_no_unknown_commune():
    """ "rác ở xã cả tuần mới có xe tới": "cả tuần mới" opens no commune's name; the question is
    the daily waste collection's (1.15), not "which commune is Cả Tuần Mới"."""
    ans = ask(
        "rác ở xã cả tuần mới có xe tới chở một lần, bốc mùi kinh khủng, chỉ số này ai chủ trì"
    )
    assert ans["intent"] == "indicator_agencies"
    assert ans["indicator"]["code"] == "1.15"


def test_a_body_named_again_by_the_head_of_its_name():
    """ "em ở Bộ Chỉ huy Quân sự tỉnh …, giao Bộ Chỉ huy mình nhiệm vụ gì": the body again."""
    ans = ask(
        "em ở Bộ Chỉ huy Quân sự tỉnh, được giao đầu mối về môi trường. Kế hoạch năm 2024 giao"
        " Bộ Chỉ huy mình nhiệm vụ gì"
    )
    assert ans["intent"] == "tasks"
    assert ans["agency"] == "Bộ Chỉ huy Quân sự tỉnh"
