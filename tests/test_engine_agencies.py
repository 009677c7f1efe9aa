"""Agency → indicators: which indicators of the current plan (18/KH-UBND) an agency leads or
coordinates.

Every expected code set below was read off the seed document 002_4f274e872ed19d67.txt (the appendix
of plan 18/KH-UBND, 21/01/2026), row by row:

* "chủ trì" = lead, "phối hợp" = coordinate, "phụ trách / liên quan" = both;
* an agency listed in both cells of one row is a lead there (1.7, 1.8, 1.14 for Sở NN&MT; 1.3, 2.1,
  2.2 for the communes);
* "UBND cấp xã" and "UBND các xã, phường" are one group;
* "Các Sở, ban, ngành, đoàn thể của tỉnh" leads 3.1 and 3.2, so every provincial body holds those
  two as a lead *through that group*;
* coordinate roles held only through "các Sở, ban, ngành liên quan" carry that group as ``via`` and
  are left out of the explicit coordinate sets compared here.
"""

import pytest

from tests.support.engine_ask import (
    BAO,
    BCHQS,
    BQL,
    CAT,
    CT,
    CTN,
    HHDN,
    KTTV,
    NNMT,
    TC,
    TTT,
    VHTTDL,
    XD,
    XTDT,
    ask,
)

# --- helpers over the JSON contract
# ---------------------------------------------------------------

PROVINCIAL = "Các Sở, ban, ngành, đoàn thể của tỉnh"
RELEVANT = "Các Sở, ban, ngành liên quan"
COMMUNES = "UBND các xã, phường"


def explicit_lead(r):
    return {i["code"] for i in r["indicators"] if i["role"] == "lead" and i["via"] is None}


def all_lead(r):
    return {i["code"] for i in r["indicators"] if i["role"] == "lead"}


def explicit_coordinate(r):
    return {i["code"] for i in r["indicators"] if i["role"] == "coordinate" and i["via"] is None}


def all_coordinate(r):
    return {i["code"] for i in r["indicators"] if i["role"] == "coordinate"}


def via_by_code(r, role):
    return {i["code"]: i["via"] for i in r["indicators"] if i["role"] == role}


def codes(spec):
    """'1.1-1.4 2.11' -> {'1.1', '1.2', '1.3', '1.4', '2.11'}"""
    out = set()
    for part in spec.split():
        if "-" in part:
            a, b = part.split("-")
            comp, lo = a.split(".")
            hi = b.split(".")[1]
            out.update(f"{comp}.{n}" for n in range(int(lo), int(hi) + 1))
        else:
            out.add(part)
    return out


# --- the expected table, from seed 002
# ------------------------------------------------------------

KHCN = "Sở Khoa học và Công nghệ"
YTE = "Sở Y tế"

