"""Agency names in a cell, resolved against the registry (agencies.yaml).

A cell's text is cut into items (at ";", at bullets and at commas between two names), and each
item is read as one or more registry names followed by an optional scope. Names are compared
folded (case, diacritics and punctuation removed), so "Sở Nông nghiệp và Môi trường" and an OCR's
"S& Nong nghiép va Mai truong" meet; a name read only approximately is restored to the
registry's spelling and flagged, and a name the registry does not know is kept as written and
flagged, never replaced by a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from kb.model import Agency
from kb.normalize import fold

_WORD = re.compile(r"[^\W_]+(?:[&][^\W_]+)*", re.UNICODE)
EXACT = 100.0
SURE = 93.0  # a fuzzy match at or above this is taken; below it (down to MAYBE) taken and flagged
MAYBE = 84.0
GUESS = 72.0  # an unresolved item of a scan this like a name (and clearly most): taken, flagged
GUESS_MARGIN = 8.0
LONG_MAYBE = 75.0  # long names (30 letters and more) survive more OCR damage
_MIN_FUZZY_CHARS = 8  # short names ("Sở Y tế") are matched exactly or not at all
# Words that begin a clause after a name in a coordinating cell: the rest is a note on the row.
_NOTE_VERBS = ("phoi hop", "tong hop")
_LEAD_IN = ("cac don vi", "cac co quan", "don vi")


@dataclass(frozen=True)
class Token:
    text: str
    folded: str
    start: int
    end: int


@dataclass(frozen=True)
class Form:
    agency: Agency
    written: str  # the registry's spelling of this name or alias
    folded: tuple[str, ...]


@dataclass
class Match:
    agency: Agency
    written: str  # as the source writes it (restored to the registry's spelling if approximate)
    score: float
    start: int  # character offsets in the item
    end: int
    read: str = ""  # the text as read, when it differs from `written`


@dataclass
class Parsed:
    """One assignment read from a cell."""

    agency: Agency | None
    written: str
    scope: str | None = None
    read: str = ""
    score: float = EXACT
    why: list[str] = field(default_factory=list)


def tokens(text: str) -> list[Token]:
    out = []
    for m in _WORD.finditer(text):
        f = fold(m.group())
        for part in f.split():
            out.append(Token(m.group(), part, m.start(), m.end()))
    return out


class Registry:
    """The registry's names and aliases, indexed by their first folded word."""

    def __init__(self, agencies: dict[str, Agency] | object) -> None:
        self.agencies: dict[str, Agency] = dict(agencies)  # type: ignore[call-overload]
        # the index's own wording (words of indicator and component names), set by the importer:
        # in a scan it tells the text of an indicator's name from an agency cell's
        self.words: frozenset[str] = frozenset()
        self.name_starts: tuple[str, ...] = ()  # folded indicator names, for a row's first line
        self.forms: list[Form] = []
        for a in self.agencies.values():
            for written in (a.name, *a.aliases):
                f = tuple(fold(written).split())
                if len(f) >= 2:
                    self.forms.append(Form(a, written, f))
        self.forms.sort(key=lambda f: -len(f.folded))
        # the words after a dash inside a registry name ("… Đồng Đăng - Lạng Sơn"): a dash before
        # them in a scanned line is the name's, not a bullet
        self.dash_tails = frozenset(
            " ".join(fold(tail).split()[:2])
            for a in self.agencies.values()
            for written in (a.name, *a.aliases)
            for tail in re.split(r"\s[-–]\s", written)[1:]
            if fold(tail).strip()
        )
        self.longest = max((len(f.folded) for f in self.forms), default=1)
        # approximate matches by the words they start at: a scan's cells are read many times over
        self._fuzzy: dict[tuple[str, ...], tuple[Form, int, float] | None] = {}
        self.by_first: dict[str, list[Form]] = {}
        for form in self.forms:
            self.by_first.setdefault(form.folded[0], []).append(form)

    def successor(self, agency: Agency) -> Agency | None:
        seen, cur = {agency.id}, agency
        while (
            cur.succeeded_by and cur.succeeded_by in self.agencies and cur.succeeded_by not in seen
        ):
            seen.add(cur.succeeded_by)
            cur = self.agencies[cur.succeeded_by]
        return cur if cur.id != agency.id else None

    def exact_at(self, toks: list[Token], i: int) -> Form | None:
        """The longest registry name that the folded words from ``i`` spell exactly."""
        for form in self.by_first.get(toks[i].folded, ()):
            n = len(form.folded)
            if tuple(t.folded for t in toks[i : i + n]) == form.folded:
                return form
        return None

    def fuzzy_at(self, toks: list[Token], i: int) -> tuple[Form, int, float] | None:
        """The best approximate name starting at word ``i``: (form, words used, score).

        For each name the best number of words is taken by score; among names, the best score
        wins, except that a longer name of the same agency that extends a sure match ("Ban Quản
        lý Khu kinh tế" → "… cửa khẩu Đồng Đăng - Lạng Sơn") is preferred when it passes."""
        key = tuple(t.folded for t in toks[i : i + self.longest + 1])
        if key not in self._fuzzy:
            self._fuzzy[key] = self._fuzzy_at(toks, i)
        return self._fuzzy[key]

    def _fuzzy_at(self, toks: list[Token], i: int) -> tuple[Form, int, float] | None:
        scored: list[tuple[Form, int, float]] = []
        for form in self.forms:
            target = " ".join(form.folded)
            if len(target) < _MIN_FUZZY_CHARS:
                continue
            hit = _best_k(toks, i, form, target)
            if hit is not None:
                scored.append(hit)
        if not scored:
            return None
        best = max(scored, key=lambda h: (h[2], len(h[0].folded)))
        return self.extend(toks, i, best) if best[2] >= SURE else best

    def extend(
        self, toks: list[Token], i: int, hit: tuple[Form, int, float]
    ) -> tuple[Form, int, float]:
        """A longer name of the same agency that continues a sure match, when the words after
        the match read like the rest of it (OCR damage in "… cửa khẩu Đồng Đăng - Lạng Sơn")."""
        form, k, _ = hit
        best = hit
        for longer in self.by_first.get(form.folded[0], ()):
            m = len(form.folded)
            if (
                longer.agency.id != form.agency.id
                or len(longer.folded) <= m
                or longer.folded[:m] != form.folded
            ):
                continue
            rest = " ".join(longer.folded[m:])
            extra = len(longer.folded) - m
            got = " ".join(t.folded for t in toks[i + k : i + k + extra])
            score = max(fuzz.ratio(got, rest), fuzz.ratio(unconfuse(got), rest))
            if len(toks) >= i + k + extra and score >= 70 and extra > len(best[0].folded) - m:
                best = (longer, k + extra, score)
        return best

    def match_at(self, text: str, toks: list[Token], i: int, fuzzy: bool) -> Match | None:
        form = self.exact_at(toks, i)
        if form and fuzzy:
            longer, k, score = self.extend(toks, i, (form, len(form.folded), EXACT))
            if longer is not form:
                start, end = toks[i].start, toks[i + k - 1].end
                return Match(
                    longer.agency, longer.written, score, start, end, read=_clean(text[start:end])
                )
        if form:
            n = len(form.folded)
            start, end = toks[i].start, toks[i + n - 1].end
            return Match(form.agency, _clean(text[start:end]), EXACT, start, end)
        if not fuzzy:
            return None
        found = self.fuzzy_at(toks, i)
        if not found:
            return None
        form, k, score = found
        start, end = toks[i].start, toks[i + k - 1].end
        return Match(form.agency, form.written, score, start, end, read=_clean(text[start:end]))

    def guess(self, text: str) -> tuple[Form, float] | None:
        """The registry name an item the scan mangled beyond a match most likely is: the whole
        item alike, its last words alike the name's last ones ("py0 10 ono Thiy van tinh"), or
        the item alike the name's beginning ("UBND cic" at a column's edge), clearly more than
        any other agency's name; None when no name stands out."""
        got = " ".join(_SO.sub("so ", unconfuse(fold(text))).split())
        if sum(c.isalpha() for c in got) < 6:
            return None
        best: dict[str, tuple[float, Form]] = {}
        for form in self.forms:
            target = " ".join(form.folded)
            if len(target) < _MIN_FUZZY_CHARS or form.agency.succeeded_by:
                continue  # a guess is a name of today's agencies, never an old one
            score = fuzz.ratio(got, target)
            if len(form.folded) >= 4:
                tail = " ".join(form.folded[-3:])
                score = max(score, fuzz.ratio(" ".join(got.split()[-3:]), tail) - 5)
            if len(got) >= 8 and len(target) > len(got) + 4:  # cut off at the column's edge
                score = max(score, fuzz.ratio(got, target[: len(got)]) - 10)
            if score > best.get(form.agency.id, (0.0, form))[0]:
                best[form.agency.id] = (score, form)
        ranked = sorted(best.values(), key=lambda h: -h[0])
        if not ranked or ranked[0][0] < GUESS:
            return None
        if len(ranked) > 1 and ranked[1][0] > ranked[0][0] - GUESS_MARGIN:
            return None
        return ranked[0][1], ranked[0][0]

    def find_first(self, text: str, fuzzy: bool) -> Match | None:
        """The earliest name anywhere in ``text`` (used to tell where an indicator's name ends)."""
        toks = tokens(text)
        for i in range(len(toks)):
            m = self.match_at(text, toks, i, fuzzy)
            if m and (m.score >= SURE or len(m.written) > 15):
                return m
        return None

    def spans(self, text: str, fuzzy: bool) -> list[tuple[int, int]]:
        toks = tokens(text)
        out, i = [], 0
        while i < len(toks):
            m = self.match_at(text, toks, i, fuzzy)
            if m and m.score < EXACT and i + 1 < len(toks):
                # an approximate name may take in the word before it ("hạn Thanh tra tỉnh"):
                # it starts where it matches as well without that word
                later = self.match_at(text, toks, i + 1, fuzzy)
                if later and later.end >= m.end and later.score >= m.score:
                    i += 1
                    continue
            if m:
                out.append((m.start, m.end))
                while i < len(toks) and toks[i].start < m.end:
                    i += 1
            else:
                i += 1
        return out


