"""Executors over the assignment tables: who leads or coordinates what, and the task plan's
tasks."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from kb.ask import understand as U
from kb.ask.answers import BOTH, COORDINATE, LEAD, Answer, Choice
from kb.ask.coverage import subject
from kb.ask.intents import BOTH_WORDS, HELP_WORDS, INDICATOR_WORDS, has
from kb.ask.parse import Parsed
from kb.model import Agency, Document
from kb.normalize import fold
from kb.words import marks
from kb.words.unlisted import is_unlisted

if TYPE_CHECKING:
    from kb.ask.ports import EngineApi as Engine

LIST_CUE, WHO = U.LIST_CUE, U.WHO
# who else is asked about ("cơ quan nào phối hợp", "ai chủ trì"): not "sở nào", which "chỉ số nào"
# holds
WHO_ELSE = U._phrases(
    "ai", "cơ quan nào", "đơn vị nào", "bên nào", "who", "which agency", "which agencies"
)


def asks_body(p: Parsed) -> bool:
    """Whether the question asks which body ("ai", "cơ quan nào", "do Sở nào chủ trì"), the "số
    nào" of "chỉ số nào" aside."""
    if has(p.grams, WHO_ELSE):
        return True
    toks, written = p.toks, marks.aligned(p.question, list(p.toks))
    for i in range(len(toks) - 1):
        if toks[i : i + 2] != ("so", "nao"):
            continue
        word = written[i]
        if word is not None and fold(word) != word.lower():
            if marks.canonical(word) == marks.canonical("sở"):
                return True  # written "Sở nào", not "số nào"
        elif i == 0 or toks[i - 1] not in _NUMBERED:
            return True
    return False


# what "số nào" asks the number of, typed without marks: "chỉ số nào", "biểu số nào", "mục số nào"
_NUMBERED = frozenset("chi bieu muc mau hoach ban van phu luc dong".split())


def topic_indicator(engine: Engine, p: Parsed) -> str | None:
    """The current plan's indicator the question names by code or clearly by subject, or None."""
    plan = engine.index.current_plan
    assert plan is not None
    if p.codes:
        code = p.codes[0][0]
        return code if code in engine.index.indicators.get(plan.id, {}) else None
    verdict, keys = engine.find(plan.id, list(p.words))
    return keys[0] if verdict == "one" else None


def task_topic(engine: Engine, ans: Answer, code: str) -> Answer:
    """ "Giải pháp cho chỉ số nước sạch": the indicator's agencies, then the plan's tasks on its
    subject."""
    plan = engine.index.current_plan
    assert plan is not None
    engine.roles_on(code, plan.id, ans=ans)
    if ans.indicator is None:
        return ans
    ti = engine.topics(plan.id)
    words = {
        t
        for t, w in ti.weights[code].items()
        if w >= 0.7 and (t.startswith("#") or ti.idf.get(t, 0) > 1.2)
    }
    found = []
    for t in engine.index.kb.tasks:
        for task in t.tasks:
            if len(words & engine.bag(task)) >= 2:
                found.append((", ".join(a.written for a in t.agencies), task))
    ans.matches = found[:6]
    task_doc = next((d for d in engine.index.documents.values() if d.kind == "task_plan"), None)
    if found and task_doc is not None:
        ans.sources = [plan, task_doc]
    return ans


def _assignment_asked(engine: Engine, p: Parsed) -> bool:
    """ "trách nhiệm gì trong bảng phân công PGI 2026": the assignment table is named, as such,
    by its number, or by a year only an assignment plan holds."""
    if has(p.grams, U.ASSIGNMENT_TABLE) or any(d.kind == "assignment_plan" for d in p.named_docs):
        return True
    docs = engine.index.documents.values()
    held = {y for d in docs if d.kind == "assignment_plan" for y in d.years}
    tasked = {y for d in docs if d.kind == "task_plan" for y in d.years}
    return bool(p.years) and all(y in held and y not in tasked for y in p.years)


