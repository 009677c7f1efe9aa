"""Words written with diacritics are read with them: "lương" (salary) is not "lượng" (quantity),
"bảng" (table) is not "bằng" (fair).

The engine compares folded words, so that questions typed without diacritics are understood. A
question typed with them says more: a word of it that matches a text only once folded, while the
text writes that word with other marks, is another word. :func:`misread` names such words, so that
an answer is not taken to explain them. The position of the tone mark ("hoá" / "hóa") is no
difference.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from kb.normalize import fold

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook above, dot below
_WORD = re.compile(r"\w+")


def canonical(word: str) -> str:
    """The word with its tone mark moved to the end: one form however the tone was placed."""
    chars = unicodedata.normalize("NFD", word.lower())
    tones = "".join(c for c in chars if c in _TONES)
    return unicodedata.normalize("NFC", "".join(c for c in chars if c not in _TONES)) + tones


@lru_cache(maxsize=8192)
def written_forms(text: str) -> dict[str, frozenset[str]]:
    """Folded word → its written forms in one text, each with its tone mark moved to the end
    (:func:`canonical`); texts are the KB's and the question's, so few."""
    out: dict[str, set[str]] = {}
    for w in _WORD.findall(text):
        out.setdefault(fold(w), set()).add(canonical(w))
    return {k: frozenset(v) for k, v in out.items()}


def _forms(texts: list[str], words: set[str] | None = None) -> dict[str, set[str]]:
    """Folded word → the written forms (canonical) it has in the texts (only ``words``, if
    given)."""
    out: dict[str, set[str]] = {}
    for text in texts:
        for word, forms in written_forms(text).items():
            if words is None or word in words:
                out.setdefault(word, set()).update(forms)
    return out


def misread(question: str, texts: list[str]) -> frozenset[str]:
    """The folded words the question writes with diacritics that none of the texts writes so,
    though the texts hold the word folded; empty for a question typed without diacritics."""
    if fold(question) == question.lower():
        return frozenset()
    asked = {
        word: {f for f in forms if f != word}
        for word, forms in written_forms(question).items()
        if any(f != word for f in forms)
    }
    written = _forms(texts, set(asked))
    out = set()
    for word, marked in asked.items():
        if word in written and not marked & written[word]:
            out.add(word)
    return frozenset(out)


@lru_cache(maxsize=1024)
def _alignment(original: str, toks: tuple[str, ...]) -> tuple[re.Match[str] | None, ...]:
    """The written word (as a match, with its place) each normalised token comes from, None for a
    token an abbreviation's expansion made ("DN" → "doanh nghiep"): the two sequences' common runs
    (difflib). Kept for the last questions: the name, commune and unlisted-body recognisers of one
    question all read it."""
    written = [(m, f) for m in _WORD.finditer(original) for f in fold(m.group()).split()]
    out: list[re.Match[str] | None] = [None] * len(toks)
    matcher = SequenceMatcher(None, [f for _m, f in written], toks, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for n in range(size):
            out[b + n] = written[a + n][0]
    return tuple(out)


def aligned(original: str, toks: list[str]) -> list[str | None]:
    """The written word of the question each normalised token comes from (None for a token an
    abbreviation's expansion made)."""
    return [m.group() if m else None for m in _alignment(original, tuple(toks))]


_CLAUSE_END = re.compile(r"\s*[,;:.!?)]")


def ends_clause(original: str, toks: list[str], i: int) -> bool:
    """Whether the question writes punctuation right after token ``i`` ("của Sở, lãnh đạo …"):
    no name runs on across it."""
    m = _alignment(original, tuple(toks))[i] if i < len(toks) else None
    return m is not None and bool(_CLAUSE_END.match(original, m.end()))


def written_otherwise(written: list[str | None], texts: list[str]) -> bool:
    """Whether a phrase of the question, as written (:func:`aligned`), is another phrase: most of
    the words it writes with marks have marks none of the texts gives them ("chỉ số hỏi DN" names
    no "Hội DN"); one mistyped mark among several ("Sở Xây dưng") is a typo of the name."""
    words = [w for w in written if w is not None and fold(w) != w.lower()]
    forms = _forms(texts, {fold(w) for w in words})
    # a word the texts lack folded is a typo, judged by the caller's fuzzy match, not here
    judged = [w for w in words if fold(w) in forms]
    other = [w for w in judged if canonical(w) not in forms[fold(w)]]
    return 2 * len(other) > len(judged)


def capitalized_after(original: str, head: str, word: str) -> bool:
    """Whether the question writes folded ``word`` capitalized right after folded ``head``: a
    name's word ("Cục Đăng kiểm"), though folded it may be another word ("đang", currently)."""
    words = _WORD.findall(original)
    return any(
        fold(a) == head and fold(b) == word and b[:1].isupper()
        for a, b in zip(words, words[1:], strict=False)
    )


def typo_close(phrase: list[str], alias: list[str]) -> bool:
    """Whether a phrase differs from an alias only by typos (no word replaced by another word)."""
    phrase = phrase[: len(alias)]
    if len(phrase) != len(alias):
        return False
    for a, b in zip(phrase, alias, strict=True):
        if a == b:
            continue
        if len(b) < 3 or Levenshtein.normalized_similarity(a, b) < 0.7 or a[0] != b[0]:
            return False
    return True


def marked(original: str, word: str) -> bool:
    """Whether the question writes folded ``word`` only with diacritics: a Vietnamese word, no
    abbreviation that folds alike ("đốc" is no "DOC")."""
    forms = [w for w in _WORD.findall(original) if fold(w) == word]
    return bool(forms) and all(w.lower() != word and not w.isupper() for w in forms)  # "TTXTĐT"
