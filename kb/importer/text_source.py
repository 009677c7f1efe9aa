"""Plain text of an appendix (as the seeds have it, or as OCR gives it) to table rows.

The text of a table comes out column after column and cell after cell: a row starts with its
number (STT) and the indicator's name; the lead cell follows, on the name's last line or in the
next paragraph; the coordinating cell comes after. Where the number is missing (OCR), a new row
starts at a paragraph that is neither a name from the registry nor a bullet nor a continuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.importer.registry import Registry
from kb.importer.rows import RawRow, Source, component, is_footnote, is_header
from kb.importer.scan.page import interleaved, pages, read_page

_STT = re.compile(r"^\s*\|?\s*(\d{1,2})\s*[|.)]?\s+(\S.*)$")
_ALONE = re.compile(r"^\s*\|?\s*(\d{1,2})\s*[|.)]?\s*$")  # OCR: the number on a line of its own
SKIP = 6  # OCR: rows the scan lost may make a number jump ahead by this much
_BULLET = re.compile(r"^\s*[-–•+]\s*")
_INLINE_BULLET = re.compile(r"\s{2,}(?=[-–•]\s)")  # "UBND cấp xã  - Các doanh nghiệp …"
_UNNUMBERED = "\x01the row's number was not read; taken as the next one"
_ODD = re.compile(r"[|\[\]{}<>«»~^@#]")


def read_text(text: str, reg: Registry, ocr: bool = False) -> Source:
    lines = text.replace("\r\n", "\n").replace("\f", "\n\n").split("\n")
    start = next((i for i, ln in enumerate(lines) if is_header(ln) or component(ln)), None)
    if start is None:
        return Source(
            header=text, rows=[], text=text, ocr=ocr, notes=["no assignment table found"]
        )
    reading = _Reading(reg, ocr)
    mixed = _interleaved_pages(lines, start, reg) if ocr else {}
    body_from, i = len(lines), start
    while i < len(lines):
        if i in mixed and reading.page(lines[i : mixed[i]]):
            i = mixed[i]
            continue
        if not reading.take(lines[i]):
            body_from = i
            break
        i += 1
    reading.close()
    header = "\n".join(lines[:start])
    body = "\n".join(lines[body_from:])
    return Source(header=header, rows=reading.rows, body=body, text=text, ocr=ocr)


@dataclass
class _Reading:
    """The rows read so far and the lines of the current indicator row ("" between paragraphs,
    notes on the row after "\\x00" and "\\x01")."""

    reg: Registry
    ocr: bool
    rows: list[RawRow] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    expected: int = 1  # the number the next row should have
    pending: int | None = None  # a number read on a line of its own (OCR): the next line's row

    def close(self) -> None:
        _close(self.rows, self.blocks, self.reg, self.ocr)
        self.blocks = []

    def page(self, lines: list[str]) -> bool:
        """An interleaved page rebuilt into rows (False when no row opens on it)."""
        got, nxt, before = read_page(lines, self.reg, self.reg.words, self.expected)
        if not got:
            return False
        self.blocks.extend(before)
        self.close()
        self.rows.extend(got)
        self.expected, self.pending = nxt, None
        return True

    def take(self, line: str) -> bool:
        """One line of the table read; False at the footnote that ends it."""
        alone = _ALONE.match(line) if self.ocr else None
        if alone and self.expected <= int(alone.group(1)) <= self.expected + SKIP:
            self.close()
            self.pending = int(alone.group(1))
            self.expected = self.pending + 1
        elif self.pending is not None and line.strip() and not is_header(line):
            self.blocks = [f"{self.pending} {line.strip()}"]
            self.pending = None
        elif is_footnote(line):
            return False
        elif is_header(line):
            self.blocks.append("")
        elif self.blocks or line.strip():
            if not self._opens_row(line):
                self.blocks.append(line)
        return True

    def _opens_row(self, line: str) -> bool:
        """A component heading or a new indicator row begins at ``line`` (and is opened)."""
        blocks, ocr = self.blocks, self.ocr
        comp = component(line)
        m = _STT.match(line)
        if comp:
            self.close()
            self.rows.append(RawRow("component", comp[0], comp[1], source=line.strip()))
            self.expected, self.pending = 1, None
        elif (
            m
            and _next_number(int(m.group(1)), self.expected, ocr)
            and not _is_continuation(blocks)
        ):
            self.close()
            self.blocks = [line]
            self.expected = int(m.group(1)) + 1
        elif ocr and blocks and _starts_unnumbered_row(line, blocks, self.reg):
            self.close()
            self.blocks = [f"{self.expected} {line.strip()}", _UNNUMBERED]
            self.expected += 1
        elif (
            not blocks and line.strip() and self.rows and self.rows[-1].kind == "component" and ocr
        ):
            self.blocks = [f"{self.expected} {line.strip()}", _UNNUMBERED]
            self.expected += 1
        else:
            return False
        return True


def _interleaved_pages(lines: list[str], start: int, reg: Registry) -> dict[int, int]:
    """Start → end of each page of the table (after ``start``) whose columns the scan mixed."""
    out = {}
    for a, b in pages(lines[start:]):
        if interleaved(lines[start + a : start + b], reg):
            out[start + a] = start + b
    return out


def _next_number(n: int, expected: int, ocr: bool) -> bool:
    return n == expected or (ocr and expected < n <= expected + SKIP)


def _is_continuation(blocks: list[str]) -> bool:
    """True when the last line read ends mid-phrase (", " or "và"), so a number opens no row."""
    for ln in reversed(blocks):
        if ln and not ln.startswith(("\x00", "\x01")):
            s = ln.rstrip()
            return s.endswith((",", " và", "(")) and not s.endswith(".,")
    return False


def _paragraph_start(blocks: list[str]) -> bool:
    return not blocks or blocks[-1] == "" or blocks[-1].startswith(("\x00", "\x01"))


def _starts_unnumbered_row(line: str, blocks: list[str], reg: Registry) -> bool:
    s = line.strip()
    if not s or not _paragraph_start(blocks) or _BULLET.match(s) or not s[0].isupper():
        return False
    paragraphs = sum(1 for b in blocks if b == "")
    if paragraphs < 2:  # the current row has no cell after its name yet
        return False
    return reg.find_first(s, fuzzy=True) is None or reg.find_first(s, fuzzy=True).start > 0  # type: ignore[union-attr]


def _close(rows: list[RawRow], blocks: list[str], reg: Registry, ocr: bool) -> None:
    if not blocks:
        return
    notes = [b[1:] for b in blocks if b.startswith("\x00")]
    unnumbered = _UNNUMBERED in blocks
    lines = [b for b in blocks if not b.startswith(("\x00", "\x01"))]
    m = _STT.match(lines[0])
    if not m:
        return
    number, first = m.group(1), m.group(2)
    paragraphs = _paragraphs([first, *lines[1:]])
    row = _cells(number, paragraphs, reg, ocr)
    row.irregular.extend(notes)
    row.unnumbered = unnumbered
    row.source = "\n".join(ln.rstrip() for ln in lines).strip()
    if ocr and any(_ODD.search(ln) for ln in lines):
        row.irregular.append("the scan mixes columns on one line in this row")
    rows.append(row)


def _paragraphs(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for ln in lines:
        if not ln.strip():
            if out[-1]:
                out.append([])
            continue
        parts = _INLINE_BULLET.split(ln)
        out[-1].append(parts[0])
        for p in parts[1:]:
            out.append([p])
    paragraphs = [p for p in out if p]
    merged: list[list[str]] = []
    for p in paragraphs:
        first = p[0].strip()
        if (
            merged
            and first
            and (first[0].islower() or first[0] in "(")
            and not _BULLET.match(first)
        ):
            merged[-1].extend(p)  # a cell's line carried over a page or column break
        else:
            merged.append(p)
    return merged


def _cells(number: str, paragraphs: list[list[str]], reg: Registry, ocr: bool) -> RawRow:
    """Name, lead and coordinating cells of one row from its paragraphs."""
    first = paragraphs[0]
    name_lines: list[str] = []
    lead_lines: list[str] = []
    for k, ln in enumerate(first):
        if k > 0 and _BULLET.match(ln):
            lead_lines = first[k:]
            break
        hit = reg.find_first(ln, fuzzy=ocr)
        if hit is not None:
            name_lines.append(ln[: hit.start])
            lead_lines = [ln[hit.start :], *first[k + 1 :]]
            break
        name_lines.append(ln)
    rest = paragraphs[1:]
    irregular: list[str] = []
    if not lead_lines and rest:
        lead_lines, rest = rest[0], rest[1:]
    lead_text = "\n".join(lead_lines)
    if lead_lines and not _BULLET.match(lead_lines[0]):
        lead_text, spill = _split_inline_bullet(lead_text, reg, ocr)
        if spill:
            rest = [[spill], *rest]
    coordinate = "\n".join("\n".join(p) for p in rest)
    if not lead_text.strip():
        irregular.append("no lead cell found in this row")
    name = " ".join(" ".join(name_lines).split())
    return RawRow("indicator", number, name, lead_text.strip(), coordinate.strip(), irregular)


_MID_BULLET = re.compile(r"\s[-–]\s")


def _split_inline_bullet(text: str, reg: Registry, ocr: bool) -> tuple[str, str]:
    """A lead cell without bullets that has a bullet mid-line: the coordinating cell starts there
    (a dash inside a name, "Đồng Đăng - Lạng Sơn", is not a bullet)."""
    flat = text
    spans = reg.spans(flat, fuzzy=ocr)
    for m in _MID_BULLET.finditer(flat):
        if any(a <= m.start() < b for a, b in spans):
            continue
        return flat[: m.start()].rstrip(), flat[m.start() :].strip()
    return text, ""


def with_gaps(rows: list[tuple[float, float, str]]) -> str:
    """Lines (top, bottom, text) in order as text, a blank line where the page leaves a gap (the
    boundary between two cells or paragraphs, which a plain text extraction does not keep)."""
    if not rows:
        return ""
    steps = sorted(b[0] - a[0] for a, b in zip(rows, rows[1:], strict=False) if b[0] > a[0])
    step = steps[len(steps) // 4] if steps else 0  # the usual line pitch (lower quartile)
    out = [rows[0][2]]
    for prev, cur in zip(rows, rows[1:], strict=False):
        if step and cur[0] - prev[0] > 1.6 * step:
            out.append("")
        out.append(cur[2])
    return "\n".join(out)
