"""A Word file (.docx) with the appendix as a table: python-docx reads the cells."""

from __future__ import annotations

from pathlib import Path

from kb.importer.registry import Registry
from kb.importer.rows import Source
from kb.importer.table import rows_from_cells


def read_docx(path: Path, reg: Registry) -> Source:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    from kb.importer.rows import ImportError_

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ImportError_(
            f"{path.name} is not a Word (.docx) file that can be opened ({exc})"
        ) from exc
    body = document.element.body
    before: list[str] = []
    after: list[str] = []
    table_rows: list[list[str]] = []
    seen_table = False
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            (after if seen_table else before).append(text)
        elif tag == "tbl":
            seen_table = True
            table = docx.table.Table(child, document)
            for row in table.rows:
                cells, last = [], None
                for cell in row.cells:
                    if cell._tc is last:  # a merged cell repeats across the columns it spans
                        continue
                    last = cell._tc
                    cells.append("\n".join(p.text for p in cell.paragraphs).strip())
                table_rows.append(cells)
    rows = rows_from_cells(table_rows, reg)
    text = "\n".join(before + ["\t".join(r) for r in table_rows] + after)
    return Source(header="\n".join(before), rows=rows, body="\n".join(after), text=text)
