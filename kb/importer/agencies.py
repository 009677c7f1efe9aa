"""Agency names in a cell, resolved against the registry (kb/importer/registry.py).

A cell's text is cut into items (at ";", at bullets and at commas between two names), and each
item is read as one or more registry names followed by an optional scope. A name read only
approximately is restored to the registry's spelling and flagged; a name the registry does not
know is kept as written and flagged, and from a scan a name mangled beyond a match is taken as the
registry name it is most like, flagged as a low-confidence guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from kb.importer.registry import EXACT, SURE, Match, Registry, Token, clean, tokens, unconfuse
from kb.model import Agency
from kb.normalize import fold

# Words that begin a clause after a name in a coordinating cell: the rest is a note on the row.
_NOTE_VERBS = ("phoi hop", "tong hop")


_LEAD_IN = ("cac don vi", "cac co quan", "don vi")


@dataclass
class Parsed:
    """One assignment read from a cell."""

    agency: Agency | None
    written: str
    scope: str | None = None
    read: str = ""
    score: float = EXACT
    why: list[str] = field(default_factory=list)


_ITEM_SPLIT = re.compile(r";|(?:^|\n)\s*[-–•+]\s+|^\s*[-–•+]\s*")


def items(cell: str) -> list[str]:
    """A cell's text cut at ";" and at bullets; line breaks inside an item become spaces."""
    parts = _ITEM_SPLIT.split(cell)
    out = []
    for p in parts:
        p = clean(p).strip(" .,;:-–")
        if p:
            out.append(p)
    return out


def parse_item(
    reg: Registry, item: str, fuzzy: bool, coordinate: bool
) -> tuple[list[Parsed], str | None]:
    """The assignments of one item, and a note when the item ends in a clause about the row."""
    toks = tokens(item)
    out: list[Parsed] = []
    i, note = 0, None
    while i < len(toks):
        m = reg.match_at(item, toks, i, fuzzy)
        if m is None:
            break
        j = next((k for k, t in enumerate(toks) if t.start >= m.end), len(toks))
        nxt = _next_name(reg, item, toks, j, fuzzy)
        if nxt is not None:
            out.append(_parsed(reg, m, None))
            i = nxt
            continue
        rest = item[m.end :]
        scope, note = _scope(rest, coordinate)
        if fuzzy and scope and (_name_end(reg, m.agency, scope) or _specks(scope)):
            scope = None  # the end of the agency's own name the scan read apart, or specks
        out.append(_parsed(reg, m, scope))
        return out, note
    if i < len(toks):
        out.extend(_unresolved(reg, item[toks[i].start :], fuzzy))
    return out, note


def _specks(text: str) -> bool:
    return sum(c.isalpha() for c in text) < 3


def _name_end(reg: Registry, agency: Agency, text: str) -> bool:
    """``text`` reads as the last words of one of ``agency``'s names ("… đoàn thể của | tỉnh")."""
    words = tuple(unconfuse(fold(text)).split())
    return bool(words) and any(
        f.agency.id == agency.id
        and len(f.folded) > len(words)
        and f.folded[-len(words) :] == words
        for f in reg.forms
    )


def _next_name(reg: Registry, item: str, toks: list[Token], j: int, fuzzy: bool) -> int | None:
    """Word index of a further name right after a comma or "và", else None."""
    if j >= len(toks):
        return None
    between = item[toks[j - 1].end : toks[j].start] if j > 0 else ""
    k = j
    if toks[j].folded == "va" and "," not in between:
        k = j + 1
    elif "," not in between:
        return None
    if k < len(toks) and reg.match_at(item, toks, k, fuzzy):
        return k
    return None


def _scope(rest: str, coordinate: bool) -> tuple[str | None, str | None]:
    text = clean(rest).strip(" .,;:-–")
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip(" .,;")
    elif text.startswith("("):
        text = text[1:].replace(")", "").strip(" .,;")
    if not text:
        return None, None
    if coordinate and _note_clause(text):
        return None, text
    return text, None


def _note_clause(text: str) -> bool:
    """The text begins with a verb of a note ("phối hợp …"), read exactly or one letter off as a
    scan misreads it ("phdi hop")."""
    head = " ".join(unconfuse(fold(text)).split()[:2])
    return any(
        head == v or (len(head) == len(v) and fuzz.ratio(head, v) >= 85) for v in _NOTE_VERBS
    )


