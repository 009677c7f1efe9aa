"""One line of a scanned table cut into the pieces of the columns it crosses.

A line read across the page holds the end of one cell, the beginning of the next one and specks of
the table's rules. It is cut at a rule read as "|", at a wide gap or specks of punctuation, at a
dash in mid-line, where a registry name follows the indicator's text and where two names meet with
no separator; what reads like an indicator's name is told by the index's own wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from kb.importer.registry import Registry, tokens
from kb.normalize import fold

_RULE = re.compile(r"\s*\|+\s*")


# a wide gap (not before a lower-case word, which goes on in the same cell), or specks of
# punctuation between two columns (" . , ")
_GAP = re.compile(r"\s{2,}(?![a-zà-ỹđ])|\s+(?:[.,:;~^'\"]\s+){2,}")


# specks a line begins with: "g7 UBND …", "A 4 1. A . A R, R 1 Truyền hình …"
_LEAD_JUNK = re.compile(
    r"^(?:(?:[^\w\s(\[-]+|[a-z]?\d[a-z]?|[a-z])\s+"
    r"|(?:(?:[^\w\s(\[-]+|\d{1,2}\.?|[A-Za-z]{1,2}[.,]?)\s+){3,})(?=[A-ZĐ])"
)


TAIL = re.compile(
    r"(?<=\.)(?:\s+(?:[A-Z]{1,3}|\d{1,2}|[^\w\s]{1,3}|[a-z]))+\s*$"
)  # specks after a stop


# a dash in mid-line: the piece after it keeps the dash (a bullet, most often a coordinating item)
# a run of three or more one-character specks inside a line ("UBND các xã, e o 8 e")
SPECKS = re.compile(r"(?:(?<=\s)|^)(?:\S\s+){2,}\S(?=\s|$)")


_MID_DASH = re.compile(r"(?<=[^\s-])\s+(?=[-–_]\s+\S)")  # "_": a dash misread


BULLET = re.compile(r"^[-–•+]\s*")


_WORDS = re.compile(r"[^\W\d_]+")


NAMELIKE = 0.6  # share of a text's words that are the index's wording for it to be a name


def fragments(line: str, reg: Registry) -> list[str]:
    """The pieces of columns that one scanned line holds, left to right (noise left out)."""
    merged: list[str] = []
    for ruled in _RULE.split(TAIL.sub("", line.strip())):  # a table rule read as "|"
        kept = [_strip_junk(_speck_tail(p.strip()), reg) for p in _GAP.split(ruled)]
        kept = [p for p in kept if p and not noise(p)]
        for k, f in enumerate(kept):
            if k >= 1 and not starts_agency(f, reg) and starts_agency(kept[k - 1], reg):
                merged[-1] += " " + f  # a wide gap inside one cell, not a column's edge
            else:
                merged.append(f)
    out: list[str] = []
    for piece in merged:
        for part in _dash_split(piece, reg):
            for cut in _at_names(part, reg):
                out.extend(_after_name(cut, reg))
    out = [_MISREAD_DASH.sub("- ", _PUNCT_HEAD.sub("", p.strip())) for p in out]
    return [f for f in out if f and not noise(f)]


_MISREAD_DASH = re.compile(r"^_\s+")  # a bullet's dash read as "_"


_PUNCT_HEAD = re.compile(r"^(?:[;.,:]\s*)+(?=\w)")  # "; . các xã, …": specks, no item's end


_SPECK_TAIL = re.compile(r"(?:\s+(?:[A-Z]{1,3}|[A-Z][a-z]|[^\w\s]+|[a-z])){3,}\s*$")


def _speck_tail(text: str) -> str:
    """``text`` without the specks it ends with ("… dịch vụ A T @ NTA A N At e T")."""
    return _SPECK_TAIL.sub("", text)


def _strip_junk(text: str, reg: Registry) -> str:
    """``text`` without the specks it begins with, unless they are a registry name's misread
    first word ("6 Nông nghiệp và Môi trường": "Sở" read as "6")."""
    cut = _LEAD_JUNK.sub("", text)
    if cut != text:
        spans = reg.spans(text, fuzzy=True)
        if spans and spans[0][0] == 0:
            return text
    return cut


def _dash_split(text: str, reg: Registry) -> list[str]:
    """``text`` cut before each dash in mid-line, except a dash inside a registry name (the words
    after it are those after a dash in a name: "Đồng Đăng - Lạng Sơn")."""
    out, last = [], 0
    for m in _MID_DASH.finditer(text):
        after = " ".join(fold(text[m.end() :]).split()[:2])
        if after in reg.dash_tails:
            continue
        out.append(text[last : m.start()])
        last = m.end()
    out.append(text[last:])
    return out


_TAIL_WORDS = re.compile(r"^\s+((?:[a-zà-ỹđ]+\s*){1,2});\s*\S")


def _after_name(text: str, reg: Registry) -> list[str]:
    """A name followed by one or two lower-case words and a ";" ("Sở Tài chính tỉnh; Ban …"):
    those words end a name of the next column's line above, and the rest is that column's."""
    if not text[:1].isupper():  # a line going on with a name from the line above
        return [text]
    spans = reg.spans(text, fuzzy=True)
    if not spans or spans[0][0] > 2:
        return [text]
    end = spans[0][1]
    m = _TAIL_WORDS.match(text[end:])
    if not m or len(spans) < 2:
        return [text]
    return [text[:end], text[end:]]


def _at_names(text: str, reg: Registry) -> list[str]:
    """``text`` cut before a name that follows text which is no name (a name's cell beginning
    right after the indicator's) or that follows another name with no separator."""
    spans = reg.spans(text, fuzzy=True)
    cuts = []
    prev_end = 0
    for a, b in spans:
        between = text[prev_end:a]
        if prev_end == 0:
            # after the indicator's name, unless a list of names continues from the line above
            words = len(_WORDS.findall(between))
            listed = ";" in between or between.rstrip().endswith(",")  # names listed, no name
            if (
                (words >= 2 or words and between.rstrip().endswith(")"))
                and not listed
                and not _begins_name(between, text[a:b], reg)
            ):
                cuts.append(a)
        elif not re.search(r"[;,(]|\bv[aà]\b", between):
            cuts.append(a)  # two names with nothing between them: two columns
        prev_end = b
    pieces, last = [], 0
    for c in cuts:
        pieces.append(text[last:c])
        last = c
    pieces.append(text[last:])
    return pieces


def _begins_name(before: str, name: str, reg: Registry) -> bool:
    """The words ``before`` a name found approximately and its first words are a part of one
    registry name: a name whose first word was read apart ("va Phat | thanh, Truyền hình Lạng
    Sơn" of "Báo và Phát thanh, …", where "thanh, Truyền hình Lạng Sơn" alone passes for "Thanh
    tra tỉnh Lạng Sơn")."""
    said = " ".join([*fold(before).split(), *(t.folded for t in tokens(name)[:2])])
    return len(said.split()) >= 3 and any(
        f" {said} " in f" {' '.join(f.folded)} " for f in reg.forms
    )


def noise(text: str) -> bool:
    """Specks and rules read as letters ("N > A ia", "s 4 et ae s e s .")."""
    words = _WORDS.findall(text)
    letters = sum(len(w) for w in words)
    if letters < 4:
        return True
    # a word is what stands between spaces: "N(:ng 1‘1gh1¢p" is two mangled words, not specks
    spaced = [sum(c.isalpha() for c in t) for t in text.split()]
    real = [n for n in spaced if n >= 3]
    return len(real) < 0.4 * len([n for n in spaced if n])


def mixed(line: str, reg: Registry) -> bool:
    """The line holds two columns' agencies (lead and coordinating read as one line)."""
    if "|" in line and reg.spans(line, fuzzy=True):
        return True
    frags = fragments(line, reg)
    return sum(starts_agency(f, reg) for f in frags) >= 2


def starts_agency(text: str, reg: Registry) -> bool:
    if BULLET.match(text):
        return True
    spans = reg.spans(text, fuzzy=True)
    return bool(spans) and spans[0][0] <= 2


def opens_name(text: str, starts: tuple[str, ...]) -> bool:
    """The text begins like one of the index's indicator names (a row's first line)."""
    f = fold(text)[:24]
    return len(f) >= 12 and any(fuzz.ratio(f, s[: len(f)]) >= 70 for s in starts)


def namelike(text: str, words: frozenset[str]) -> bool:
    toks = [t for t in fold(text).split() if len(t) >= 2 and not t.isdigit()]
    return len(toks) >= 1 and sum(_known_word(t, words) for t in toks) >= NAMELIKE * len(toks)


_KNOWN: dict[tuple[int, str], bool] = {}


def _known_word(token: str, words: frozenset[str]) -> bool:
    """The token is a word of the index's wording, or one letter off it ("nhet" for "nhat")."""
    if token in words:
        return True
    key = (id(words), token)
    if key not in _KNOWN:
        best = process.extractOne(token, words, scorer=fuzz.ratio) if len(token) >= 3 else None
        _KNOWN[key] = bool(best and best[1] >= 75)
    return _KNOWN[key]


NUMBER = re.compile(r"^[|\[(\s]*(\d{1,2})(?![\d/,.]\d)\s*[|.)\]]?\s*(.*)$")


JUNK = re.compile(r"^[|)\]}(\[ToIil%\\/]{1,3}\s*\|?\s*(?=[A-ZĐ(\[])(.*)$")


@dataclass
class Frag:
    text: str
    agency: bool  # begins with an agency name or a bullet
    line: int  # index of its line in the page
    first: bool  # the line begins with it
    alone: bool  # the only fragment of its line
    para: int  # paragraph (blank-line separated) of the row it is in
    loose: bool = False  # cut from the fragment before it on no mark: its column is undecided


def clause(text: str) -> bool:
    """Lower-case words that are no name: a lead's clause on its task ("tham mưu cho …")."""
    return text[:1].islower() and len(text.split()) >= 3


def ends_stop(line: str) -> bool:
    s = TAIL.sub("", line.rstrip())
    return s.endswith((".", ".)")) and not s.endswith("..")


def continues(line: str) -> bool:
    s = line.strip()
    return bool(s) and (s[0].islower() or s[0] in "(;,")


def repeats(line: str, number: int) -> bool:
    """The line begins with ``number`` again (a row's number below its first line)."""
    m = NUMBER.match(line.strip())
    return m is not None and int(m.group(1)) == number