# canonical name -> (explicit lead codes, explicit coordinate codes)
EXPECTED = {
    XD: (codes("1.5 1.12 1.13"), codes("1.10")),
    CT: (codes("1.6 1.13 2.11 3.7 3.9 3.10"), codes("3.3-3.6 4.1-4.6")),
    TC: (codes("3.3-3.6 4.1 4.2 4.6"), codes("1.15 3.7 3.9 3.10 4.3 4.4 4.5")),
    NNMT: (
        codes("1.1-1.5 1.7 1.8 1.10 1.13 1.14 2.1-2.4 2.6 2.8 2.9 2.10 3.8 4.3 4.4"),
        codes("1.6 1.9 1.11 1.15 2.5 2.7 2.11 3.3-3.7 3.9 3.10 4.1 4.2 4.5 4.6"),
    ),
    CAT: (codes("2.4 2.6 2.7 2.8"), codes("1.1-1.4 1.7 1.8 1.10 1.12 1.13 1.14 2.1-2.3 2.5")),
    TTT: (codes("2.5 2.6 2.9 2.10"), codes("2.4 2.7 2.8")),
    BQL: (codes("1.6 2.11"), codes("3.3-3.10 4.1-4.6")),
    XTDT: (codes("4.5"), codes("3.3-3.7 4.1-4.4 4.6")),
    KTTV: (codes("1.9 1.11"), codes("1.8 1.10")),
    BAO: (set(), codes("1.1-1.15 2.1-2.4 2.11")),
    VHTTDL: (set(), codes("1.13")),
    BCHQS: (set(), codes("2.2")),
    HHDN: (set(), codes("1.7 2.7 2.9 2.10")),
    CTN: (set(), codes("1.5 1.13")),
    KHCN: (set(), set()),
    YTE: (set(), set()),
}
# Bodies of the province: members of "Các Sở, ban, ngành, đoàn thể của tỉnh" (leads of 3.1 and
# 3.2).
PROVINCIAL_BODIES = [XD, CT, TC, NNMT, CAT, TTT, BQL, XTDT, BAO, VHTTDL, BCHQS, KHCN, YTE]
# Rows with a lead cell of "UBND các xã, phường" / "UBND cấp xã" (including 1.3, 2.1, 2.2 where the
# group is also written in the coordinate cell).
COMMUNE_LEAD = codes("1.3 1.15 2.1 2.2 2.3 2.4 2.6 3.1 3.2")
COMMUNE_COORDINATE = codes("1.1 1.2 1.4-1.14 2.5 2.7-2.11 3.3-3.10 4.1-4.6")


# --- lead filter ("chủ trì")
# ------------------------------------------------------------------------

LEAD_QUESTIONS = [
    ("Sở Xây dựng chủ trì những chỉ số nào?", XD),
    ("Sở Công Thương được giao chủ trì chỉ số gì", CT),
    ("Sở Tài chính chủ trì các chỉ số nào trong PGI", TC),
    ("Sở Nông nghiệp và Môi trường chủ trì bao nhiêu chỉ số", NNMT),
    ("Công an tỉnh chủ trì chỉ số nào?", CAT),
    ("Thanh tra tỉnh được phân công chủ trì chỉ số nào", TTT),
    ("Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn chủ trì chỉ số nào", BQL),
    ("Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch tỉnh chủ trì chỉ số gì", XTDT),
    ("Đài Khí tượng Thủy văn tỉnh chủ trì chỉ số nào", KTTV),
]


@pytest.mark.parametrize("question,agency", LEAD_QUESTIONS)
def test_lead_question_lists_exactly_the_rows_where_the_agency_is_named_as_lead(question, agency):
    """'X chủ trì chỉ số nào' returns the agency and, as explicit leads, exactly its lead rows
    of plan 18."""
    r = ask(question)
    assert ("agency_indicators", agency) == (r["intent"], r["agency"])
    assert EXPECTED[agency][0] == explicit_lead(r)


@pytest.mark.parametrize("question,agency", LEAD_QUESTIONS)
def test_lead_question_returns_no_coordinate_roles(question, agency):
    """A question about leading ('chủ trì') returns lead roles only."""
    r = ask(question)
    assert set() == all_coordinate(r)


@pytest.mark.parametrize("agency", PROVINCIAL_BODIES)
def test_every_provincial_body_leads_3_1_and_3_2_through_the_provincial_group(agency):
    """3.1 and 3.2 are led by 'Các Sở, ban, ngành, đoàn thể của tỉnh': each provincial body
    holds them via that group."""
    r = ask(f"{agency} chủ trì chỉ số nào")
    vias = via_by_code(r, "lead")
    assert {"3.1": PROVINCIAL, "3.2": PROVINCIAL} == {c: vias.get(c) for c in ("3.1", "3.2")}


@pytest.mark.parametrize("agency", [XD, CT, TC, NNMT, CAT, TTT, BQL, XTDT])
def test_full_lead_set_of_a_department_is_its_explicit_rows_plus_3_1_and_3_2(agency):
    """All lead codes = the explicit lead rows ∪ {3.1, 3.2} (the provincial group)."""
    r = ask(f"{agency} chủ trì chỉ số nào")
    assert EXPECTED[agency][0] | {"3.1", "3.2"} == all_lead(r)


