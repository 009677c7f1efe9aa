"""The layout of an administrative document under Decree 30/2020/NĐ-CP (Appendix I, Part I), in
python-docx.

What the decree fixes and where it is applied here:

- A4 portrait; margins 20–25 mm top and bottom, 30–35 mm left, 15–20 mm right (:data:`MARGINS_MM`);
  Times New Roman, black (:func:`new_document`);
- page numbers from 1 in Arabic numerals, 13–14 pt, upright, centred in the top margin, not shown
  on the first page (:func:`_page_numbers`);
- cell 1, top right: the national name (capitals, 12–13 pt, bold) and the motto (13–14 pt, bold, a
  solid line as long as the motto beneath); cell 2, top left: the parent body (capitals, 12–13 pt)
  and the issuing body (capitals, 12–13 pt, bold, a line of 1/3–1/2 of its length beneath); cell 3:
  "Số:" (13 pt) and the symbol; cell 4, on the same line: place and date (13–14 pt, italic),
  centred under the motto (:func:`letterhead`);
- cell 5a: the type (capitals, 13–14 pt, bold) and the subject (13–14 pt, bold, a short line
  beneath) (:func:`title`);
- cell 6: the body, 13–14 pt, justified, first lines indented 1.27 cm, at least 6 pt between
  paragraphs, line spacing between single and 1.5 (:func:`body`);
- cells 7a–7c: the signer's authority and position (capitals, 13–14 pt, bold) and name (13–14 pt,
  bold); cell 9b: "Nơi nhận:" (12 pt, bold italic) and the list (11 pt), each line starting with
  "-" (:func:`signature`).

The sizes chosen are those of the decree's own example column (12, 13, 14, 11).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from bot.reporting.docx_xml import (
    cell_margins,
    element,
    fixed_widths,
    grid,
    header_row,
    keep_rows_whole,
    line_under,
    no_borders,
    shade,
)

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PAGE_MM = (210, 297)
TEXT_WIDTH_CM = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10
HEADER_DISTANCE_MM = 10  # the page number sits in the top margin
FIRST_LINE_CM = 1.27
LEFT_CELL_CM = 7.5  # issuing body, number and symbol
RIGHT_CELL_CM = TEXT_WIDTH_CM - LEFT_CELL_CM  # national name, motto, place and date

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MOTTO_PT = 13
# the motto's width at 13 pt bold, measured in LibreOffice's PDF with Liberation Serif Bold
# (metric- compatible with Times New Roman): the line beneath it is as long as the motto
MOTTO_WIDTH_CM = 5.61

_XML_FORBIDDEN = {c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {0xFFFE, 0xFFFF}


def clean(text: str) -> str:
    """Text from users and the knowledge base, without the characters XML 1.0 cannot hold."""
    return "".join(
        ch for ch in text if ord(ch) not in _XML_FORBIDDEN and not 0xD800 <= ord(ch) <= 0xDFFF
    )


def estimated_width_cm(text: str, size_pt: float, bold: bool = False) -> float:
    """A close estimate of a line's width in Times New Roman (capitals are wider): enough to
    size the short lines the decree draws under the issuing body and the subject (1/3–1/2 of the
    text)."""
    em = size_pt / 72 * 2.54
    wide = sum(0.66 if ch.isupper() else 0.28 if ch in " .,;:-()/" else 0.47 for ch in text)
    return wide * em * (1.04 if bold else 1.0)


def _fonts(rpr, size_pt: float | None = None) -> None:
    """Times New Roman for every script slot (Vietnamese letters use hAnsi; Word picks
    cs/eastAsia too)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = element("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), FONT)


# --- the document --------------------------------------------------------------------------------


def new_document(title: str, author: str) -> Document:
    """An empty A4 document with the decree's margins, Times New Roman 14 pt, Vietnamese, page
    numbers from page 2."""
    doc = new_docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(HEADER_DISTANCE_MM)
    for name in ("Normal", "Header", "Footer", "Table Grid"):
        if name not in [s.name for s in doc.styles]:
            continue
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(BODY_PT)
        _fonts(style.element.get_or_add_rPr())
    normal = doc.styles["Normal"]
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    rpr = normal.element.get_or_add_rPr()
    rpr.append(element("w:lang", val="vi-VN", eastAsia="vi-VN", bidi="ar-SA"))
    doc.core_properties.title = title
    doc.core_properties.author = author
    doc.core_properties.language = "vi-VN"
    _page_numbers(doc)
    return doc


def _page_numbers(doc: Document) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_header.paragraphs[0].text = ""
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "2"),
        ("end", None),
    ):
        run = p.add_run()
        run.font.size = Pt(BODY_PT)
        if kind == "instr":
            instr = element("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            run._r.append(element("w:fldChar", fldCharType=kind))


def para(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    space_after: float = 0,
    indent: bool = False,
) -> Paragraph:
    p = container.add_paragraph()
    fmt = p.paragraph_format
    p.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Cm(FIRST_LINE_CM)
    if text:
        run(p, text, size=size, bold=bold, italic=italic)
    return p


def run(
    p: Paragraph, text: str, *, size: float = BODY_PT, bold: bool = False, italic: bool = False
):
    r = p.add_run(clean(text))
    r.font.size = Pt(size)
    if bold:  # unset is not bold: writing w:b="0" into every run only costs time
        r.font.bold = True
    if italic:
        r.font.italic = True
    return r


def _first(cell: _Cell) -> _Cell:
    """A new cell holds one empty paragraph: remove it so the cell holds only what is added."""
    for p in list(cell.paragraphs):
        p._p.getparent().remove(p._p)
    return cell


@dataclass(frozen=True)
class Letterhead:
    parent: str  # the parent body, e.g. "UBND TỈNH LẠNG SƠN"
    issuer: str  # the issuing body, e.g. "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    symbol: str  # e.g. "BC-SNNMT"; the number is left for the clerk
    place: str  # e.g. "Lạng Sơn"
    year: int | None  # the year of the date line; day and month are left for the clerk


def letterhead(doc: Document, head: Letterhead) -> Table:
    """Cells 1–4 of the decree's layout: a borderless two-column table."""
    table = doc.add_table(rows=2, cols=2)
    no_borders(table)
    cell_margins(table, 0, 0)
    fixed_widths(table, (LEFT_CELL_CM, RIGHT_CELL_CM))
    left, right = (_first(c) for c in table.rows[0].cells)
    para(left, head.parent.upper(), size=12)
    para(left, head.issuer.upper(), size=12, bold=True)
    issuer_cm = min(estimated_width_cm(head.issuer.upper(), 12, bold=True), LEFT_CELL_CM)
    line_under(para(left), issuer_cm * 0.42, LEFT_CELL_CM)
    para(right, NATIONAL_NAME, size=12, bold=True)
    para(right, MOTTO, size=MOTTO_PT, bold=True)
    line_under(para(right), MOTTO_WIDTH_CM, RIGHT_CELL_CM)
    number, date_line = (_first(c) for c in table.rows[1].cells)
    p = para(number, size=13)
    p.paragraph_format.space_before = Pt(6)
    run(p, f"Số:       /{head.symbol}", size=13)
    year = str(head.year) if head.year else "     "
    p = para(date_line, f"{head.place}, ngày      tháng      năm {year}", size=14, italic=True)
    p.paragraph_format.space_before = Pt(6)
    for row in table.rows:
        for c in row.cells:
            c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    return table


def title(doc: Document, kind: str, subject: str) -> None:
    """Cell 5a: the type and the subject, with the short line beneath."""
    p = para(doc, kind.upper(), size=BODY_PT, bold=True)
    p.paragraph_format.space_before = Pt(18)
    para(doc, subject, size=BODY_PT, bold=True)
    longest = min(estimated_width_cm(subject, BODY_PT, bold=True), TEXT_WIDTH_CM)
    line_under(para(doc), longest * 0.38, TEXT_WIDTH_CM)


def body(
    doc: Document, text: str = "", *, bold: bool = False, italic: bool = False, indent: bool = True
) -> Paragraph:
    """A paragraph of cell 6: justified, first line indented, 6 pt after, 1.15 lines."""
    p = para(
        doc,
        text,
        bold=bold,
        italic=italic,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        space_after=6,
        indent=indent,
    )
    p.paragraph_format.line_spacing = 1.15
    return p


def heading(doc: Document, text: str) -> Paragraph:
    """A part's heading ("I. TÌNH HÌNH CHUNG"): bold, indented like the body, kept on the page
    of what follows."""
    p = body(doc, text, bold=True)
    p.paragraph_format.keep_with_next = True
    return p


def data_table(
    doc: Document,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths_cm: Sequence[float],
    *,
    size: float = TABLE_PT,
    bold_rows: frozenset[int] = frozenset(),
    left_columns: frozenset[int] = frozenset({1}),
) -> Table:
    """A bordered table with a header row repeated on every page; rows never split across pages.
    ``bold_rows``: indices of ``rows`` shown bold (totals, group headings)."""
    if sum(widths_cm) > TEXT_WIDTH_CM + 1e-6:
        raise ValueError(
            f"table wider than the text area: {sum(widths_cm):.2f} cm > {TEXT_WIDTH_CM} cm"
        )
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    grid(table)
    cell_margins(table, 0.1, 0.1)
    fixed_widths(table, widths_cm)
    for i, h in enumerate(headers):
        cell = _first(table.rows[0].cells[i])
        para(cell, h, size=min(size, 11), bold=True)
        shade(cell, "E7E6E6")
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    header_row(table)
    for r, (row, values) in enumerate(zip(table.rows[1:], rows, strict=True), 1):
        cells = row.cells  # once a row: python-docx walks the row's grid for each call
        for i, value in enumerate(values):
            cell = _first(cells[i])
            align = WD_ALIGN_PARAGRAPH.LEFT if i in left_columns else WD_ALIGN_PARAGRAPH.CENTER
            for line in str("" if value is None else value).split("\n"):
                para(cell, line, size=size, bold=(r - 1) in bold_rows, align=align)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    keep_rows_whole(table)
    spacer(doc, 6)  # the text after a table does not touch it
    return table


def spacer(doc: Document, height_pt: float) -> None:
    fmt = para(doc).paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(height_pt)


def caption(doc: Document, text: str) -> None:
    p = para(doc, text, size=BODY_PT, bold=True, space_after=3)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True


def signature(
    doc: Document, recipients: Sequence[str], position: Sequence[str], name: str | None
) -> Table:
    """Cells 7a–7c and 9b: "Nơi nhận:" and its list on the left, the signer on the right."""
    p = para(doc)
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    cell_margins(table, 0, 0)
    fixed_widths(table, (TEXT_WIDTH_CM - 7.5, 7.5))
    left, right = (_first(c) for c in table.rows[0].cells)
    para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for i, line in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ";"
        para(left, f"- {line}{end}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in position:
        para(right, line.upper(), size=BODY_PT, bold=True)
    para(right, "(Ký, ghi rõ họ tên)", size=BODY_PT, italic=True)
    for _ in range(4):  # the space for the signature and the seal
        para(right, "")
    if name:
        para(right, name, size=BODY_PT, bold=True)
    keep_rows_whole(table)
    return table
