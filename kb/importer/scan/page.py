"""Pages of a scanned table whose columns the OCR interleaved line by line.

Read across the page, one line of a scan holds a piece of every column it crosses: "5 |Chất lượng
dịch vụ: … - Sở NN&MT |- Công ty cổ phần …". Such a page is cut line by line into fragments (at
"|", at wide gaps, at a dash in mid-line, where an agency name follows text that is none, and
where two names meet with no separator between them), and the fragments are put back in columns:

- a row opens at its number, or at a line that reads like an indicator's name once the row
  before has agencies (the number is often misread); lines between two rows go to the upper one
  up to its last full stop and its continuation lines, the others to the lower one (cells are
  centred on their row, so the tall coordinating cell starts above the number);
- the text a line begins with, when it reads like an indicator's name (its words are the index's
  wording), is the name; of the other fragments, the first of a line is the lead column and the
  next ones the coordinating column;
- a fragment alone on its line (or a paragraph of them) may belong to either agency column: each
  way is tried and the one whose cells resolve best against the registry is taken.

Every row rebuilt so is flagged for review: its columns were recovered, not read. A row's
own lines are read in kb/importer/scan/row.py, its fragments placed in scan/placement.py.
"""

from __future__ import annotations

import itertools
import re

from rapidfuzz import fuzz, process

from kb.importer.registry import Registry, unconfuse
from kb.importer.rows import RawRow, component, is_footnote, is_header
from kb.importer.scan.fragments import (
    JUNK,
    NUMBER,
    continues,
    ends_stop,
    fragments,
    mixed,
    namelike,
    opens_name,
    repeats,
    starts_agency,
)
from kb.importer.scan.placement import repeated, row_score
from kb.importer.scan.row import read_row
from kb.importer.scan.wording import FITS, name_prefix
from kb.normalize import fold

SKIP = 3  # a row number may jump this far ahead (rows the scan lost)


MIXED_LINES = 1  # a page with this many lines holding two columns' names is read as interleaved


REBUILT = "the scan interleaves the columns here: the row was rebuilt from them; check its cells"


def interleaved(lines: list[str], reg: Registry) -> bool:
    mixing = sum(mixed(ln, reg) or _three_columns(ln, reg) for ln in lines if ln.strip())
    return mixing >= MIXED_LINES


def _three_columns(line: str, reg: Registry) -> bool:
    """A row's line that holds its name, text of the lead's column after it and the next
    column's agency ("15 Tỷ lệ xã, … hàng | thu gom, vận chuyển … | Sở Tài chính; …"): where
    the index's name ends is told by its words."""
    m = NUMBER.match(line.strip())
    if not m or not reg.name_starts:
        return False
    parts = fragments(m.group(2), reg)
    if len(parts) < 2 or starts_agency(parts[0], reg) or not starts_agency(parts[-1], reg):
        return False
    head = unconfuse(fold(parts[0]))
    best = process.extractOne(head, reg.name_starts, scorer=fuzz.partial_ratio)
    if not best or best[1] < FITS:
        return False
    cut, _ = name_prefix(parts[0], best[0], 0)
    return 0 < cut and len(re.findall(r"[^\W\d_]{2,}", parts[0][cut:])) >= 3


def read_page(
    lines: list[str], reg: Registry, words: frozenset[str], expected: int
) -> tuple[list[RawRow], int, list[str]]:
    """Rows of one interleaved page (or the part of it under one component heading); returns
    them, the next row number expected and the lines before the first row (which may continue
    the row above the page)."""
    anchors = _anchors(lines, reg, words, expected)
    if not anchors:
        return [], expected, lines
    rows: list[RawRow] = []
    bounds = _rebound(lines, anchors, _bounds(lines, anchors), reg, words)
    for (i, number, why), (lo, hi) in zip(anchors, bounds, strict=True):
        row = read_row(lines[lo:hi], i - lo, number, reg, words)
        row.irregular.append(REBUILT)
        if why:
            row.irregular.append(why)
        rows.append(row)
    return rows, anchors[-1][1] + 1, []


