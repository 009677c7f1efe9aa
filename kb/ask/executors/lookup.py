"""Reverse look-ups over the texts themselves: who does a task of the 2024 plan, who supplies a
data item of the 2022 request (with its form, unit and note), and the passage of a document
(background, footnote, purpose) that answers a question of fact.

Used when the structured reading of a question finds nothing, or understands only part of it: the
ranked text index (kb/words/textindex.py) finds the one text that explains the question's words
best; a clear winner is answered and quoted with its source, close or weak ones are not.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kb.ask import understand as U
from kb.ask.answers import Answer
from kb.ask.coverage import subject
from kb.ask.intents import DATA_WORDS, INDICATOR_WORDS, TASK_WORDS, has
from kb.ask.parse import Parsed
from kb.model import Agency, Document
from kb.words.textindex import Hit, task_key

if TYPE_CHECKING:
    from kb.ask.ports import EngineApi as Engine

KINDS = ("task", "data_item", "footnote", "purpose", "passage")
PASSAGES = ("footnote", "purpose", "passage")
UNIT_WORDS = U._phrases(
    "đơn vị gì", "đơn vị tính", "tính bằng", "tính theo", "unit", "units", "measured in"
)
# a legal instrument asked for ("thông tư liên tịch nào hướng dẫn …", "theo nghị định nào"): only
# a text that cites one by its number answers
LAW_ASKED = U._phrases(
    "thông tư nào",
    "thông tư liên tịch nào",
    "nghị định nào",
    "quyết định nào",
    "luật nào",
    "văn bản nào",
    "văn bản pháp luật nào",
    "quy định nào",
    "theo quy định nào",
    "căn cứ nào",
    "which circular",
    "which decree",
    "which law",
    "which regulation",
)
_CITES = re.compile(r"\d+/\d{4}/[A-ZĐ]")
# "chỉ số 24", "biểu mẫu 07": a numbered item of the 2022 request (the plans' codes are dotted)
_NUMBERED = re.compile(r"\b(?:chi so|bieu mau|bieu|mau|form)(?: so)? \d{1,2}(?![.\d])")
CLEAR, LEAD = (
    0.6,
    1.2,
)  # a winner explains this share of the question and outranks the next one this much


def _winner(hits: list[Hit]) -> Hit | None:
    if not hits or hits[0].cover < CLEAR:
        return None
    top = hits[0]
    rest = [h for h in hits[1:] if h.score * LEAD > top.score and h.cover >= top.cover - 0.1]
    return None if rest else top


def current_names(engine: Engine, assignments) -> str:
    """Current names, with the document's wording where it was an old name."""
    out = []
    for a in assignments:
        agency = engine.index.agencies.get(a.agency_id)
        cur = engine.current(agency) if agency is not None else None
        if cur is not None and cur.name != a.written:
            out.append(f"{cur.name} ({a.written})")
        else:
            out.append(a.written)
    return ", ".join(dict.fromkeys(out))


def sole_holder(engine: Engine, assignments) -> Agency | None:
    """The one current agency (no group) the assignments name, else None."""
    found = {
        cur.id: cur
        for a in assignments
        if (agency := engine.index.agencies.get(a.agency_id)) is not None
        and (cur := engine.current(agency)) is not None
    }
    if len(found) != 1 or len(found) != len(assignments):
        return None
    (one,) = found.values()
    return None if one.is_group else one


def _task(engine: Engine, ans: Answer, hit: Hit) -> Answer | None:
    for t in engine.index.kb.tasks:
        if t.doc_id != hit.plan_id:
            continue
        for n, task in enumerate(t.tasks):
            if task_key(t, n) == hit.key:
                ans.intent = "tasks"
                ans.matches = [(current_names(engine, t.agencies), task)]
                ans.holder = sole_holder(engine, t.agencies)
                return _sourced(engine, ans, hit.plan_id)
    return None


def _item(engine: Engine, ans: Answer, hit: Hit) -> Answer | None:
    for r in engine.index.kb.data_requests:
        for n, item in enumerate(r.items):
            if r.doc_id == hit.plan_id and f"{r.ref}.{n}" == hit.key:
                engine.data_requests_of(None, ans=ans)
                ans.problem = None
                form = ", ".join(x for x in (item.form, item.index) if x)
                text = (
                    item.text
                    + (f" — {form}" if form else "")
                    + (f" {item.note}" if item.note else "")
                )
                ans.matches = [(current_names(engine, r.agencies), text)]
                ans.holder = sole_holder(engine, r.agencies)
                return ans
    return None


