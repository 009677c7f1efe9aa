"""What kind of answer a question's verb asks for, and whether an answer is of that kind.

"… phải xong trước ngày nào" asks for a date, "… gửi những số liệu nào" for data items, "… được
bao nhiêu điểm" for a score. A fallback that answers with something else (a passage of a plan, a
fact about a document) answers another question: it is then said what was understood and what was
not (kb/ask/coverage.py's partial answer), never stated as the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.ask.answers import Answer
from kb.ask.executors.compute import asks_distance, unframed
from kb.ask.intents import DATA_WORDS, DEADLINE_WORDS, SCORE_WORDS, Grams
from kb.ask.parse import Parsed

if TYPE_CHECKING:
    from kb.ask.ports import EngineApi as Engine

# the asked-for kinds, by the cue phrases that ask for them, in order of precedence
ASKED = (("deadlines", DEADLINE_WORDS), ("data_requests", DATA_WORDS), ("scores", SCORE_WORDS))
# the answer intents that carry each asked-for kind (a data request states its deadline)
CARRIES = {
    "deadlines": frozenset({"deadlines", "data_requests"}),
    "data_requests": frozenset({"data_requests"}),
    "scores": frozenset({"scores"}),
}
# facts about the documents that are themselves dates or figures ("ban hành ngày nào", "mấy chỉ
# số")
DATED_FACTS = frozenset({"issued", "signed", "count", "current"})


def asked_for(grams: Grams) -> tuple[str, str] | None:
    """(the kind asked for, the cue phrase that asks for it), or None."""
    for kind, phrases in ASKED:
        hit = next((g for g in phrases if g in grams), None)
        if hit is not None:
            return kind, " ".join(hit)
    return None


def _uncomputed(p: Parsed, ans: Answer) -> str | None:
    """ "… còn thiếu bao nhiêu so với mục tiêu" answered with the rows, not the difference: the
    difference is not answered."""
    if ans.intent != "scores" or ans.problem_detail == "passage":
        return None
    if ans.criterion or not asks_distance(
        unframed(p), rise=False
    ):  # a criterion: a computed answer
        return None
    return "bao nhiêu"


def others_named(engine: Engine, p: Parsed, ans: Answer) -> list[str]:
    """The other bodies a question names (or points at, "bên mình với Sở X") when the answer is
    one body's indicators: "Sở Y tế và Sở Xây dựng cùng phối hợp chỉ số nào" is not answered by
    either body's list alone."""
    if ans.intent != "agency_indicators" or ans.agency is None:
        return []
    shown = engine.current(ans.agency).id
    bodies = [m.agency for m in p.found.mentions]
    if p.is_self and p.asker is not None and not p.self_reference:
        # a commune's official registered as "UBND các xã, phường" who names the commune: the
        # named body is one of the asker's group, no other body
        within = p.asker.is_group and not p.asker.catch_all
        if not (within and p.asker.id in {g.id for g in engine.index.groups_of(ans.agency)}):
            bodies.append(p.asker)
    names = {engine.current(a).id: engine.current(a).name for a in bodies}
    return [n for aid, n in names.items() if aid != shown]


def off_kind(p: Parsed, ans: Answer) -> str | None:
    """The cue phrase of the kind asked for when a documents answer is of another kind (or a
    difference asked is not computed), else None."""
    if ans.intent == "scores":
        return _uncomputed(p, ans)
    if ans.intent != "documents" or ans.problem_detail in DATED_FACTS:
        return None
    want = asked_for(p.grams)
    if want is None or ans.intent in CARRIES[want[0]]:
        return None
    return want[1]
