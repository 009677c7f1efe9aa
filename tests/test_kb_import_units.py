"""The import's parts on their own: agency resolution, OCR repair, header and row recognition."""

from __future__ import annotations

import pytest
import yaml

from kb.importer.agencies import parse_cell
from kb.importer.appendix import header
from kb.importer.registry import Registry, unconfuse
from kb.importer.rows import Source, component, is_header
from kb.importer.text_source import read_text
from kb.importer.vocabulary import Vocabulary
from kb.loader import DATA_DIR, load, read_sources


@pytest.fixture(scope="module")
def kb():
    return load(read_sources(DATA_DIR))


@pytest.fixture(scope="module")
def reg(kb):
    return Registry(kb.agencies)


def _ids(parsed):
    return [(p.agency.id if p.agency else None, p.scope) for p in parsed]


def test_names_aliases_scopes_and_groups(reg):
    got, note = parse_cell(
        reg,
        "- Sở XD (nước sạch đô thị);\n- Sở NN&MT\n(cấp nước sạch nông thôn).",
        fuzzy=False,
        coordinate=False,
    )
    assert _ids(got) == [
        ("so-xay-dung", "nước sạch đô thị"),
        ("so-nnmt", "cấp nước sạch nông thôn"),
    ]
    assert [p.written for p in got] == ["Sở XD", "Sở NN&MT"] and note is None
    got, _ = parse_cell(
        reg,
        "Công an tỉnh, Sở Xây dựng; các Sở, ban, ngành\nliên quan; UBND cấp xã",
        fuzzy=False,
        coordinate=True,
    )
    assert _ids(got) == [
        ("cong-an-tinh", None),
        ("so-xay-dung", None),
        ("so-ban-nganh-lien-quan", None),
        ("ubnd-xa-phuong", None),
    ]
    assert not any(p.why for p in got)


def test_a_name_broken_before_its_own_dash_is_one_agency(reg):
    got, _ = parse_cell(
        reg,
        "- Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng\n- Lạng Sơn; các Sở, ban, ngành liên quan",
        fuzzy=False,
        coordinate=True,
    )
    assert _ids(got) == [("bql-kkt", None), ("so-ban-nganh-lien-quan", None)]


def test_a_note_after_the_last_coordinator_and_a_repeated_name(reg):
    got, note = parse_cell(
        reg,
        "Sở Tài chính; Công an tỉnh; Sở Tài chính; UBND các xã, phường phối "
        "hợp rà soát gửi Sở Tài chính tổng hợp.",
        fuzzy=False,
        coordinate=True,
    )
    assert _ids(got) == [("so-tai-chinh", None), ("cong-an-tinh", None), ("ubnd-xa-phuong", None)]
    assert note == "phối hợp rà soát gửi Sở Tài chính tổng hợp"


def test_old_names_are_kept_and_flagged_with_their_successor(reg):
    (p,), _ = parse_cell(reg, "Sở Tài nguyên và Môi trường", fuzzy=False, coordinate=False)
    assert p.written == "Sở Tài nguyên và Môi trường"
    assert any("is now 'Sở Nông nghiệp và Môi trường'" in w for w in p.why)


def test_ocr_noise_is_restored_from_the_registry_and_flagged(reg):
    got, _ = parse_cell(
        reg, "S& Nong nghiép va Mai truong;\nUBND cip x4", fuzzy=True, coordinate=False
    )
    assert _ids(got) == [("so-nnmt", None), ("ubnd-xa-phuong", None)]
    assert [p.written for p in got] == ["Sở Nông nghiệp và Môi trường", "UBND cấp xã"]
    assert all(p.why for p in got)
    assert unconfuse("ubnd cip x4 1y 2026") == "ubnd cip xa ly 2026"


def test_an_unknown_name_is_kept_as_written_never_guessed(reg):
    (p,), _ = parse_cell(
        reg, "Ban Quản lý dự án đầu tư xây dựng tỉnh", fuzzy=True, coordinate=True
    )
    assert p.agency is None and p.written == "Ban Quản lý dự án đầu tư xây dựng tỉnh"
    assert "not in the agency registry" in p.why[0]


def test_indicator_names_are_restored_from_the_known_wording(kb):
    vocab = Vocabulary(kb)
    name, why = vocab.indicator_name("Chat luong moi truong tot hoac rat tot (%)", ocr=True)
    assert name == "Chất lượng môi trường tốt hoặc rất tốt (%)" and why is None
    name, why = vocab.indicator_name("Chét lugng méi truong tot hodc rét t6t (%)", ocr=True)
    assert name == "Chất lượng môi trường tốt hoặc rất tốt (%)" and "approximately" in why
    name, why = vocab.indicator_name("Mot chi so moi hoan toan", ocr=True)
    assert name == "Mot chi so moi hoan toan" and "as the scan reads it" in why
    assert vocab.indicator_name("Một chỉ số mới", ocr=False) == ("Một chỉ số mới", None)


