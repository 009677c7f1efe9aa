"""Rows of a scanned table whose columns the OCR interleaved line by line.

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

Every row rebuilt so is flagged for review: its columns were recovered, not read.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from kb.importer.agencies import items, parse_cell, parse_item
from kb.importer.fragments import (
    BULLET,
    SPECKS,
    TAIL,
    fragments,
    mixed,
    namelike,
    opens_name,
    starts_agency,
)
from kb.importer.registry import Registry, tokens, unconfuse
from kb.importer.rows import RawRow, component, is_footnote, is_header
from kb.importer.wording import FITS, best_followed, name_done, name_prefix
from kb.normalize import fold

_NUMBER = re.compile(r"^[|\[(\s]*(\d{1,2})(?![\d/,.]\d)\s*[|.)\]]?\s*(.*)$")
_JUNK = re.compile(r"^[|)\]}(\[ToIil%\\/]{1,3}\s*\|?\s*(?=[A-ZĐ(\[])(.*)$")
SKIP = 3  # a row number may jump this far ahead (rows the scan lost)
MIXED_LINES = 1  # a page with this many lines holding two columns' names is read as interleaved
EXHAUSTIVE = 7  # up to this many undecided pieces of a row, every placement is tried
REBUILT = "the scan interleaves the columns here: the row was rebuilt from them; check its cells"


@dataclass
class Frag:
    text: str
    agency: bool  # begins with an agency name or a bullet
    line: int  # index of its line in the page
    first: bool  # the line begins with it
    alone: bool  # the only fragment of its line
    para: int  # paragraph (blank-line separated) of the row it is in
    loose: bool = False  # cut from the fragment before it on no mark: its column is undecided


def interleaved(lines: list[str], reg: Registry) -> bool:
    mixing = sum(mixed(ln, reg) or _three_columns(ln, reg) for ln in lines if ln.strip())
    return mixing >= MIXED_LINES


def _three_columns(line: str, reg: Registry) -> bool:
    """A row's line that holds its name, text of the lead's column after it and the next
    column's agency ("15 Tỷ lệ xã, … hàng | thu gom, vận chuyển … | Sở Tài chính; …"): where
    the index's name ends is told by its words."""
    m = _NUMBER.match(line.strip())
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
        row = _row(lines[lo:hi], i - lo, number, reg, words)
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
        m = _NUMBER.match(s)
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
            j = _JUNK.match(s)
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


def _known_name(frags: list[Frag], at: int, starts: tuple[str, ...]) -> tuple[str | None, int]:
    """The index's name (folded) that the row's opening line reads like, if one fits well, and
    the line the name begins on: it tells where the name's column ends in each line (the scan has
    no mark there). A row's name may begin above its number, where its first line then reads
    like the beginning of that name."""
    if not starts:
        return None, at - 1
    heads = [f for f in frags if f.line == at and f.first and not f.agency]
    heads += sorted(
        (f for f in frags if f.line < at and f.first and not f.agency), key=lambda f: -f.line
    )
    for f in heads:
        head = unconfuse(fold(f.text))
        if len(head) < 12:
            continue
        best = process.extractOne(head, starts, scorer=fuzz.partial_ratio)
        if not best or best[1] < FITS:
            continue
        tied = [s for s in starts if fuzz.partial_ratio(head, s) >= best[1] - 1]
        if len(tied) != 1:
            continue
        if (f.line < at or len(head) < 20) and not name_prefix(f.text, best[0], 0)[0]:
            continue  # above the number, or when short, only the name's beginning opens it
        return best[0], min(f.line, at - 1)
    return _followed_name(heads, at, starts), at - 1


def _followed_name(heads: list[Frag], at: int, starts: tuple[str, ...]) -> str | None:
    """The index's name the row's first line follows, when that line's beginning is unreadable
    (no name fits it as a whole)."""
    for f in (h for h in heads if h.line == at):
        found = best_followed(f.text, starts)
        if found:
            return found
    return None


def _clause(text: str) -> bool:
    """Lower-case words that are no name: a lead's clause on its task ("tham mưu cho …")."""
    return text[:1].islower() and len(text.split()) >= 3


def _ends_stop(line: str) -> bool:
    s = TAIL.sub("", line.rstrip())
    return s.endswith((".", ".)")) and not s.endswith("..")


def _continues(line: str) -> bool:
    s = line.strip()
    return bool(s) and (s[0].islower() or s[0] in "(;,")