@pytest.mark.parametrize("agency", [HHDN, CTN])
def test_non_provincial_bodies_lead_nothing(agency):
    """The business association and the water company are not provincial bodies: they lead no
    indicator."""
    r = ask(f"{agency} chủ trì chỉ số nào")
    assert ("agency_indicators", agency, set()) == (r["intent"], r["agency"], all_lead(r))


def test_agency_without_lead_is_told_so_in_the_text():
    """When an agency leads nothing, the reply says so instead of printing an empty list."""
    r = ask("Hiệp hội doanh nghiệp tỉnh chủ trì chỉ số nào")
    assert "không có chỉ số chủ trì" in r["text"]


# --- coordinate filter ("phối hợp")
# -----------------------------------------------------------------

COORDINATE_QUESTIONS = [
    ("Sở Xây dựng phối hợp những chỉ số nào", XD),
    ("Sở Công Thương phối hợp thực hiện chỉ số nào", CT),
    ("Sở Tài chính phối hợp chỉ số gì?", TC),
    ("Sở Nông nghiệp và Môi trường phối hợp chỉ số nào", NNMT),
    ("Công an tỉnh phối hợp các chỉ số nào", CAT),
    ("Thanh tra tỉnh phối hợp chỉ số nào", TTT),
    ("Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn phối hợp chỉ số nào", BQL),
    ("Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch tỉnh phối hợp chỉ số nào", XTDT),
    ("Đài Khí tượng Thủy văn tỉnh phối hợp những chỉ số nào", KTTV),
    ("Báo và Phát thanh, Truyền hình Lạng Sơn phối hợp chỉ số nào", BAO),
    ("Sở Văn hóa, Thể thao và Du lịch phối hợp chỉ số nào", VHTTDL),
    ("Bộ Chỉ huy Quân sự tỉnh phối hợp chỉ số nào", BCHQS),
    ("Hiệp hội doanh nghiệp tỉnh phối hợp các chỉ số nào", HHDN),
    ("Công ty cổ phần cấp thoát nước Lạng Sơn phối hợp chỉ số nào", CTN),
]


@pytest.mark.parametrize("question,agency", COORDINATE_QUESTIONS)
def test_coordinate_question_lists_exactly_the_rows_where_the_agency_is_named_as_coordinator(
    question, agency
):
    """'X phối hợp chỉ số nào' returns, as explicit coordinate roles, exactly the rows naming X
    in the coordinate cell."""
    r = ask(question)
    assert ("agency_indicators", agency) == (r["intent"], r["agency"])
    assert EXPECTED[agency][1] == explicit_coordinate(r)


@pytest.mark.parametrize("question,agency", COORDINATE_QUESTIONS)
def test_coordinate_question_returns_no_lead_roles(question, agency):
    """A question about coordinating ('phối hợp') returns coordinate roles only."""
    r = ask(question)
    assert set() == all_lead(r)


def test_a_row_naming_the_agency_in_both_cells_counts_as_lead_not_coordinate():
    """Sở NN&MT is written in both cells of 1.7, 1.8 and 1.14: those are leads, never in its
    coordinate list."""
    r = ask("Sở Nông nghiệp và Môi trường phối hợp chỉ số nào")
    assert set() == {"1.7", "1.8", "1.14"} & all_coordinate(r)


def test_coordinate_roles_only_through_the_relevant_bodies_group_carry_that_group():
    """Sở Y tế is named nowhere in plan 18: its 35 coordinate roles all come from 'các Sở, ban,
    ngành liên quan'."""
    r = ask("Sở Y tế phối hợp chỉ số nào")
    vias = via_by_code(r, "coordinate")
    expected = codes("1.1-1.4 1.7 1.8 1.10 1.12 1.13 1.14 2.1-2.11 3.3-3.10 4.1-4.6")
    assert (expected, {RELEVANT}) == (set(vias), set(vias.values()))


