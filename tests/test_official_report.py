"""The report to UBND tỉnh as an official document (.docx, Decree 30/2020/NĐ-CP): its structure
read back with python-docx from a seeded database (SQLite and PostgreSQL), the numbers of its
tables against the board, the command line; and its layout for real: rendered to PDF by
LibreOffice headless and to PNG pages by pdftoppm, then measured (marker ``office``)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from docx import Document
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from PIL import Image

from bot.app import cli
from bot.app.services import build_services
from bot.core.audience import Audience
from bot.reporting import decree30 as d30
from bot.reporting.official import DEPUTY, Signer, write_official_report
from bot.reporting.report import load_report
from bot.reporting.status import AT_RISK, ORDER, OVERDUE, StatusRules
from storage.schedule import deadlines as deadline_store
from storage.tracking import explanations, review
from storage.tracking import progress as progress_store

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 6, 10)  # a Wednesday
AT = datetime(2026, 6, 5, 3, 0, tzinfo=UTC)
PLAN = "plan-18-2026"
APPENDIX = "bao-cao-PGI-20260610.xlsx"
PT_PER_MM = 72 / 25.4


def seed(services) -> None:
    """Sở Xây dựng: 1.5 confirmed at 60 %; Sở Công Thương: 1.6 reported; a deadline for the leads
    of 1.13 passed on 01/06 (overdue for its three leads); one for the leads of 2.4 on 14/06 (at
    risk: within 7 days, no report); a request for explanation open (1.5), one answered (1.6), with
    a control character and markup.
    """
    with services.db.session() as s:
        u = progress_store.add(
            s,
            author_id=1,
            author_name="Lan",
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id=PLAN,
            indicator_code="1.5",
            kb_version_id=1,
            status="in_progress",
            percent=60,
            note="đã sửa 3 công trình",
            created_at=AT,
        )
        review.confirm(s, u.id, 99, AT + timedelta(hours=1))
        progress_store.add(
            s,
            author_id=2,
            author_name="Hà",
            agency_id="so-cong-thuong",
            agency_name="Sở Công Thương",
            plan_id=PLAN,
            indicator_code="1.6",
            kb_version_id=1,
            status="in_progress",
            percent=30,
            created_at=AT,
        )
        deadline_store.add(
            s, "Báo cáo chỉ số 1.13", date(2026, 6, 1), Audience.role("lead", "1.13").spec, 99
        )
        deadline_store.add(
            s, "Báo cáo chỉ số 2.4", date(2026, 6, 14), Audience.role("lead", "2.4").spec, 99
        )
        explanations.create(
            s,
            agency_id="so-xay-dung",
            agency_name="Sở Xây dựng",
            plan_id=PLAN,
            indicator_code="1.5",
            text="Vì sao chậm?",
            due_date=date(2026, 6, 20),
            requested_by=99,
            now=AT,
        )
        q = explanations.create(
            s,
            agency_id="so-cong-thuong",
            agency_name="Sở Công Thương",
            plan_id=PLAN,
            indicator_code="1.6",
            text="Đề nghị giải trình số liệu",
            due_date=date(2026, 6, 8),
            requested_by=99,
            now=AT,
        )
        explanations.answer(
            s, q.id, "Đang chờ <b>số liệu</b>\x0b của Cục Thống kê", 2, AT + timedelta(days=1)
        )


def data_of(services):
    with services.db.session() as s:
        return load_report(s, services.knowledge.current, StatusRules(), TODAY, TZ)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def seeded(request, settings):
    if request.param == "postgres":
        settings = replace(settings, database_url=request.getfixturevalue("postgres_url"))
    services = build_services(settings)
    seed(services)
    yield services
    services.close()


def write(services, path: Path, signer: Signer | None = None):
    data = data_of(services)
    write_official_report(
        services.translations.get("vi"), data, path, TZ, appendix=APPENDIX, signer=signer
    )
    return Document(str(path)), data


def texts(cell_or_doc) -> list[str]:
    return [p.text for p in cell_or_doc.paragraphs]


def table_rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_page_is_a4_with_the_decree_margins_times_new_roman_and_numbers_from_page_two(
    seeded, tmp_path
):
    """A4 portrait; margins 20/20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman 14 pt
    in every script slot; a PAGE field centred in the header of pages 2 and later, and an empty
    first-page header.
    """
    doc, _ = write(seeded, tmp_path / "r.docx")
    section = doc.sections[0]
    sizes = (
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    assert (210, 297, 20, 20, 30, 15) == tuple(round(v.mm, 1) for v in sizes)  # stored in twips
    normal = doc.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    assert ("Times New Roman", Pt(14)) == (normal.font.name, normal.font.size)
    assert {"Times New Roman"} == {
        fonts.get(f"{{{fonts.nsmap['w']}}}{slot}") for slot in ("ascii", "hAnsi", "cs", "eastAsia")
    }
    runs = [r for p in doc.paragraphs for r in p.runs] + [
        r
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    ]
    assert {None} == {r.font.name for r in runs}  # every run inherits Times New Roman
    assert {Pt(s) for s in (11, 12, 13, 14)} >= {r.font.size for r in runs}
    assert section.different_first_page_header_footer
    assert [""] == texts(section.first_page_header)
    header = section.header.paragraphs[0]
    assert "PAGE" in header._p.xml and "center" == header.alignment.name.lower()


def test_the_letterhead_title_addressee_and_signature_follow_the_decree(seeded, tmp_path):
    """Cells 1–4: the parent body and the issuing body (bold) on the left with "Số: …/BC-SNNMT"
    (number blank), the national name and the motto (bold) on the right with "Lạng Sơn, ngày …
    tháng … năm 2026" (italic); the type and subject in bold; "Kính gửi"; "Nơi nhận" and the signer
    without a made-up name.
    """
    doc, _ = write(seeded, tmp_path / "r.docx")
    head = doc.tables[0]
    left, right = head.rows[0].cells
    assert ["UBND TỈNH LẠNG SƠN", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", ""] == texts(left)
    assert [False, True] == [bool(p.runs[0].font.bold) for p in left.paragraphs[:2]]
    assert ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""] == texts(
        right
    )
    assert all(p.runs[0].font.bold for p in right.paragraphs[:2])
    assert (
        "pBdr" in left.paragraphs[2]._p.xml and "pBdr" in right.paragraphs[2]._p.xml
    )  # the lines beneath
    number, place = head.rows[1].cells
    assert "Số:       /BC-SNNMT" == number.text
    assert (
        "Lạng Sơn, ngày      tháng      năm 2026" == place.text
        and place.paragraphs[0].runs[0].font.italic
    )
    body = texts(doc)
    i = body.index("BÁO CÁO")
    assert (
        "Tình hình thực hiện Kế hoạch số 18/KH-UBND ngày 21/01/2026 của UBND tỉnh Lạng Sơn về cải"
        " thiện, nâng cao Chỉ số xanh cấp tỉnh (PGI)" == body[i + 1]
    )
    assert doc.paragraphs[i].runs[0].font.bold and doc.paragraphs[i + 1].runs[0].font.bold
    assert "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn." in body
    assert any(
        t.startswith(
            "Thực hiện Phụ lục Kế hoạch 18/KH-UBND ngày 21/01/2026 của UBND tỉnh Lạng Sơn, Sở Nông"
            " nghiệp và Môi trường"
        )
        and "tính đến ngày 10/06/2026" in t
        for t in body
    )
    sign_left, sign_right = doc.tables[-1].rows[0].cells
    assert ["Nơi nhận:", "- Như trên;", "- Lưu: VT."] == texts(sign_left)
    assert (
        sign_left.paragraphs[0].runs[0].font.bold and sign_left.paragraphs[0].runs[0].font.italic
    )
    assert ["GIÁM ĐỐC", "(Ký, ghi rõ họ tên)", "", "", "", ""] == texts(sign_right)


def test_a_signer_given_is_printed_and_a_deputy_signs_for_the_director(seeded, tmp_path):
    doc, _ = write(seeded, tmp_path / "r.docx", Signer(DEPUTY, "Nguyễn Văn A"))
    right = doc.tables[-1].rows[0].cells[1]
    assert [
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "(Ký, ghi rõ họ tên)",
        "",
        "",
        "",
        "",
        "Nguyễn Văn A",
    ] == texts(right)
    assert right.paragraphs[-1].runs[0].font.bold


def _table_after(doc, caption: str):
    """The table that follows the caption paragraph."""
    body = doc.element.body
    seen = False
    for child in body.iterchildren():
        if child.tag.endswith("}p") and Paragraph(child, None).text == caption:
            seen = True
        elif seen and child.tag.endswith("}tbl"):
            return next(t for t in doc.tables if t._tbl is child)
    raise AssertionError(f"no table after {caption!r}")


def test_the_tables_give_the_boards_numbers(seeded, tmp_path):
    """Table 1 per component and table 2 per agency count by status exactly as the board (the
    workbook's source) does; the overdue, at-risk and explanation tables name the seeded items; the
    workbook is cited.
    """
    doc, data = write(seeded, tmp_path / "r.docx")
    board = data.board
    comp = table_rows(_table_after(doc, "Bảng 1. Tổng hợp theo chỉ số thành phần"))
    assert [
        "STT",
        "Chỉ số thành phần",
        "Số chỉ số",
        "Số lượt giao",
        "Quá hạn",
        "Có nguy cơ chậm",
        "Chưa báo cáo",
        "Đúng tiến độ",
        "Hoàn thành (đã xác nhận)",
    ] == comp[0]
    for row, (c, t) in zip(comp[1:-1], board.by_component(), strict=True):
        assert [f"{c.code}. {c.name}", str(t.held), *[str(t.count(s)) for s in ORDER]] == [
            row[1],
            row[3],
            *row[4:],
        ]
    total = board.tally()
    assert ["Tổng cộng", "42", str(total.held), *[str(total.count(s)) for s in ORDER]] == comp[-1][
        1:
    ]
    assert (3, 65 + 2) == (
        total.count(OVERDUE),
        total.count(AT_RISK),
    )  # 1.13's three leads; 2.4's leads

    agencies = table_rows(_table_after(doc, "Bảng 2. Tổng hợp theo cơ quan, đơn vị"))
    xd = next(r for r in agencies if r[1] == "Sở Xây dựng")
    assert ["6", "1", "0", "4", "1", "0", "1"] == xd[
        2:
    ]  # 5 leads + 1 coordinate; 1.13 overdue; 1.5 on track; 1 request
    groups = [r for r in agencies if r[0] in ("A", "B")]
    assert ["A", "B"] == [g[0] for g in groups] and groups[1][1] == "UBND các xã, phường (65)"
    assert len(board.agencies) + 2 == len(agencies) - 1  # every agency, two group rows, the header

    late = table_rows(_table_after(doc, "Bảng 3. Các chỉ số quá hạn"))
    assert [
        [
            "1",
            "Sở Công Thương; Sở Nông nghiệp và Môi trường; Sở Xây dựng",
            "1.13",
            "01/06/2026: Báo cáo chỉ số 1.13",
        ]
    ] == late[1:]
    risky = table_rows(_table_after(doc, "Bảng 4. Các chỉ số có nguy cơ chậm"))
    assert [
        [
            "1",
            "Công an tỉnh; Sở Nông nghiệp và Môi trường; tất cả 65 UBND xã, phường",
            "2.4",
            "sắp đến hạn 14/06/2026 (Báo cáo chỉ số 2.4), chưa báo cáo",
        ]
    ] == risky[1:]
    asked = table_rows(_table_after(doc, "Bảng 5. Các yêu cầu giải trình"))
    assert [
        "1",
        "Sở Công Thương",
        "1.6",
        "Đề nghị giải trình số liệu",
        "08/06/2026",
        "Đã trả lời ngày 06/06/2026: Đang chờ <b>số liệu</b> của Cục Thống kê",
    ] == asked[1]
    assert ["2", "Sở Xây dựng", "1.5", "Vì sao chậm?", "20/06/2026", "Chưa trả lời"] == asked[2]
    body = texts(doc)
    assert any(f"Phụ lục: bảng tổng hợp {APPENDIX} kèm theo" in t for t in body)
    unregistered = next(
        t for t in body if t.startswith("Có 85/85 cơ quan, đơn vị chưa có cán bộ đăng ký")
    )
    assert "Sở Xây dựng" in unregistered and "tất cả 65 UBND xã, phường" in unregistered


def test_every_table_fits_the_text_width():
    """A table wider than the page's text area is refused where it is made, not found on paper."""
    doc = d30.new_document("t", "a")
    with pytest.raises(ValueError, match="wider than the text area"):
        d30.data_table(doc, ["a", "b"], [[1, 2]], [10, 7])


def test_cli_writes_the_docx_and_its_appendix_beside_it(
    seeded, settings, tmp_path, monkeypatch, capsys
):
    """`report --docx FILE` writes the document and, named in it, the workbook beside it;
    `--signer` prints the name."""
    monkeypatch.setattr(
        cli.Settings, "from_env", classmethod(lambda cls, env=None: seeded.settings)
    )
    out = tmp_path / "bao-cao.docx"
    assert 0 == cli.main(
        ["report", "--docx", str(out), "--as-of", "10/06/2026", "--signer", "Trần Thị B"]
    )
    doc = Document(str(out))
    assert (tmp_path / "bao-cao.xlsx").is_file()
    assert any("Phụ lục: bảng tổng hợp bao-cao.xlsx kèm theo" in t for t in texts(doc))
    assert "Trần Thị B" == texts(doc.tables[-1].rows[0].cells[1])[-1]
    assert f"written: {out}, {tmp_path / 'bao-cao.xlsx'}" in capsys.readouterr().out


def test_cli_report_needs_a_file_to_write(capsys):
    assert 2 == cli.main(["report"])
    assert "--docx FILE" in capsys.readouterr().err


# --- the layout, rendered -----------------------------------------------------------------------


def _render(docx: Path, out: Path) -> tuple[Path, list[Path]]:
    """LibreOffice headless to PDF (its own profile: another soffice running does not
    interfere), pdftoppm to PNG."""
    profile = out / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / (docx.stem + ".pdf")
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf), str(out / "page")], check=True, timeout=120
    )
    return pdf, sorted(out.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, kb_dir_module):
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        pytest.fail(
            "LibreOffice or poppler is missing: run scripts/ensure_libreoffice.sh (scripts/test.sh"
            " does)"
        )
    from bot.app.config import Settings

    root = tmp_path_factory.mktemp("office")
    services = build_services(
        replace(Settings.from_env({}), data_dir=root / "data", kb_dir=kb_dir_module)
    )
    try:
        seed(services)
        docx = root / "bao-cao.docx"
        write_official_report(
            services.translations.get("vi"), data_of(services), docx, TZ, appendix=APPENDIX
        )
    finally:
        services.close()
    pdf, pngs = _render(docx, root)
    if os.environ.get("PGI_SCREENSHOTS"):  # the README's picture of page 1, retaken on demand
        out = Path(os.environ["PGI_SCREENSHOTS"]) / "report-ubnd-page1"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "70",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(out),
            ],
            check=True,
        )
    with pdfplumber.open(pdf) as doc:
        pages = [
            (p.width, p.height, p.extract_words(extra_attrs=["fontname", "size"]), p.edges)
            for p in doc.pages
        ]
    return pages, pngs


