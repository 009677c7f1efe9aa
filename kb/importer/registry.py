"""The agency registry (agencies.yaml) as the importer reads names against it.

Names are compared folded (case, diacritics and punctuation removed), so "Sở Nông nghiệp và Môi
trường" and an OCR's "S& Nong nghiép va Mai truong" meet: exactly, approximately (a score, the
registry's spelling restored), extended to a longer name of the same agency, or, for a name a scan
mangled beyond a match, guessed as the one it is most like.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

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


def tokens(text: str) -> list[Token]:
    out = []
    for m in _WORD.finditer(text):
        f = fold(m.group())
        for part in f.split():
            out.append(Token(m.group(), part, m.start(), m.end()))
    return out


class Registry:
    """The registry's names and aliases, indexed by their first folded word."""

    def __init__(self, agencies: Mapping[str, Agency]) -> None:
        self.agencies: dict[str, Agency] = dict(agencies)
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
        self.known_words: frozenset[str] = frozenset()  # the names' and the index's words
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
                    longer.agency, longer.written, score, start, end, read=clean(text[start:end])
                )
        if form:
            n = len(form.folded)
            start, end = toks[i].start, toks[i + n - 1].end
            return Match(form.agency, clean(text[start:end]), EXACT, start, end)
        if not fuzzy:
            return None
        found = self.fuzzy_at(toks, i)
        if not found:
            return None
        form, k, score = found
        start, end = toks[i].start, toks[i + k - 1].end
        return Match(form.agency, form.written, score, start, end, read=clean(text[start:end]))

    def guess(self, text: str) -> tuple[Form, float] | None:
        """The registry name an item the scan mangled beyond a match most likely is: the whole
        item alike, its last words alike the name's last ones ("py0 10 ono Thiy van tinh"), or
        the item alike the name's beginning ("UBND cic" at a column's edge), clearly more than
        any other agency's name; None when no name stands out, or when the item reads as words
        (a name the registry does not know, not a mangled one)."""
        got = " ".join(_SO.sub("so ", unconfuse(fold(text))).split())
        if sum(c.isalpha() for c in got) < 6 or not self._mangled(text):
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

    def _mangled(self, text: str) -> bool:
        """A word of ``text`` has specks or digits inside, or is no word of the registry's names
        or of the index's wording ("cic", "Thiy")."""
        if not self.known_words:
            self.known_words = frozenset(w for f in self.forms for w in f.folded) | self.words
        for raw in text.split():
            word = raw.strip(",;.:()\"'")
            if re.search(r"[^\w&-]|\d", word) or fold(word) not in self.known_words:
                return True
        return False

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


def clean(text: str) -> str:
    return " ".join(text.replace("\n", " ").split())
