"""Low-level python-docx helpers for what its API leaves out: a paragraph's border line, table
borders and cell margins, cell shading, a header row repeated on every page, rows kept whole, and
column widths that Word and LibreOffice both keep.

Elements are inserted where the WordprocessingML schema wants them: before the ones the
``_..._AFTER_...`` tuples name.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

_PPR_AFTER_BORDER = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_TBLPR_AFTER_BORDERS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
)
_TCPR_AFTER_SHADING = (
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
)


def element(tag: str, **attrs: str) -> BaseOxmlElement:
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(f"w:{k}"), v)
    return e


def line_under(paragraph: Paragraph, length_cm: float, width_cm: float) -> None:
    """A solid line of ``length_cm`` centred in a ``width_cm`` column: the paragraph's top
    border, between indents (Word and LibreOffice draw a border from the left to the right
    indent)."""
    fmt = paragraph.paragraph_format
    side = max((width_cm - length_cm) / 2, 0)
    fmt.left_indent = fmt.right_indent = Cm(side)
    fmt.space_before = Pt(4)  # clear of the descenders above
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    border = element("w:pBdr")
    border.append(element("w:top", val="single", sz="6", space="1", color="000000"))
    ppr.insert_element_before(border, *_PPR_AFTER_BORDER)


def no_borders(table: Table) -> None:
    tblpr = table._tbl.tblPr
    borders = element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(element(f"w:{side}", val="nil"))
    tblpr.insert_element_before(borders, *_TBLPR_AFTER_BORDERS)


def grid(table: Table) -> None:
    tblpr = table._tbl.tblPr
    borders = element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(element(f"w:{side}", val="single", sz="4", space="0", color="000000"))
    tblpr.insert_element_before(borders, *_TBLPR_AFTER_BORDERS)


def cell_margins(table: Table, left_cm: float, right_cm: float) -> None:
    mar = element("w:tblCellMar")
    mar.append(element("w:left", w=str(int(left_cm * 567)), type="dxa"))
    mar.append(element("w:right", w=str(int(right_cm * 567)), type="dxa"))
    table._tbl.tblPr.insert_element_before(mar, "w:tblLook", "w:tblCaption", "w:tblDescription")


def shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.insert_element_before(
        element("w:shd", val="clear", color="auto", fill=fill), *_TCPR_AFTER_SHADING
    )


def header_row(table: Table, index: int = 0) -> None:
    """The row repeats at the top of every page the table runs onto."""
    trpr = table.rows[index]._tr.get_or_add_trPr()
    trpr.append(element("w:tblHeader"))


def keep_rows_whole(table: Table) -> None:
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        trpr.insert(0, element("w:cantSplit"))


def fixed_widths(table: Table, widths_cm: Sequence[float]) -> None:
    """Column widths that Word and LibreOffice both keep: a fixed layout, the grid and every
    cell."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, w in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(w)
    for row in table.rows:
        for tc, w in zip(row._tr.tc_lst, widths_cm, strict=True):
            tc.width = Cm(w)