def _parsed(reg: Registry, m: Match, scope: str | None) -> Parsed:
    p = Parsed(m.agency, m.written, scope, read=m.read, score=m.score)
    if m.score < EXACT:
        p.why.append(
            f"name read approximately ({m.score:.0f}%): '{m.read}' taken as '{m.written}'"
        )
        if m.score < SURE:
            p.why.append("low confidence")
    succ = reg.successor(m.agency)
    if succ is not None:
        p.why.append(f"old name: '{m.agency.name}' is now '{succ.name}'")
    return p


_PAREN = re.compile(r"\(([^()]*)\)")


def _unresolved(reg: Registry, text: str, fuzzy: bool) -> list[Parsed]:
    """Text that does not begin with a known name: names in parentheses after a description
    ("các đơn vị cung ứng dịch vụ viễn thông (Viễn Thông Lạng Sơn), nước sạch (…)") are taken with
    the description as their scope; anything else is kept as written and flagged."""
    found = []
    for piece in re.split(r",\s*(?=[^()]*(?:\(|$))", text):
        m = _PAREN.search(piece)
        if not m:
            continue
        inner = m.group(1).strip()
        toks = tokens(inner)
        hit = reg.match_at(inner, toks, 0, fuzzy) if toks else None
        if hit is None or hit.end < len(inner.rstrip(" .")):
            continue
        found.append((clean(piece[: m.start()]), hit))
    if found:
        return _described(reg, found, text)
    written = clean(text).strip(" .,;")
    return [
        Parsed(
            None,
            written,
            read=written,
            score=0.0,
            why=[
                "not in the agency registry: kept as written (add it to agencies.yaml or correct"
                " the name)"
            ],
        )
    ]


def _described(reg: Registry, found: list[tuple[str, Match]], text: str) -> list[Parsed]:
    first = found[0][0]
    words = first.split()
    for lead in _LEAD_IN:
        n = len(lead.split())
        if fold(" ".join(words[:n])) == lead:
            words = words[n:]
            break
    head = " ".join(words[:2])  # the verb the enumeration shares ("cung ứng")
    out = []
    for k, (desc, hit) in enumerate(found):
        scope = " ".join(words) if k == 0 else f"{head} {desc}".strip()
        p = _parsed(reg, hit, scope or None)
        p.read = clean(text)
        p.why.append("scope drafted from an enumeration with names in parentheses; check it")
        out.append(p)
    return out


def _guessed(reg: Registry, p: Parsed) -> Parsed:
    """``p`` as the registry name it most likely is, when it resolved to none."""
    if p.agency is not None or p.scope:
        return p
    found = reg.guess(p.written)
    if found is None:
        return p
    form, score = found
    out = _parsed(
        reg, Match(form.agency, form.agency.name, score, 0, 0, read=p.read or p.written), None
    )
    out.why.insert(
        0,
        f"name unreadable in the scan ('{p.read or p.written}'): the registry name it is most like"
        f" is taken ({score:.0f}%, low confidence)",
    )
    return out


_LINE_BULLET = re.compile(r"\n\s*[-–]\s+")


def _protect_names(reg: Registry, cell: str, fuzzy: bool) -> str:
    """A name broken over a line before its own dash ("… Đồng Đăng\n- Lạng Sơn") is joined, so the
    dash is not read as a bullet."""
    flat = cell.replace("\n", " ")
    spans = reg.spans(flat, fuzzy)
    out, last = [], 0
    for m in _LINE_BULLET.finditer(cell):
        if any(a < m.start() < b for a, b in spans):
            out.append(cell[last : m.start()] + " - ")
            last = m.end()
    out.append(cell[last:])
    return "".join(out)


def parse_cell(
    reg: Registry, cell: str, fuzzy: bool, coordinate: bool, guess: bool = False
) -> tuple[list[Parsed], str | None]:
    """Every assignment of a lead or coordinating cell, duplicates written once, and a note;
    ``guess``: a name mangled beyond a match is taken as the one it most likely is, flagged."""
    out: list[Parsed] = []
    notes = []
    for item in items(_protect_names(reg, cell, fuzzy)):
        if fuzzy and _specks(item):
            continue  # specks of a scan ("i", "e o"): no name
        got, note = parse_item(reg, item, fuzzy, coordinate)
        if guess:
            got = [_guessed(reg, p) for p in got]
        if note:
            notes.append(note)
        for p in got:
            dup = p.agency is not None and any(
                q.agency is not None and q.agency.id == p.agency.id and q.scope == p.scope
                for q in out
            )
            if not dup:
                out.append(p)
    return out, ("; ".join(notes) if notes else None)