def test_catch_all_coordinate_roles_are_summarised_not_listed():
    """Sở Xây dựng coordinates 1.10 explicitly and 32 more rows only as one of the relevant
    bodies (35 − 1.10, 1.12, 1.13)."""
    r = ask("Sở Xây dựng phối hợp chỉ số nào")
    assert ("32" in r["text"], "liên quan" in r["text"]) == (True, True)


# --- both ("phụ trách", "liên quan")
# -----------------------------------------------------------------

BOTH_QUESTIONS = [
    ("Sở Xây dựng phụ trách những chỉ số nào", XD),
    ("Sở Công Thương liên quan đến chỉ số nào", CT),
    ("Sở Tài chính có trách nhiệm với chỉ số nào", TC),
    ("Công an tỉnh phụ trách chỉ số nào", CAT),
    ("Thanh tra tỉnh liên quan những chỉ số nào", TTT),
    ("Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn phụ trách chỉ số nào", BQL),
    ("Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch tỉnh phụ trách chỉ số nào", XTDT),
    ("Đài Khí tượng Thủy văn tỉnh phụ trách chỉ số nào", KTTV),
    ("Sở Văn hóa, Thể thao và Du lịch liên quan chỉ số nào", VHTTDL),
    ("Bộ Chỉ huy Quân sự tỉnh phụ trách chỉ số nào", BCHQS),
    ("Hiệp hội doanh nghiệp tỉnh liên quan những chỉ số nào", HHDN),
    ("Công ty cổ phần cấp thoát nước Lạng Sơn phụ trách chỉ số nào", CTN),
]


@pytest.mark.parametrize("question,agency", BOTH_QUESTIONS)
def test_responsibility_question_returns_both_leads_and_coordinate_roles(question, agency):
    """'phụ trách / liên quan' means both: explicit leads and explicit coordinate roles, kept
    apart."""
    r = ask(question)
    assert (agency, EXPECTED[agency]) == (r["agency"], (explicit_lead(r), explicit_coordinate(r)))


def test_responsibility_reply_shows_lead_and_coordinate_sections():
    """The text of a 'phụ trách' answer has both a lead heading and a coordinate heading."""
    text = ask("Công an tỉnh phụ trách chỉ số nào")["text"]
    assert (True, True) == ("Chủ trì" in text, "Phối hợp" in text)


# --- spelling: no diacritics, typos, abbreviations
# ----------------------------------------------------


@pytest.mark.parametrize(
    "question,agency,role",
    [
        ("so xay dung chu tri chi so nao", XD, "lead"),
        ("so xay dung phoi hop chi so nao", XD, "coordinate"),
        ("So Cong thuong chu tri chi so gi", CT, "lead"),
        ("so cong thuongg chu tri chi so nao", CT, "lead"),
        ("cong an tinh chu tri chi so nao", CAT, "lead"),
        ("cong an tinh phoi hop chi so nao", CAT, "coordinate"),
        ("SO TAI CHINH PHOI HOP CHI SO NAO", TC, "coordinate"),
        ("thanh tra tinh chu tri chi so nao", TTT, "lead"),
        ("Sở Xây dưng chủ trì chỉ số nào", XD, "lead"),
        ("so nong nghiep va moi truong phoi hop chi so nao", NNMT, "coordinate"),
    ],
)
def test_questions_without_diacritics_or_with_typos_resolve_the_agency(question, agency, role):
    """Officials type without diacritics and with typos; the agency and its role set are still
    found."""
    r = ask(question)
    got = explicit_lead(r) if role == "lead" else explicit_coordinate(r)
    want = EXPECTED[agency][0] if role == "lead" else EXPECTED[agency][1]
    assert (agency, want) == (r["agency"], got)


