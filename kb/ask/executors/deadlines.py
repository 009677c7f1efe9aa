"""Executors: deadlines, and the data agencies were asked to supply (by agency, form or item)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from kb.ask import understand as U
from kb.ask.answers import Answer, Choice, Premise
from kb.ask.executors.docs import not_held
from kb.ask.executors.lookup import current_names
from kb.ask.intents import (
    _RECIPIENT_BEFORE,
    DATA_WORDS,
    DEADLINE_WORDS,
    STOP,
    deadline_topic,
    has,
    named_month,
)
from kb.ask.parse import Parsed
from kb.model import COMMUNE, Agency
from kb.normalize import normalize
from kb.words.synonyms import tag

if TYPE_CHECKING:
    from kb.ask.ports import EngineApi as Engine

# "biểu mẫu 15", "biểu 15", and the letter's own numbering of its items ("chỉ số 07"), not a code
_FORM = re.compile(r"\b(?:bieu mau|bieu|mau|form|chi so)(?: so)? (\d{1,2})(?![.\d])")
_FORM_WORDS = frozenset({"bieu", "mau", "form", "cung", "cap", "lieu"})


def _deadline_agency(p: Parsed) -> Agency | None:
    """Whose deadlines: the agency named, unless it is the recipient ("nộp cho Sở X"), else the
    asker."""
    agency, mention = p.agency, p.mention
    if (
        mention is not None
        and p.asker is not None
        and mention.start > 0
        and p.toks[mention.start - 1] in _RECIPIENT_BEFORE
    ):
        agency = p.asker
    return agency if agency is not None else p.asker


def deadlines(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    agency = _deadline_agency(p)
    known = agency is None or agency.id in engine.index.agencies or agency.type == COMMUNE
    engine.deadlines_for(
        agency if known else None,
        ans.today or date.today(),
        extra,
        ans=ans,
        show_past=has(p.grams, U.PAST_WORDS),
    )
    named_docs = list(p.named_docs)
    if has(p.grams, DATA_WORDS):
        named_docs += [d for d in engine.index.documents.values() if d.kind == "data_request"]
    views, declined = _of_documents(engine, p, ans, ans.deadlines, named_docs)
    if declined is None and p.years:
        views, declined = _of_years(engine, p, ans, views, named_docs)
    if declined is not None:
        return declined
    window = relative_window(p, ans.today or date.today())
    if window is not None:
        # "tháng này có phải nộp gì không": the deadlines of that week or month only
        views = [v for v in views if window[0] <= v.deadline.date <= window[1]]
        if not views:
            ans.deadlines = []
            return not_held(engine, ans, "deadline", window[2])
        ans.deadlines_filtered, ans.show_past = True, True
        return _shown(ans, views)
    dated = _of_date(p, views)
    if dated:  # "hạn 20/7 là nộp gì": the deadlines of that day
        ans.deadlines_filtered, ans.show_past = True, True
        return _shown(ans, dated)
    topic = deadline_topic([t for i, t in enumerate(p.toks) if i not in p.found.covered])
    chosen = _of_topic(topic, ans, views)
    if (
        agency is None
        and not named_docs
        and not ans.deadlines_filtered
        and _which(p, chosen, topic)
    ):
        return _which_deadline(ans, chosen)
    return _shown(ans, chosen)


# words asking for the whole list: "các hạn", "những hạn nào", "tất cả các hạn chót"
_LIST_WORDS = U._phrases(
    "các", "những", "tất cả", "danh sách", "liệt kê", "mọi", "all", "list", "deadlines"
)


def _which(p: Parsed, views: list, topic: list[str]) -> bool:
    """Whether "the deadline" is asked with nothing that tells which ("hạn nộp là bao giờ", no
    body, topic, document, year or day named, and no list asked for) while the plans set several
    (one still ahead is the one meant)."""
    if topic:
        return False  # words that say which, though no title holds them: the list, as asked
    if has(p.grams, DEADLINE_WORDS) and len(p.toks) <= 2:
        return False  # "hạn chót", "deadline" alone: the list, as /hanchot gives it
    upcoming = [v for v in views if v.status == "upcoming"]
    return len(views) > 1 and len(upcoming) != 1 and not p.years and not has(p.grams, _LIST_WORDS)


def _which_deadline(ans: Answer, views: list) -> Answer:
    """Which deadline: one choice per deadline, each a question about that deadline alone."""
    ans.intent, ans.problem = "clarify", "which_deadline"
    ans.deadlines = []
    ans.choices = [
        Choice(
            label=f"{v.deadline.date:%d/%m/%Y} — {v.deadline.title}",
            query=f"hạn {v.deadline.date:%d/%m/%Y} là nộp gì",
        )
        for v in sorted(views, key=lambda v: v.deadline.date)
    ]
    return ans


_DAY = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])")


def _of_date(p: Parsed, views: list) -> list:
    """The deadlines on a day the question writes ("20/7", "10/12/2024"), if any falls on it."""
    days = {
        (int(d), int(m), int(y) if y else None)
        for d, m, y in _DAY.findall(p.question)
        if 1 <= int(m) <= 12
    }
    return [
        v
        for v in views
        if any(
            (v.deadline.date.day, v.deadline.date.month) == (d, m)
            and y in (None, v.deadline.date.year)
            for d, m, y in days
        )
    ]


def _shown(ans: Answer, views: list) -> Answer:
    ans.deadlines = views
    ans.sources = list(
        {v.document.id: v.document for v in views if v.document.kind != "chat"}.values()
    )
    return ans


def _of_documents(engine: Engine, p: Parsed, ans: Answer, views: list, named_docs: list):
    """The deadlines of the documents named; a named plan with no deadline at all is declined."""
    if not named_docs:
        return views, None
    wanted = {d.id for d in named_docs}
    mine = [v for v in views if v.document.id in wanted]
    undated = [
        d
        for d in p.named_docs
        if d.kind in ("assignment_plan", "task_plan")
        and not any(x.doc_id == d.id for x in engine.index.kb.deadlines)
    ]
    if not mine and undated:
        return views, not_held(engine, ans, "deadline", undated[0].number or undated[0].title)
    return mine or views, None


def _of_years(engine: Engine, p: Parsed, ans: Answer, views: list, named_docs: list):
    """The deadlines of the years named; none of that year is declined, never another year's."""
    years = set(p.years)
    in_years = [v for v in views if v.deadline.date.year in years or years & set(v.document.years)]
    if in_years:
        return in_years, None
    # "năm 2027 phải nộp … hạn nào": the plan of that year, when the question names no document
    plan = None
    if not named_docs:
        plan = next(
            (
                d
                for d in engine.index.documents.values()
                if years & set(d.years) and d.kind != "chat"
            ),
            None,
        )
    what = (
        plan.number or plan.title if plan is not None else ", ".join(str(y) for y in sorted(years))
    )
    return views, not_held(engine, ans, "deadline", what)


