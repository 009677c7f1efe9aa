"""A known indicator name's words followed through text an OCR read.

The index's wording is what tells, in a scanned line with no mark between the columns, where an
indicator's name ends: its words are followed through the name's in order, a word misread, lost
or extra allowed; where the text goes on with none of them the name has ended.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from kb.importer.registry import CONFUSED, unconfuse
from kb.normalize import fold


def name_done(name: str, known: str | None = None) -> bool:
    """An indicator's name ends with its unit in parentheses ("(% đồng ý)", "(TCTK, %)"), or
    when it already reads as the whole of the index's name it fits."""
    if known and fuzz.ratio(unconfuse(fold(name)), known) >= DONE:
        return True
    return bool(re.search(r"\([^()]*(%|\bo\b)[^()]*\)?\s*$", name)) and name.rstrip().endswith(")")


FITS = 80.0  # a row's opening text this close to part of an index name: that name is the row's
DONE = 95.0  # the name read so far this close to the whole index name: the name is complete


def name_prefix(text: str, known: str, at: int = 0) -> tuple[int, int]:
    """How many characters of ``text`` (from its beginning) go on with the name ``known`` from
    its word ``at`` (the name read so far ends there), and the name's word reached: the words
    are followed through the name's in order (a word misread, lost or extra allowed); the name
    ends at the first word that goes on with none. (0, at): the text does not go on with it."""
    found = [(m.end(), unconfuse(fold(m.group()))) for m in re.finditer(r"\S+", text)]
    said = said_words(text)
    kw = known.split()
    best, reached = 0, at
    raw = text.split()
    for i0 in (0, 1):  # a speck read as a word may come first ("N\\Nhan định")
        if i0 >= len(said) or i0 and (raw[0].isalpha() and len(raw[0]) > 2):
            break
        for j in range(at, min(at + 3, len(kw))):
            if same_word(said[i0][1], kw[j], strict=bool(i0) or not at):
                got, p = follow(said, i0, kw, j)
                if got > best:
                    best, reached = got, p
    if not best and not at:
        best, reached = _unreadable_head(said, kw)
    if not best:
        return 0, at
    end = said[best - 1][0]
    for stop, w in found:  # a unit's closing ("(%)", "đồng ý)") that folds to nothing
        if stop > end and not w.strip():
            if ")" in text[end:stop] and "(" in text[:end] or "%" in text[end:stop]:
                end = stop
            continue
        if stop > end:
            break
    return end, reached


UNREAD = 6  # a name's first words an OCR may have made unreadable
RUN = 4  # words of a known name followed in order after them: the text is that name


def said_words(text: str) -> list[tuple[int, str]]:
    """The words of ``text``, folded and with digits read for letters undone, with the offset
    each one ends at; specks that fold to nothing ("(%", "¥)") left out."""
    found = [(m.end(), unconfuse(fold(m.group()))) for m in re.finditer(r"\S+", text)]
    return [(end, w) for end, w in found if w.strip()]


def _unreadable_head(said: list[tuple[int, str]], kw: list[str]) -> tuple[int, int]:
    """(words of ``said`` used, name's word reached) when the name's first words are unreadable
    ("gfgﬁc t(};/au:ilgnklerr;l tra môi trường được …") but a run of ``RUN`` of its next words
    follows in order; (0, 0) otherwise."""
    best, reached = 0, 0
    for i0, j in itertools.product(range(1, min(UNREAD, len(said))), range(min(5, len(kw)))):
        if same_word(said[i0][1], kw[j], strict=True):
            got, p, same = _walk(said, i0, kw, j)
            if same >= RUN and got > best:
                best, reached = got, p
    return best, reached


def words_followed(text: str, known: str) -> int:
    """How many words of ``known`` the text follows in order at best, from any of its words and
    one of the name's first ones (a measure for a name whose beginning is unreadable)."""
    said, kw = said_words(text), known.split()
    best = 0
    for i0, j in itertools.product(range(len(said)), range(min(5, len(kw)))):
        if same_word(said[i0][1], kw[j], strict=True):
            best = max(best, _walk(said, i0, kw, j)[2])
    return best


def best_followed(text: str, names: Iterable[str]) -> str | None:
    """Of ``names`` (folded), the one whose words ``text`` follows in order, clearly more than
    any other's: a name whose beginning the scan made unreadable, known by the rest of it."""
    counts = sorted(((words_followed(text, n), n) for n in names), reverse=True)
    if counts and counts[0][0] > RUN + 1 and (len(counts) < 2 or counts[1][0] < counts[0][0]):
        return counts[0][1]
    return None


_STEPS = sorted(((di, dp) for di in range(3) for dp in range(3) if di + dp), key=sum)


def follow(said: list[tuple[int, str]], i: int, kw: list[str], p: int) -> tuple[int, int]:
    """How many ``said`` words follow ``kw`` from word ``i`` and name word ``p``, and the name's
    word reached; after a word that differs, the two are taken up again where they meet within
    two words (words misread, lost or read from specks)."""
    last, reached, _ = _walk(said, i, kw, p)
    return last, reached


def _walk(said: list[tuple[int, str]], i: int, kw: list[str], p: int) -> tuple[int, int, int]:
    """``follow``'s two figures and how many words were the same."""
    last, reached, same = 0, p, 0
    while i < len(said) and p < len(kw):
        if same_word(said[i][1], kw[p]):
            i, p = i + 1, p + 1
            last, reached, same = i, p, same + 1
            continue
        step = next(
            (
                (di, dp)
                for di, dp in _STEPS
                if i + di < len(said)
                and p + dp < len(kw)
                and same_word(said[i + di][1], kw[p + dp])
            ),
            None,
        )
        if step is None:
            break
        i, p = i + step[0], p + step[1]
    return last, reached, same


def same_word(a: str, b: str, strict: bool = False) -> bool:
    """Two folded words the same but for OCR damage (``strict``: a short word nearly equal, where
    a match opens an alignment on one word alone)."""
    if len(a) == 1 and a.isdigit():
        a = a.translate(CONFUSED)  # "ô nhiễm" read "6 nhiem"
    if a == b:
        return True
    if len(a) <= 2 or len(b) <= 2:
        return False
    return fuzz.ratio(a, b) >= (75 if strict and min(len(a), len(b)) <= 4 else 60)