def _anchors(
    lines: list[str], reg: Registry, words: frozenset[str], expected: int
) -> list[tuple[int, int, str]]:
    """(line, row number, why it is uncertain) of each row's opening line."""
    out: list[tuple[int, int, str]] = []
    has_agency = False
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        m = NUMBER.match(s)
        rest = m.group(2) if m else ""
        if m and expected <= int(m.group(1)) <= expected + SKIP:
            n = int(m.group(1))
            if out and out[-1][1] == n - 1 and i - out[-1][0] <= 2 and out[-1][2]:
                pass  # the number of the row whose name opened it just above
            else:
                out.append((i, n, ""))
                expected = n + 1
                has_agency = any(starts_agency(f, reg) for f in fragments(rest, reg)[1:])
                continue
        elif m and out and out[-1][1] == int(m.group(1)) and i - out[-1][0] <= 2:
            pass  # the number of the row whose name opened it just above
        else:
            j = JUNK.match(s)
            head = fragments(j.group(1) if j else (rest if m else s), reg)
            if (
                head
                and head[0][:1].isupper()
                and not starts_agency(head[0], reg)
                and namelike(head[0], words)
                and opens_name(head[0], reg.name_starts)
                and (has_agency or (j and not out) or (m and not out))
            ):
                how = "read as " + repr(s[:3].strip()) if (j or m) else "not read"
                out.append((i, expected, f"the row's number {how}; numbered by its place"))
                expected = expected + 1
                has_agency = any(starts_agency(f, reg) for f in head[1:])
                continue
        if out and any(starts_agency(f, reg) for f in fragments(s, reg)):
            has_agency = True
    return out


def _bounds(lines: list[str], anchors: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    starts = [0]
    for (a, n, _), (b, _, _) in itertools.pairwise(anchors):
        gap = list(range(a + 1, b))
        split = a + 1
        for k in gap:
            if ends_stop(lines[k]):
                split = k + 1
        k = a + 1
        while k < b and (not lines[k].strip() or continues(lines[k]) or repeats(lines[k], n)):
            k += 1
        starts.append(max(split, k))
    ends = [*starts[1:], len(lines)]
    return list(zip(starts, ends, strict=True))


def _rebound(
    lines: list[str],
    anchors: list[tuple[int, int, str]],
    bounds: list[tuple[int, int]],
    reg: Registry,
    words: frozenset[str],
) -> list[tuple[int, int]]:
    """The lines between two rows given to the upper or the lower one where the rows' cells then
    read best: names resolved, and no agency twice in a row (cells are centred on their row, so
    the lines above a row's number may be its own or the end of the row above's). Lines moved
    down may in turn push the lower row's last lines to the row after it."""
    starts = [lo for lo, _ in bounds]

    def options(r: int) -> list[int]:
        a, b = anchors[r - 1][0], anchors[r][0]
        k = a + 1
        while k < b and (not lines[k].strip() or continues(lines[k])):
            k += 1  # the upper row's own continuation lines stay with it
        return [
            c
            for c in range(k, b + 1)
            if (c == k or c == b or ends_stop(lines[c - 1])) and c <= starts[r]
        ]

    def row(r: int, lo: int, hi: int) -> float:
        got = read_row(lines[lo:hi], anchors[r][0] - lo, anchors[r][1], reg, words)
        return row_score(got, reg)

    for r in range(1, len(anchors)):
        lo, now = starts[r - 1], starts[r]
        upper = read_row(lines[lo:now], anchors[r - 1][0] - lo, anchors[r - 1][1], reg, words)
        if not repeated(upper, reg) or len(options(r)) < 2:
            continue  # the usual rule stands unless it gives the upper row an agency twice
        nxt = r + 1 < len(anchors)
        end = starts[r + 2] if r + 2 < len(starts) else len(lines)
        follow = options(r + 1) if nxt else []
        scored: dict[tuple[int, int], float] = {}
        for c in options(r):
            for c2 in follow or [len(lines)]:
                score = row(r - 1, lo, c) + row(r, c, c2)
                if nxt:
                    score += row(r + 1, c2, end)
                scored[(c, c2)] = score
        default = (now, starts[r + 1] if nxt else len(lines))
        best = max(scored, key=lambda k: (scored[k], k))
        if default in scored and scored[default] < scored[best] - 0.5:  # a clear gain only
            starts[r] = best[0]
            if nxt:
                starts[r + 1] = best[1]
    ends = [*starts[1:], len(lines)]
    return list(zip(starts, ends, strict=True))


def pages(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each page of the table: the repeated headings and component lines cut it."""
    out, start = [], 0
    for i, line in enumerate(lines):
        if is_header(line) or component(line) or is_footnote(line):
            if i > start:
                out.append((start, i))
            start = i + 1
    if start < len(lines):
        out.append((start, len(lines)))
    return out
