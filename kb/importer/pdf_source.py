"""A PDF: its ruled table read by pdfplumber where it has a text layer, else its pages OCR'd."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kb.importer.registry import Registry
from kb.importer.rows import Source
from kb.importer.table import rows_from_cells
from kb.importer.text_source import read_text, with_gaps

RENDER_SCALE = 300 / 72  # pages rendered at 300 dpi for OCR


def read_pdf(
    path: Path, reg: Registry, progress: Callable[[str, float], None] = lambda _s, _d: None
) -> Source:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    from kb.importer.rows import ImportError_

    try:
        pdf = pdfplumber.open(str(path))
    except (PDFSyntaxError, OSError, ValueError) as exc:
        raise ImportError_(f"{path.name} is not a PDF that can be opened ({exc})") from exc
    with pdf:
        texts: list[str] = []
        cells: list[list[str]] = []
        for k, page in enumerate(pdf.pages):
            progress(f"page {k + 1}/{len(pdf.pages)}", k / max(1, len(pdf.pages)) * 0.5)
            lines = page.extract_text_lines(return_chars=False)
            texts.append(with_gaps([(ln["top"], ln["bottom"], ln["text"]) for ln in lines]))
            for table in page.extract_tables():
                cells.extend([c or "" for c in row] for row in table)
    text = "\n\n".join(texts)
    if not text.strip():
        return _scanned(path, reg, progress)
    if cells:
        rows = rows_from_cells(cells, reg)
        if any(r.kind == "indicator" for r in rows):
            head = (
                text.split(cells[0][0] or "\0", 1)[0] if cells[0] and cells[0][0] else text[:2000]
            )
            return Source(
                header=_before_table(text, head), rows=rows, body=_after_table(text), text=text
            )
    return read_text(text, reg)


def _before_table(text: str, head: str) -> str:
    from kb.importer.rows import is_header

    lines = []
    for ln in text.split("\n"):
        if is_header(ln):
            break
        lines.append(ln)
    return "\n".join(lines) if lines else head


def _after_table(text: str) -> str:
    from kb.importer.rows import is_footnote

    lines = text.split("\n")
    k = next((i for i, ln in enumerate(lines) if is_footnote(ln)), len(lines))
    return "\n".join(lines[k:])


def _scanned(path: Path, reg: Registry, progress: Callable[[str, float], None]) -> Source:
    import pypdfium2

    from kb.importer.ocr_source import read_images_of

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        images = [pdf[i].render(scale=RENDER_SCALE).to_pil() for i in range(len(pdf))]
    finally:
        pdf.close()
    return read_images_of(images, reg, progress)