def _passage(engine: Engine, ans: Answer, hit: Hit) -> Answer:
    ans.intent = "documents"
    ans.problem_detail = "passage"
    ans.facts = [("passage", engine.texts.text_of(hit, "text"))]
    return _sourced(engine, ans, hit.plan_id)


def _sourced(engine: Engine, ans: Answer, doc_id: str) -> Answer:
    doc: Document | None = engine.index.documents.get(doc_id)
    ans.sources = [doc] if doc is not None else []
    ans.plan = doc
    return ans


ONE_INDICATOR = INDICATOR_WORDS - {("pgi",)}
# who is asked for ("ai", "sở nào", "giao cho", "việc của"): a task or a data item; else a passage
WHO_CUE = U.WHO | U._phrases(
    "do ai",
    "giao cho",
    "việc của",
    "là việc của",
    "đơn vị nào",
    "bên nào",
    "ai phải",
    "who",
    "which agency",
    "which department",
    "whose",
)


# a unit in brackets: "(xe/10.000 người)", "(%)", "(ha)"; not a note ("(Lưu ý …)", "(photo …)")
_UNIT = re.compile(r"\((?![Ll]ưu ý|photo|số liệu)[^()]{1,25}\)")


def _text(engine: Engine, hit: Hit) -> str:
    return engine.texts.text_of(hit, "text")


def _of_years(engine: Engine, p: Parsed, hit: Hit) -> bool:
    """Whether the text's document covers a year the question names, or the text names it
    ("kết quả PGI năm 2023", "Thông tư … 05/2016"), or the question names none."""
    doc = engine.index.documents.get(hit.plan_id)
    if not p.years or doc is None or not doc.years or set(p.years) & set(doc.years):
        return True
    text = engine.texts.text_of(hit, "text")
    return any(str(y) in text for y in p.years)


def _hits(engine: Engine, p: Parsed, about_indicator: bool, unit: bool) -> list[Hit]:
    """The ranked texts that may answer: only a data item written with its unit when a unit is
    asked ("… (người/triệu dân)"), only a text citing a legal instrument when one is asked."""
    hits = engine.texts.search(
        list(p.words), kinds=KINDS if not about_indicator else PASSAGES, limit=5
    )
    if unit:
        hits = [h for h in hits if h.kind == "data_item" and _UNIT.search(_text(engine, h))]
    if has(p.grams, LAW_ASKED):
        hits = [h for h in hits if _CITES.search(_text(engine, h))]
    return hits


def lookup(engine: Engine, p: Parsed, ans: Answer) -> Answer | None:
    """The answer from the one text that best explains the question, or None."""
    if not subject(p):
        return None
    g = p.grams
    # "chỉ số … ai chủ trì": no task; "tuyên truyền kết quả PGI": the index itself, no indicator
    # "… tính đơn vị gì": a data item's unit (the plans' indicators are shares, in %)
    # "chỉ số 24 … có lưu ý gì": an item of the 2022 request, numbered, no indicator of a plan
    numbered = bool(_NUMBERED.search(" ".join(p.toks)))
    about_indicator = (
        has(g, ONE_INDICATOR)
        and not has(g, DATA_WORDS)
        and not has(g, UNIT_WORDS)
        and not numbered
    )
    who = (has(g, WHO_CUE) or has(g, DATA_WORDS) or has(g, TASK_WORDS)) and not about_indicator
    unit = has(g, UNIT_WORDS)
    hits = _hits(engine, p, about_indicator, unit)
    hit = _winner(hits)
    shared = len([c for c in subject(p) if c in hit.matched]) if hit is not None else 0
    unit = unit and hit is not None and hit.kind == "data_item"
    if hit is None or shared < (1 if unit else 2):
        return None  # one shared concept ("thời tiết") is no question about that text
    if not _of_years(engine, p, hit):
        return None  # "… kế hoạch năm 2026": no text of the 2022 request answers it
    fresh = Answer(intent="unknown", question=ans.question, today=ans.today)
    if hit.kind == "task" and who:
        return _task(engine, fresh, hit)
    if hit.kind == "data_item" and (who or has(g, UNIT_WORDS) or has(g, U.NOTE_WORDS)):
        return _item(engine, fresh, hit)
    return _passage(engine, fresh, hit)