def _of_topic(topic: list[str], ans: Answer, views: list) -> list:
    """The deadlines whose titles the question's words name, when they name some."""
    if not topic:
        return views
    scored = [
        (sum(1 for t in topic if t in set(normalize(v.deadline.title).split())) / len(topic), v)
        for v in views
    ]
    best = max((s for s, _ in scored), default=0)
    if best < 0.34:
        return views
    ans.deadlines_filtered = True
    ans.show_past = True
    return [v for s, v in scored if s >= best - 0.2]


_UNITS = {"tuan": "week", "week": "week", "thang": "month", "month": "month"}
_QUALIFIERS = {"nay": False, "this": False, "sau": True, "toi": True, "next": True}  # ahead or not


def _relative(toks: tuple[str, ...]) -> tuple[str, bool] | None:
    """("week" | "month", ahead) of "tuần này", "tháng sau", "this week", "next month", or None."""
    for a, b in zip(toks, toks[1:], strict=False):
        if a in _UNITS and b in _QUALIFIERS and a in ("tuan", "thang"):
            return _UNITS[a], _QUALIFIERS[b]
        if a in ("this", "next") and b in ("week", "month"):
            return b, _QUALIFIERS[a]
    return None


def _month_window(month: int, year: int) -> tuple[date, date, str]:
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return date(year, month, 1), end, f"{month:02d}/{year}"


