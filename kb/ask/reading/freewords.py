"""The words of a question that can name a subject.

Stop words, numbers, codes and years name none; a role's phrase ("chịu trách nhiệm chính") asks a
role; a subject's phrase keeps its stop words ("bão lũ", "báo trước"), written as the groups write
it; the "nhất" of a compound ("thống nhất", "ít nhất 1 lần") makes no superlative.
"""

from __future__ import annotations

from kb.ask import context
from kb.ask.intents import BOTH_WORDS, COORD_WORDS, LEAD_WORDS, STOP
from kb.codes import CODE
from kb.normalize import fold
from kb.words import marks, mentions, synonyms


def free_words(
    toks: list[str], covered: set[int], kinds: frozenset[str], question: str = ""
) -> tuple[list[str], list[str]]:
    """The words that can name a subject (``content``: no stop word, number, code or year) and
    the free words (``plain``: no number, code or year), the ``covered`` positions left out and,
    of both, the ``kinds`` words ("xã", "sở") when they name the asker."""
    covered = covered | _function_words(question, toks)
    at = [
        i
        for i, t in enumerate(toks)
        if i not in covered
        and t != context.HIDDEN
        and not t.isdigit()
        and not CODE.match(t)
        and not mentions.YEAR.match(t)
    ]
    plain = [toks[i] for i in at]
    # a subject's phrase is content though some of its words are stop words alone ("báo trước",
    # "bão lũ", "năng lực"); a role's phrase is none ("chịu trách nhiệm chính")
    written = marks.aligned(question, toks) if question else [None] * len(toks)
    phrased, misread = _in_phrases(plain, [written[i] for i in at])
    roles = _in_roles(plain)
    content = [
        t for i, t in enumerate(plain) if (t not in STOP or i in phrased) and i not in roles
    ]
    # "đó thì" names no "đô thị"; "chịu trách nhiệm chính" asks a role, it names no subject
    plain = [t for i, t in enumerate(plain) if i not in misread and i not in roles]
    if kinds:  # "xã mình", "sở em": the kind word names the asker, not a topic
        content = [t for t in content if t not in kinds]
        plain = [t for t in plain if t not in kinds]
    return content, plain


def _in_phrases(words: list[str], written: list[str | None]) -> tuple[set[int], set[int]]:
    """The positions of words inside a subject phrase of two words or more (kb/words/synonyms.py)
    that holds a stop word, the longest phrase first; and those of a phrase of stop words only
    that is none. Such a phrase is one only as the groups write it, marks and all ("báo trước";
    "đó thì" is no "đô thị"), and not in a question typed without marks."""
    out: set[int] = set()
    misread: set[int] = set()
    i = 0
    while i < len(words):
        for width in range(min(synonyms.MAXLEN, len(words) - i), 1, -1):
            span = tuple(words[i : i + width])
            if span not in synonyms.TABLE:
                continue
            stops = [w in STOP for w in span]
            if any(stops) and (
                not all(stops) or synonyms.written_so(span, written[i : i + width])
            ):
                out.update(range(i, i + width))
            elif all(stops) and any(
                w is not None and fold(w) != w.lower() for w in written[i : i + width]
            ):
                misread.update(range(i, i + width))
            i += width - 1
            break
        i += 1
    return out, misread


_ROLE_PHRASES = LEAD_WORDS | COORD_WORDS | BOTH_WORDS
_ROLE_MAX = max(len(x) for x in _ROLE_PHRASES)


def _in_roles(words: list[str]) -> set[int]:
    """The positions of the words of a role's phrase ("chịu trách nhiệm chính", "làm chính"),
    unless a subject's phrase holds them ("không phối hợp với nhau": inspections apart)."""
    subjects = {
        k
        for i in range(len(words))
        for width in range(min(synonyms.MAXLEN, len(words) - i), 2, -1)
        if tuple(words[i : i + width]) in synonyms.TABLE
        for k in range(i, i + width)
    }
    out: set[int] = set()
    for i in range(len(words)):
        for width in range(min(_ROLE_MAX, len(words) - i), 1, -1):
            if tuple(words[i : i + width]) in _ROLE_PHRASES:
                out.update(k for k in range(i, i + width) if k not in subjects)
                break
    return out


# words with "nhất" that are no superlative: "thống nhất" (agree), "duy nhất" (only), "nhất trí",
# "mới nhất", "gần nhất" (the latest: "theo kế hoạch mới nhất", "trong 2 năm gần nhất")
_NHAT_WORDS = frozenset(
    {
        ("thong", "nhat"),
        ("duy", "nhat"),
        ("hop", "nhat"),
        ("nhat", "tri"),
        ("nhat", "dinh"),
        ("moi", "nhat"),
        ("gan", "nhat"),
    }
)


def plain_nhat(toks: list[str]) -> list[str]:
    """The tokens with the "nhất" of compound words ("thống nhất") masked, so it reads as no
    superlative; "ít nhất" before a number is "at least" ("ít nhất 1 lần")."""
    out = list(toks)
    for i in range(len(out) - 1):
        if (out[i], out[i + 1]) in _NHAT_WORDS and out[i - 1 : i] != ["phoi"]:
            # "phối hợp nhất" (coordinates most) is no "hợp nhất" (merged)
            j = i if out[i] == "nhat" else i + 1
            out[j] = "_nhat"
        elif (
            (out[i], out[i + 1]) == ("it", "nhat")
            and out[i + 2 : i + 3]
            and (out[i + 2][0].isdigit() or out[i + 2] in _NUMBER_WORDS)
        ):
            out[i + 1] = "_nhat"
    return out


_NUMBER_WORDS = frozenset("mot hai ba bon nam sau bay tam chin muoi".split())


# function words written with their marks whose folded form is a content syllable: "cũng" (also)
# is no "cung" of "cung cấp"
_FUNCTION_WORDS = frozenset(marks.canonical(w) for w in ("cũng",))


def _function_words(question: str, toks: list[str]) -> frozenset[int]:
    """Positions of the function words the question writes as such (with their marks)."""
    if "cung" not in toks:
        return frozenset()
    written = marks.aligned(question, toks)
    return frozenset(
        i for i, w in enumerate(written) if w is not None and marks.canonical(w) in _FUNCTION_WORDS
    )