def _best_k(toks: list[Token], i: int, form: Form, target: str) -> tuple[Form, int, float] | None:
    n = len(form.folded)
    floor = LONG_MAYBE if len(target) >= 30 else MAYBE
    best: tuple[Form, int, float] | None = None
    for k in (n, n - 1, n + 1):
        if k < 2 or i + k > len(toks) or (k < n and n < 5):  # a short name keeps all its words
            continue
        got = " ".join(t.folded for t in toks[i : i + k])
        got = _SO.sub("so ", got)
        bare = target[4:] if target.startswith("cac ") and k == n - 1 else target
        if got[:1] != bare[:1] and fuzz.ratio(got[:3], bare[:3]) < 60:
            continue
        score = max(fuzz.ratio(got, target), fuzz.ratio(unconfuse(got), target))
        if target.startswith("cac ") and k == n - 1:  # the plural article lost ("Sở, ban, ngành")
            score = max(score, fuzz.ratio(got, target[4:]) - 2)
        if score >= floor and (best is None or score > best[2]):
            best = (form, k, score)
    return best


# "Sở" as a scan misreads it ("6", "56", "S6", "Se") at the head of a name
_SO = re.compile(r"^(?:6|56|50|86|s6|s0|se|sa)\s")
CONFUSED = str.maketrans({"4": "a", "6": "o", "0": "o", "1": "l", "5": "s", "8": "b"})
_MIXED = re.compile(r"\b(?=\w*[a-z])(?=\w*\d)\w+\b")


def unconfuse(folded: str) -> str:
    """Digits an OCR read for letters inside a word ("x4" → "xa", "1y" → "ly", "c6" → "co")."""
    return _MIXED.sub(lambda m: m.group().translate(CONFUSED), folded)


def _clean(text: str) -> str:
    return " ".join(text.replace("\n", " ").split())


_ITEM_SPLIT = re.compile(r";|(?:^|\n)\s*[-–•+]\s+|^\s*[-–•+]\s*")


def items(cell: str) -> list[str]:
    """A cell's text cut at ";" and at bullets; line breaks inside an item become spaces."""
    parts = _ITEM_SPLIT.split(cell)
    out = []
    for p in parts:
        p = _clean(p).strip(" .,;:-–")
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
    text = _clean(rest).strip(" .,;:-–")
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
        found.append((_clean(piece[: m.start()]), hit))
    if found:
        return _described(reg, found, text)
    written = _clean(text).strip(" .,;")
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
        p.read = _clean(text)
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
        reg, Match(form.agency, form.written, score, 0, 0, read=p.read or p.written), None
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
