"""Rows of cells (from a Word table or a PDF's ruled table) to appendix rows."""

from __future__ import annotations

import re

from kb.importer.registry import Registry
from kb.importer.rows import RawRow, component, is_header, roman

_NUMBER = re.compile(r"^\s*(\d{1,2})\s*\.?\s*$")


def rows_from_cells(table: list[list[str]], reg: Registry, ocr: bool = False) -> list[RawRow]:
    """STT | name | lead | coordinate rows; a component heading spans the columns after STT."""
    out: list[RawRow] = []
    for cells in table:
        cells = [c or "" for c in cells]
        joined = " ".join(c for c in cells if c)
        if not joined.strip() or is_header(joined.replace("\n", " ")):
            continue
        heading = component(" ".join(joined.split()))
        if heading and (len(cells) < 4 or roman(cells[0]) or not _NUMBER.match(cells[0])):
            out.append(RawRow("component", heading[0], heading[1], source=joined))
            continue
        m = _NUMBER.match(cells[0]) if cells else None
        if m and len(cells) >= 4:
            name = " ".join(cells[1].split())
            out.append(
                RawRow(
                    "indicator",
                    m.group(1),
                    name,
                    cells[2].strip(),
                    cells[3].strip(),
                    source=" | ".join(cells),
                )
            )
        elif out and out[-1].kind == "indicator" and len(cells) >= 4 and not cells[0].strip():
            prev = out[-1]  # a row carried over a page break continues the cells above
            prev.name = " ".join(f"{prev.name} {cells[1]}".split())
            prev.lead = f"{prev.lead}\n{cells[2]}".strip()
            prev.coordinate = f"{prev.coordinate}\n{cells[3]}".strip()
        elif joined.strip() and out:
            out[-1].irregular.append(
                f"a table row that is neither a component nor an indicator: {joined[:80]!r}"
            )
    return out