@pytest.mark.parametrize(
    "question,agency",
    [
        ("Sở NN&MT chủ trì chỉ số nào", NNMT),
        ("So NN&MT chu tri chi so nao", NNMT),
        ("Sở KH&CN chủ trì chỉ số nào", KHCN),
        ("BQL KKT chủ trì chỉ số nào", BQL),
        ("Trung tâm XTĐT chủ trì chỉ số nào", XTDT),
        ("Đài KTTV chủ trì chỉ số nào", KTTV),
        ("CA tỉnh chủ trì chỉ số nào", CAT),
        ("BCHQS tỉnh chủ trì chỉ số nào", BCHQS),
    ],
)
def test_abbreviated_agency_names_resolve_to_the_canonical_agency(question, agency):
    """Abbreviations used in chats (NN&MT, KH&CN, BQL KKT, XTĐT, KTTV, CA, BCHQS) name the same
    agency."""
    r = ask(question)
    assert ("agency_indicators", agency, EXPECTED[agency][0]) == (
        r["intent"],
        r["agency"],
        explicit_lead(r),
    )


def test_short_form_of_the_merged_press_agency_resolves():
    """'Báo và PT-TH' is the short form of Báo và Phát thanh, Truyền hình Lạng Sơn."""
    r = ask("Báo và PT-TH phối hợp chỉ số nào")
    assert ("agency_indicators", BAO, EXPECTED[BAO][1]) == (
        r["intent"],
        r["agency"],
        explicit_coordinate(r),
    )


# --- old names (2025 renames and mergers)
# --------------------------------------------------------------

OLD_NAMES = [
    ("Sở TN&MT chủ trì chỉ số nào", "Sở Tài nguyên và Môi trường", NNMT),
    ("so tai nguyen va moi truong chu tri chi so nao", "Sở Tài nguyên và Môi trường", NNMT),
    ("Sở NN&PTNT chủ trì chỉ số nào", "Sở Nông nghiệp và Phát triển nông thôn", NNMT),
    ("Sở KH&ĐT chủ trì chỉ số nào", "Sở Kế hoạch và Đầu tư", TC),
    ("Sở Kế hoạch và Đầu tư chủ trì chỉ số nào", "Sở Kế hoạch và Đầu tư", TC),
    ("Sở GTVT chủ trì chỉ số nào", "Sở Giao thông vận tải", XD),
    ("Sở TT&TT chủ trì chỉ số nào", "Sở Thông tin và Truyền thông", KHCN),
    ("Báo Lạng Sơn chủ trì chỉ số nào", "Báo Lạng Sơn", BAO),
    (
        "Đài Phát thanh và Truyền hình tỉnh chủ trì chỉ số nào",
        "Đài Phát thanh và Truyền hình tỉnh",
        BAO,
    ),
    ("Thanh tra Sở chủ trì chỉ số nào", "Thanh tra Sở", TTT),
]


@pytest.mark.parametrize("question,old,new", OLD_NAMES)
def test_old_name_is_answered_for_the_successor(question, old, new):
    """A question under a pre-2025 name is answered for the agency's current name."""
    r = ask(question)
    assert ("agency_indicators", new, EXPECTED[new][0]) == (
        r["intent"],
        r["agency"],
        explicit_lead(r),
    )


@pytest.mark.parametrize("question,old,new", OLD_NAMES)
def test_old_name_reply_mentions_both_the_old_and_the_new_name(question, old, new):
    """The reply says that the old name is now the new one."""
    text = ask(question)["text"]
    assert (True, True) == (old in text, new in text)


@pytest.mark.parametrize(
    "question,agency",
    [
        ("Sở GTVT phối hợp chỉ số nào", XD),
        ("Báo Lạng Sơn phối hợp chỉ số nào", BAO),
        ("Sở KH&ĐT phối hợp chỉ số nào", TC),
        ("Sở TN&MT phối hợp chỉ số nào", NNMT),
    ],
)
def test_old_name_coordinate_question_uses_the_successors_coordinate_rows(question, agency):
    """Coordinate roles under an old name are the successor's explicit coordinate rows."""
    r = ask(question)
    assert (agency, EXPECTED[agency][1]) == (r["agency"], explicit_coordinate(r))


def test_former_district_committee_is_answered_as_the_commune_committees():
    """UBND huyện Cao Lộc (districts abolished 07/2025) is answered as 'UBND các xã, phường',
    saying so."""
    r = ask("UBND huyện Cao Lộc chủ trì chỉ số nào")
    assert (COMMUNES, COMMUNE_LEAD) == (r["agency"], all_lead(r))
    assert (True, True) == ("UBND huyện Cao Lộc" in r["text"], COMMUNES in r["text"])