def tasks(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    target = p.agency if p.agency is not None else (p.asker if p.is_self else None)
    if target is not None and _assignment_asked(engine, p):
        return indicators(engine, p, ans, extra)  # its part there: its indicators and roles
    if target is None and (p.codes or p.content):
        hit = topic_indicator(engine, p)
        if hit:
            return task_topic(engine, ans, hit)
    comp = p.component_code or (p.codes[0][0].split(".")[0] if p.codes else None)
    engine.tasks_of(target, comp, ans=ans)
    return filter_tasks(engine, p, ans)


TASK_SHARE = (
    0.6  # "Sở X phải làm gì về rà soát công nghệ": the tasks holding this share of the subject
)


def filter_tasks(engine: Engine, p: Parsed, ans: Answer) -> Answer:
    """Only the agency's tasks on the question's subject, when some hold most of its words (two
    at least)."""
    words = set(subject(p))
    if not ans.tasks or len(words) < 2:
        return ans
    share = {t: len(words & engine.bag(t)) for v in ans.tasks for t in v.tasks}
    best = max(share.values())
    if best < 2 or best < TASK_SHARE * len(words):
        return ans
    kept = [replace(v, tasks=tuple(t for t in v.tasks if share[t] == best)) for v in ans.tasks]
    ans.tasks = [v for v in kept if v.tasks]
    ans.focus_words = [t for v in ans.tasks for t in v.tasks]
    return ans


def clarify_indicators(engine: Engine, ans: Answer, plan: Document, codes: list[str]) -> Answer:
    ans.intent = "clarify"
    ans.plan = plan
    for code in codes:
        ind = engine.index.indicators[plan.id][code]
        ans.choices.append(
            Choice(label=f"{code} {ind.name}", query=f"{ans.question} (chỉ số {code})")
        )
    return ans


TOPIC_MIN, TOPIC_SHARE = (
    0.35,
    0.8,
)  # an agency's indicators on a subject: how well, how close to the best


def _of_named(engine: Engine, p: Parsed, ans: Answer, plan: Document, named: Agency) -> Answer:
    """An agency named: its role on the indicator the question names by subject, else its
    indicators (those of the component, or on the subject, the question names)."""
    # "chỉ số X do A chủ trì, vậy cơ quan nào phối hợp": other agencies on the indicator the words
    # name
    # the asker's own body named, "do Sở nào chủ trì" asks about another body
    other = has(p.grams, WHO_ELSE) or (named == p.asker and asks_body(p))
    if p.content and (not has(p.grams, LIST_CUE) or other):
        verdict, keys = engine.find(plan.id, list(p.words))
        if verdict == "one":
            return engine.roles_on(keys[0], plan.id, focus=named, ans=ans)
        if verdict == "choose" and other:
            # "em ở xã …, chỉ số về khôi phục giao thông do Sở nào chủ trì": which body leads
            # the indicator is asked, not the named body's list
            return clarify_indicators(engine, ans, plan, keys)
    if p.component_code:
        # "X phối hợp chỉ số nào ở CSTP 3": within one component the agency's whole part there, the
        # role asked about first (a lead question stays a lead list)
        engine.indicators_of(named, plan.id, BOTH if p.role == COORDINATE else p.role, ans=ans)
        ans.role = p.role
        return filter_component(engine, ans, plan, p.component_code)
    engine.indicators_of(named, plan.id, p.role, ans=ans)
    out = filter_topic(engine, p, ans, plan)
    if has(p.grams, _SCOPE) and len({r.indicator.code for r in out.roles}) == 1:
        # "chỉ số về xử lý chất thải … thì đơn vị mình chủ trì phạm vi nào": the body's part on
        # that one indicator, beside its other agencies
        return engine.roles_on(
            out.roles[0].indicator.code,
            plan.id,
            focus=named,
            ans=Answer(intent=out.intent, question=out.question, today=out.today, role=out.role),
        )
    return out


# the part of an indicator a body holds: "chủ trì phạm vi nào", "phụ trách mảng nào"
_SCOPE = U._phrases("phạm vi", "mảng nào", "phần nào", "scope", "which part")


def filter_component(engine: Engine, ans: Answer, plan: Document, code: str) -> Answer:
    """Only the roles on indicators of one component index ("… ở CSTP 2")."""
    comp = engine.index.components.get(plan.id, {}).get(code)
    if comp is None:
        return engine.not_in_plan(ans, plan, "unknown_component", code)
    ans.roles = [r for r in ans.roles if r.indicator.component == code]
    ans.component = comp
    ans.focus_words = [comp.name]
    return ans


def filter_topic(engine: Engine, p: Parsed, ans: Answer, plan: Document) -> Answer:
    """Only the roles on indicators about the question's subject ("… có chỉ số nào về nước
    sạch")."""
    covers = engine.texts.covers(list(p.words), plan.id)
    mine = {
        r.indicator.code: covers[r.indicator.code] for r in ans.roles if r.indicator.code in covers
    }
    best = max((c for c, _ in mine.values()), default=0.0)
    if best < TOPIC_MIN:
        return ans
    keep = {code for code, (c, _) in mine.items() if c >= best * TOPIC_SHARE}
    ans.roles = [r for r in ans.roles if r.indicator.code in keep]
    ans.catch_all_count = 0
    ans.focus_words = sorted({w for code in keep for w in mine[code][1]})
    return ans


def role_cue(p: Parsed) -> bool:
    return has(p.grams, INDICATOR_WORDS) or p.role != BOTH or has(p.grams, BOTH_WORDS)


TEXT_CLEAR, TEXT_BETTER = (
    0.8,
    0.25,
)  # a task or data item that explains the question this much better


def _rather_a_text(engine: Engine, p: Parsed, code: str, plan: Document) -> bool:
    """ "Ai phải công bố bản đồ cảnh báo sạt lở": no indicator named, and a task (or data item) of
    the documents explains the question far better than the indicator does: the text look-up
    answers.
    """
    if has(p.grams, INDICATOR_WORDS):
        return False
    words = list(p.words)
    mine = next(
        (
            h.cover
            for h in engine.texts.search(words, ("indicator",), plan.id, limit=3)
            if h.key == code
        ),
        0.0,
    )
    other = engine.texts.search(words, ("task", "data_item"), None, limit=1)
    return bool(other) and other[0].cover >= TEXT_CLEAR and other[0].cover >= mine + TEXT_BETTER


def _by_subject(engine: Engine, p: Parsed, ans: Answer, plan: Document) -> Answer | None:
    if not (subject(p) and (role_cue(p) or has(p.grams, WHO))):
        return None
    verdict, keys = engine.find(plan.id, list(p.words))
    if verdict == "one" and _rather_a_text(engine, p, keys[0], plan):
        return None
    if verdict == "one":
        return engine.roles_on(keys[0], plan.id, ans=ans)
    if verdict == "choose":
        return clarify_indicators(engine, ans, plan, keys)
    return None


_HOW_MANY = U._phrases("mấy", "bao nhiêu", "how many", "số lượng")


def _counted(p: Parsed, ans: Answer) -> Answer:
    """ "chỉ số 1.12 có mấy cơ quan phối hợp": an indicator's agencies, counted too (each agency
    once, a lead not counted again among the coordinators)."""
    if ans.indicator is None or not (has(p.grams, _HOW_MANY) and has(p.grams, U.AGENCY_NOUNS)):
        return ans
    ans.count = len({a.agency_id for a in ans.indicator.lead}) if p.role != COORDINATE else None
    ans.count_coordinate = (
        len(
            {a.agency_id for a in ans.indicator.coordinate}
            - {a.agency_id for a in ans.indicator.lead}
        )
        if p.role != LEAD
        else None
    )
    return ans


def indicators(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    """Who leads / coordinates an indicator, or which indicators an agency has."""
    plan = engine.plan_for(list(p.years), list(p.named_docs))
    ans.plan = plan
    if p.codes:
        return _counted(
            p,
            engine.roles_on(
                p.codes[0][0], plan.id, focus=p.mention.agency if p.mention else None, ans=ans
            ),
        )
    named = p.mention.agency if p.mention is not None else (p.agency if p.self_reference else None)
    if named is not None and is_unlisted(named) and named.type == "central":
        # "Cục Hải quan": a central body the plans never name is no provincial body either, so no
        # group of the plans holds it; declined, never answered as an empty list
        ans.intent, ans.problem, ans.problem_detail = "unknown", "not_named", named.name
        return ans
    if named is not None:
        return _of_named(engine, p, ans, plan, named)
    if p.component_code:
        return engine.component(p.component_code, plan.id, ans=ans)
    if (
        has(p.grams, HELP_WORDS)
        and len(engine.topics(plan.id).topic(list(p.content))) <= 1
        and not subject(p, HELP_WORDS)
    ):
        ans.intent = "help"
        return ans
    by_subject = _by_subject(engine, p, ans, plan)
    if by_subject is not None:
        return _counted(p, by_subject)
    if p.is_self or (p.asker is not None and role_cue(p)):
        if p.asker is None:
            ans.problem = "need_agency"
            return ans
        return engine.indicators_of(p.asker, plan.id, p.role, ans=ans)
    if has(p.grams, HELP_WORDS) and not subject(p, HELP_WORDS):
        ans.intent = "help"
    return ans
