"""Indicator codes as officials write them: "1.5", "1,5", "chỉ tiêu 4.5", "CSTP 3 số 7", "mục 5
CSTP 2".

The one parser of an indicator code, shared by the question engine, progress updates, audiences and
validation. A code is "<component>.<item>" within one plan; which plan is the caller's business.
"""

from __future__ import annotations

import re

from kb.normalize import normalize

CODE = re.compile(r"^(\d{1,2})\.(\d{1,3})$")
_ITEM_WORDS = r"(?:chi so|chi tieu|tieu chi|so|muc|stt|dong|tt|indicator|item|no)"
_COMPONENT_WORDS = r"(?:chi so thanh phan|component(?: index)?)"
_COMPONENT_ITEM = re.compile(
    rf"\b{_COMPONENT_WORDS} (\d)\b(?: \w+){{0,3}}? {_ITEM_WORDS} (?:thu )?(\d{{1,2}})\b"
)
_ITEM_COMPONENT = re.compile(
    rf"\b{_ITEM_WORDS} (?:thu )?(\d{{1,2}}) (?:\w+ ){{0,2}}?{_COMPONENT_WORDS} (\d)\b"
)
_COMPONENT = re.compile(rf"\b{_COMPONENT_WORDS} (?:so |thu |number )?(\d)\b")


def code_key(code: str) -> tuple[int, ...]:
    """Sort key: 1.2 before 1.10."""
    return tuple(int(p) for p in code.split(".") if p.isdigit())


def find_codes(toks: list[str]) -> tuple[list[tuple[str, int]], str | None]:
    """Indicator codes with their token positions, and a component index named alone.

    ``toks`` are normalised tokens (kb.normalize), so "CSTP" is already "chi so thanh phan".
    """
    text = " ".join(toks)
    codes: list[tuple[str, int]] = []
    for i, t in enumerate(toks):
        m = CODE.match(t)
        if m and len(m.group(2)) < 3:  # "10.000 dân": a number with its thousands, no code
            codes.append((f"{int(m.group(1))}.{int(m.group(2))}", i))
    for m in _COMPONENT_ITEM.finditer(text):
        codes.append((f"{m.group(1)}.{int(m.group(2))}", text[: m.start()].count(" ")))
    for m in _ITEM_COMPONENT.finditer(text):
        codes.append((f"{m.group(2)}.{int(m.group(1))}", text[: m.start()].count(" ")))
    component = None
    if not codes:
        m = _COMPONENT.search(text)
        if m:
            component = m.group(1)
    seen: set[str] = set()
    unique = []
    for code, pos in sorted(codes, key=lambda c: c[1]):
        if code not in seen:
            seen.add(code)
            unique.append((code, pos))
    return unique, component


def parse_code(text: str) -> str | None:
    """The indicator code a text names ("1.5", "chỉ tiêu 1,5", "CSTP 1 số 5"), or None."""
    codes, _ = find_codes(normalize(text or "").split())
    return codes[0][0] if codes else None


def is_code(text: str) -> bool:
    """Whether a text is exactly a code such as "1.5" (a knowledge-base field, a button value)."""
    return bool(CODE.match((text or "").strip()))