# --- the commune group and named communes
# ---------------------------------------------------------------


def test_commune_group_leads_the_rows_of_ubnd_cap_xa_and_ubnd_cac_xa_phuong():
    """'UBND các xã, phường' and 'UBND cấp xã' are one group; rows written in both cells are
    leads."""
    r = ask("UBND các xã, phường chủ trì những chỉ số nào")
    assert (COMMUNES, COMMUNE_LEAD) == (r["agency"], explicit_lead(r))


def test_commune_group_coordinates_every_other_row_naming_it():
    """The group's coordinate rows exclude those where it also leads (1.3, 2.1, 2.2)."""
    r = ask("UBND cấp xã phối hợp chỉ số nào")
    assert (COMMUNES, COMMUNE_COORDINATE) == (r["agency"], explicit_coordinate(r))


NAMED_COMMUNES = [
    ("UBND xã Tân Thành", "UBND xã Tân Thành"),
    ("UBND phường Đông Kinh", "UBND phường Đông Kinh"),
    ("UBND phường Kỳ Lừa", "UBND phường Kỳ Lừa"),
    ("xã Na Sầm", "UBND xã Na Sầm"),
    ("phường Tam Thanh", "UBND phường Tam Thanh"),
]


@pytest.mark.parametrize("written,name", NAMED_COMMUNES)
def test_named_commune_holds_every_lead_of_the_commune_group_via_the_group(written, name):
    """A named commune/ward leads what 'UBND các xã, phường' leads, each role via that group;
    the agency is the commune."""
    r = ask(f"{written} chủ trì chỉ số nào")
    assert (name, COMMUNE_LEAD, {COMMUNES}) == (
        r["agency"],
        all_lead(r),
        set(via_by_code(r, "lead").values()),
    )


@pytest.mark.parametrize("written,name", NAMED_COMMUNES)
def test_named_commune_holds_every_coordinate_role_of_the_commune_group_via_the_group(
    written, name
):
    """A named commune coordinates what the group coordinates, each role via 'UBND các xã,
    phường'."""
    r = ask(f"{written} phối hợp chỉ số nào")
    assert (COMMUNE_COORDINATE, {COMMUNES}) == (
        all_coordinate(r),
        set(via_by_code(r, "coordinate").values()),
    )


def test_named_commune_without_diacritics_is_still_a_commune():
    """'ubnd xa tan thanh' is a commune committee: lead roles via the commune group."""
    r = ask("ubnd xa tan thanh chu tri chi so nao")
    assert (COMMUNE_LEAD, {COMMUNES}) == (all_lead(r), set(via_by_code(r, "lead").values()))


def test_commune_name_with_dang_is_kept_whole():
    """UBND xã Đồng Đăng keeps its full name."""
    r = ask("UBND xã Đồng Đăng chủ trì chỉ số nào")
    assert ("UBND xã Đồng Đăng", COMMUNE_LEAD) == (r["agency"], all_lead(r))


def test_commune_name_starting_with_chi_is_a_named_commune():
    """UBND xã Chi Lăng is one commune: its lead roles are the group's, via the group."""
    r = ask("UBND xã Chi Lăng chủ trì chỉ số nào")
    assert ("UBND xã Chi Lăng", {COMMUNES}) == (r["agency"], set(via_by_code(r, "lead").values()))


# --- English
# -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question,agency,role",
    [
        ("Which indicators does the Department of Construction lead?", XD, "lead"),
        ("Which indicators does the Department of Finance lead?", TC, "lead"),
        ("Which indicators does the Department of Finance coordinate?", TC, "coordinate"),
        ("Which indicators does the Provincial Police coordinate?", CAT, "coordinate"),
        ("Provincial Police leads which indicators?", CAT, "lead"),
        ("Which indicators does the Department of Industry and Trade lead?", CT, "lead"),
    ],
)
def test_english_agency_questions(question, agency, role):
    """English names of agencies and English role verbs work like the Vietnamese ones."""
    r = ask(question, lang="en")
    got = explicit_lead(r) if role == "lead" else explicit_coordinate(r)
    want = EXPECTED[agency][0] if role == "lead" else EXPECTED[agency][1]
    assert ("agency_indicators", agency, want) == (r["intent"], r["agency"], got)


