"""Executors: clarifications, what the documents do not hold, facts about the documents
themselves."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kb.ask.answers import Answer, Choice, ScoreView
from kb.ask.parse import BODY_WORDS, COMMUNE_WORDS, SELF_WORD, Parsed
from kb.ask.route import abbreviation_asked, document_kind, not_held_kind
from kb.normalize import fold, normalize
from kb.words import unlisted

if TYPE_CHECKING:
    from kb.ask.ports import EngineApi as Engine
    from kb.model import Agency


def not_held(engine: Engine, ans: Answer, what: str, detail: str = "") -> Answer:
    """What the documents do not hold ("other_province", "person", "year", "agency_score")."""
    ans.intent = "unknown"
    ans.problem = "not_held"
    ans.problem_detail = what
    ans.facts = [("detail", detail)] if detail else []
    index = engine.index
    plan = engine.score_plan()
    if plan is not None:
        total = index.kb.totals.get(plan.id)
        if total:
            ans.scores = [ScoreView("total", total[0], total[1])]
        ans.plan = plan
        ans.sources = [plan]
    contact_doc = next((d for d in index.documents.values() if d.kind == "data_request"), None)
    if what == "person" and contact_doc is not None:
        ans.contact = index.kb.contacts.get(contact_doc.id)
        ans.sources = [contact_doc]
    return ans


def run_not_held(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    kind = not_held_kind(p)
    assert kind is not None
    if kind[0] == "bvmt_score":
        found = bvmt_rank(engine, p, ans)
        if found is not None:
            return found
    if kind[0] == "which_year":  # the one year of results the score plan holds
        sp = engine.score_plan()
        kind = ("which_year", str(sp.result_year) if sp is not None else "")
    return not_held(engine, ans, *kind)


_RANKED = re.compile(r"\bxep thu \d")
_YEAR_BEFORE = re.compile(r"\bnam ((?:19|20)\d\d)\b")


def _ranked_year(folded: str) -> int | None:
    """The year a passage ranks ("năm 2021 … xếp thứ 31/63"): the last year named before the
    rank."""
    m = _RANKED.search(folded)
    if m is None:
        return -1
    years = _YEAR_BEFORE.findall(folded[: m.start()])
    return int(years[-1]) if years else None


def bvmt_rank(engine: Engine, p: Parsed, ans: Answer) -> Answer | None:
    """The environmental-protection index's rank a document states in passing (the 2023 letter
    gives the 2021 one): the sentence that says it, quoted with its source; None when none does.
    """
    for t in engine.texts.texts:
        if t.kind not in ("passage", "footnote"):
            continue
        folded = normalize(t.text)
        if "bao ve moi truong" in folded and _ranked_year(folded) in (
            *p.years,
            *(() if p.years else (None,)),
        ):
            ans.intent = "scores"
            ans.problem_detail = "passage"
            ans.facts = [("passage", t.text)]
            doc = engine.index.documents.get(t.plan_id)
            ans.sources = [doc] if doc is not None else []
            ans.plan = doc
            return ans
    return None


def clarify_place(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    found = p.found
    place = found.unknown_place
    assert place is not None  # the route sends here only a commune Lạng Sơn does not have
    ans.intent = "clarify"
    ans.problem = "unknown_place"
    ans.problem_detail = place.name
    units = engine.index.kb.places.units
    for name in found.place_guesses:
        kind = "phường" if any(u.name == name and u.kind == "phuong" for u in units) else "xã"
        label = f"UBND {kind} {name}"
        query = f"{ans.question} ({label})".replace(place.name, label)
        ans.choices.append(Choice(label=label, query=query))
    return ans


def clarify_self(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    """ "xã mình" asked by a department (or "sở mình" by a commune): ask which is meant, never
    guess."""
    ans.intent = "clarify"
    ans.problem = "self_kind"
    asker = p.asker
    assert asker is not None
    group = (
        "UBND các xã, phường"
        if p.self_mismatch == "commune"
        else "Các Sở, ban, ngành, đoàn thể của tỉnh"
    )
    rest = [t for t in p.toks if t not in SELF_WORD and t not in COMMUNE_WORDS | BODY_WORDS]
    tail = " ".join(rest)
    for name in (asker.name, group):
        ans.choices.append(Choice(label=name, query=f"{name} {tail}".strip()))
    return ans


def _one_on_indicator(engine: Engine, p: Parsed, ans: Answer) -> Answer | None:
    """ "Công ty phối hợp ở chỉ số cung cấp nước sạch là ai": of the bodies a bare kind ("Công ty")
    may mean, the one alone holding a role on the indicator the question names, answered there."""
    found = p.found
    if found.span is None or not found.ambiguous:
        return None
    plan = engine.plan_for(list(p.years), list(p.named_docs))
    if p.codes:
        code = p.codes[0][0]
    else:
        words = set(p.words)  # the words after the kind word name the indicator
        verdict, keys = engine.find(plan.id, [t for t in p.toks[found.span[1] :] if t in words])
        if verdict != "one":
            return None
        code = keys[0]
    ind = engine.index.indicators.get(plan.id, {}).get(code)
    if ind is None:
        return None
    holders = [a for a in found.ambiguous if engine.role_on(ind, engine.current(a)) is not None]
    if len(holders) != 1:
        return None
    return engine.roles_on(code, plan.id, focus=holders[0], ans=ans)


def clarify_agencies(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    resolved = _one_on_indicator(engine, p, ans)
    if resolved is not None:
        return resolved
    found, toks = p.found, list(p.toks)
    ans.intent = "clarify"
    start, end = found.span or (0, 0)
    seen = set()
    for a in found.ambiguous:
        cur = engine.current(a)
        if cur.id in seen:
            continue
        seen.add(cur.id)
        if unlisted.is_unlisted(a):
            label = a.name
            repl = [unlisted.UNLISTED, *normalize(a.name).split()]
            ans.problem = "unlisted_or_registered"
        else:
            label = a.name if cur.id == a.id else f"{a.name} → {cur.name}"
            repl = normalize(a.name).split()
        query = (
            " ".join([*toks[:start], *repl, *toks[end:]])
            if found.span
            else f"{ans.question} ({a.name})"
        )
        ans.choices.append(Choice(label=label, query=query))
    if len(ans.choices) == 1 and found.span is None:
        return engine.answer(ans.choices[0].query, today=ans.today)
    if len(ans.choices) == 1:
        ans.problem = "did_you_mean"
    return ans


def documents(engine: Engine, p: Parsed, ans: Answer, extra) -> Answer:
    """Which plan is current, who issued or signed a document, how many indicators, …"""
    kind = document_kind(p)
    if kind == "abbreviation":
        return _abbreviation(engine, p, ans)
    if kind == "units":
        return _units(engine, ans)
    docs = engine.index.documents
    years, named_docs = list(p.years), list(p.named_docs)
    ans.intent = "documents"
    ans.problem_detail = kind
    ans.kb = engine.index.kb
    current = engine.index.current_plan
    if not named_docs:
        by_year = [d for d in docs.values() if set(years) & set(d.years)] if years else []
        named_docs = by_year or ([current] if current else [])
        if kind == "signed":
            pool = by_year or [*docs.values()]
            named_docs = sorted(pool, key=lambda d: d.signer is None)[
                : 2 if not years else len(pool)
            ]
    if kind in ("evaluator", "change", "focal"):
        named_docs = [d for d in docs.values() if d.kind == "task_plan"]
    if (
        kind == "count"
        and not any(d.kind == "assignment_plan" for d in named_docs)
        and current is not None
    ):
        named_docs = [*named_docs, current]
    ans.sources = list(dict.fromkeys(d for d in named_docs if d is not None))
    ans.plan = ans.sources[0] if ans.sources else None
    if kind == "count":
        ans.count = _count(engine, p, ans)
    ans.issuers_now = _issuers_now(engine, ans.sources)
    if kind == "signed" and ans.sources and all(d.signer is None for d in ans.sources):
        ans.intent, ans.problem = (
            "unknown",
            "not_in_documents",
        )  # the appendices held do not show it
    return ans


def _issuers_now(engine: Engine, documents) -> dict[str, Agency]:
    """Document id → the body that issued it under a former name ("Sở Tài nguyên và Môi trường
    tỉnh Lạng Sơn", since 03/2025 "Sở Nông nghiệp và Môi trường"), under its current name."""
    index = engine.index
    out: dict[str, Agency] = {}
    for doc in documents:
        issuer = normalize(re.sub(r"\s+tỉnh\s+Lạng\s+Sơn\s*$", "", doc.issuer or ""))
        former = sorted(
            a for a in index.alias_ids.get(issuer, ()) if index.agencies[a].succeeded_by
        )
        if former:
            out[doc.id] = index.agencies[index.current_id(former[0])]
    return out


def _abbreviation(engine: Engine, p: Parsed, ans: Answer) -> Answer:
    """What an abbreviation stands for, as a document writes it; not known when none does."""
    short = abbreviation_asked(p) or ""
    found = engine.abbreviations.get(short)
    ans.intent = "documents"
    ans.problem_detail = "abbreviation"
    if found is None:
        ans.intent, ans.problem = "unknown", "not_in_documents"
        return ans
    full, doc_id = found
    written = next((w for w in re.findall(r"\w+", p.question) if fold(w) == short), short)
    ans.facts = [("short", written), ("stands_for", full)]
    doc = engine.index.documents.get(doc_id)
    ans.sources = [doc] if doc is not None else []
    ans.plan = doc
    return ans


def _units(engine: Engine, ans: Answer) -> Answer:
    """How many communes and wards the province has (places.yaml, from the 2025 resolution)."""
    places = engine.index.kb.places
    ans.intent = "documents"
    ans.problem_detail = "units"
    if not places.units:
        ans.intent, ans.problem = "unknown", "not_in_documents"
        return ans
    wards = sum(1 for u in places.units if u.kind == "phuong")
    ans.count = len(places.units)
    ans.facts = [
        ("wards", str(wards)),
        ("communes", str(len(places.units) - wards)),
        ("places_source", re.sub(r"\s*\([^()]*\.md\)$", "", places.source)),
    ]
    return ans


def _count(engine: Engine, p: Parsed, ans: Answer) -> int | None:
    """How many indicators the plan (or the component index named) has."""
    plan = next((d for d in ans.sources if d.kind in ("assignment_plan", "score_plan")), None)
    if plan is None:
        return None
    inds = engine.index.plan_indicators(plan.id)
    if p.component_code:
        inds = [i for i in inds if i.component == p.component_code]
        ans.component = engine.index.components.get(plan.id, {}).get(p.component_code)
    return len(inds)
