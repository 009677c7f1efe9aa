"""What surrounds the question itself: greetings, self-introductions, context, the narrative frame.

Officials write "Dạ em chào anh chị ạ, em là cán bộ mới về phòng Kế hoạch của Sở, được giao theo
dõi PGI. Anh chị cho em hỏi …": the question is the last part; the rest introduces the asker. And
firms' complaints come in a frame ("Doanh nghiệp phản ánh …", "người ta phàn nàn …") whose verbs
name no subject. :func:`read` splits a question into clauses and says which token positions are
context (greetings; asides saying what is not asked, "(không phải huyện Cao Lộc cũ)";
self-introductions and what continues them, unless the question points back at them with "chỉ số
này", "việc đó") and which are frame words. Context is left out of every recogniser except the
agency names (the asker's own body, "bên em là UBND xã …"); frame words are accounted for
(kb/ask/coverage.py) and left out of the topic words. Both are normalised like questions.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from kb.ask.reading.frames import ERRAND, FRAME, FRAME_MAX
from kb.ask.understand import PROVINCES
from kb.codes import CODE
from kb.normalize import normalize

# clause ends: sentence and clause punctuation, a dash between words; not the dot or comma of
# "1.13", "17,33"
_SPLIT = re.compile(r"[;:!?…—–()\n]+|(?<!\d)[.,]+|[.,]+(?!\d)")
# an aside that says what is not asked: "xã Cao Lộc (không phải huyện Cao Lộc cũ) …"
_NOT_THIS = (("khong", "phai"), ("not",), ("chu", "khong", "phai"))
# a remark after the question on how things were ("Trước đây Sở … có nhiệm vụ …"): background
_BEFORE = tuple(
    tuple(normalize(s).split())
    for s in ("trước đây", "trước kia", "hồi trước", "trước giờ", "previously", "formerly")
)

# words of greetings and polite openings ("Dạ em chào anh chị ạ", "Kính gửi ad", "cho em hỏi với")
_GREETING = frozenset(
    normalize(
        "dạ vâng thưa kính gửi chào xin anh chị em ạ ơi các bạn mọi người ad admin bot cho hỏi với"
        " nhé nha chút cảm ơn trân trọng chúc ngày tốt lành thầy cô hello hi dear good morning"
        " afternoon thanks thank you sir madam trợ lý pgi"
    ).split()
)
_GREETING_MARK = frozenset(
    normalize("dạ vâng thưa kính chào xin hỏi ơi hello hi dear thanks morning afternoon").split()
)
# the words a polite opening of a question may hold ("kính gửi", "dạ thưa", "good morning")
_OPENING = frozenset(normalize("dạ vâng thưa kính gửi chào good morning afternoon").split())

# "em là …", "bên em là …", "tôi công tác ở …", "em đang chuẩn bị …", "em cần để tổng hợp …"
_SELF = tuple(
    tuple(normalize(s).split())
    for s in (
        "bên em",
        "bên mình",
        "bên tôi",
        "chúng tôi",
        "chúng em",
        "đơn vị em",
        "đơn vị tôi",
        "đơn vị mình",
        "cơ quan em",
        "cơ quan tôi",
        "cơ quan mình",
        "phòng em",
        "phòng tôi",
        "sở chúng tôi",
        "sở em",
        "sở mình",
        "ban chúng tôi",
        "xã chúng tôi",
        "xã em",
        "phường chúng tôi",
        "phường em",
        "em",
        "tôi",
        "anh",  # "chào em, anh là lãnh đạo Sở …": the asker speaking to the bot as to a junior
        "chị",
        "mình",
        "i",
        "we",
    )
)
_INTRO = tuple(
    tuple(normalize(s).split())
    for s in (
        "là",
        "nguyên là",  # "tôi nguyên là cán bộ …": what the asker was
        "từng là",
        "bên",  # "em bên Công an tỉnh"
        "ở",
        "tại",
        "thuộc",
        "công tác",
        "làm việc",
        "làm ở",
        "làm tại",
        "làm cán bộ",
        "đang",
        "mới",
        "vừa",
        "được giao",
        "được phân công",
        "được lãnh đạo",
        "phụ trách",
        "cần",
        "hiện",
        "am",
        "work",
        "am working",
    )
)
# "hiện Sở chúng tôi đang …", "hiện nay em đang …": when, before the one introduced
_NOW = frozenset(normalize("hiện nay hiện tại").split())
# a clause that carries on an introduction ("…, được lãnh đạo giao theo dõi PGI", "…, vừa sắp xếp
# xong")
_CONTINUE = frozenset(normalize("được vừa mới nên và đang cũng hiện sắp").split())
# a clause naming the asker's unit inside the body just introduced ("em bên Công an tỉnh, phòng
# Cảnh sát môi trường")
_UNIT = tuple(
    tuple(normalize(s).split()) for s in ("phòng", "bộ phận", "chi cục", "tổ", "văn phòng")
)
# what makes a clause a question (a "?" does too)
_ASKS = frozenset(
    normalize("nào gì j ai sao đâu mấy what which who when how where why whom").split()
)
_ASKS2 = tuple(
    tuple(normalize(s).split())
    for s in (
        "bao nhiêu",
        "bao giờ",
        "bnhieu",
        "the nao",
        "ra sao",
        "cho biết",
        "liệt kê",
        "xin hỏi",
        "hỏi là",
    )
)
_ASKS_END = frozenset(
    normalize("không chưa ko k hả nhỉ").split()
)  # not "à": folded, it is "ạ" too
# pointing back at what was said before: "chỉ số này", "việc đó", "như vậy"
_BACK_NOUN = frozenset(
    normalize(
        "chỉ số chỉ tiêu tiêu chí việc vấn đề nội dung lĩnh vực nhiệm vụ mục cái trường hợp điều"
        " chuyện loại"
    ).split()
)
_BACK = frozenset(normalize("này đó ấy trên kia").split())
_INDICATOR = frozenset({("chi", "so"), ("chi", "tieu"), ("tieu", "chi")})
# "của đơn vị" followed by nothing, or by a word that names no kind of body ("trong", "là")
_OWN_NOUNS = frozenset({("don", "vi"), ("co", "quan")})
_OWN_NEXT = frozenset(
    normalize("trong theo ở tại là về đối khi năm thì như đã được cần phải có với đến").split()
)

HIDDEN = "_"  # what the recognisers see in place of a context token (no phrase has it)


@dataclass(frozen=True)
class Clause:
    toks: tuple[str, ...]
    asks: bool  # holds a question word or a "?"


@dataclass(frozen=True)
class Reading:
    toks: tuple[str, ...]  # every token of the question, clause after clause
    context: frozenset[
        int
    ]  # positions of greetings and introductions: no recogniser but agency names reads them
    frame: frozenset[int]  # positions of frame words: accounted for, no topic
    aside: frozenset[int] = (
        frozenset()
    )  # positions of "(không phải …)": no name there is asked about


def clauses(question: str) -> list[Clause]:
    pieces = re.split(f"({_SPLIT.pattern})", question)
    out = []
    for part, end in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
        toks = tuple(normalize(part).split())
        if toks:
            out.append(Clause(toks, _asks(toks) or "?" in end))
    return out


def _asks(toks: tuple[str, ...]) -> bool:
    if not _ASKS.isdisjoint(toks) or any(t in _ASKS_END for t in toks[-2:]):
        return True
    return any(toks[i : i + len(p)] == p for p in _ASKS2 for i in range(len(toks)))


def _greeting(toks: tuple[str, ...]) -> bool:
    return all(t in _GREETING for t in toks) and not _GREETING_MARK.isdisjoint(toks)


def _errand(toks: tuple[str, ...]) -> bool:
    return any(toks[: len(e)] == e for e in ERRAND)


def _recalls(toks: tuple[str, ...]) -> bool:
    """ "Trước đây Sở TT&TT có nhiệm vụ tuyên truyền": a remark on how things were before."""
    return any(toks[: len(n)] == n for n in _BEFORE)


def _opening(toks: tuple[str, ...]) -> int:
    """How many of a question clause's first words are a polite opening ("kính gửi", "dạ chào"):
    greeting words that begin with a greeting mark and leave words after them."""
    if not toks or toks[0] not in _GREETING_MARK:
        return 0
    n = 0
    while n < len(toks) - 1 and toks[n] in _GREETING and toks[n] in _OPENING:
        n += 1
    if toks[:n] == ("kinh",):
        return 0  # "kinh phí …", "kinh tế …": "kính" opens only with "gửi", "chào", "thưa"
    if any(toks[: len(name)] == name for name in PROVINCES):
        return 0  # "Đà Nẵng giao …": a province's name, not "dạ"
    return n


def _names_indicator(toks: tuple[str, ...]) -> bool:
    """ "em đang phụ trách chỉ số nước sạch": an introduction that names an indicator is no mere
    context."""
    return any(toks[i : i + 2] in _INDICATOR for i in range(len(toks))) or any(
        CODE.match(t) for t in toks
    )


def _intro(toks: tuple[str, ...]) -> bool:
    """A self-introduction: (greeting words,) a first-person subject, an introducing verb."""
    if _names_indicator(toks):
        return False
    i = 0
    while i < len(toks):
        if _introduces(toks[i:]):
            return True
        if toks[i] == "em" or not (toks[i] in _GREETING or toks[i] in _NOW):
            return False
        i += 1
    return False


def _introduces(toks: tuple[str, ...]) -> bool:
    """Whether the words open with a first-person subject and an introducing verb ("anh là …",
    "em bên …"): "anh", a greeting word too, may be either."""
    for s in _SELF:
        if toks[: len(s)] == s:
            rest = toks[len(s) :]
            return any(rest[: len(v)] == v for v in _INTRO)
    return False


def _points_back(toks: tuple[str, ...]) -> bool:
    return any(
        t in _BACK and toks[i - 1] in _BACK_NOUN for i, t in enumerate(toks) if i > 0
    ) or any(toks[i : i + 2] == ("nhu", "vay") for i in range(len(toks)))


def own_body(toks: tuple[str, ...], covered: AbstractSet[int]) -> bool:
    """ "nhiệm vụ của đơn vị trong kế hoạch": "của đơn vị" with no name, nor a kind of body
    ("của cơ quan chủ trì", "của đơn vị nào"), after it points back at the asker's own body."""
    for i in range(len(toks) - 2):
        if toks[i] != "cua" or toks[i + 1 : i + 3] not in _OWN_NOUNS or i + 1 in covered:
            continue
        after = toks[i + 3 : i + 4]
        if not after or after[0] in _OWN_NEXT:
            return True
    return False