@pytest.fixture(scope="module")
def kb_dir_module(tmp_path_factory, shipped_sources):
    d = tmp_path_factory.mktemp("kbdata")
    for name, body in shipped_sources.items():
        (d / name).write_text(body, encoding="utf-8")
    return d


def mm(points: float) -> float:
    return points / PT_PER_MM


def _line(words, first: str, right: float = float("inf")) -> list[dict]:
    """The words on the line that starts with ``first`` (same top), up to ``right``: the two
    cells of the letterhead share their lines."""
    w0 = next(w for w in words if w["text"] == first)
    return [
        w
        for w in words
        if abs(w["top"] - w0["top"]) < 1 and w["x0"] >= w0["x0"] - 1 and w["x1"] <= right
    ]


@pytest.mark.office
def test_rendered_pages_are_a4_numbered_from_page_two_in_the_top_centre(rendered):
    """Every page is A4; page 1 shows no number; page n ≥ 2 shows "n" centred over the text, in
    the top margin."""
    pages, pngs = rendered
    assert len(pages) == len(pngs) >= 2
    for n, (width, height, words, _) in enumerate(pages, 1):
        assert (210, 297) == (round(mm(width)), round(mm(height)))
        in_margin = [w for w in words if mm(w["bottom"]) < d30.MARGINS_MM["top"]]
        if n == 1:
            assert [] == in_margin
            continue
        assert [str(n)] == [w["text"] for w in in_margin]
        centre = mm((in_margin[0]["x0"] + in_margin[0]["x1"]) / 2)
        assert abs(centre - (30 + (210 - 15)) / 2) < 1.5
        assert 13 <= round(in_margin[0]["size"]) <= 14


