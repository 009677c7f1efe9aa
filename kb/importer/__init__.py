"""Import of an assignment appendix (Word, PDF, scan or plain text) as a knowledge-base folder.

    result = import_sources([Path("phu-luc.docx")], kb_dir)
    result.files        # file name → YAML text of the complete new folder
    result.draft.flags  # the cells a person must check

The readers (text_source, docx_source, pdf_source, ocr_source) turn a source into table rows,
a scan's interleaved columns put back in rows by scan/; appendix drafts the plan from the rows,
agencies resolves a cell's names against the registry (registry), vocabulary repairs OCR text
from known wording, deadlines drafts the body's deadlines, writer composes the folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kb.importer.appendix import Draft, draft_plan
from kb.importer.deadlines import draft_deadlines
from kb.importer.registry import Registry
from kb.importer.rows import Flag, ImportError_, Source
from kb.importer.vocabulary import Vocabulary
from kb.importer.writer import compose
from kb.loader import load, read_sources
from kb.model import KnowledgeBase
from kb.normalize import fold

TEXT = (".txt", ".text", ".md")
IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
KINDS = (*TEXT, ".docx", ".pdf", *IMAGES)

Progress = Callable[[str, float], None]


@dataclass
class ImportResult:
    draft: Draft
    files: dict[str, str]
    plan_file: str
    replaced: list[str] = field(default_factory=list)

    @property
    def flags(self) -> list[Flag]:
        return self.draft.flags


def _noop(_stage: str, _done: float) -> None:
    return None


def read_source(paths: list[Path], reg: Registry, progress: Progress = _noop) -> Source:
    """The rows of the appendix from one document (several page images form one, in order)."""
    if not paths:
        raise ImportError_("give at least one source file")
    kinds = {p.suffix.lower() for p in paths}
    unknown = kinds - set(KINDS)
    if unknown:
        raise ImportError_(
            f"cannot import {', '.join(sorted(unknown))} files; give {', '.join(KINDS)}"
        )
    if kinds <= set(IMAGES):
        from kb.importer.ocr_source import read_images

        return read_images(paths, reg, progress)
    if len(paths) > 1:
        raise ImportError_("several sources form one document only when they are page images")
    path = paths[0]
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from kb.importer.docx_source import read_docx

        return read_docx(path, reg)
    if suffix == ".pdf":
        from kb.importer.pdf_source import read_pdf

        return read_pdf(path, reg, progress)
    from kb.importer.text_source import read_text

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ImportError_(f"{path.name} is not UTF-8 text; save it as UTF-8") from exc
    return read_text(text, reg, ocr=_looks_ocr(text))


def _looks_ocr(text: str) -> bool:
    """Text without Vietnamese diacritics (an OCR that lost them) is repaired like a scan."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    marked = sum(c in _VIETNAMESE or "\u1ea0" <= c <= "\u1ef9" for c in letters)
    return marked / len(letters) < 0.02


_VIETNAMESE = frozenset("ăâđêôơưĂÂĐÊÔƠƯ")  # letters of Vietnamese that Latin-1 OCR noise lacks


def _against_replaced(draft: Draft, kb: KnowledgeBase, ocr: bool) -> None:
    """Rows of the plan being replaced that this source lacks are flagged (a scan may have lost
    them); so are, from a scan, rows that plan does not have."""
    doc = draft.plan["document"]
    old = next(
        (
            d
            for d in kb.documents.values()
            if d.kind == doc["kind"]
            and d.number
            and doc.get("number")
            and fold(d.number) == fold(doc["number"])
        ),
        None,
    )
    if old is None:
        return
    before = {i.code: i.name for i in kb.indicators if i.plan_id == old.id}
    now = {i["code"]: i for c in draft.plan["components"] for i in c["indicators"]}
    for code, name in before.items():
        if code not in now:
            for fld in ("name", "lead", "coordinate"):
                draft.flags.append(
                    Flag(
                        code,
                        fld,
                        "",
                        "",
                        f"{old.number} has this indicator ({name}) but it was not read from the"
                        " source",
                    )
                )
    for code, ind in now.items():
        if ocr and code not in before:
            for fld in ("name", "lead", "coordinate"):
                draft.flags.append(
                    Flag(
                        code,
                        fld,
                        "",
                        str(ind.get(fld, "")),
                        f"{old.number} has no indicator {code}; check the row",
                    )
                )


def import_sources(paths: list[Path], kb_dir: Path, progress: Progress = _noop) -> ImportResult:
    """Import ``paths`` on top of the knowledge-base folder ``kb_dir``."""
    return import_onto(paths, read_sources(kb_dir), progress)


def import_onto(
    paths: list[Path], sources: dict[str, str], progress: Progress = _noop
) -> ImportResult:
    """Import ``paths`` on top of the knowledge-base files ``sources`` (file name → YAML text)."""
    kb = load(sources)
    reg = Registry(kb.agencies)
    vocab = Vocabulary(kb)
    reg.words, reg.name_starts = vocab.words, vocab.name_starts
    progress("read", 0.0)
    src = read_source(paths, reg, progress)
    progress("draft", 0.9)
    if not any(r.kind == "indicator" for r in src.rows):
        names = ", ".join(p.name for p in paths)
        raise ImportError_(
            f"no assignment table found in {names}: expected rows of indicators with lead and"
            " coordinating agencies"
        )
    draft = draft_plan(src, reg, vocab, ", ".join(p.name for p in paths))
    _against_replaced(draft, kb, src.ocr)
    draft.deadlines = draft_deadlines(src.body + "\n" + src.header)
    for d in draft.deadlines:
        draft.flags.append(
            Flag(
                "",
                "deadline",
                d["text"],
                d.get("date") or d.get("every") or "",
                "deadline drafted from the plan's text; confirm it before it is used",
            )
        )
    result = recompose(draft, sources)
    progress("done", 1.0)
    return result


def recompose(draft: Draft, sources: dict[str, str]) -> ImportResult:
    """The folder's files for ``draft`` (after an admin's edits too) on top of ``sources``."""
    note = (
        f"Imported by `python -m bot kb import` from {draft.plan['document']['source']}; "
        f"{len(draft.flags)} cells flagged for review"
    )
    files, plan_file, replaced = compose(sources, draft.plan, draft.unknown, note)
    return ImportResult(draft, files, plan_file, replaced)


__all__ = [
    "IMAGES",
    "KINDS",
    "ImportError_",
    "ImportResult",
    "import_onto",
    "import_sources",
    "read_source",
    "recompose",
]