def _repeats(line: str, number: int) -> bool:
    """The line begins with ``number`` again (a row's number below its first line)."""
    m = _NUMBER.match(line.strip())
    return bool(m) and int(m.group(1)) == number


def _bounds(lines: list[str], anchors: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    starts = [0]
    for (a, n, _), (b, _, _) in itertools.pairwise(anchors):
        gap = list(range(a + 1, b))
        split = a + 1
        for k in gap:
            if _ends_stop(lines[k]):
                split = k + 1
        k = a + 1
        while k < b and (not lines[k].strip() or _continues(lines[k]) or _repeats(lines[k], n)):
            k += 1
        starts.append(max(split, k))
    ends = [*starts[1:], len(lines)]
    return list(zip(starts, ends, strict=True))


_SPECK_HEAD = re.compile(r"^[A-Z]\s+(?=[a-zà-ỹđ]{2,})")  # "R công nghiệp);": a speck, then text


def _carried(parts: list[str], above: list[str], reg: Registry) -> list[str]:
    """A line's fragments, one cut where an item is no name of its own but the end of a name a
    fragment of the line above left open ("… Truyền hình" above, "Sở NN&MT; Lạng Sơn; các Sở …"
    here: "Lạng Sơn; …" is the other column's, glued to this one with no mark between)."""
    parts = [q for p in parts for q in _name_then_rest(p, above, reg)]
    open_ends = [a for a in above if a.rstrip()[-1:] not in ";.,)" and a.strip()]
    if not open_ends:
        return parts
    out = []
    for p in parts:
        cut = None
        for m in re.finditer(r";\s*", p):
            tail = p[m.end() :]
            item = tail.split(";")[0].strip()
            if not item or starts_agency(item, reg):
                continue
            for a in open_ends:
                last = re.split(r";|\s[-–]\s", a)[-1].strip()
                joined = f"{last} {item}"
                spans = reg.spans(joined, fuzzy=True)
                if spans and spans[-1][0] <= 2 and spans[-1][1] >= len(joined) - 1:
                    cut = m.start() + 1
                    break
            if cut:
                break
        if cut:
            out.extend([p[:cut].strip(), p[cut:].strip()])
        else:
            out.append(p)
    return out


def _open_list(parts: list[str], above: list[str], reg: Registry) -> list[str]:
    """The line's last fragment cut before its last item (``[head, item]``) when the line above
    is a coordinating list left open ("- Thanh tra tỉnh; các Sở, ban, ngành liên quan;") and the
    fragment follows the name's on this line: the item may go on with that list
    ("|Sở NN&MT; UBND các xã, phường." after a rule); ``[]`` otherwise."""
    if len(above) != 1 or not BULLET.match(above[0]):
        return []
    if len(parts) < 2 or starts_agency(parts[0], reg) or not starts_agency(parts[-1], reg):
        return []
    last = parts[-1]
    if above[0].rstrip().endswith(";"):  # the list goes on: its next item
        cuts = [m.end() for m in re.finditer(r";\s*", last) if starts_agency(last[m.end() :], reg)]
    elif above[0].rstrip()[-1:].isalpha():  # a name left open: the list goes on after the item
        cuts = [m.end() for m in re.finditer(r";\s*", last)][:1]
    else:
        return []
    if not cuts or not reg.spans(last[cuts[-1] :], fuzzy=True):
        return []
    return [last[: cuts[-1]].strip(), last[cuts[-1] :].strip()]


def _completes(last: str, tail: str, reg: Registry) -> bool:
    """``tail`` read after ``last`` makes one registry name of the two, longer than ``last``'s."""
    joined = f"{last} {tail}"
    spans = reg.spans(joined, fuzzy=True)
    if not spans or spans[-1][0] > 2 or spans[-1][1] < len(joined.rstrip(" .;,")) - 1:
        return False
    own = reg.spans(last, fuzzy=True)
    return not own or own[-1][1] < spans[-1][1] - 1 and own[-1][0] == spans[-1][0]


def _name_then_rest(part: str, above: list[str], reg: Registry) -> list[str]:
    """A fragment that begins with a name and goes on in lower case with the end of a name the
    line above left open in the other column ("UBND các xã, phường dịch vụ." under "… kinh
    doanh,"): cut after its own name."""
    spans = reg.spans(part, fuzzy=True)
    if not spans or spans[0][0] > 2 or not above:
        return [part]
    tail = part[spans[0][1] :].strip()
    if not tail[:1].islower():
        return [part]
    for a in above:
        last = re.split(r";|\s[-–]\s", a)[-1].strip()
        if last and _completes(last, tail, reg):
            return [part[: spans[0][1]].strip(), tail]
    return [part]


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
        while k < b and (not lines[k].strip() or _continues(lines[k])):
            k += 1  # the upper row's own continuation lines stay with it
        return [
            c
            for c in range(k, b + 1)
            if (c == k or c == b or _ends_stop(lines[c - 1])) and c <= starts[r]
        ]

    def row(r: int, lo: int, hi: int) -> float:
        got = _row(lines[lo:hi], anchors[r][0] - lo, anchors[r][1], reg, words)
        return _row_score(got, reg)

    for r in range(1, len(anchors)):
        lo, now = starts[r - 1], starts[r]
        upper = _row(lines[lo:now], anchors[r - 1][0] - lo, anchors[r - 1][1], reg, words)
        if not _repeated(upper, reg) or len(options(r)) < 2:
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


def _repeated(row: RawRow, reg: Registry) -> int:
    """How many agencies the row's cells name more than once (a sign of another row's lines)."""
    ids: list[str] = []
    for cell, coord in ((row.lead, False), (row.coordinate, True)):
        for item in items(cell):  # item by item: a cell's parse writes a repeated name once
            parsed, _ = parse_item(reg, item, fuzzy=True, coordinate=coord)
            ids.extend(p.agency.id for p in parsed if p.agency is not None)
    return len(ids) - len(set(ids))


def _row_score(row: RawRow, reg: Registry) -> float:
    score = _score(row.lead, False, reg) + _score(row.coordinate, True, reg)
    return score - 1.5 * _repeated(row, reg)


def _row(lines: list[str], at: int, number: int, reg: Registry, words: frozenset[str]) -> RawRow:
    """The name, lead and coordinating cells of one row from its lines (``at``: its number's)."""
    frags: list[Frag] = []
    unread: set[int] = set()
    para = 0
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            para += 1
            continue
        if i == at or (at < i <= at + 2 and _repeats(text, number)):
            m = _NUMBER.match(text)
            j = _JUNK.match(text)
            text = m.group(2) if m else j.group(1) if j else text
        above = [f.text for f in frags if frags and f.line == frags[-1].line]
        parts = _carried(fragments(text, reg), above, reg)
        if parts and at - 1 <= i <= at + 3:
            dropped = text[: max(0, text.find(parts[0][:6]))]
            if len(re.findall(r"[^\W\d_]{2,}", dropped)) >= 2:
                unread.add(i)  # the name column's piece of the line was specks: the next is lead
        parts = [_SPECK_HEAD.sub("", p) for p in parts]
        loose = _open_list(parts, above, reg)
        if loose:
            parts = [*parts[:-1], *loose]
        for k, p in enumerate(parts):
            f = Frag(p, starts_agency(p, reg), i, k == 0, len(parts) == 1, para)
            f.loose = bool(loose) and k == len(parts) - 1
            frags.append(f)
    known, top = _known_name(frags, at, reg.name_starts)
    reached = 0  # the word of the known name the name read so far has reached
    name: list[Frag] = []
    for f in list(frags):
        if name and name_done(" ".join(n.text for n in name), known):
            break
        if not (f.first and not f.agency and top <= f.line <= at + 3):
            continue
        so_far = " ".join(n.text for n in name)
        if so_far.count("(") > so_far.count(")") and ")" in f.text and f.line > name[-1].line:
            head, _, tail = f.text.partition(")")  # the rest of the name's unit, "đồng ý)"
            name.append(Frag(head + ")", False, f.line, True, False, f.para))
            if tail.strip():
                f.text, f.first = tail.strip(), False
            else:
                f.text = ""
            continue
        if known:
            cut, reached = name_prefix(f.text, known, reached)
            # a word like the name's next one that begins a registry name is the lead's
            cut = min([cut, *(a for a, _ in reg.spans(f.text, fuzzy=True) if 0 < a < cut)])
            if not cut:
                continue
            if cut < len(f.text):  # the name's column ends inside the fragment
                tail = f.text[cut:].strip()
                f.text = f.text[:cut].rstrip()
                frags.insert(
                    frags.index(f) + 1,
                    Frag(tail, starts_agency(tail, reg), f.line, False, False, f.para),
                )
                f.alone = False
        if f.text.rstrip().endswith(".") or not namelike(f.text, words):
            continue
        if f.line >= at or f.text[:1].isupper() or name:
            name.append(f)
    rest = [f for f in frags if f not in name and f.text]
    # the name column's text read beyond recognition ("SHIeP DY X PHAt Ao 84y" before the line's
    # agencies): no cell's, it would pass for the lead column's piece of the line
    lines_of = {f.line for f in rest if not f.first}
    rest = [
        f
        for f in rest
        if not (
            f.first
            and not f.agency
            and f.line in lines_of
            and at - 1 <= f.line <= at + 3
            and not reg.spans(f.text, fuzzy=True)
            and not _continues(f.text)
        )
    ]
    named_lines = {n.line for n in name} | unread
    fixed: dict[int, str] = {}
    by_line: dict[int, list[int]] = {}
    for k, f in enumerate(rest):
        if not f.loose:
            by_line.setdefault(f.line, []).append(k)
    for line_no, ks in by_line.items():
        f = rest[ks[0]]
        if (
            len(ks) == 1
            and line_no in named_lines
            and (f.agency and not _continues(f.text) or _clause(f.text) and not f.first)
            and not BULLET.match(f.text)  # a bullet is more often a coordinating item
        ):
            fixed[ks[0]] = "lead"  # the column next to the name's is the lead's
    mixed_paras = {rest[ks[0]].para for ks in by_line.values() if len(ks) >= 2}
    for ks in by_line.values():
        if len(ks) >= 2:
            fixed[ks[0]] = "lead"
            for k in ks[1:]:
                fixed[k] = "coordinate"
    units = _units(rest, fixed, mixed_paras, joined=False)
    if len(units) > EXHAUSTIVE:  # too many to try each way: a line going on joins the one above
        units = _units(rest, fixed, mixed_paras, joined=True)
    if not fixed and len(units) >= 2:  # laid out cell after cell: the lead comes first
        for k in units[0]:
            fixed[k] = "lead"
        for unit in units[1:]:
            for k in unit:
                fixed[k] = "coordinate"
        units = []
    lead, coordinate = _best(rest, fixed, units, reg, at)
    return RawRow(
        "indicator",
        str(number),
        " ".join(" ".join(f.text for f in name).split()),
        lead,
        coordinate,
        source="\n".join(ln.rstrip() for ln in lines).strip(),
    )


def _units(
    rest: list[Frag], fixed: dict[int, str], mixed_paras: set[int], joined: bool
) -> list[list[int]]:
    """The undecided fragments in groups that go to one column together: a paragraph of its
    own, and (``joined``) a line going on with the one above in a mixed paragraph."""
    units: list[list[int]] = []
    for k in range(len(rest)):
        if k in fixed:
            continue
        prev = units[-1][-1] if units else None
        same = prev is not None and rest[k].para == rest[prev].para
        if same and rest[k].para not in mixed_paras:
            units[-1].append(k)  # a paragraph of its own: one cell
        elif (
            joined
            and same
            and rest[k].line == rest[prev].line + 1
            and not rest[k].agency
            and not _ends_stop(rest[prev].text)
        ):
            units[-1].append(k)  # a line continuing the one above in the same column
        else:
            units.append([k])
    return units


def _best(
    rest: list[Frag], fixed: dict[int, str], units: list[list[int]], reg: Registry, at: int
) -> tuple[str, str]:
    """The lead and coordinating cells, the undecided fragments put where the cells resolve
    best."""
    where = dict(fixed)
    for unit in units:
        where.update(dict.fromkeys(unit, "coordinate"))
    if "lead" not in where.values():  # no column edge read: the lead is the first cell after
        first = next((u for u in units if rest[u[0]].line >= at), units[0] if units else None)
        if first:
            where.update(dict.fromkeys(first, "lead"))
    score = _trial(rest, where, reg, at)
    if 0 < len(units) <= EXHAUSTIVE:  # few undecided units: every way of placing them is tried
        start = where
        for way in itertools.product(("lead", "coordinate"), repeat=len(units)):
            trial = dict(start)
            for unit, col in zip(units, way, strict=True):
                trial.update(dict.fromkeys(unit, col))
            got = _trial(rest, trial, reg, at)
            if got > score + 1e-9:
                where, score = trial, got
        return _cell(rest, where, "lead"), _cell(rest, where, "coordinate")
    for _ in range(2):  # each undecided unit moved to the lead where the cells resolve better
        for unit in units:
            now = where[unit[0]]
            trial = {
                **where,
                **dict.fromkeys(unit, "lead" if now == "coordinate" else "coordinate"),
            }
            got = _trial(rest, trial, reg, at)
            if got > score:
                where, score = trial, got
    return _cell(rest, where, "lead"), _cell(rest, where, "coordinate")


def _cell(rest: list[Frag], where: dict[int, str], col: str) -> str:
    """A column's fragments as one cell; a full stop before a capital ends an item there."""
    out = ""
    for k, f in enumerate(rest):
        if where.get(k) != col:
            continue
        text = " ".join(SPECKS.sub(" ", f.text).split()) or f.text
        if out and out.rstrip().endswith(".") and text[:1].isupper():
            out = out.rstrip()[:-1] + ";"
        out = f"{out}\n{text}" if out else text
    return out


def _trial(rest: list[Frag], where: dict[int, str], reg: Registry, at: int) -> float:
    lead, coord = _cell(rest, where, "lead"), _cell(rest, where, "coordinate")
    score = _score(lead, False, reg) + _score(coord, True, reg)
    for col in ("lead", "coordinate"):
        frags = [f for k, f in enumerate(rest) if where.get(k) == col]
        score += _flow(frags)
        score += 0.5 * sum(_joins(a.text, b.text, reg) for a, b in itertools.pairwise(frags))
    # above the row's number a line alone is the tall coordinating cell's beginning
    score += 0.5 * sum(
        1 for k, f in enumerate(rest) if f.line < at and where.get(k) == "coordinate"
    )
    if not lead.strip():
        score -= 3
    # a parenthesis opened in one column is closed in the same one (a scope over two lines)
    score -= sum(abs(c.count("(") - c.count(")")) for c in (lead, coord))
    return score - 0.4 * max(0, lead.count("\n"))  # a lead cell is short; ties go the other way


def _joins(above: str, below: str, reg: Registry) -> bool:
    """``below`` goes on with a registry name ``above`` left open ("… gửi Sở Nông nghiệp" above
    "và Môi trường tổng hợp chung"): the two lines are one column's."""
    key = (id(reg), above, below)
    if key not in _JOINS:
        last = above.split(";")[-1].strip()
        first = below.split(";")[0].strip()
        joined = f"{last} {first}"
        _JOINS[key] = bool(last) and any(
            a < len(last) < b
            and b > len(last) + 2
            and not any(a2 <= a and b2 >= b for a2, b2 in reg.spans(last, fuzzy=True))
            for a, b in reg.spans(joined, fuzzy=True)
        )
        if len(_JOINS) > 20_000:
            _JOINS.clear()
    return _JOINS[key]


_JOINS: dict[tuple[int, str, str], bool] = {}


def _flow(frags: list[Frag]) -> float:
    """How well a column's fragments follow each other: a line that continues a phrase goes
    after one left open, a new item after one that ended."""
    score = 0.0
    for prev, cur in itertools.pairwise(frags):
        end = prev.text.rstrip()[-1:]
        if _continues(cur.text):
            score += -1.0 if end == "." else 0.3 if end == "," else 0.0
        elif end == "," or end.isalpha() and not cur.agency:
            score -= 0.3
    if frags and _continues(frags[0].text) and not frags[0].text.startswith("("):
        score -= 1.0
    if frags and BULLET.match(frags[0].text):  # a column of bullets: after a full stop, a bullet
        for prev, cur in itertools.pairwise(frags):
            if prev.text.rstrip().endswith(".") and cur.text[:1].isupper():
                score -= 0.5
    return score


def _score(cell: str, coordinate: bool, reg: Registry) -> float:
    if not cell.strip():
        return 0.0
    key = (id(reg), cell, coordinate)
    if key not in _SCORES:
        _SCORES[key] = _resolve_score(cell, coordinate, reg)
        if len(_SCORES) > 20_000:
            _SCORES.clear()
    return _SCORES[key]


_PARENS = re.compile(r"\(")
_SCORES: dict[tuple[int, str, bool], float] = {}


def _resolve_score(cell: str, coordinate: bool, reg: Registry) -> float:
    parsed, _ = parse_cell(reg, cell, fuzzy=True, coordinate=coordinate)
    score = 0.0
    for p in parsed:
        if p.agency is None:
            score -= 1.5
        else:
            score += p.score / 100
            if p.scope and not _PARENS.search(p.read or p.written):
                # a scope without parentheses is rare: often another cell's text taken as one
                score -= 0.6 + (0.5 if len(tokens(p.scope)) > 12 else 0.0)
    return score


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