@pytest.mark.office
def test_rendered_text_and_tables_keep_within_the_margins(rendered):
    """No word and no table rule outside the text area (30 mm left, 15 mm right, 20 mm bottom;
    the top margin holds only the page number); Liberation Serif, Times New Roman's metrics,
    sizes 11–14."""
    pages, _ = rendered
    for _width, _height, words, edges in pages:
        for w in words:
            assert mm(w["x0"]) >= 30 - 0.5 and mm(w["x1"]) <= 210 - 15 + 0.5, w["text"]
            assert mm(w["bottom"]) <= 297 - 20 + 0.5, w["text"]
            assert "LiberationSerif" in w["fontname"] and 11 <= round(w["size"]) <= 14, w
        for e in edges:
            assert mm(e["x0"]) >= 30 - 0.5 and mm(e["x1"]) <= 210 - 15 + 0.5
            assert mm(e["top"]) >= 20 - 0.5 and mm(e["bottom"]) <= 297 - 20 + 0.5


@pytest.mark.office
def test_rendered_letterhead_puts_the_emblem_right_and_the_issuer_left_with_their_lines(rendered):
    """The national name and the motto lie in the right half, the issuing body in the left, each
    on one line; the motto's line is as long as the motto, the issuer's 1/3–1/2 of its name, the
    subject's 1/3–1/2 of its longest line; "Lạng Sơn, ngày …" is centred under the motto, on the
    line of "Số:"."""
    pages, _ = rendered
    width, _, words, edges = pages[0]
    half = width / 2
    national, motto = _line(words, "CỘNG"), _line(words, "Độc")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" == " ".join(w["text"] for w in national)
    assert "Độc lập - Tự do - Hạnh phúc" == " ".join(w["text"] for w in motto)
    assert min(w["x0"] for w in national + motto) > half
    parent, issuer = _line(words, "UBND", half), _line(words, "SỞ", half)
    assert "UBND TỈNH LẠNG SƠN" == " ".join(w["text"] for w in parent)
    assert "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" == " ".join(
        w["text"] for w in issuer
    )  # one line, in the left half
    assert not [
        w for w in words if abs(w["top"] - issuer[0]["top"]) < 1 and w["x0"] < half < w["x1"]
    ]
    rules = [e for e in edges if e["orientation"] == "h" and mm(e["top"]) < 80]

    def rule_below(line):
        bottom, x0, x1 = (
            max(w["bottom"] for w in line),
            min(w["x0"] for w in line),
            max(w["x1"] for w in line),
        )
        below = [
            e
            for e in rules
            if 0 < e["top"] - bottom < 4 * PT_PER_MM and x0 < (e["x0"] + e["x1"]) / 2 < x1
        ]
        assert below, "no line beneath " + line[0]["text"]
        return below[0]

    def span(line):
        return max(w["x1"] for w in line) - min(w["x0"] for w in line)

    def centre(xs):
        return (min(xs) + max(xs)) / 2

    m = rule_below(motto)
    assert abs((m["x1"] - m["x0"]) - span(motto)) < 0.6 * PT_PER_MM
    assert (
        abs(
            centre([m["x0"], m["x1"]])
            - centre([w["x0"] for w in motto] + [w["x1"] for w in motto])
        )
        < PT_PER_MM
    )
    i = rule_below(issuer)
    assert span(issuer) / 3 <= i["x1"] - i["x0"] <= span(issuer) / 2
    subject = [
        w
        for w in words
        if w["top"] > max(x["bottom"] for x in _line(words, "BÁO"))
        and w["top"] < i["top"] + 60 * PT_PER_MM
    ]
    subject_lines: dict[int, list[dict]] = {}
    for w in subject:
        subject_lines.setdefault(round(w["top"]), []).append(w)
    first, last = sorted(subject_lines)[0], sorted(subject_lines)[1]  # the subject takes two lines
    s_rule = rule_below(subject_lines[last])
    longest = max(span(subject_lines[first]), span(subject_lines[last]))
    assert longest / 3 <= s_rule["x1"] - s_rule["x0"] <= longest / 2
    place, number = _line(words, "Lạng"), _line(words, "Số:", half)
    assert abs(place[0]["top"] - number[0]["top"]) < 1
    assert (
        abs(
            centre([w["x0"] for w in place] + [w["x1"] for w in place])
            - centre([w["x0"] for w in motto] + [w["x1"] for w in motto])
        )
        < 2 * PT_PER_MM
    )


@pytest.mark.office
def test_rendered_png_pages_have_ink_only_inside_the_page_layout(rendered):
    """The pages as images (pdftoppm): ink starts at the left margin, ends at the right one, and
    page 1 has no ink above the top margin — what a reader sees, not only the text layer."""
    _, pngs = rendered
    for n, png in enumerate(pngs, 1):
        image = Image.open(png).convert("L")
        px_per_mm = image.width / 210
        box = image.point(lambda v: 255 if v < 128 else 0).getbbox()
        assert box is not None
        left, top, right, bottom = (v / px_per_mm for v in box)
        assert left >= 30 - 1 and right <= 210 - 15 + 1 and bottom <= 297 - 20 + 1, (png.name, box)
        if n == 1:
            assert top >= 20 - 1
