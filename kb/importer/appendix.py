"""An assignment appendix's rows to a plan document (kb/data/SCHEMA.md), with review flags."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kb.importer.agencies import Parsed, parse_cell
from kb.importer.registry import Registry
from kb.importer.rows import Flag, RawRow, Source
from kb.importer.vocabulary import Vocabulary
from kb.normalize import fold

ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


@dataclass
class Draft:
    """The plan as drafted from a source: the document mapping, the flags, new agency names."""

    plan: dict[str, Any]
    flags: list[Flag] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # names kept as written, not in the registry
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""


def draft_plan(src: Source, reg: Registry, vocab: Vocabulary, file_name: str) -> Draft:
    draft = Draft(plan={}, text=src.text)
    doc = header(src, vocab, draft.flags)
    doc["source"] = file_name
    components: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for row in src.rows:
        if row.kind == "component":
            name, why = vocab.component_name(row.name, src.ocr)
            current = {
                "code": row.number,
                "name": name,
                "source": f"Mục {_roman(row.number)}",
                "indicators": [],
            }
            if why:
                draft.flags.append(Flag(row.number, "name", row.name, name, why))
            components.append(current)
            continue
        if current is None:
            current = {"code": "1", "name": "", "source": "Mục I", "indicators": []}
            draft.flags.append(Flag("1", "name", "", "", "rows before any component heading"))
            components.append(current)
        current["indicators"].append(_indicator(row, current, reg, vocab, src.ocr, draft))
    _renumber(components, draft)
    draft.plan = {"document": doc, "components": components}
    return draft


def _roman(code: str) -> str:
    return ROMAN[int(code)] if code.isdigit() and 0 < int(code) < len(ROMAN) else code


def _renumber(components: list[dict[str, Any]], draft: Draft) -> None:
    """Indicator codes must be unique: a repeated or missing STT is renumbered and flagged."""
    for comp in components:
        seen: set[str] = set()
        for k, ind in enumerate(comp["indicators"], start=1):
            if ind["code"] in seen or not ind["code"].split(".")[-1]:
                old, ind["code"] = ind["code"], f"{comp['code']}.{k}"
                ind["source"] = f"{comp['source']}, STT {k}"
                draft.flags.append(
                    Flag(
                        ind["code"],
                        "name",
                        old,
                        ind["name"],
                        "row number repeated or missing; numbered by its place",
                    )
                )
            seen.add(ind["code"])


def _indicator(
    row: RawRow, comp: dict[str, Any], reg: Registry, vocab: Vocabulary, ocr: bool, draft: Draft
) -> dict[str, Any]:
    code = f"{comp['code']}.{row.number}"
    name, why = vocab.indicator_name(row.name, ocr)
    if not name.strip():  # kept as a placeholder the admin must replace, never left empty
        name = f"(no name read: row {row.number})"
    if why:
        draft.flags.append(Flag(code, "name", row.name, name, why))
    if row.unnumbered:
        draft.flags.append(
            Flag(
                code,
                "name",
                row.name,
                name,
                "the row's number was not read; numbered by its place",
            )
        )
    lead, _ = parse_cell(reg, row.lead, fuzzy=ocr, coordinate=False, guess=ocr)
    coordinate, note = parse_cell(reg, row.coordinate, fuzzy=ocr, coordinate=True, guess=ocr)
    if not lead and coordinate:
        lead = [coordinate[0]]
        draft.flags.append(
            Flag(
                code,
                "lead",
                row.lead,
                coordinate[0].written,
                "no lead agency read; the first coordinating agency is put here",
            )
        )
    if not lead:
        lead = [Parsed(None, row.lead or row.name, read=row.lead)]
        draft.flags.append(Flag(code, "lead", row.lead, lead[0].written, "no lead agency read"))
    if ocr:
        note = _repair_scopes(lead, coordinate, note, vocab, code, draft)
    out: dict[str, Any] = {
        "code": code,
        "name": name,
        "source": f"{comp['source']}, STT {row.number}",
        "lead": [_assignment(p, code, "lead", draft) for p in lead],
        "coordinate": [_assignment(p, code, "coordinate", draft) for p in coordinate],
    }
    if note:
        out["note"] = note
    reasons = list(row.irregular)
    if ocr and why and "known one taken" not in why:
        reasons.append("the row's name is no known indicator: its cells may be misaligned")
    for why in reasons:
        for fld, read, chosen in (
            ("name", row.name, name),
            ("lead", row.lead, _names(lead)),
            ("coordinate", row.coordinate, _names(coordinate)),
        ):
            draft.flags.append(Flag(code, fld, read, chosen, why))
    return out


def _repair_scopes(
    lead: list[Parsed],
    coordinate: list[Parsed],
    note: str | None,
    vocab: Vocabulary,
    code: str,
    draft: Draft,
) -> str | None:
    """Scopes and the note of a scanned row restored from the known wording (flagged)."""
    for p in (*lead, *coordinate):
        if p.scope:
            chosen, why = vocab.scope(p.scope)
            if why:
                p.why.append(f"{why} (scope read as '{p.scope}')")
            p.scope = chosen
    if note:
        chosen, why = vocab.note(note)
        if why:
            draft.flags.append(Flag(code, "coordinate", note, chosen, why))
        note = chosen
    return note


def _names(parsed: list[Parsed]) -> str:
    return "; ".join(p.written + (f" ({p.scope})" if p.scope else "") for p in parsed)


def _assignment(p: Parsed, code: str, fld: str, draft: Draft) -> dict[str, str]:
    if p.agency is None and p.written not in draft.unknown:
        draft.unknown.append(p.written)
    for why in p.why:
        target = "scope" if "scope" in why else fld
        chosen = p.scope if target == "scope" and p.scope else p.written
        draft.flags.append(Flag(code, target, p.read or p.written, chosen or "", why))
    out = {"agency": p.written}
    if p.scope:
        out["scope"] = p.scope
    return out


_NUMBER = re.compile(r"(\d{1,4})\s*/\s*([A-ZĐ]{2,}(?:\s*-\s*[A-ZĐ]{2,})+)")
_DATE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_ISSUER = re.compile(r"(?:của|cua|ciia|cia)\s+([^()\n]+?)\s*\)", re.IGNORECASE)
_ATTACHED = re.compile(r"^\s*\(?\s*(kem theo|e|k)\b.*(ke hoach|hoach|quyet dinh)")


def header(src: Source, vocab: Vocabulary, flags: list[Flag]) -> dict[str, Any]:
    """The document's number, date, issuer and title from the text above the table."""
    text = src.header
    number = _NUMBER.search(text)
    date = _DATE.search(fold(text))
    issuer = _ISSUER.search(text)
    num = re.sub(r"\s+", "", f"{number.group(1)}/{number.group(2)}") if number else None
    iso = f"{date.group(3)}-{int(date.group(2)):02d}-{int(date.group(1)):02d}" if date else None
    year = int(date.group(3)) if date else None
    issuer_text, why = vocab.issuer(" ".join(issuer.group(1).split()) if issuer else "", src.ocr)
    if why:
        flags.append(
            Flag("document", "issuer", issuer.group(1) if issuer else "", issuer_text, why)
        )
    title_lines = []
    for ln in text.split("\n"):
        if _ATTACHED.match(fold(ln)) or _NUMBER.search(ln):
            break
        if ln.strip():
            title_lines.append(ln.strip())
    read_title = " ".join(title_lines)
    title, why = vocab.title(read_title, src.ocr)
    if why:
        flags.append(Flag("document", "title", read_title, title, why))
    doc: dict[str, Any] = {
        "id": _doc_id(num, year),
        "kind": "assignment_plan",
        "number": num,
        "date": iso,
        "issuer": issuer_text or "",
        "title": title,
    }
    if not num:
        doc["number_note"] = "the number was not read from the source"
        flags.append(Flag("document", "number", "", "", "the document number was not found"))
    if not iso:
        doc["date_note"] = "the date was not read from the source"
        flags.append(Flag("document", "date", "", "", "the document date was not found"))
    doc["current"] = True
    if year:
        doc["years"] = [year]
    return doc


def _doc_id(number: str | None, year: int | None) -> str:
    n = number.split("/")[0] if number else "new"
    return f"plan-{n}-{year or 'undated'}"