def relative_window(p: Parsed, today: date) -> tuple[date, date, str] | None:
    """(first day, last day, label) of the week or month a question names relative to today ("tuần
    này", "tháng sau") or by name ("tháng 12": of this year unless a year is written), or None."""
    rel = _relative(p.toks)
    if rel is None:
        # "… là cuối tháng 3 đúng không": a month stated to be checked, not one to filter by
        stated = any(pair in _CONFIRM_WORDS for pair in zip(p.toks, p.toks[1:], strict=False))
        named = None if stated else named_month(p.toks)
        return None if named is None else _month_window(named[0], named[1] or today.year)
    unit, ahead = rel
    if unit == "week":
        start = today - timedelta(days=today.weekday()) + timedelta(days=7 if ahead else 0)
        end = start + timedelta(days=6)
        return start, end, f"{start:%d/%m}–{end:%d/%m/%Y}"
    y, m = (
        (today.year + (today.month == 12), today.month % 12 + 1)
        if ahead
        else (today.year, today.month)
    )
    return _month_window(m, y)


_CONFIRM_WORDS = frozenset(
    {("dung", "khong"), ("phai", "khong"), ("dung", "chu"), ("phai", "chu")}
)


def _confirm(p: Parsed) -> bool:
    """ "… là của Sở Y tế đúng không": a premise about an agency, checked against the item's
    agency."""
    return not p.grams.isdisjoint(_CONFIRM_WORDS) or p.toks[-1:] in (("ha",), ("a",))


def _supplier(engine: Engine, p: Parsed) -> Agency | None:
    """The agency asked about: "Sở TN&MT cần Sở GTVT cung cấp gì" names the letter's issuer
    first."""
    issuers = {
        normalize(d.issuer) for d in engine.index.documents.values() if d.kind == "data_request"
    }
    others = [
        m.agency
        for m in p.found.mentions
        if not any(normalize(m.agency.name) in i for i in issuers)
    ]
    if len(p.found.mentions) > 1 and others:
        return others[0]
    # "Sở TN&MT có văn bản xin số liệu, bên mình phải cung cấp gì": the letter's issuer named, the
    # asker pointing at itself: the asker supplies
    if p.found.mentions and not others and p.is_self and p.asker is not None:
        return p.asker
    return p.agency


def data(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    agency = _supplier(engine, p)
    form = _FORM.search(" ".join(p.toks))
    if agency is None and p.asker is not None and not p.content:
        agency = p.asker
    if agency is not None and not (form and p.premise is None and _confirm(p)):
        return engine.data_requests_of(agency, ans=ans)
    engine.data_requests_of(None, ans=ans)
    # by form number ("biểu mẫu 15") or by the item's words
    # tags first, stop words after: "đô thị" folds to two stop words ("do", "thi") but is a subject
    words = {
        t
        for t in tag(list(p.words))
        if t.startswith("#") or (t not in STOP and t not in _FORM_WORDS)
    }
    hits = []
    for r in engine.index.kb.data_requests:
        names = current_names(
            engine, r.agencies
        )  # today's names, the letter's wording beside a former one
        for item in r.items:
            if form and int(form.group(1)) in _numbers(item):
                hits.append((3.0, names, item))
            elif not form and len(words) >= 2:
                share = len(words & engine.bag(item.text)) / len(words)
                if share >= 0.6:
                    hits.append((share, names, item))
    if hits:
        best = max(h[0] for h in hits)
        noted = has(p.grams, U.NOTE_WORDS)  # "biểu mẫu 24 có lưu ý gì": the item's note too
        ans.matches = [
            (
                n,
                i.text
                + (f" — {i.form}" if i.form else "")
                + (f" {i.note}" if noted and i.note else ""),
            )
            for s, n, i in hits
            if s >= best - 0.15
        ][:6]
        ans.problem = None
        if agency is not None and form:
            _agency_premise(engine, ans, agency, form.group(1))
    return ans


def _numbers(item) -> set[int]:
    """The numbers of a data item's form and index ("Biểu mẫu 07", "Chỉ số 07")."""
    return {
        int(re.sub(r"\D", "", x)) for x in (item.form, item.index) if x and re.search(r"\d", x)
    }


def _agency_premise(engine: Engine, ans: Answer, agency: Agency, form: str) -> None:
    """ "Biểu mẫu 24 là của Sở Y tế đúng không": whether that agency is the one asked for the
    form."""
    cur = engine.current(agency)
    holders = [
        engine.current(engine.index.agencies[a.agency_id])
        for r in engine.index.kb.data_requests
        for item in r.items
        if item.form and re.sub(r"\D", "", item.form).lstrip("0") == form.lstrip("0")
        for a in r.agencies
        if a.agency_id in engine.index.agencies
    ]
    names = list(dict.fromkeys(h.name for h in holders))
    if names:
        ans.premise = Premise("agency", cur.name, cur.name in names, ", ".join(names))
