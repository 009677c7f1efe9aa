"""Every word accounted for: an answer to a question only partly understood says so.

After an executor has answered, each token of the question is explained by some slot — an agency
name, a code, a year, a document number, a cue word of a kind of question (kb/ask/intents.py,
kb/ask/understand.py), a filler — or by the answer itself (the words of the indicator, task, data
item or deadline it names, through the lexicon and the synonym groups). Content words left over
mean the question was understood only in part: the answer is then given as the part understood
("Tôi hiểu là bạn hỏi …", intent "clarify", problem "partial"), never as a confident answer.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from kb import codes as C
from kb.ask import intents, understand
from kb.ask.answers import Answer
from kb.ask.executors import compute
from kb.normalize import normalize
from kb.words import marks, synonyms
from kb.words.synonyms import FILLER, tag
from kb.words.textindex import SURVEY_FRAME

if TYPE_CHECKING:
    from kb.ask.parse import Parsed
    from kb.ask.ports import EngineApi as Engine
    from kb.ask.query import Query

CONFIDENT = frozenset(
    {
        "agency_indicators",
        "indicator_agencies",
        "scores",
        "deadlines",
        "tasks",
        "data_requests",
        "documents",
    }
)
# words of how codes, plans and dates are written ("chỉ số thành phần 2 mục 5", "kế hoạch số 18")
_FORM_WORDS = frozenset(
    normalize(
        "chỉ số thành phần component index item number no mục stt dòng tt thứ số kế hoạch kh plan"
        " văn bản năm year ngày tháng day month lạng sơn tỉnh province cấp tỉnh xã phường huyện"
        " ubnd"
        " commune communes ward wards district districts january february march april june"
        " july august september october november december"
        " tổ chức thực hiện tổng tổng cộng total overall"
    ).split()
)


def _cue_phrases() -> frozenset[tuple[str, ...]]:
    """Every cue phrase the recognisers know (kb/ask/intents.py, kb/ask/understand.py, the
    computations' own in kb/ask/executors/compute.py: "còn thiếu", "cái nào")."""
    out: set[tuple[str, ...]] = set()
    for module in (intents, understand, compute):
        for value in vars(module).values():
            if isinstance(value, frozenset) and value and all(isinstance(x, tuple) for x in value):
                out.update(value)
    return frozenset(out)


CUE_PHRASES = _cue_phrases()


def _cue_words() -> frozenset[str]:
    """Every word of every cue phrase."""
    return frozenset(w for phrase in CUE_PHRASES for w in phrase)


# the words that open a cue phrase: alone, such a word still says what its cue says ("xếp 60/63"
# for "xếp hạng"); an inner syllable alone does not ("lương" is not "số lượng")
CUE_HEADS = frozenset(phrase[0] for phrase in CUE_PHRASES)


# ordinary grammar words of Vietnamese and English that carry no subject: numbers, comparison and
# degree words, auxiliaries, prepositions, particles; and the words of the PGI's own context (every
# indicator is about firms: "doanh nghiệp", "DN")
_GRAMMAR = frozenset(
    normalize(
        "một hai ba bốn năm sáu bảy tám chín mười mươi trăm nghìn lần cái con những mọi mỗi từng"
        " các mãi cao thấp hơn kém nhất lớn nhỏ nhiều ít trên dưới bằng đúng sai trở lên xuống"
        " cùng chung riêng bị được bởi để mà thì là rằng nếu khi vì nên cho tới đến từ ra vào lên"
        " lại thêm nữa rồi chưa đã nhỉ nhé nha hả à ạ ơi vậy thế đó đấy này kia ấy ai gì sao đâu"
        " nào bao giờ trễ muộn chậm sớm quá hết còn vẫn cũng đều luôn thường hay hoặc hay là với"
        " và của có không nhau tốt tệ xấu cuối hoạt doanh nghiệp dn firm firms business businesses"
        " company companies giữa between lâu đợt hề"
        " enterprise enterprises have has had provide provides give gives send sends each own"
        " every any some all many much more most less least than the a an of to for in on at by"
        " with from about into over under which what who whose how when where why is are was were"
        " be been do does did can could should must will would plan plans implementation implement"
        " implementing report reports reporting submit submitted submission due date dates result"
        " results document documents list tell show me please our my their its lấy lập"
        " nobody anyone someone everyone no one them they both also formerly former previously"
        " ask asks asked"
        # a classifier noun: "các khoản chi phí"; what is coming ("sắp tới phải nộp …"); how much
        # ("giảm mạnh nhất")
        " khoản sắp mạnh sang quanh"
    ).split()
)
# subjects every indicator is about: the firms surveyed and the people around them ("người dân,
# doanh nghiệp")
CONTEXT_TAGS = frozenset({"#business"})
CUE_WORDS = _cue_words() | _FORM_WORDS | _GRAMMAR | intents.STOP | FILLER
# words that explain themselves wherever they stand; a cue phrase's words explain only where the
# phrase stands ("công bố" asks who publishes; "bản đồ" holds "bản" and "đồ" but asks nothing the
# cues know)
PLAIN_WORDS = _FORM_WORDS | _GRAMMAR | intents.STOP | FILLER | SURVEY_FRAME
_CUE_MAX = max(len(c) for c in CUE_PHRASES)


def subject(p: Parsed, ignore: frozenset[tuple[str, ...]] = frozenset()) -> list[str]:
    """The question's words that can name a subject: no agency, cue, grammar word, number or code
    (nor the words of the ``ignore`` phrases: "hướng dẫn sử dụng" asks for help, not for guidance).
    """
    words = list(p.words)
    drop: set[int] = set()
    for i in range(len(words)):
        for k in range(1, 7):
            phrase = tuple(words[i : i + k])
            if phrase in ignore or (phrase in CUE_PHRASES and not synonyms.TABLE.get(phrase)):
                drop.update(range(i, i + k))
    words = [w for i, w in enumerate(words) if i not in drop]
    plain = _FORM_WORDS | _GRAMMAR | intents.STOP | FILLER
    return [
        t
        for t in tag(words)
        if t.startswith("#") or (t not in plain and not t[0].isdigit() and len(t) >= 2)
    ]


def _tag_spans(toks: list[str]) -> list[tuple[str, int, int]]:
    """(tag, start, end) of every synonym phrase in the tokens, longest first
    (kb/words/synonyms.py)."""
    out = []
    i = 0
    while i < len(toks):
        for width in range(min(synonyms.MAXLEN, len(toks) - i), 0, -1):
            hit = synonyms.TABLE.get(tuple(toks[i : i + width]))
            if hit:
                out.append((hit, i, i + width))
                i += width
                break
        else:
            i += 1
    return out


def _answer_texts(engine: Engine, ans: Answer) -> list[str]:
    """The texts of what the answer is about: its indicator, rows, tasks, items, passages."""
    texts: list[str] = []
    if ans.indicator is not None:
        texts.append(ans.indicator.name)
        ti = engine.topics(ans.indicator.plan_id)
        texts.extend(ti.weights.get(ans.indicator.code, {}))
        texts.extend(engine.lexicon_for(ans.indicator.plan_id).get(ans.indicator.code, ()))
        texts.extend(_other_wording(engine, ans.indicator))
    if ans.component is not None:
        texts.append(ans.component.name)
    texts.extend(v.name for v in ans.scores if v.label != "total" or len(ans.scores) == 1)
    if ans.plan is not None and len(ans.scores) <= 2:  # a component's everyday words: "compliance"
        lexicon = engine.lexicon_for(ans.plan.id)
        texts.extend(x for v in ans.scores if "." not in v.label for x in lexicon.get(v.label, ()))
    texts.extend(v.deadline.title for v in ans.deadlines if ans.deadlines_filtered)
    texts.extend(x for match in ans.matches for x in match)  # who does it, and what
    texts.extend(v for k, v in ans.facts if k in ("passage", "short", "stands_for"))
    texts.extend(ans.focus_words)
    texts.extend(t.component.name for t in ans.tasks if t.component is not None)
    texts.extend(x for t in ans.tasks for x in t.tasks)  # the tasks listed, in their own words
    return texts


def _other_wording(engine: Engine, indicator) -> list[str]:
    """The score plan's name of a current-plan indicator: the same survey item, worded otherwise
    ("Chính quyền có giải pháp hiệu quả để phòng ngừa ô nhiễm")."""
    sp = engine.score_plan()
    code = engine.equivalents().get(indicator.code)
    if sp is None or code is None or indicator.plan_id == sp.id:
        return []
    return [i.name for i in engine.index.plan_indicators(sp.id) if i.code == code]


def answer_words(engine: Engine, ans: Answer) -> frozenset[str]:
    """The words (and synonym tags) of what the answer is about: its indicator, rows, tasks,
    items."""
    return _words_of(_answer_texts(engine, ans))


def _words_of(texts: list[str]) -> frozenset[str]:
    words: set[str] = set()
    for text in texts:
        words.update(_text_words(text))
    return frozenset(words)


@lru_cache(maxsize=8192)
def _text_words(text: str) -> frozenset[str]:
    """The words and synonym tags of one of the KB's texts (its names, lexicon phrases, tasks):
    the same for every question, so kept."""
    toks = normalize(text).split() if not text.startswith("#") else [text]
    return frozenset(tag(toks, keep_words=True))


def leftover(engine: Engine, query: Query, ans: Answer) -> list[str]:
    """The question's content words that neither a slot nor the answer explains."""
    p = query.parsed
    toks = list(p.toks)
    explained = set(p.found.covered) | p.frame
    texts = _answer_texts(engine, ans)
    known = _words_of(texts) - marks.misread(p.question, texts)
    for t, start, end in _tag_spans(toks):
        if t in known or t in CONTEXT_TAGS:
            explained.update(range(start, end))
    for i in range(len(toks)):
        for k in range(min(_CUE_MAX, len(toks) - i), 0, -1):
            if tuple(toks[i : i + k]) in CUE_PHRASES:
                explained.update(range(i, i + k))
                break
    weak: set[int] = set()  # words of some cue phrase, standing outside it
    for i, t in enumerate(toks):
        if t.endswith("s") and t[:-1] in PLAIN_WORDS | CUE_WORDS | known:  # English plurals
            explained.add(i)
        if t in PLAIN_WORDS or t in known or t[0].isdigit() or len(t) < 2 or C.CODE.match(t):
            explained.add(i)
        elif t in CUE_WORDS and i not in explained:
            weak.add(i)
    # one such word alone is taken as its cue ("xếp 60/63"); two in a row are a word the cues do
    # not know ("công bố bản đồ": each syllable is some cue's, the compound is none)
    run = {i for i in weak if i - 1 in weak or i + 1 in weak}
    explained |= {i for i in weak - run if toks[i] in CUE_HEADS}
    return [t for i, t in enumerate(toks) if i not in explained]


def partial(ans: Answer, rest: list[str]) -> Answer:
    """A clarification that carries the answer to the part understood and the words not
    understood."""
    out = Answer(intent="clarify", question=ans.question, today=ans.today, problem="partial")
    out.understood = ans
    out.leftover = list(dict.fromkeys(rest))
    out.sources = ans.sources
    return out


def review(engine: Engine, query: Query, ans: Answer) -> Answer:
    """The answer, or — when words are left unexplained — the part understood, labelled as such."""
    if ans.intent not in CONFIDENT:
        return ans
    rest = leftover(engine, query, ans)
    if rest:
        return partial(ans, rest)
    return ans


def unanswered(ans: Answer) -> tuple[str, str] | None:
    """("declined" | "clarified" | "partial", what was understood) for an answer the loop
    records, or None."""
    if ans.intent == "clarify" and ans.problem == "partial" and ans.understood is not None:
        inner = ans.understood
        parts = [
            inner.intent,
            inner.agency.name if inner.agency else "",
            inner.indicator.code if inner.indicator else "",
        ]
        return "partial", "; ".join(x for x in parts if x) + " — not: " + ", ".join(ans.leftover)
    if ans.intent == "clarify":
        return "clarified", ans.problem or "; ".join(c.label for c in ans.choices[:4])
    if ans.intent == "unknown":
        return "declined", ":".join(x for x in (ans.problem, ans.problem_detail) if x)
    return None
