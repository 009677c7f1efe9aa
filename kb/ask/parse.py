"""A question, parsed: every slot found by its own small recogniser, each recording its words.

:func:`parse` turns text into a frozen :class:`Parsed`: the agencies named (kb/ask/resolve.py),
indicator and component codes (kb/codes.py), years, documents named by number, the asker and
first-person words, the role asked about, and the words left for topic matching. ``consumed`` holds
the token positions the recognisers explained; kb/ask/coverage.py weighs what is left. Nothing here
answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kb.ask import context, premise, resolve
from kb.ask import understand as U
from kb.ask.answers import BOTH, COORDINATE, LEAD
from kb.ask.intents import (
    _DOC_NUMBER,
    BOTH_WORDS,
    COORD_WORDS,
    INDICATOR_WORDS,
    LEAD_WORDS,
    PGI_CONTEXT,
    SCORE_CONTEXT_WORDS,
    SCORE_WORDS,
    SELF_WORDS,
    Grams,
    has,
    self_reference,
)
from kb.ask.premise import Stated
from kb.ask.reading.freewords import free_words, plain_nhat
from kb.codes import find_codes
from kb.model import COMMUNE, Agency, Document
from kb.normalize import normalize
from kb.words import amounts, names
from kb.words.amounts import Threshold
from kb.words.mentions import AgencyMention, AgencyResolution

if TYPE_CHECKING:
    from kb.ask.ports import EngineApi as Engine

# "xã mình", "phường em" name a commune; "sở mình", "ban chúng tôi" a provincial body
SELF_WORD = frozenset({"minh", "em", "toi", "chung", "ta"})
COMMUNE_WORDS = frozenset({"xa", "phuong"})
BODY_WORDS = frozenset({"so", "ban", "nganh"})
_NUMBERLIKE = re.compile(r"^\d")


@dataclass(frozen=True)
class Parsed:
    """What the recognisers found in one question; positions index ``toks``."""

    question: str
    toks: tuple[str, ...]
    grams: Grams
    found: AgencyResolution
    codes: tuple[tuple[str, int], ...]
    component_code: str | None
    years: tuple[int, ...]
    named_docs: tuple[Document, ...]
    asker: Agency | None
    is_self: bool
    self_reference: bool  # the asker is the agency asked about ("chúng tôi", "sở mình")
    self_mismatch: str | None  # "xã mình" asked by a department: "commune" / "body"
    mention: AgencyMention | None
    agency: Agency | None
    role: str
    content: tuple[str, ...]  # free words that are no stop word, number, code or year
    words: tuple[str, ...]  # free words that are no number, code or year
    is_score: bool
    today: date
    premise: Stated | None = (
        None  # a value stated for confirmation ("… là 15/3/2023 à"), taken out of the text
    )
    frame: frozenset[int] = (
        frozenset()
    )  # positions of frame words ("phản ánh", "được chấm ở"): no topic
    threshold: Threshold | None = None  # a figure the rows are compared with ("điểm trên 4,5")
    unnamed_body: bool = False  # "bên đó", "cơ quan ấy": a body pointed at, none named

    @property
    def superlative_grams(self) -> Grams:
        """The grams with the "nhất" that makes no superlative masked ("thống nhất", "ít nhất 1
        lần")."""
        return Grams.of(plain_nhat(list(self.toks)))

    @property
    def free_grams(self) -> Grams:
        return Grams.of([t for i, t in enumerate(self.toks) if i not in self.found.covered])


# a body pointed at rather than named: "bên đó chủ trì mấy chỉ số" (which body, the question does
# not say; in a chat with no earlier message, nothing tells)
_THAT_BODY = U._phrases(
    "bên đó",
    "bên ấy",
    "bên kia",
    "bên đấy",
    "đơn vị đó",
    "đơn vị ấy",
    "đơn vị kia",
    "cơ quan đó",
    "cơ quan ấy",
    "cơ quan kia",
    "ngành đó",
    "ngành ấy",
    "that agency",
    "that department",
    "that body",
)  # fmt: skip  ("sở đó", "ban đó" fold as "chỉ số đó", "bản đồ")


# polite formulas with a first person that point at no one: "cho em hỏi", "tra giúp em với"
_POLITE_SELF = tuple(
    tuple(normalize(s).split())
    for s in (
        "cho em hỏi",
        "cho tôi hỏi",
        "cho mình hỏi",
        "em xin hỏi",
        "tôi xin hỏi",
        "em muốn hỏi",
        "tôi muốn hỏi",
        "mình muốn hỏi",
        "em hỏi",
        "em muốn biết",
        "tôi muốn biết",
        "mình muốn biết",
        "em cần biết",
        "tôi cần biết",
        "giúp em",
        "giúp tôi",
        "giúp mình",
        "em cảm ơn",
        "em xin cảm ơn",
        "tôi xin cảm ơn",
    )
)


def points_at_self(toks: list[str]) -> bool:
    """Whether the question (context hidden) refers to the asker ("đơn vị mình", "bên em"), not
    merely speaks in the first person ("cho em hỏi")."""
    masked = list(toks)
    for i in range(len(masked)):
        for f in _POLITE_SELF:
            if tuple(masked[i : i + len(f)]) == f:
                masked[i : i + len(f)] = ["_"] * len(f)
    return has(Grams.of(masked), SELF_WORDS)


def _back_at(toks: list[str], found: AgencyResolution, agency: Agency) -> bool:
    """Whether the question points back at the body its introduction named: a first person
    ("đơn vị mình") or that body's kind word alone ("bên em là UBND xã … xã phải làm gì")."""
    kinds = (COMMUNE_WORDS | BODY_WORDS) & set(normalize(agency.name).split())
    free = (
        t
        for i, t in enumerate(toks)
        if i not in found.covered and t != context.HIDDEN and toks[i - 1 : i] != ["chi"]
    )  # "chỉ số" is no "sở"
    return points_at_self(toks) or not kinds.isdisjoint(free)


def _unframed(grams: Grams, toks: list[str], frame: frozenset[int]) -> Grams:
    if not frame:
        return grams
    return Grams.of([context.HIDDEN if i in frame else t for i, t in enumerate(toks)])


def _described(toks: list[str]) -> frozenset[int]:
    """ "chi phí xanh chiếm bao nhiêu phần trăm — chỉ số này ai chủ trì": the words before a
    pointer to the indicator whose roles are asked describe that indicator; they ask nothing."""
    for i in range(1, len(toks) - 3):
        if toks[i : i + 2] != ["chi", "so"] or toks[i + 2] not in ("nay", "ay", "do"):
            continue
        tail = toks[i + 3 :]
        roles = has(Grams.of(tail), LEAD_WORDS | COORD_WORDS)
        # folded "đó" is "do" (by): only "chỉ số đó ai …", where "ai" follows at once
        if (roles and toks[i + 2] != "do") or tail[:1] == ["ai"]:
            return frozenset(range(i))
    return frozenset()


def _score_grams(grams: Grams, toks: list[str], frame: frozenset[int]) -> Grams:
    """The words that may ask for a score: neither a frame nor an indicator's description."""
    return _unframed(grams, toks, frame | _described(toks))


def _role(grams: Grams) -> str:
    lead, coord = has(grams, LEAD_WORDS), has(grams, COORD_WORDS)
    if lead and coord:
        return BOTH
    return LEAD if lead else COORDINATE if coord else BOTH


def self_kind_mismatch(toks: list[str], asker: Agency) -> str | None:
    """The kind of body a first-person phrase names when it is not the asker's kind, else None."""
    for i, t in enumerate(toks[:-1]):
        if toks[i + 1] in SELF_WORD or toks[i + 1 : i + 3] == ["chung", "toi"]:
            if t in COMMUNE_WORDS and asker.type != COMMUNE:
                return "commune"
            if t in BODY_WORDS and asker.type == COMMUNE:
                return "body"
    return None


def _is_score(grams: Grams, free_grams: Grams, codes: list, years: list[int]) -> bool:
    superlative = has(free_grams, U.SUPERLATIVE) and (
        has(grams, SCORE_WORDS) or has(grams, U.COMPONENT_SCOPE) or has(grams, INDICATOR_WORDS)
    )
    context = has(grams, SCORE_CONTEXT_WORDS) and (
        bool(codes) or bool(years) or has(grams, PGI_CONTEXT)
    )
    return superlative or has(grams, SCORE_WORDS) or context


def component_named(engine: Engine, toks: list[str]) -> tuple[str | None, frozenset[int]]:
    """A component index named by its name ("CSTP Giảm thiểu ô nhiễm môi trường và thiên tai",
    "chỉ số thành phần Đảm bảo tuân thủ"): its code and the positions of the name; the whole
    name, or after "thành phần" its first two words or more."""
    plan = engine.index.current_plan
    comps = engine.index.components.get(plan.id, {}) if plan is not None else {}
    for code, comp in comps.items():
        name = normalize(comp.name).split()
        for i in range(len(toks)):
            k = 0
            while k < len(name) and i + k < len(toks) and toks[i + k] == name[k]:
                k += 1
            after_cue = i >= 2 and toks[i - 2 : i] == ["thanh", "phan"]
            if k == len(name) or (after_cue and k >= 2):
                return code, frozenset(range(i, i + k))
    return None, frozenset()


def _introduced(
    reading: context.Reading, toks: list[str], found: AgencyResolution, asker: Agency | None
) -> Agency | None:
    """The asker, from its introduction when it names a body ("em ở Sở Tài chính ạ. …"); that body
    stays the one asked about only when the question names no other and points back at it."""
    found.mentions = [m for m in found.mentions if m.start not in reading.aside]
    introduced = [m for m in found.mentions if m.start in reading.context]
    if introduced and (
        len(introduced) < len(found.mentions) or not _back_at(toks, found, introduced[0].agency)
    ):
        found.mentions = [m for m in found.mentions if m.start not in reading.context]
        return introduced[0].agency
    return asker


_BARE_PERCENT = re.compile(r"(?<![\d,.%])\s*%")


def _prepared(question: str | None) -> tuple[Stated | None, str]:
    """The premise stated, and the question as the recognisers read it: a document's number as
    "kế hoạch N", a bare "%" as the words it stands for."""
    stated, question = premise.find(question or "")
    question = _DOC_NUMBER.sub(lambda m: f" kế hoạch {m.group(1)} ", question)
    # "… năm 2023 bao nhiêu %": a share asked, which folding would drop ("56%" is a figure, kept);
    # beside a role asked ("chỉ số bao nhiêu % DN bị phạt ai chủ trì") it describes the indicator
    if not has(normalize(question).split(), LEAD_WORDS | COORD_WORDS | BOTH_WORDS):
        question = _BARE_PERCENT.sub(" phần trăm", question)
    return stated, question


def _name_head(
    toks: tuple[str, ...], covered: set[int] | frozenset[int], name: tuple[str, ...]
) -> frozenset[int]:
    """ "Hiệp hội có nhiệm vụ gì" after "tôi là cán bộ Hiệp hội doanh nghiệp tỉnh": the first
    words of the asker's name (two or more, the longest found: "Bộ Chỉ huy mình"), standing alone
    (no name found there), name the asker again; their positions, or none."""
    if len(name) < 3:
        return frozenset()
    for k in range(len(name) - 1, 1, -1):
        head = name[:k]
        for i in range(len(toks) - k + 1):
            span = range(i, i + k)
            if toks[i : i + k] == head and not covered.intersection(span):
                return frozenset(span)
    # "Sở TN&MT đề nghị Ban cung cấp gì": its kind word alone, after another body named
    for i in range(1, len(toks)):
        if toks[i] == name[0] in BODY_WORDS and i not in covered and covered and min(covered) < i:
            if toks[i - 1] != "chi":  # "chỉ số" is no "sở"
                return frozenset((i,))
    return frozenset()


def _is_self(
    question: str, grams: Grams, toks: list[str], found: AgencyResolution, asker: Agency | None
) -> tuple[bool, frozenset[int]]:
    """Whether the question refers to the asker, and the positions of the words that name it
    bare: in the first person, or, after an introduction (or from a known asker), "nhiệm vụ của
    đơn vị" (the asker's own body) or the head of its name ("Hiệp hội có nhiệm vụ gì")."""
    if asker is None:
        return self_reference(question, grams), frozenset()
    head = _name_head(tuple(toks), found.covered, tuple(normalize(asker.name).split()))
    own = context.own_body(tuple(toks), found.covered)
    return self_reference(question, grams) or own or bool(head), head


def _codes(
    toks: list[str],
) -> tuple[list[tuple[str, int]], str | None, Threshold | None]:
    """The codes, the component named alone and the figure rows are compared with: "điểm trên
    4,5" holds a value, not code 4.5."""
    codes, component_code = find_codes(toks)
    limit = amounts.threshold(toks)
    if limit is not None:
        codes = [c for c in codes if not limit.span[0] <= c[1] < limit.span[1]]
    return codes, component_code, limit


def _asked_about(
    toks: list[str],
    found: AgencyResolution,
    asker: Agency | None,
    is_self: bool,
    head: frozenset[int],
) -> tuple[Agency | None, bool, str | None, frozenset[int]]:
    """(the agency asked about, whether it is the asker, a first person of another kind of body,
    the positions of a head word naming it again)."""
    mention = found.mentions[0] if found.mentions else None
    agency = mention.agency if mention else None
    mismatch, self_ref = None, False
    if agency is None and asker is not None and is_self:
        mismatch = self_kind_mismatch(toks, asker)
        if mismatch is None:
            agency, self_ref = asker, True
    if agency is not None and not head and mention is not None:
        # "Bộ Chỉ huy Quân sự tỉnh …, giao Bộ Chỉ huy mình nhiệm vụ gì": the body named, again
        head = _name_head(tuple(toks), found.covered, tuple(normalize(agency.name).split()))
    return agency, self_ref, mismatch, head


def parse(
    engine: Engine, question: str, as_agency: str | Agency | None, today: date
) -> Parsed | None:
    """The parsed question, or None when it holds no word at all."""
    stated, question = _prepared(question)
    reading = context.read(question)
    if not reading.toks:
        return None
    index, found = engine.index, resolve.find_agencies(engine.index, list(reading.toks), question)
    # greetings and introductions are read for agency names only: every other recogniser sees a
    # blank
    toks = [
        context.HIDDEN if i in reading.context and i not in found.covered else t
        for i, t in enumerate(reading.toks)
    ]
    grams = Grams.of(toks)
    codes, component_code, limit = _codes(toks)
    component_code, comp_span = (
        (component_code, frozenset()) if component_code else component_named(engine, toks)
    )
    years = names.years(toks)
    asker = _introduced(reading, toks, found, engine.asker(as_agency))
    is_self, head = _is_self(question, grams, toks, found, asker)
    mention = found.mentions[0] if found.mentions else None
    agency, self_ref, mismatch, head = _asked_about(toks, found, asker, is_self, head)
    explained = found.covered | reading.frame | comp_span | head
    kinds = COMMUNE_WORDS | BODY_WORDS if self_ref else frozenset()
    content, words = free_words(toks, explained, kinds, question)
    free_grams = Grams.of(plain_nhat([t for i, t in enumerate(toks) if i not in found.covered]))
    return Parsed(
        question=question,
        toks=tuple(toks),
        grams=grams,
        found=found,
        codes=tuple(codes),
        component_code=component_code,
        years=tuple(years),
        named_docs=tuple(names.named_documents(index, toks)),
        asker=asker,
        is_self=is_self,
        self_reference=self_ref,
        self_mismatch=mismatch,
        mention=mention,
        agency=agency,
        role=_role(grams),
        content=tuple(content),
        words=tuple(words),
        # "doanh nghiệp chấm điểm thấp": a frame of the complaint, no score asked
        is_score=_is_score(_score_grams(grams, toks, reading.frame), free_grams, codes, years)
        or (stated is not None and stated.kind in ("rank", "measure"))
        or limit is not None,
        today=today,
        premise=stated,
        threshold=limit,
        frame=reading.frame | comp_span | head,
        unnamed_body=agency is None and not found.mentions and has(grams, _THAT_BODY),
    )
