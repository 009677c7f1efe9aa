"""One row of an interleaved page: its name, lead and coordinating cells from its lines.

Its lines are cut into fragments; the name is the text the lines begin with as far as the index's
wording for it goes (a known name followed word by word, or a unit in parentheses ending it); the
other fragments go to the two agency columns (kb/importer/scan/placement.py).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from kb.importer.registry import Registry, unconfuse
from kb.importer.rows import RawRow
from kb.importer.scan.fragments import (
    BULLET,
    JUNK,
    NUMBER,
    Frag,
    clause,
    continues,
    fragments,
    namelike,
    repeats,
    starts_agency,
)
from kb.importer.scan.placement import EXHAUSTIVE, group_units, place
from kb.importer.scan.wording import FITS, best_followed, name_done, name_prefix
from kb.normalize import fold


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


def read_row(
    lines: list[str], at: int, number: int, reg: Registry, words: frozenset[str]
) -> RawRow:
    """The name, lead and coordinating cells of one row from its lines (``at``: its number's)."""
    frags, unread = _line_frags(lines, at, number, reg)
    name = _name_frags(frags, at, reg, words)
    rest = _unreadable_dropped([f for f in frags if f not in name and f.text], at, reg)
    fixed, units = _columns_told(rest, {n.line for n in name} | unread)
    lead, coordinate = place(rest, fixed, units, reg, at)
    return RawRow(
        "indicator",
        str(number),
        " ".join(" ".join(f.text for f in name).split()),
        lead,
        coordinate,
        source="\n".join(ln.rstrip() for ln in lines).strip(),
    )


def _line_frags(
    lines: list[str], at: int, number: int, reg: Registry
) -> tuple[list[Frag], set[int]]:
    """The row's fragments line by line, and the lines whose name column was read as specks
    (the fragment that begins them is the lead's)."""
    frags: list[Frag] = []
    unread: set[int] = set()
    para = 0
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            para += 1
            continue
        if i == at or (at < i <= at + 2 and repeats(text, number)):
            m = NUMBER.match(text)
            j = JUNK.match(text)
            text = m.group(2) if m else j.group(1) if j else text
        above = [f.text for f in frags if frags and f.line == frags[-1].line]
        parts = _carried(fragments(text, reg), above, reg)
        if parts and at - 1 <= i <= at + 3:
            dropped = text[: max(0, text.find(parts[0][:6]))]
            if len(re.findall(r"[^\W\d_]{2,}", dropped)) >= 2:
                unread.add(i)  # the name column's piece of the line was specks: the next is lead
        parts = [_SPECK_HEAD.sub("", p) for p in parts]
        frags.extend(_line_pieces(parts, above, reg, i, para))
    return frags, unread


def _line_pieces(
    parts: list[str], above: list[str], reg: Registry, i: int, para: int
) -> list[Frag]:
    """One line's fragments; the last one cut before an item that may go on with the list of
    the line above (its column left undecided)."""
    loose = _open_list(parts, above, reg)
    if loose:
        parts = [*parts[:-1], *loose]
    out = []
    for k, p in enumerate(parts):
        f = Frag(p, starts_agency(p, reg), i, k == 0, len(parts) == 1, para)
        f.loose = bool(loose) and k == len(parts) - 1
        out.append(f)
    return out


def _name_frags(frags: list[Frag], at: int, reg: Registry, words: frozenset[str]) -> list[Frag]:
    """The fragments that make the indicator's name (``frags`` is cut where its column ends
    inside a fragment)."""
    known, top = _known_name(frags, at, reg.name_starts)
    reached = 0  # the word of the known name the name read so far has reached
    name: list[Frag] = []
    for f in list(frags):
        if name and name_done(" ".join(n.text for n in name), known):
            break
        if not (f.first and not f.agency and top <= f.line <= at + 3):
            continue
        if _closes_unit(name, f):
            name.append(_unit_end(f))
            continue
        if known:
            cut, reached = name_prefix(f.text, known, reached)
            # a word like the name's next one that begins a registry name is the lead's
            cut = min([cut, *(a for a, _ in reg.spans(f.text, fuzzy=True) if 0 < a < cut)])
            if not cut:
                continue
            if cut < len(f.text):  # the name's column ends inside the fragment
                _cut(frags, f, cut, reg)
        if f.text.rstrip().endswith(".") or not namelike(f.text, words):
            continue
        if f.line >= at or f.text[:1].isupper() or name:
            name.append(f)
    return name


def _closes_unit(name: list[Frag], f: Frag) -> bool:
    """``f`` closes the unit in parentheses the name read so far left open."""
    so_far = " ".join(n.text for n in name)
    return so_far.count("(") > so_far.count(")") and ")" in f.text and f.line > name[-1].line


def _unit_end(f: Frag) -> Frag:
    """The rest of the name's unit ("đồng ý)") as a fragment of its own; ``f`` keeps what
    follows it."""
    head, _, tail = f.text.partition(")")
    if tail.strip():
        f.text, f.first = tail.strip(), False
    else:
        f.text = ""
    return Frag(head + ")", False, f.line, True, False, f.para)


def _cut(frags: list[Frag], f: Frag, cut: int, reg: Registry) -> None:
    """``f`` cut at ``cut``, where the name's column ends: the rest is a fragment after it."""
    tail = f.text[cut:].strip()
    f.text = f.text[:cut].rstrip()
    frags.insert(
        frags.index(f) + 1, Frag(tail, starts_agency(tail, reg), f.line, False, False, f.para)
    )
    f.alone = False


def _unreadable_dropped(rest: list[Frag], at: int, reg: Registry) -> list[Frag]:
    """``rest`` without the name column's text read beyond recognition ("SHIeP DY X PHAt Ao 84y"
    before the line's agencies): no cell's, it would pass for the lead column's piece."""
    lines_of = {f.line for f in rest if not f.first}
    return [
        f
        for f in rest
        if not (
            f.first
            and not f.agency
            and f.line in lines_of
            and at - 1 <= f.line <= at + 3
            and not reg.spans(f.text, fuzzy=True)
            and not continues(f.text)
        )
    ]


def _columns_told(
    rest: list[Frag], named_lines: set[int]
) -> tuple[dict[int, str], list[list[int]]]:
    """The column of each fragment its line tells (the first after the name's is the lead's, the
    next ones the coordinating column's), and the others in units to place."""
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
            and (f.agency and not continues(f.text) or clause(f.text) and not f.first)
            and not BULLET.match(f.text)  # a bullet is more often a coordinating item
        ):
            fixed[ks[0]] = "lead"  # the column next to the name's is the lead's
    mixed_paras = {rest[ks[0]].para for ks in by_line.values() if len(ks) >= 2}
    for ks in by_line.values():
        if len(ks) >= 2:
            fixed[ks[0]] = "lead"
            fixed.update(dict.fromkeys(ks[1:], "coordinate"))
    units = group_units(rest, fixed, mixed_paras, joined=False)
    if len(units) > EXHAUSTIVE:  # too many to try each way: a line going on joins the one above
        units = group_units(rest, fixed, mixed_paras, joined=True)
    if not fixed and len(units) >= 2:  # laid out cell after cell: the lead comes first
        fixed.update(dict.fromkeys(units[0], "lead"))
        for unit in units[1:]:
            fixed.update(dict.fromkeys(unit, "coordinate"))
        units = []
    return fixed, units