def test_english_responsibility_question_returns_both_roles():
    """'responsible for' = both roles."""
    r = ask("Which indicators is the Provincial Police responsible for?", lang="en")
    assert EXPECTED[CAT] == (explicit_lead(r), explicit_coordinate(r))


# --- self-reference ("tôi", "chúng tôi", "đơn vị mình")
# ------------------------------------------------------


@pytest.mark.parametrize(
    "question,as_agency,role",
    [
        ("tôi chủ trì chỉ số nào", XD, "lead"),
        ("chúng tôi phối hợp những chỉ số nào", CT, "coordinate"),
        ("đơn vị mình chủ trì chỉ số gì", TC, "lead"),
        ("cơ quan tôi phối hợp chỉ số nào", TTT, "coordinate"),
        ("bên mình chủ trì chỉ số nào", BQL, "lead"),
        ("chung toi chu tri chi so nao", CAT, "lead"),
    ],
)
def test_self_reference_uses_the_askers_agency(question, as_agency, role):
    """'tôi / chúng tôi / đơn vị mình' means the asker's registered agency."""
    r = ask(question, as_agency=as_agency)
    got = explicit_lead(r) if role == "lead" else explicit_coordinate(r)
    want = EXPECTED[as_agency][0] if role == "lead" else EXPECTED[as_agency][1]
    assert ("agency_indicators", as_agency, want) == (r["intent"], r["agency"], got)


def test_self_reference_of_a_commune_asker_uses_the_commune_group_roles():
    """An official of UBND phường Đông Kinh asking 'chúng tôi chủ trì gì' gets the commune
    group's leads, via it."""
    r = ask("chúng tôi chủ trì chỉ số nào", as_agency="UBND phường Đông Kinh")
    assert ("UBND phường Đông Kinh", COMMUNE_LEAD, {COMMUNES}) == (
        r["agency"],
        all_lead(r),
        set(via_by_code(r, "lead").values()),
    )


def test_self_reference_under_an_old_registered_name_answers_for_the_successor():
    """An asker registered as 'Sở Giao thông vận tải' is answered as Sở Xây dựng."""
    r = ask("tôi chủ trì chỉ số nào", as_agency="Sở Giao thông vận tải")
    assert (XD, EXPECTED[XD][0]) == (r["agency"], explicit_lead(r))


def test_a_named_agency_wins_over_the_askers_agency():
    """When the question names an agency, that agency is answered, not the asker's."""
    r = ask("Công an tỉnh chủ trì chỉ số nào", as_agency=XD)
    assert (CAT, EXPECTED[CAT][0]) == (r["agency"], explicit_lead(r))


@pytest.mark.parametrize(
    "question",
    [
        "tôi chủ trì chỉ số nào",
        "chúng tôi phối hợp chỉ số gì",
        "đơn vị mình phụ trách gì",
        "toi phu trach chi so nao",
    ],
)
def test_self_reference_without_a_known_agency_invents_none(question):
    """Without as_agency, 'tôi' cannot be resolved: unknown or clarify, no agency, no
    indicators."""
    r = ask(question)
    assert (True, None, []) == (
        r["intent"] in ("unknown", "clarify"),
        r["agency"],
        r["indicators"],
    )


def test_self_reference_without_a_known_agency_asks_which_agency():
    """The reply to an unresolved 'tôi' asks the user to name the agency."""
    text = ask("tôi chủ trì chỉ số nào")["text"]
    assert "cơ quan nào" in text


# --- ambiguity
# -------------------------------------------------------------------------------------------


