"""Vietnamese alphabetical order, for every list of agencies and communes people read.

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: "Đ" comes right after
"D" (not after "Z", as code points put it), "Ă" and "Â" after "A". Tones weigh less than letters,
as in dictionaries and ICU's Vietnamese collation: names are compared by their letters first, then
by their tones (none, huyền, hỏi, ngã, sắc, nặng), then by case. PyICU has no wheels on PyPI, so
the order is written here, in one place, for the board, the workbook and the chart.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {c: i for i, c in enumerate(_LETTERS)}
_TONES = {
    "\u0300": 1,
    "\u0309": 2,
    "\u0303": 3,
    "\u0301": 4,
    "\u0323": 5,
}  # huyền hỏi ngã sắc nặng
_SHAPED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}


def _letters(text: str) -> tuple[list[tuple[int, str]], list[int], list[int]]:
    """(primary, tones, cases) of a text: letter ranks (other characters by code point), one tone
    per letter, one case mark per letter."""
    primary: list[tuple[int, str]] = []
    tones: list[int] = []
    cases: list[int] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if ch in _TONES and tones:
                tones[-1] = _TONES[ch]
            elif primary and (primary[-1][1], ch) in _SHAPED:
                letter = _SHAPED[(primary[-1][1], ch)]
                primary[-1] = (0, letter)
            continue
        low = ch.lower()
        primary.append((0, low) if low in _RANK else (1, low))
        tones.append(0)
        cases.append(0 if ch == low else 1)
    return primary, tones, cases


@lru_cache(maxsize=8192)  # names of agencies and places: a small, fixed vocabulary
def vi_key(text: str) -> tuple:
    """A sort key that puts texts in Vietnamese alphabetical order (letters, then tones, then
    case)."""
    primary, tones, cases = _letters(text)
    # spaces and punctuation before any letter ("Chi Lăng" before "Chiến Thắng"), digits next, as
    # in ICU
    letters = tuple(
        (1, _RANK[c]) if kind == 0 and c in _RANK else (0, ord(c)) for kind, c in primary
    )
    return letters, tuple(tones), tuple(cases)


def vi_sorted(items, key=lambda x: x):  # noqa: ANN001 - any iterable and key function, like sorted()
    """``sorted`` in Vietnamese alphabetical order of ``key(item)``."""
    return sorted(items, key=lambda item: vi_key(key(item)))
