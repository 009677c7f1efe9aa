"""The question engine: understanding a question, then one typed query (kb/queries.py).

Text in, a structured :class:`Answer` out: a typed query's answer, a clarification with choices,
or what the documents do not hold. Agencies and indicators are found first; the intent is decided
from the whole question, never from one word. No Telegram, no SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kb import resolve
from kb import understand as U
from kb.answers import BOTH, COORDINATE, LEAD, Answer, Choice, ScoreView
from kb.codes import find_codes
from kb.index import KbIndex
from kb.intents import (
    _DOC_NUMBER,
    _RECIPIENT_BEFORE,
    BOTH_WORDS,
    COORD_WORDS,
    DATA_WORDS,
    DEADLINE_WORDS,
    HELP_WORDS,
    INDICATOR_WORDS,
    LEAD_WORDS,
    PGI_CONTEXT,
    SCORE_CONTEXT_WORDS,
    SCORE_WORDS,
    STOP,
    TASK_WORDS,
    Grams,
    deadline_topic,
    has,
    self_reference,
)
from kb.model import COMMUNE, DISTRICT, Agency, Deadline, Document
from kb.normalize import normalize
from kb.queries import ExtraDeadline, Queries
from kb.topics import DECIDE_TOP, TopicIndex, decide

_LIST_CUE = U._phrases("chỉ số nào", "chỉ số gì", "những chỉ số", "các chỉ số", "bao nhiêu chỉ số", "mấy chỉ số",
                       "which indicators", "what indicators", "chỉ tiêu nào", "gì", "những gì", "nào")
_PROVINCE_SET = frozenset(U.PROVINCES)
_WHO = U._phrases("ai", "who", "cơ quan nào", "đơn vị nào", "sở nào", "which agency", "which department")


class Engine(Queries):
    def __init__(self, index: KbIndex):
        super().__init__(index)
        self._topics: dict[str, TopicIndex] = {}
        self._equivalents: dict[str, str] | None = None
        self._bags: dict[str, frozenset[str]] = {}
        # the plans' topic indexes are per knowledge-base version: built here, with the index (aside,
        # before the swap), not by the first question that needs one
        for doc in index.documents.values():
            if doc.kind in ("assignment_plan", "score_plan"):
                self.topics(doc.id)
        self.equivalents()

    def _bag(self, text: str) -> frozenset[str]:
        """The words and subject tags of a knowledge-base text (a task, a data item), computed once."""
        bag = self._bags.get(text)
        if bag is None:
            from kb.synonyms import tag
            bag = self._bags[text] = frozenset(tag(normalize(text).split(), keep_words=True))
        return bag

    def topics(self, plan_id: str) -> TopicIndex:
        ti = self._topics.get(plan_id)
        if ti is None:
            ti = self._topics[plan_id] = TopicIndex(
                self.index.plan_indicators(plan_id), list(self.index.components.get(plan_id, {}).values()), STOP)
        return ti

    # --- entry point ---------------------------------------------------------------------------
    def answer(
        self,
        question: str,
        as_agency: str | Agency | None = None,
        today: date | None = None,
        extra_deadlines: Iterable[ExtraDeadline | tuple[Deadline, Document]] = (),
    ) -> Answer:
        """``as_agency``: the asker's agency as an id (preferred), an :class:`Agency`, or a registered name."""
        today = today or date.today()
        question = _DOC_NUMBER.sub(lambda m: f" kế hoạch {m.group(1)} ", question or "")
        toks = normalize(question).split()
        ans = Answer(intent="unknown", question=question or "", today=today)
        if not toks:
            ans.intent = "help"
            return ans
        grams = Grams.of(toks)
        found = resolve.find_agencies(self.index, toks, question)
        if found.unknown_place is not None:
            return self._unknown_place(ans, found)
        if found.ambiguous:
            return self._clarify_agencies(ans, toks, found)
        codes, component_code = find_codes(toks)
        years = resolve.years(toks)
        named_docs = resolve.named_documents(self.index, toks)
        asker = self._asker(as_agency)
        is_self = self_reference(question, grams)
        mentions = [m for m in found.mentions if not _is_province(m.agency)]
        mention = mentions[0] if mentions else None
        agency = mention.agency if mention else None
        if agency is None and asker is not None and is_self:
            mismatch = self._self_kind_mismatch(toks, asker)
            if mismatch is not None:
                return self._clarify_self(ans, toks, asker, mismatch)
            agency = asker
            ans.self_reference = True
        role = LEAD if has(grams, LEAD_WORDS) else COORDINATE if has(grams, COORD_WORDS) else BOTH
        if has(grams, LEAD_WORDS) and has(grams, COORD_WORDS):
            role = BOTH
        ans.role = role
        free = [t for i, t in enumerate(toks) if i not in found.covered]
        content = [t for t in free if t not in STOP and not t.isdigit() and not resolve._CODE.match(t)
                   and not resolve._YEAR.match(t)]
        words = [t for t in free if not t.isdigit() and not resolve._CODE.match(t) and not resolve._YEAR.match(t)]
        if ans.self_reference:  # "xã mình", "sở em": the kind word names the asker, not a topic
            kinds = self._COMMUNE_WORDS | self._BODY_WORDS
            content = [t for t in content if t not in kinds]
            words = [t for t in words if t not in kinds]
        free_grams = Grams.of(free)
        is_score = has(free_grams, U.SUPERLATIVE) and (has(grams, SCORE_WORDS) or has(grams, U.COMPONENT_SCOPE)
                                                  or has(grams, INDICATOR_WORDS)) or has(grams, SCORE_WORDS) or (
            has(grams, SCORE_CONTEXT_WORDS) and (bool(codes) or bool(years) or has(grams, PGI_CONTEXT)))

        # 1. what the documents do not hold
        other = self._other_province(toks, found, grams)
        if other and (is_score or has(grams, U.RESULT_WORDS)):
            return self._not_held(ans, "other_province", other)
        if has(grams, U.PERSON) and not has(grams, DATA_WORDS):
            if not (has(grams, U.DOC_SIGNED) or has(grams, U.DOC_ISSUED)):
                return self._not_held(ans, "person")
        if is_score and has(grams, U.OTHER_RANKS) and not has(grams, U.COMPONENT_SCOPE):
            return self._not_held(ans, "other_province", "")
        # 2. the documents themselves
        doc_answer = self._documents(ans, grams, named_docs, years, toks) if mention is None else None
        if doc_answer is not None:
            return doc_answer
        # 3. deadlines
        if has(grams, DEADLINE_WORDS) and not codes and not has(grams, SCORE_WORDS):
            if mention is not None and asker is not None and mention.start > 0 and toks[mention.start - 1] in _RECIPIENT_BEFORE:
                agency = asker
            if agency is None and asker is not None:
                agency = asker
            return self._deadlines(ans, toks, agency, years, named_docs, extra_deadlines, found, grams)
        # 4. data requests (by agency, or by item / form / topic)
        if has(grams, DATA_WORDS) or has(grams, U.PERSON):
            if agency is None and asker is not None and not content:
                agency = asker
            return self._data(ans, agency, toks, content)
        # 5. scores and comparisons
        if is_score:
            return self._scores(ans, toks, grams, codes, component_code, words if content else [], years, named_docs, mention)
        # 6. tasks
        if has(grams, TASK_WORDS):
            target = agency if agency is not None else (asker if is_self else None)
            if target is None and (codes or content):
                hit = self._topic_indicator(words, codes)
                if hit:
                    return self._task_topic(ans, hit)
            comp = component_code or (codes[0][0].split(".")[0] if codes else None)
            return self.tasks_of(target, comp, ans=ans)
        # 7. indicators and agencies
        plan = self._plan(years, named_docs)
        ans.plan = plan
        if codes:
            return self._by_code(ans, plan, codes[0][0], mention.agency if mention else None)
        named = mention.agency if mention is not None else (agency if ans.self_reference else None)
        if named is not None:
            if content and not has(grams, _LIST_CUE):
                verdict, hits = decide(self.topics(plan.id).search(words, limit=DECIDE_TOP))
                if verdict == "one":
                    return self.roles_on(hits[0].key, plan.id, focus=named, ans=ans)
            return self.indicators_of(named, plan.id, role, ans=ans)
        if component_code:
            return self.component(component_code, plan.id, ans=ans)
        if has(grams, HELP_WORDS) and len(self.topics(plan.id).topic(content)) <= 1:
            ans.intent = "help"
            return ans
        cue = has(grams, INDICATOR_WORDS) or role != BOTH or has(grams, BOTH_WORDS) or has(grams, _WHO)
        if content and cue:
            verdict, hits = decide(self.topics(plan.id).search(words, limit=DECIDE_TOP))
            if verdict == "one":
                return self.roles_on(hits[0].key, plan.id, ans=ans)
            if verdict == "choose":
                return self._clarify_indicators(ans, plan, [h.key for h in hits])
        if is_self or (asker is not None and (has(grams, INDICATOR_WORDS) or role != BOTH or has(grams, BOTH_WORDS))):
            if asker is None:
                ans.problem = "need_agency"
                return ans
            return self.indicators_of(asker, plan.id, role, ans=ans)
        if has(grams, HELP_WORDS):
            ans.intent = "help"
        return ans

    # --- understanding helpers --------------------------------------------------------------------
    def _asker(self, who: str | Agency | None) -> Agency | None:
        if who is None or who == "":
            return None
        if isinstance(who, Agency):
            return who
        if who in self.index.agencies:
            return self.index.agencies[who]
        ids = self.index.alias_ids.get(normalize(who))
        if ids:
            return self.index.agencies[sorted(ids)[0]]
        toks = normalize(who).split()
        found = resolve.find_agencies(self.index, toks, who)
        exact = [m for m in found.mentions if m.exact]
        return exact[0].agency if exact else None

    def _other_province(self, toks: list[str], found, grams: Grams | None = None) -> str | None:
        if grams is None:
            grams = Grams.of(toks)
        if grams.isdisjoint(_PROVINCE_SET):  # no province named: skip the text scan (the common case)
            return None
        text = f" {' '.join(toks)} "
        for name in U.PROVINCES:
            if name not in grams:
                continue
            phrase = " ".join(name)
            pos = text.find(f" {phrase} ")
            if pos < 0:
                continue
            before = text[:pos].split()[-1:] or [""]
            if before[0] in ("xa", "phuong", "huyen", "ubnd"):
                continue
            return phrase.title()
        return None

    def _plan(self, years: list[int], named_docs: list[Document]) -> Document:
        docs = [d for d in named_docs if d.kind in ("assignment_plan", "score_plan")]
        if docs:
            return docs[0]
        candidates = [d for d in self.index.documents.values() if d.kind in ("assignment_plan", "score_plan")]
        for y in years:
            for d in candidates:
                if y in d.years and not d.current:
                    return d
        assert self.index.current_plan is not None
        return self.index.current_plan

    def _topic_indicator(self, content: list[str], codes) -> str | None:
        plan = self.index.current_plan
        assert plan is not None
        if codes:
            return codes[0][0] if codes[0][0] in self.index.indicators.get(plan.id, {}) else None
        verdict, hits = decide(self.topics(plan.id).search(content, limit=DECIDE_TOP))
        return hits[0].key if verdict == "one" else None

    # --- answers ---------------------------------------------------------------------------------
    def _not_held(self, ans: Answer, what: str, detail: str = "") -> Answer:
        ans.intent = "unknown"
        ans.problem = "not_held"
        ans.problem_detail = what
        ans.facts = [("detail", detail)] if detail else []
        plan = self.score_plan()
        if plan is not None:
            total = self.index.kb.totals.get(plan.id)
            if total:
                ans.scores = [ScoreView("total", total[0], total[1])]
            ans.plan = plan
            ans.sources = [plan]
        contact_doc = next((d for d in self.index.documents.values() if d.kind == "data_request"), None)
        if what == "person" and contact_doc is not None:
            ans.contact = self.index.kb.contacts.get(contact_doc.id)
            ans.sources = [contact_doc]
        return ans

    def _unknown_place(self, ans: Answer, found) -> Answer:
        ans.intent = "clarify"
        ans.problem = "unknown_place"
        ans.problem_detail = found.unknown_place.name
        for name in found.place_guesses:
            kind = "phường" if any(p.name == name and p.kind == "phuong" for p in self.index.kb.places.units) else "xã"
            label = f"UBND {kind} {name}"
            ans.choices.append(Choice(label=label, query=f"{ans.question} ({label})".replace(found.unknown_place.name, label)))
        return ans

    # "xã mình", "phường em" name a commune; "sở mình", "ban chúng tôi" a provincial body
    _SELF_WORD = frozenset({"minh", "em", "toi", "chung", "ta"})
    _COMMUNE_WORDS = frozenset({"xa", "phuong"})
    _BODY_WORDS = frozenset({"so", "ban", "nganh"})

    def _self_kind_mismatch(self, toks: list[str], asker: Agency) -> str | None:
        """The kind of body a first-person phrase names when it is not the asker's kind, else None."""
        for i, t in enumerate(toks[:-1]):
            if toks[i + 1] in self._SELF_WORD or toks[i + 1 : i + 3] == ["chung", "toi"]:
                if t in self._COMMUNE_WORDS and asker.type != COMMUNE:
                    return "commune"
                if t in self._BODY_WORDS and asker.type == COMMUNE:
                    return "body"
        return None

    def _clarify_self(self, ans: Answer, toks: list[str], asker: Agency, kind: str) -> Answer:
        """"xã mình" asked by a department (or "sở mình" by a commune): ask which is meant, never guess."""
        ans.intent = "clarify"
        ans.problem = "self_kind"
        group = "UBND các xã, phường" if kind == "commune" else "Các Sở, ban, ngành, đoàn thể của tỉnh"
        rest = [t for t in toks if t not in self._SELF_WORD and t not in self._COMMUNE_WORDS | self._BODY_WORDS]
        tail = " ".join(rest)
        for name in (asker.name, group):
            ans.choices.append(Choice(label=name, query=f"{name} {tail}".strip()))
        return ans

    def _clarify_agencies(self, ans: Answer, toks: list[str], found) -> Answer:
        ans.intent = "clarify"
        start, end = found.span or (0, 0)
        seen = set()
        for a in found.ambiguous:
            cur = self.current(a)
            if cur.id in seen:
                continue
            seen.add(cur.id)
            if resolve.is_unlisted(a):
                label = a.name
                repl = [resolve.UNLISTED, *normalize(a.name).split()]
                ans.problem = "unlisted_or_registered"
            else:
                label = a.name if cur.id == a.id else f"{a.name} → {cur.name}"
                repl = normalize(a.name).split()
            query = " ".join([*toks[:start], *repl, *toks[end:]]) if found.span else f"{ans.question} ({a.name})"
            ans.choices.append(Choice(label=label, query=query))
        if len(ans.choices) == 1 and found.span is None:
            return self.answer(ans.choices[0].query, today=ans.today)
        if len(ans.choices) == 1:
            ans.problem = "did_you_mean"
        return ans

    def _clarify_indicators(self, ans: Answer, plan: Document, codes: list[str]) -> Answer:
        ans.intent = "clarify"
        ans.plan = plan
        for code in codes:
            ind = self.index.indicators[plan.id][code]
            ans.choices.append(Choice(label=f"{code} {ind.name}", query=f"{ans.question} (chỉ số {code})"))
        return ans

    def _by_code(self, ans: Answer, plan: Document, code: str, focus: Agency | None) -> Answer:
        return self.roles_on(code, plan.id, focus=focus, ans=ans)

    def _task_topic(self, ans: Answer, code: str) -> Answer:
        """"Giải pháp cho chỉ số nước sạch": the indicator's agencies, then the plan's tasks on its subject."""
        plan = self.index.current_plan
        assert plan is not None
        self.roles_on(code, plan.id, ans=ans)
        ind = ans.indicator
        if ind is None:
            return ans
        ti = self.topics(plan.id)
        words = {t for t, w in ti.weights[code].items() if w >= 0.7 and (t.startswith("#") or ti.idf.get(t, 0) > 1.2)}
        found = []
        for t in self.index.kb.tasks:
            for task in t.tasks:
                bag = self._bag(task)
                if len(words & bag) >= 2:
                    names = ", ".join(a.written for a in t.agencies)
                    found.append((names, task))
        ans.matches = found[:6]
        task_doc = next((d for d in self.index.documents.values() if d.kind == "task_plan"), None)
        if found and task_doc is not None:
            ans.sources = [plan, task_doc]
        return ans

    def _deadlines(self, ans: Answer, toks: list[str], agency: Agency | None, years: list[int], named_docs: list[Document],
                   extra, found, grams) -> Answer:
        self.deadlines_for(agency if agency is None or agency.id in self.index.agencies or agency.type == COMMUNE else None,
                           ans.today or date.today(), extra, ans=ans, show_past=has(grams, U.PAST_WORDS))
        views = ans.deadlines
        if has(grams, DATA_WORDS):
            named_docs = named_docs + [d for d in self.index.documents.values() if d.kind == "data_request"]
        if named_docs:
            wanted = {d.id for d in named_docs}
            views = [v for v in views if v.document.id in wanted] or views
        if years:
            views = [v for v in views if v.deadline.date.year in years or set(years) & set(v.document.years)] or views
        covered = found.covered
        topic = deadline_topic([t for i, t in enumerate(toks) if i not in covered])
        if topic:
            scored = [(sum(1 for t in topic if t in set(normalize(v.deadline.title).split())) / len(topic), v) for v in views]
            best = max((s for s, _ in scored), default=0)
            if best >= 0.34:
                views = [v for s, v in scored if s >= best - 0.2]
                ans.deadlines_filtered = True
                ans.show_past = True
        ans.deadlines = views
        ans.sources = list({v.document.id: v.document for v in views if v.document.kind != "chat"}.values())
        return ans

    def _data(self, ans: Answer, agency: Agency | None, toks: list[str], content: list[str]) -> Answer:
        if agency is not None:
            return self.data_requests_of(agency, ans=ans)
        self.data_requests_of(None, ans=ans)
        # by form number ("biểu mẫu 15") or by the item's words
        text = " ".join(toks)
        import re
        form = re.search(r"\b(?:bieu mau|mau|form)(?: so)? (\d{1,2})\b", text)
        from kb.synonyms import tag
        words = {t for t in tag([t for t in content if t not in ("bieu", "mau", "form", "cung", "cap", "lieu")])}
        hits = []
        for r in self.index.kb.data_requests:
            names = ", ".join(a.written for a in r.agencies)
            for item in r.items:
                if form and item.form and int(re.sub(r"\D", "", item.form) or 0) == int(form.group(1)):
                    hits.append((3, names, item))
                    continue
                if not form and len(words) >= 2:
                    bag = self._bag(item.text)
                    share = len(words & bag) / len(words)
                    if share >= 0.6:
                        hits.append((share, names, item))
        if hits:
            best = max(h[0] for h in hits)
            ans.matches = [(n, f"{i.text}" + (f" — {i.form}" if i.form else "")) for s, n, i in hits if s >= best - 0.15][:6]
            ans.problem = None
        return ans

    def equivalents(self) -> dict[str, str]:
        """Plan 18 code → plan 86 code of the same indicator (same name once normalised), built once."""
        if self._equivalents is None:
            out: dict[str, str] = {}
            sp = self.score_plan()
            cur = self.index.current_plan
            if sp is not None and cur is not None:
                from rapidfuzz import fuzz
                for ind in self.index.plan_indicators(cur.id):
                    a = normalize(ind.name)
                    for other in self.index.plan_indicators(sp.id):
                        if other.component == ind.component and fuzz.token_set_ratio(a, normalize(other.name)) >= 90:
                            out[ind.code] = other.code
                            break
            self._equivalents = out
        return self._equivalents

    def _scores(self, ans: Answer, toks, grams, codes, component_code, content, years, named_docs, mention) -> Answer:
        sp = self.score_plan()
        ans.intent = "scores"
        if sp is None:
            ans.problem = "no_scores"
            return ans
        held = {sp.result_year, sp.target_year}
        wants_target = has(grams, U.TARGET_WORDS)
        for y in years:
            if y not in held or (y == sp.target_year and not wants_target and y != sp.result_year):
                return self._not_held(ans, "year", str(y))
        if mention is not None and not mention.agency.is_group and not codes and not component_code and \
                not self.topics(sp.id).topic(content):
            return self._not_held(ans, "agency_score", mention.agency.name)
        if has(Grams.of([t for t in toks if t in content or t not in STOP]), U.SUPERLATIVE) and not codes and "nhat" in content + ["nhat"] and not mention:
            return self._compare(ans, grams, component_code)
        names_86 = any(d.id == sp.id for d in named_docs) or bool(set(years) & set(sp.years))
        if codes:
            out = []
            for code, _ in codes:
                if names_86:
                    out.append(code)
                    continue
                eq = self.equivalents().get(code)
                if eq is None:
                    ind = self.index.indicators.get(self.index.current_plan.id, {}).get(code)  # type: ignore[union-attr]
                    ans.problem = "no_score_for_code" if ind is not None else "unknown_code"
                    ans.problem_detail = code
                    ans.indicator = None
                    ans.plan = sp
                    ans.facts = [("plan18", code), ("name", ind.name if ind else "")]
                    self.scores(ans=ans)
                    ans.problem = "no_score_for_code" if ind is not None else "unknown_code"
                    ans.problem_detail = code
                    return ans
                out.append(eq)
            ans.score_note = "plan86"
            return self.scores(out, ans=ans)
        if component_code:
            return self.scores(component=component_code, ans=ans)
        if content:
            verdict, hits = decide(self.topics(sp.id).search(content, components=True, limit=DECIDE_TOP))
            if verdict == "one":
                ans.score_note = "plan86" if "." in hits[0].key else None
                return self.scores([hits[0].key], ans=ans)
            if verdict == "choose":
                ans.score_note = "plan86"
                return self.scores([h.key for h in hits], ans=ans)
        return self.scores(ans=ans)

    def _compare(self, ans: Answer, grams, component_code) -> Answer:
        sp = self.score_plan()
        assert sp is not None
        indicators = has(grams, U.INDICATOR_SCOPE) and not has(grams, U.COMPONENT_SCOPE)
        rows = [(i.code, i.name, i.scores) for i in self.index.plan_indicators(sp.id)] if indicators else [
            (c.code, c.name, c.scores) for c in self.index.components.get(sp.id, {}).values()]
        rows = [r for r in rows if r[2] is not None and r[2].score is not None]
        weak = has(grams, U.WEAK_WORDS)
        if has(grams, U.INCREASE_WORDS):
            crit = "increase"
            key = lambda s: (s.target.value - s.score.value) if s.target else None  # noqa: E731
            pick_max = not weak
        elif has(grams, U.GAP_WORDS):
            crit = "gap"
            key = lambda s: (s.median.value - s.score.value) if s.median else None  # noqa: E731
            pick_max = not has(grams, U._phrases("gần", "closest", "nearest"))
        elif has(grams, U.RANK_WORDS) or indicators:
            crit = "rank"
            key = lambda s: -s.rank.position if s.rank else None  # noqa: E731
            pick_max = not weak
        else:
            crit = "score"
            key = lambda s: s.score.value  # noqa: E731
            pick_max = not weak
        valued = [(key(s), c, n, s) for c, n, s in rows if key(s) is not None]
        if not valued:
            return self.scores(ans=ans)
        target = (max if pick_max else min)(v for v, *_ in valued)
        ans.criterion = f"{crit}:{'max' if pick_max else 'min'}:{'indicators' if indicators else 'components'}"
        ans.best = [ScoreView(c, n, s) for v, c, n, s in valued if v == target]
        ans.scores = [ScoreView(c, n, s) for _v, c, n, s in valued]
        ans.plan = sp
        ans.sources = [sp]
        if indicators:
            ans.score_note = "plan86"
        return ans

    def _documents(self, ans: Answer, grams, named_docs: list[Document], years: list[int], toks) -> Answer | None:
        docs = self.index.documents
        if has(grams, U.DOC_SIGNED):
            kind = "signed"
        elif has(grams, U.DOC_EVALUATOR):
            kind = "evaluator"
        elif has(grams, U.DOC_COUNT):
            kind = "count"
        elif has(grams, U.DOC_FOCAL):
            kind = "focal"
        elif has(grams, U.DOC_ISSUED) or (has(grams, U.DOC_CURRENT) and (has(grams, INDICATOR_WORDS) or "ke" in toks
                                                                          or "plan" in toks or "van" in toks)):
            kind = "issued" if has(grams, U.DOC_ISSUED) else "current"
        elif has(grams, U.DOC_CHANGE) and (years or has(grams, PGI_CONTEXT) or "diem" in toks):
            kind = "change"
        else:
            return None
        ans.intent = "documents"
        ans.problem_detail = kind
        ans.kb = self.index.kb
        if not named_docs:
            by_year = [d for d in docs.values() if set(years) & set(d.years)] if years else []
            named_docs = by_year or ([self.index.current_plan] if self.index.current_plan else [])
            if kind == "signed":
                pool = by_year or [*docs.values()]
                named_docs = sorted(pool, key=lambda d: d.signer is None)[: 2 if not years else len(pool)]
        if kind in ("evaluator", "change", "focal"):
            named_docs = [d for d in docs.values() if d.kind == "task_plan"]
        if kind == "count" and not any(d.kind == "assignment_plan" for d in named_docs):
            named_docs = [*named_docs, self.index.current_plan]  # type: ignore[list-item]
        ans.sources = list(dict.fromkeys(d for d in named_docs if d is not None))
        ans.plan = ans.sources[0] if ans.sources else None
        return ans


def _is_province(agency: Agency) -> bool:
    """Lạng Sơn itself is no agency ("tỉnh mình", "Lạng Sơn xếp hạng…")."""
    return agency.type == DISTRICT and False