def test_the_header_gives_number_date_issuer_and_title(kb):
    src = Source(
        header=(
            "PHỤ LỤC\nPHÂN CÔNG NĂM 2027\n(Kèm theo Kế hoạch số: 7 /KH-UBND ngày 5 "
            "tháng 3 năm 2027 của UBND tỉnh Lạng Sơn)"
        ),
        rows=[],
    )
    flags = []
    doc = header(src, Vocabulary(kb), flags)
    assert (doc["number"], doc["date"], doc["issuer"]) == (
        "7/KH-UBND",
        "2027-03-05",
        "UBND tỉnh Lạng Sơn",
    )
    assert doc["id"] == "plan-7-2027" and doc["title"] == "Phụ lục phân công năm 2027"


def test_headings_components_and_rows(reg):
    assert is_header("STT CHỈ SỐ THÀNH PHẦN CƠ QUAN CHỦ TRÌ") and is_header("THU'C HIEN")
    assert not is_header("Thanh tra tỉnh")
    assert component("II CSTP 2. Đảm bảo tuân thủ") == ("2", "Đảm bảo tuân thủ")
    assert component("IT |CSTP 2. Pam bio tuin thu") == ("2", "Pam bio tuin thu")
    src = read_text(
        "STT CHỈ SỐ\n\nI CSTP 1. Một\n\n1 Tên một (%) Sở Y tế\n\n- Công an tỉnh.\n\n"
        "2 Tên hai\n2 năm gần nhất Sở Tài chính\n\nCông an tỉnh\n",
        reg,
    )
    rows = [(r.kind, r.number, r.name, r.lead, r.coordinate) for r in src.rows]
    assert rows == [
        ("component", "1", "Một", "", ""),
        ("indicator", "1", "Tên một (%)", "Sở Y tế", "- Công an tỉnh."),
        ("indicator", "2", "Tên hai 2 năm gần nhất", "Sở Tài chính", "Công an tỉnh"),
    ]


def test_lexicon_entries_for_codes_the_imported_plan_lacks_are_left_out_and_named():
    """A replaced plan without some indicators: the lexicon keyed to it keeps only its codes (so
    the folder passes kb check) and says at its top which codes' phrases were left out."""
    from kb.importer.writer import lexicon_for

    lexicon = (
        "lexicon:\n  plan: plan-18-2026\n  indicators:\n"
        '    - code: "1.1"\n      phrases: ["môi trường trong lành"]\n'
        '    - code: "1.9"\n      phrases: ["thiên tai"]\n'
    )
    plan = {
        "document": {"id": "plan-18-2026"},
        "components": [{"code": "1", "indicators": [{"code": "1.1"}]}],
    }
    other = {"document": {"id": "plan-99-2027"}, "components": plan["components"]}
    text = lexicon_for(lexicon, plan)
    entries = yaml.safe_load(text)["lexicon"]["indicators"]
    assert ["1.1"] == [e["code"] for e in entries]
    assert text.startswith("# ") and "1.9" in text.splitlines()[0]
    assert lexicon == lexicon_for(lexicon, other)  # keyed to another plan: untouched


def test_a_scanned_name_mangled_beyond_a_match_is_chosen_and_flagged(reg):
    """From a scan, an item that matches no registry name is taken as the one of today's
    agencies it is most like (by its last words, or its beginning where a column's edge cut
    it), flagged as a low-confidence guess; without ``guess`` it stays as read."""
    got, _ = parse_cell(reg, "py0 10 ono Thiy van tinh", fuzzy=True, coordinate=False, guess=True)
    assert _ids(got) == [("dai-kttv", None)]
    assert got[0].written == "Đài Khí tượng Thủy văn tỉnh"
    assert any("low confidence" in why for why in got[0].why)
    got, _ = parse_cell(reg, "Sở NN&MT; UBND cic", fuzzy=True, coordinate=True, guess=True)
    assert _ids(got) == [("so-nnmt", None), ("ubnd-xa-phuong", None)]
    got, _ = parse_cell(reg, "py0 10 ono Thiy van tinh", fuzzy=True, coordinate=False)
    assert _ids(got) == [(None, None)]


def test_no_guess_when_no_registry_name_stands_out(reg):
    """A name the registry does not know that reads as words is kept as written (and flagged as
    unknown), not taken for the registry name it is most like; specks are no item."""
    got, _ = parse_cell(reg, "Ban quản lý dự án; i", fuzzy=True, coordinate=True, guess=True)
    assert [(p.agency, p.written) for p in got] == [(None, "Ban quản lý dự án")]
    assert "not in the agency registry" in got[0].why[0]


def test_an_unreadable_indicator_name_is_known_by_the_words_that_follow(kb):
    """An OCR'd name whose first words are specks is the index's name whose words the rest
    follows in order, flagged; a clean name the index lacks is kept as read."""
    vocab = Vocabulary(kb)
    name, why = vocab.indicator_name(
        "gfgﬁc t(};/au:ilgnklerr;l tra moi truong dugce thuc hién cong", ocr=True
    )
    assert name == "Việc thanh, kiểm tra môi trường được thực hiện công bằng (% đồng ý)"
    assert why and "low confidence" in why
    name, why = vocab.indicator_name("Ty le hop tac xa duoc cap phep xa thai dung han", ocr=True)
    assert name == "Ty le hop tac xa duoc cap phep xa thai dung han" and why
