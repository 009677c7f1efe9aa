"""Matching the documents' subjects: a question's or a text's phrases replaced by their subject's
tag, and the filler words of questions that name no subject.

The groups of words per subject are in kb/words/subjects.py, those of the survey's judgements
("dễ", "công bằng", "kịp thời") in kb/words/judgements.py. Matching replaces any phrase of a
group by the group's tag, in questions and in indicator texts alike. Phrases are normalised like
questions.
"""

from __future__ import annotations

from kb.normalize import normalize
from kb.words.judgements import JUDGEMENTS
from kb.words.marks import canonical
from kb.words.subjects import SUBJECTS

GROUPS: dict[str, tuple[str, ...]] = {**SUBJECTS, **JUDGEMENTS}

# Phrases in questions that are no topic: polite forms, fillers, English function words.
FILLER = frozenset(
    normalize(
        "anh chị cho em hỏi với ạ ạh nhé nhe nha nhá vậy thế ơi dạ vâng xin cảm ơn làm ơn giúp em"
        " ta chẳng chả and or ls đi "  # "tỉnh ta", "chẳng hiểu", "pgi ls" (Lạng Sơn), "có đi gom"
        " với được không "
        "please tell me about the a an can you could would i want to know kindly thanks thank you"
        " hello hi dear sir trân trọng kính gửi regards "
        "madam bot ad admin bạn ơi cho hỏi chút xíu tí với nào ạ thì là mà rồi chưa hả hở vầy vay "
        "lo quản lý manage manages managed handles handle who whose which what is are does do"
        " about regarding "
        "the indicator indicators on ve chuyen viec cai nay giao được giao nhận thực hiện triển"
        " khai đảm nhiệm đảm nhận "
        "chịu lo vai trò role roles gồm bao gồm nhóm mục số thứ tên name named called list danh"
        " sách tất cả all "
        "biết muốn hỏi xem cần check kiểm ơi sao thế nào như nhu the nao vậy ok okay hôm nay sử"
        " dụng dùng tỉnh province provincial lạng sơn lang son phân công liên quan đến điểm "
        # the roles asked about, in English (their Vietnamese forms are stop words of the question
        # already)
        "lead leads led leading coordinate coordinates coordinating coordinator in charge of"
        " responsible for involved agency "
        "agencies department departments "
        # asking for a list in other words: "tóm tắt giúp anh các chỉ số …", "liệt kê", "sếp"
        "tóm tắt liệt kê sếp"
    ).split()
)


def _build() -> tuple[dict[tuple[str, ...], str], int]:
    table: dict[tuple[str, ...], str] = {}
    for tag, phrases in GROUPS.items():
        for p in phrases:
            toks = tuple(normalize(p).split())
            if toks:
                table[toks] = "#" + tag
    return table, max(len(k) for k in table)


_TABLE, _MAXLEN = _build()
TABLE, MAXLEN = _TABLE, _MAXLEN  # phrase → tag, and the longest phrase (in tokens)


def _written_forms() -> dict[tuple[str, ...], frozenset[tuple[str, ...]]]:
    """Phrase → the groups' spellings of it, marks kept (tone marks placed alike)."""
    out: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for phrases in GROUPS.values():
        for p in phrases:
            toks = tuple(normalize(p).split())
            words = tuple(canonical(w) for w in p.split())
            if len(words) == len(toks):
                out.setdefault(toks, set()).add(words)
    return {k: frozenset(v) for k, v in out.items()}


_WRITTEN = _written_forms()


def written_so(phrase: tuple[str, ...], written: list[str | None]) -> bool:
    """Whether the question writes the phrase as a group does, with its marks ("báo trước", not
    "bao truoc" nor "bảo trước")."""
    if any(w is None for w in written):
        return False
    forms = _WRITTEN.get(phrase, frozenset())
    return tuple(canonical(w) for w in written if w is not None) in forms


def tag(tokens: list[str], keep_words: bool = False) -> list[str]:
    """Tokens with every group phrase (longest first) replaced by its tag (or followed by it)."""
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        for length in range(min(_MAXLEN, n - i), 0, -1):
            hit = _TABLE.get(tuple(tokens[i : i + length]))
            if hit:
                if keep_words:
                    out.extend(tokens[i : i + length])
                out.append(hit)
                i += length
                break
        else:
            out.append(tokens[i])
            i += 1
    return out