def _kinds(parts: list[Clause]) -> list[str]:
    """Each clause's kind: "greeting", "aside" ("không phải …"), "intro" (an introduction or its
    continuation), "question"."""
    kinds: list[str] = []
    for c in parts:
        if _greeting(c.toks):
            kinds.append("greeting")
        elif not c.asks and (
            any(c.toks[: len(n)] == n for n in _NOT_THIS)
            or (any(k == "question" for k in kinds) and _recalls(c.toks))
        ):
            kinds.append("aside")
        elif not c.asks and (
            _intro(c.toks)
            or _errand(c.toks)
            or (
                kinds[-1:] == ["intro"]
                and (c.toks[0] in _CONTINUE or any(c.toks[: len(u)] == u for u in _UNIT))
            )
        ):
            kinds.append("intro")
        else:
            kinds.append("question")
    return kinds


def _frame(toks: tuple[str, ...], skip: frozenset[int]) -> frozenset[int]:
    out: set[int] = set()
    for i in range(len(toks)):
        for k in range(FRAME_MAX, 0, -1):
            if toks[i : i + k] in FRAME and not skip.intersection(range(i, i + k)):
                out.update(range(i, i + k))
                break
    return frozenset(out)


def read(question: str) -> Reading:
    parts = clauses(question)
    kinds = _kinds(parts)
    if (
        "question" not in kinds
    ):  # a greeting or an introduction alone is what it is: nothing is context
        kinds = ["question"] * len(parts)
    back = any(_points_back(c.toks) for c, k in zip(parts, kinds, strict=True) if k == "question")
    toks: list[str] = []
    context: set[int] = set()
    aside: set[int] = set()
    for c, k in zip(parts, kinds, strict=True):
        span = range(len(toks), len(toks) + len(c.toks))
        if k in ("greeting", "aside") or (k == "intro" and not back):
            context.update(span)
        elif k == "question":  # "Kính gửi cơ quan đầu mối": the opening words are a greeting
            context.update(span[: _opening(c.toks)])
        if k == "aside":
            aside.update(span)
        toks.extend(c.toks)
    ctx = frozenset(context)
    return Reading(tuple(toks), ctx, _frame(tuple(toks), ctx), frozenset(aside))
