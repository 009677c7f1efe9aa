"""The question engine: parse → typed query → execute → (the bot's renderer).

Text in, a structured :class:`Answer` out. kb/ask/parse.py finds every slot (agencies, codes,
years, documents, the asker, the role), kb/ask/query.py turns the slots into one frozen
:class:`Query` (what is asked, the filters, the operation) and says which words it did not explain,
the executors (kb/ask/executors/) answer it from the knowledge base's tables, and
kb/ask/coverage.py makes sure that a question only partly understood is answered as such ("Tôi hiểu
là bạn hỏi …"), never confidently. No Telegram, no SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from kb.ask import premise, resolve
from kb.ask import understand as U
from kb.ask.answers import Answer
from kb.ask.asked import off_kind, others_named
from kb.ask.coverage import partial, review
from kb.ask.executors.counts import role_counts
from kb.ask.executors.deadlines import data, deadlines
from kb.ask.executors.docs import (
    clarify_agencies,
    clarify_place,
    clarify_self,
    documents,
    run_not_held,
)
from kb.ask.executors.lookup import lookup
from kb.ask.executors.roles import indicators, role_cue, tasks
from kb.ask.executors.scores import scores
from kb.ask.intents import INDICATOR_WORDS, STOP, has
from kb.ask.parse import Parsed, parse
from kb.ask.query import build_query
from kb.index import KbIndex
from kb.model import Agency, Deadline, Document
from kb.normalize import normalize
from kb.queries import Queries
from kb.queries.deadlines import ExtraDeadline
from kb.words import abbreviations
from kb.words.phrases import PhraseHit
from kb.words.synonyms import tag
from kb.words.textindex import TextIndex
from kb.words.textindex import decide as decide_text
from kb.words.topics import DECIDE_TOP, TopicIndex, decide
from kb.words.unlisted import no_such_department

Executor = Callable[["Engine", Parsed, Answer, Iterable], Answer]

# declines and clarifications a text look-up may replace: nothing found, a partial reading, a guess
OPEN_PROBLEMS = frozenset(
    {None, "partial", "need_agency", "need_agency_for_tasks", "need_agency_for_data"}
)

EXECUTORS: dict[str, Executor] = {
    "clarify_place": clarify_place,
    "clarify_agencies": clarify_agencies,
    "clarify_self": clarify_self,
    "not_held": run_not_held,
    "documents": documents,
    "deadlines": deadlines,
    "data": data,
    "role_counts": role_counts,
    "scores": scores,
    "tasks": tasks,
    "indicators": indicators,
}


def _figure_asked(p: Parsed) -> str:
    """Which figure of a score row a premise is about: the target, the national median or the
    score."""
    if has(p.grams, U.TARGET_WORDS):
        return "target"
    return "median" if has(p.grams, U._phrases("trung vị", "median")) else "score"


AGREE_MIN = 0.35  # the topic index's share of the question a phrase's agreement still needs

SAME_NAME, NEAR_NAME = (
    90,
    80,
)  # token-set similarity of two names: the same row; the same row if mutually best


def _equivalent_rows(current: list, scored: list) -> dict[str, str]:
    """Current-plan code → score-plan code of the same survey item (same component, near-identical
    name, or the mutually closest names: "Hưởng lợi từ dịch vụ đào tạo …" / "Tỷ lệ DN … hưởng lợi
    từ dịch vụ đào tạo").
    """
    from rapidfuzz import fuzz

    def sim(a, b) -> float:
        return (
            fuzz.token_set_ratio(normalize(a.name), normalize(b.name))
            if a.component == b.component
            else 0.0
        )

    out: dict[str, str] = {}
    for ind in current:
        best = max(scored, key=lambda o: sim(ind, o), default=None)
        if best is None:
            continue
        score = sim(ind, best)
        mutual = max(current, key=lambda c: sim(c, best)) is ind
        if score >= SAME_NAME or (score >= NEAR_NAME and mutual):
            out[ind.code] = best.code
    return out


def _of_kind(engine: Engine, p: Parsed, ans: Answer) -> Answer:
    """The answer, or — when it is of another kind than the question asks for (a passage for a
    deadline, a score or data) — the part understood, with the asked-for cue not answered."""
    cue = off_kind(p, ans)
    if cue is not None:
        return partial(ans, [cue])
    others = others_named(engine, p, ans)
    return partial(ans, others) if others else ans


def _run_decides(run: PhraseHit, verdict: str, keys: list[str]) -> bool:
    """Whether a distinctive phrase of one indicator (kb/words/phrases.py) outweighs the topic
    index: only a run holding grammar words the topic index cannot see counts; a long one
    overrides even its clear winner, a shorter one picks among the topic index's candidates or
    stands where it found none."""
    if not run.grammar:  # content words alone: the topic index has weighed them already
        return False
    if verdict == "one":
        return run.length >= 5
    return verdict == "none" or run.code in keys


def _run_agrees(run: PhraseHit, ranked: list) -> bool:
    """Whether a long distinctive phrase names the topic index's first candidate, which leads the
    second at least twofold though the story around it kept it below a clear win ("rác … cả tuần
    mới có xe đến gom một lần — chỉ số thu gom rác hằng ngày"): two kinds of evidence agree."""
    if run.length < 5 or not ranked or ranked[0].key != run.code or ranked[0].score < AGREE_MIN:
        return False
    return len(ranked) == 1 or ranked[0].score >= 2 * ranked[1].score


def _indexes_agree(ranked: list, text_hits: list) -> bool:
    """Whether the topic index and the ranked text index, two kinds of evidence, put the same
    indicator first, each far ahead of its second (twofold and by half again), though the story
    around it kept the topic index below a clear win ("nước máy chỗ xưởng lúc có lúc không, có hôm
    còn đục ngầu")."""
    if not ranked or not text_hits or ranked[0].score < AGREE_MIN:
        return False
    if text_hits[0].key != ranked[0].key:
        return False
    topic_ahead = len(ranked) == 1 or ranked[0].score >= 2 * ranked[1].score
    text_ahead = len(text_hits) == 1 or text_hits[0].score >= 1.5 * text_hits[1].score
    return topic_ahead and text_ahead


def _indicator_guesses(engine: Engine, p: Parsed, out: Answer) -> bool:
    """Whether the answer only offers indicators to choose from for a question that names none
    ("ai phải công bố bản đồ cảnh báo sạt lở": a task of the plan, not the indicator of
    warnings)."""
    return (
        out.intent == "clarify"
        and out.problem is None
        and bool(out.choices)
        and out.plan is not None
        and all(
            c.label.split()[0] in engine.index.indicators.get(out.plan.id, {}) for c in out.choices
        )
        and not has(p.grams, INDICATOR_WORDS)
    )


class Engine(Queries):
    def __init__(self, index: KbIndex):
        super().__init__(index)
        self._topics: dict[str, TopicIndex] = {}
        self._equivalents: dict[str, str] | None = None
        self._bags: dict[str, frozenset[str]] = {}
        # everything derived from the texts is per knowledge-base version: built here, with the
        # index (aside, before the swap), not by the first question that needs it
        self.equivalents()
        for doc in index.documents.values():
            if doc.kind in ("assignment_plan", "score_plan"):
                self.topics(doc.id)
        plans = [
            d.id for d in index.documents.values() if d.kind in ("assignment_plan", "score_plan")
        ]
        self.texts = TextIndex(index.kb, STOP, {plan: self.lexicon_for(plan) for plan in plans})
        self.abbreviations = abbreviations.of_kb(index.kb)

    def bag(self, text: str) -> frozenset[str]:
        """The words and subject tags of a knowledge-base text (a task, a data item), computed
        once."""
        got = self._bags.get(text)
        if got is None:
            got = self._bags[text] = frozenset(tag(normalize(text).split(), keep_words=True))
        return got

    def topics(self, plan_id: str) -> TopicIndex:
        ti = self._topics.get(plan_id)
        if ti is None:
            ti = self._topics[plan_id] = TopicIndex(
                self.index.plan_indicators(plan_id),
                list(self.index.components.get(plan_id, {}).values()),
                STOP,
                lexicon=self.lexicon_for(plan_id),
            )
        return ti

    def lexicon_for(self, plan_id: str) -> dict[str, tuple[str, ...]]:
        """The lexicon's phrases by code of ``plan_id``; the score plan's through equivalent
        indicators."""
        out: dict[str, tuple[str, ...]] = {}
        to_86 = self.equivalents() if plan_id == getattr(self.score_plan(), "id", None) else {}
        for e in self.index.kb.lexicon:
            code = (
                e.code if e.plan_id == plan_id else to_86.get(e.code) if "." in e.code else e.code
            )
            if code is not None and (e.plan_id == plan_id or to_86):
                out[code] = out.get(code, ()) + e.phrases
        return out

    # --- entry point ---------------------------------------------------------------------------
    def answer(
        self,
        question: str,
        as_agency: str | Agency | None = None,
        today: date | None = None,
        extra_deadlines: Iterable[ExtraDeadline | tuple[Deadline, Document]] = (),
    ) -> Answer:
        """``as_agency``: the asker's agency as an id (preferred), an :class:`Agency`, or a
        registered name."""
        today = today or date.today()
        p = parse(self, question, as_agency, today)
        ans = Answer(intent="unknown", question=p.question if p else (question or ""), today=today)
        if p is None:
            ans.intent = "help"
            return ans
        ans.self_reference = p.self_reference
        ans.role = p.role
        if p.unnamed_body and not (p.codes or p.is_score or p.named_docs) and role_cue(p):
            ans.problem = "need_agency"  # "bên đó chủ trì mấy chỉ số": which body is not said
            return ans
        if p.mention is not None and no_such_department(p.mention.agency):
            ans.problem, ans.problem_detail = "no_such_body", p.mention.agency.name
            return ans  # "Sở Biển và Hải đảo": no department a province has
        query = build_query(self, p)
        out = EXECUTORS[query.asked](self, p, ans, extra_deadlines)
        out = review(self, query, premise.check(p.premise, out, _figure_asked(p)))
        guesses = _indicator_guesses(self, p, out)
        if (
            out.intent in ("unknown", "clarify")
            and out.problem in OPEN_PROBLEMS
            and (not out.choices or guesses)
        ):
            # the structured reading found nothing, or only part, or only guessed at indicators
            # the question does not ask for: the one text that explains the question
            alt = lookup(self, p, ans)
            if alt is not None:
                better = review(self, query, alt)
                if off_kind(p, better) is None and (
                    better.intent not in ("unknown", "clarify")
                    or (len(better.leftover) < len(out.leftover) and not guesses)
                ):
                    return self._current_codes(_of_kind(self, p, better))
        return self._current_codes(_of_kind(self, p, out))

    def _current_codes(self, ans: Answer) -> Answer:
        """Plan 86's rows named with the current plan's code of the same indicator."""
        for a in (ans, ans.understood):
            if a is not None and (a.scores or a.best):
                rows = {v.label for v in (*a.scores, *a.best) if "." in v.label}
                a.current_codes = {
                    row: code for code, row in self.equivalents().items() if row in rows
                }
        return ans

    # --- helpers the executors share -------------------------------------------------------------
    def find(
        self, plan_id: str, words: list[str], components: bool = False
    ) -> tuple[str, list[str]]:
        """The indicators (and components) a question's words describe: ("one" | "choose" | "none",
        codes).

        The plan's topic index decides first; when it finds no clear winner, the ranked text index
        (names, everyday words of the lexicon, scope notes) may find one, if it is among the topic
        index's candidates or the topic index found none.
        """
        ti = self.topics(plan_id)
        ranked = ti.search(words, components=components, limit=DECIDE_TOP)
        verdict, hits = decide(ranked)
        keys = [h.key for h in hits]
        run = ti.phrases.best(words)
        if run is not None and (_run_decides(run, verdict, keys) or _run_agrees(run, ranked)):
            return "one", [run.code]
        if verdict == "one":
            return verdict, keys
        kinds = ("indicator", "component") if components else ("indicator",)
        text_hits = self.texts.search(words, kinds, plan_id)
        if _indexes_agree(ranked, text_hits):
            return "one", [ranked[0].key]
        v2, h2 = decide_text(text_hits)
        if v2 == "one" and (verdict == "none" or h2[0].key in keys):
            return "one", [h2[0].key]
        if verdict == "choose" and len(keys) == 1 and v2 == "choose" and h2[0].key == keys[0]:
            # nearly clear to the topic index, with no rival, and first in the text index too:
            # two rankings of different evidence agree
            return "one", keys
        return verdict, keys

    def asker(self, who: str | Agency | None) -> Agency | None:
        if who is None or who == "":
            return None
        if isinstance(who, Agency):
            return who
        if who in self.index.agencies:
            return self.index.agencies[who]
        ids = self.index.alias_ids.get(normalize(who))
        if ids:
            return self.index.agencies[sorted(ids)[0]]
        found = resolve.find_agencies(self.index, normalize(who).split(), who)
        exact = [m for m in found.mentions if m.exact]
        return exact[0].agency if exact else None

    def plan_for(self, years: list[int], named_docs: list[Document]) -> Document:
        """The plan a question is about: one it names, else one of the years it names, else the
        current one."""
        docs = [d for d in named_docs if d.kind in ("assignment_plan", "score_plan")]
        if docs:
            return docs[0]
        candidates = [
            d for d in self.index.documents.values() if d.kind in ("assignment_plan", "score_plan")
        ]
        for y in years:
            for d in candidates:
                if y in d.years and not d.current:
                    return d
        assert self.index.current_plan is not None
        return self.index.current_plan

    def equivalents(self) -> dict[str, str]:
        """Plan 18 code → plan 86 code of the same indicator (same name once normalised), built
        once."""
        if self._equivalents is None:
            sp = self.score_plan()
            cur = self.index.current_plan
            self._equivalents = (
                {}
                if sp is None or cur is None
                else _equivalent_rows(
                    self.index.plan_indicators(cur.id), self.index.plan_indicators(sp.id)
                )
            )
        return self._equivalents