def test_truncated_name_matching_two_departments_asks_which_one():
    """'Sở Tài' could be Sở Tài chính or (the former) Sở Tài nguyên và Môi trường: clarify with
    both."""
    r = ask("Sở Tài chủ trì chỉ số nào")
    assert ("clarify", [], True, True) == (
        r["intent"],
        r["indicators"],
        TC in r["text"],
        NNMT in r["text"] or "Sở Tài nguyên và Môi trường" in r["text"],
    )


def test_sources_are_cited_on_agency_answers():
    """Agency answers cite the plan 18 appendix."""
    text = ask("Sở Xây dựng chủ trì chỉ số nào")["text"]
    assert (True, True) == ("18/KH-UBND" in text, "21/01/2026" in text)


def test_scope_of_a_shared_lead_is_kept_in_the_agency_answer():
    """Sở Xây dựng leads 1.5 only for urban clean water: the reply keeps '(nước sạch đô thị)'."""
    assert "nước sạch đô thị" in ask("Sở Xây dựng chủ trì chỉ số nào")["text"]


# ==============================================================================================
# first person with a kind word


@pytest.mark.parametrize(
    "question, asker",
    [
        ("xã mình phụ trách chỉ số nào", "UBND xã Tân Thành"),
        ("xa minh phu trach chi so nao", "UBND xã Tân Thành"),
        ("sở mình chủ trì chỉ số nào", "Sở Xây dựng"),
    ],
)
def test_first_person_with_the_askers_kind_means_the_asker(question, asker):
    """ "xã mình" asked by a commune, "sở mình" by a department: the asker's own indicators."""
    r = ask(question, as_agency=asker)
    assert ("agency_indicators", asker) == (r["intent"], r["agency"])


@pytest.mark.parametrize(
    "question, asker, group",
    [
        ("xã mình phụ trách chỉ số nào", "Sở Xây dựng", "UBND các xã, phường"),
        ("xã em có nhiệm vụ gì", "Sở Y tế", "UBND các xã, phường"),
        (
            "sở mình phụ trách chỉ số nào",
            "UBND phường Đông Kinh",
            "Các Sở, ban, ngành, đoàn thể của tỉnh",
        ),
    ],
)
def test_first_person_with_another_kind_asks_which_is_meant(question, asker, group):
    """ "xã mình" asked by a department (or "sở mình" by a ward) is not answered for either: the
    bot asks."""
    r = ask(question, as_agency=asker)
    assert "clarify" == r["intent"]
    assert asker in r["text"] and group in r["text"]


@pytest.mark.parametrize(
    "question",
    ["Cục Đăng kiểm Việt Nam phối hợp những chỉ số nào", "cuc dang kiem phoi hop chi so nao"],
)
def test_a_central_body_whose_name_folds_to_a_common_word_is_read_whole(question):
    # "đăng" folds to "dang" as "đang" (currently) does; "cục" is no "tiêu cực" (1.8)
    ans = ask(question)
    assert ans["intent"] != "indicator_agencies" and "Chỉ số 1.8" not in ans["text"], ans["text"]
    assert "Đăng" in ans["text"] or "Dang" in ans["text"], ans["text"]


def test_the_kind_word_of_the_introduced_body_after_another_body_points_back_at_the_asker():
    text = ask(
        "em công tác ở Ban Quản lý Khu kinh tế, Sở Tài nguyên và Môi trường xin Ban những số liệu"
        " nào"
    )["text"]
    assert text.startswith(f"Số liệu {BQL} được đề nghị cung cấp"), text


@pytest.mark.parametrize(
    "question, named",
    [
        ("kế hoạch năm 2024 giao ai đôn đốc, theo dõi việc cải thiện PGI", False),
        ("DOC chủ trì chỉ số nào", True),
    ],
)
def test_a_marked_word_is_no_abbreviation_that_folds_alike(question, named):
    # "đôn đốc" (urge) folds to "don doc"; "DOC" is Sở Xây dựng's English abbreviation
    ans = ask(question)
    assert (ans.get("agency") == XD) is named, ans["text"]
