"""The question engine: a question in, a structured :class:`Answer` out. No Telegram, no SQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from kb import resolve
from kb.answers import (
    BOTH,
    COORDINATE,
    LEAD,
    Answer,
    Choice,
    DataView,
    DeadlineView,
    Role,
    ScoreView,
    TaskView,
)
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
    NAME_MATCH_MARGIN,
    NAME_MATCH_MIN,
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
from kb.model import COMMUNE, Agency, Assignment, Deadline, Document, Indicator
from kb.normalize import normalize


class Engine:
    def __init__(self, index: KbIndex):
        self.index = index
        # roles depend only on the agency (or, for communes, on its type) and the plan; the index
        # never changes, so they are computed once
        self._roles: dict[tuple[str, str], tuple[tuple[Role, ...], int]] = {}

    # --- entry point ---------------------------------------------------------------------------
    def answer(
        self,
        question: str,
        as_agency: str | None = None,
        today: date | None = None,
        extra_deadlines: Iterable[tuple[Deadline, Document]] = (),
    ) -> Answer:
        today = today or date.today()
        question = _DOC_NUMBER.sub(lambda m: f" kế hoạch {m.group(1)} ", question or "")
        toks = normalize(question).split()
        ans = Answer(intent="unknown", question=question or "", today=today)
        if not toks:
            ans.intent = "help"
            return ans

        grams = Grams.of(toks)
        found = resolve.find_agencies(self.index, toks, question)
        if found.ambiguous:
            return self._clarify_agencies(ans, question, found.ambiguous)
        codes, component_code = resolve.find_codes(toks)
        years = resolve.years(toks)
        named_docs = resolve.named_documents(self.index, toks)
        is_self = self_reference(question, grams)
        asker = self._asker(as_agency)

        mention = found.mentions[0] if found.mentions else None
        agency = mention.agency if mention else None
        if agency is None and asker is not None:
            agency = asker
            ans.self_reference = is_self

        role = LEAD if has(grams, LEAD_WORDS) else COORDINATE if has(grams, COORD_WORDS) else BOTH
        if has(grams, LEAD_WORDS) and has(grams, COORD_WORDS):
            role = BOTH
        ans.role = role
        content = [t for i, t in enumerate(toks) if i not in found.covered and t not in STOP and not t.isdigit()
                   and not resolve._CODE.match(t) and not resolve._YEAR.match(t)]

        if has(grams, DEADLINE_WORDS) and not codes:
            if mention is not None and asker is not None and mention.start > 0 and toks[mention.start - 1] in _RECIPIENT_BEFORE:
                agency = asker
            return self._deadlines(ans, toks, agency, years, named_docs, extra_deadlines)
        if has(grams, DATA_WORDS):
            return self._data_requests(ans, agency)
        if has(grams, SCORE_WORDS) or (has(grams, SCORE_CONTEXT_WORDS) and (codes or years or has(grams, PGI_CONTEXT))):
            return self._scores(ans, toks, codes, component_code, content)
        if has(grams, TASK_WORDS):
            return self._tasks(ans, agency, component_code)

        plan = self._plan(years, named_docs)
        ans.plan = plan
        if codes:
            return self._indicator(ans, plan, codes[0][0], mention.agency if mention else None)
        if mention is not None:
            matched = self._match_names(plan.id, content) if len(content) >= 2 else []
            if matched and len(matched) == 1 and matched[0][1] >= 0.75:
                return self._indicator(ans, plan, matched[0][0], mention.agency)
            return self._agency_indicators(ans, plan, mention.agency)
        if component_code:
            return self._component(ans, plan, component_code)
        if has(grams, HELP_WORDS) and len(content) <= 2:
            ans.intent = "help"
            return ans
        if content:
            matched = self._match_names(plan.id, content)
            if matched:
                if len(matched) > 1:
                    return self._clarify_indicators(ans, plan, question, [c for c, _ in matched])
                return self._indicator(ans, plan, matched[0][0], None)
        if is_self or (asker is not None and (has(grams, INDICATOR_WORDS) or role != BOTH or has(grams, BOTH_WORDS))):
            if asker is None:
                ans.problem = "need_agency"
                return ans
            return self._agency_indicators(ans, plan, asker)
        if has(grams, HELP_WORDS):
            ans.intent = "help"
            return ans
        return ans

    # --- helpers -------------------------------------------------------------------------------
    def _asker(self, name: str | None) -> Agency | None:
        if not name:
            return None
        toks = normalize(name).split()
        found = resolve.find_agencies(self.index, toks, name)
        return found.mentions[0].agency if found.mentions else None

    def current(self, agency: Agency) -> Agency:
        """The agency under its current name (communes stay themselves)."""
        if agency.id in self.index.agencies:
            return self.index.agencies[self.index.current_id(agency.id)]
        if agency.succeeded_by and agency.succeeded_by in self.index.agencies:
            return self.index.agencies[self.index.current_id(agency.succeeded_by)]
        return agency

    def _set_agency(self, ans: Answer, agency: Agency) -> Agency:
        cur = self.current(agency)
        ans.agency = cur
        if cur.id != agency.id or agency.type == COMMUNE:
            ans.named_as = agency
        return cur

    def _plan(self, years: list[int], named_docs: list[Document], kind: str = "assignment_plan") -> Document:
        kinds = ("assignment_plan", "score_plan") if kind == "assignment_plan" else (kind,)
        docs = [d for d in named_docs if d.kind in kinds]
        if docs:
            return docs[0]
        candidates = [d for d in self.index.documents.values() if d.kind in kinds]
        for y in years:
            for d in candidates:
                if y in d.years and not d.current:
                    return d
        current = [d for d in candidates if d.current]
        if current:
            return current[0]
        return max(candidates, key=lambda d: (d.date or date.min)) if candidates else self.index.current_plan  # type: ignore[return-value]

    def role_on(self, ind: Indicator, agency: Agency) -> Role | None:
        """The agency's role on one indicator (explicit, else through a group), or None."""
        ids, groups = self.ids_and_groups(agency)
        return self._role_on(ind, ids, {g.id: g for g in groups})

    def ids_and_groups(self, agency: Agency) -> tuple[frozenset[str], list[Agency]]:
        ids = self.index.identities(agency)
        groups = self.index.groups_of(agency)
        return ids, groups

    def roles_of(self, agency: Agency, plan_id: str) -> tuple[list[Role], int]:
        """Roles of an agency on every indicator of a plan: explicit first, then through groups."""
        key = (agency.id if agency.id in self.index.agencies else f"type:{agency.type}", plan_id)
        cached = self._roles.get(key)
        if cached is None:
            roles, catch_all = self._compute_roles(agency, plan_id)
            cached = self._roles[key] = (tuple(roles), catch_all)
        return list(cached[0]), cached[1]

    def _compute_roles(self, agency: Agency, plan_id: str) -> tuple[list[Role], int]:
        ids, groups = self.ids_and_groups(agency)
        group_ids = {g.id: g for g in groups}
        explicit: list[Role] = []
        via_group: list[Role] = []
        catch_all = 0
        cells = self.index.cells.get(plan_id, {})
        touched = {ind.code for aid in (*ids, *group_ids) for ind in cells.get(aid, ())}
        for ind in self.index.plan_indicators(plan_id):
            if ind.code not in touched:
                continue
            role = self._role_on(ind, ids, group_ids)
            if role is None:
                continue
            if role.via is not None and role.via.catch_all and role.role == COORDINATE:
                catch_all += 1
            (explicit if role.via is None else via_group).append(role)
        return explicit + via_group, catch_all

    def _role_on(self, ind: Indicator, ids: frozenset[str], groups: dict[str, Agency]) -> Role | None:
        for cell, role in ((ind.lead, LEAD), (ind.coordinate, COORDINATE)):
            for a in cell:
                if a.agency_id in ids:
                    return Role(ind, role, None, a.scope, self._written(a))
        for cell, role in ((ind.lead, LEAD), (ind.coordinate, COORDINATE)):
            hits = [a for a in cell if a.agency_id in groups]
            if hits:
                hits.sort(key=lambda a: groups[a.agency_id].catch_all)
                a = hits[0]
                return Role(ind, role, self.current(groups[a.agency_id]), a.scope, self._written(a))
        return None

    def _written(self, a: Assignment) -> str | None:
        agency = self.index.agencies[a.agency_id]
        return agency.name if agency.succeeded_by else None

    def _match_names(self, plan_id: str, content: list[str], with_components: bool = False) -> list[tuple[str, float]]:
        """Indicators whose names best cover the question's words; several when too close to call."""
        words = [self._correct(t) for t in content]
        words = [w for w in words if w]
        if not words:
            return []
        idf = self.index.idf
        default = self.index.default_idf
        weight = sum(idf.get(w, default) for w in words)
        bigrams = set(zip(words, words[1:], strict=False))
        scored = []
        for entry in self.index.names.get(plan_id, ()):
            is_component = "." not in entry.key[1]
            if is_component and not with_components:
                continue
            hit = [w for w in words if w in entry.tokens]
            if len(hit) < min(2, len(words)):
                continue
            cover = sum(idf.get(w, default) for w in hit) / weight
            bi = len(bigrams & entry.bigrams) / len(bigrams) if bigrams else cover
            scored.append((entry.key[1], 0.7 * cover + 0.3 * bi))
        scored.sort(key=lambda kv: -kv[1])
        if not scored or scored[0][1] < NAME_MATCH_MIN:
            return []
        top = scored[0][1]
        return [(c, s) for c, s in scored if s >= top - NAME_MATCH_MARGIN][:5] if top < 0.999 else [
            (c, s) for c, s in scored if s >= 0.999
        ][:5]

    def _correct(self, tok: str) -> str | None:
        if tok in self.index.idf:
            return tok
        if len(tok) < 4 or not self.index.vocabulary:
            return tok
        hit = process.extractOne(tok, self.index.vocabulary, scorer=Levenshtein.normalized_similarity, score_cutoff=0.8)
        return hit[0] if hit else tok

    # --- intents -------------------------------------------------------------------------------
    def _clarify_agencies(self, ans: Answer, question: str, candidates: list[Agency]) -> Answer:
        ans.intent = "clarify"
        seen = set()
        for a in candidates:
            cur = self.current(a)
            if cur.id in seen:
                continue
            seen.add(cur.id)
            label = a.name if cur.id == a.id else f"{a.name} → {cur.name}"
            ans.choices.append(Choice(label=label, query=f"{question} ({a.name})"))
        if len(ans.choices) == 1:  # all candidates were one agency under several names
            return self.answer(ans.choices[0].query, today=ans.today)
        return ans

    def _clarify_indicators(self, ans: Answer, plan: Document, question: str, codes: list[str]) -> Answer:
        ans.intent = "clarify"
        ans.plan = plan
        for code in codes:
            ind = self.index.indicators[plan.id][code]
            ans.choices.append(Choice(label=f"{code} {ind.name}", query=f"{question} (chỉ số {code})"))
        return ans

    def _indicator(self, ans: Answer, plan: Document, code: str, focus: Agency | None) -> Answer:
        ind = self.index.indicators.get(plan.id, {}).get(code)
        if ind is None:
            return self._not_in_plan(ans, plan, "unknown_code", code)
        ans.intent = "indicator_agencies"
        ans.indicator = ind
        ans.plan = plan
        ans.sources = [plan]
        if focus is not None:
            cur = self._set_agency(ans, focus)
            role = self.role_on(ind, cur)
            ans.focus_role = role.role if role else None
            if role:
                ans.roles = [role]
        return ans

    def _not_in_plan(self, ans: Answer, plan: Document, problem: str, code: str) -> Answer:
        """An indicator or component code the plan does not have: say so, with the plan's codes."""
        ans.intent = "unknown"
        ans.problem = problem
        ans.problem_detail = code
        ans.plan = plan
        ans.valid_codes = list(self.index.indicators.get(plan.id, {}))
        return ans

    def _component(self, ans: Answer, plan: Document, code: str) -> Answer:
        comp = self.index.components.get(plan.id, {}).get(code)
        if comp is None:
            return self._not_in_plan(ans, plan, "unknown_component", code)
        ans.intent = "indicator_agencies"
        ans.component = comp
        ans.component_indicators = [i for i in self.index.plan_indicators(plan.id) if i.component == code]
        ans.plan = plan
        ans.sources = [plan]
        return ans

    def _agency_indicators(self, ans: Answer, plan: Document, agency: Agency) -> Answer:
        ans.intent = "agency_indicators"
        cur = self._set_agency(ans, agency)
        roles, catch_all = self.roles_of(cur, plan.id)
        if ans.role != BOTH:
            roles = [r for r in roles if r.role == ans.role]
        ans.roles = roles
        ans.catch_all_count = catch_all if ans.role != LEAD else 0
        ans.plan = plan
        ans.sources = [plan]
        return ans

    def _scores(self, ans: Answer, toks: list[str], codes: list[tuple[str, int]], component_code: str | None,
                content: list[str]) -> Answer:
        plan = self._plan(resolve.years(toks), resolve.named_documents(self.index, toks), kind="score_plan")
        ans.intent = "scores"
        ans.plan = plan
        if plan is None or plan.kind != "score_plan":
            ans.problem = "no_scores"
            return ans
        ans.sources = [plan]
        indicators = self.index.indicators.get(plan.id, {})
        components = self.index.components.get(plan.id, {})
        if codes:
            for code, _ in codes:
                ind = indicators.get(code)
                if ind is None:
                    ans.problem = "unknown_code"
                    ans.problem_detail = code
                    return ans
                ans.scores.append(ScoreView(code, ind.name, ind.scores))  # type: ignore[arg-type]
            return ans
        if component_code:
            comp = components.get(component_code)
            if comp is None:
                ans.problem = "unknown_component"
                ans.problem_detail = component_code
                return ans
            ans.scores.append(ScoreView(component_code, comp.name, comp.scores))  # type: ignore[arg-type]
            return ans
        words = [t for t in content if t not in STOP]
        matched = self._match_names(plan.id, words, with_components=True) if len(words) >= 2 else []
        if matched:
            for code, _ in matched[:3]:
                if "." in code:
                    ind = indicators[code]
                    ans.scores.append(ScoreView(code, ind.name, ind.scores))  # type: ignore[arg-type]
                else:
                    comp = components[code]
                    ans.scores.append(ScoreView(code, comp.name, comp.scores))  # type: ignore[arg-type]
            return ans
        total = self.index.kb.totals.get(plan.id)
        if total:
            ans.scores.append(ScoreView("total", total[0], total[1]))
        for comp in components.values():
            ans.scores.append(ScoreView(comp.code, comp.name, comp.scores))  # type: ignore[arg-type]
        return ans

    def _belongs(self, agency: Agency, audience: Iterable[Assignment]) -> str | None:
        """Whether an audience includes the agency: None, or the name of the entry that covers it."""
        ids, groups = self.ids_and_groups(agency)
        group_ids = {g.id for g in groups}
        for a in audience:
            if a.agency_id in ids:
                return a.written
        for a in audience:
            if a.agency_id in group_ids:
                return a.written
        return None

    def _deadlines(self, ans: Answer, toks: list[str], agency: Agency | None, years: list[int],
                   named_docs: list[Document], extra: Iterable[tuple[Deadline, Document]]) -> Answer:
        ans.intent = "deadlines"
        items = [(d, self.index.documents[d.doc_id]) for d in self.index.kb.deadlines]
        items.extend(extra)
        if has(Grams.of(toks), DATA_WORDS):
            named_docs = named_docs + [d for d in self.index.documents.values() if d.kind == "data_request"]
        if named_docs:
            wanted = {d.id for d in named_docs}
            items = [(d, doc) for d, doc in items if doc.id in wanted] or items
        if years:
            by_year = [(d, doc) for d, doc in items if d.date.year in years or set(years) & set(doc.years)]
            items = by_year or items
        if agency is not None:
            cur = self._set_agency(ans, agency)
            mine = [(d, doc) for d, doc in items if self._belongs(cur, d.audience)]
            if mine:
                items = mine
                ans.deadlines_filtered = True
        topic = deadline_topic(toks)
        topic = [t for t in topic if t not in normalize(ans.agency.name if ans.agency else "").split()]
        if topic:
            scored = []
            for d, doc in items:
                title = set(normalize(d.title).split())
                scored.append((sum(1 for t in topic if t in title) / len(topic), d, doc))
            best = max((s for s, _, _ in scored), default=0)
            if best >= 0.34:
                items = [(d, doc) for s, d, doc in sorted(scored, key=lambda x: -x[0]) if s >= best - 0.2]
                ans.deadlines_filtered = True
        today = ans.today or date.today()
        views = []
        for d, doc in items:
            days = (d.date - today).days
            note = self._belongs(ans.agency, d.audience) if ans.agency else None
            views.append(DeadlineView(d, doc, "upcoming" if days >= 0 else "past", days, note))
        upcoming = sorted((v for v in views if v.status == "upcoming"), key=lambda v: v.deadline.date)
        past = sorted((v for v in views if v.status == "past"), key=lambda v: v.deadline.date, reverse=True)
        ans.deadlines = upcoming + past
        ans.sources = list({v.document.id: v.document for v in ans.deadlines}.values())
        with_deadlines = {doc.id for _, doc in items} | {d.doc_id for d in self.index.kb.deadlines}
        ans.undated_plans = [p for p in self.index.plans if p.current and p.id not in with_deadlines]
        return ans

    def _tasks(self, ans: Answer, agency: Agency | None, component_code: str | None) -> Answer:
        ans.intent = "tasks"
        docs = [d for d in self.index.documents.values() if d.kind == "task_plan"]
        ans.sources = docs
        ans.plan = docs[0] if docs else None
        if agency is None:
            ans.problem = "need_agency_for_tasks"
            if ans.plan is not None:
                ans.purpose = self.index.kb.texts.get(ans.plan.id, {}).get("purpose", ())
                ans.goals = [c for c in self.index.components.get(ans.plan.id, {}).values() if c.goal]
            return ans
        cur = self._set_agency(ans, agency)
        ids, groups = self.ids_and_groups(cur)
        group_map = {g.id: g for g in groups}
        explicit_sections = {
            (t.doc_id, t.component) for t in self.index.kb.tasks if any(a.agency_id in ids for a in t.agencies)
        }
        explicit, via = [], []
        for t in self.index.kb.tasks:
            if component_code and t.component not in (component_code, None):
                continue
            comp = self.index.components.get(t.doc_id, {}).get(t.component or "")
            tasks = tuple(x for x in t.tasks if self._task_for(x, ids, group_map))
            if not tasks:
                continue
            mine = [a for a in t.agencies if a.agency_id in ids]
            if mine:
                written = tuple(a.written for a in mine if self.index.agencies[a.agency_id].succeeded_by)
                explicit.append(TaskView(comp, t.section, t.ref, tasks, None, written))
                continue
            hits = [a for a in t.agencies if a.agency_id in group_map]
            if not hits:
                continue
            group = group_map[hits[0].agency_id]
            if group.excludes_named and (t.doc_id, t.component) in explicit_sections:
                continue
            via.append(TaskView(comp, t.section, t.ref, tasks, self.current(group), (hits[0].written,)))
        ans.tasks = explicit + via
        return ans

    def _task_for(self, task: str, ids: frozenset[str], groups: dict[str, Agency]) -> bool:
        """A dash that starts with "<agency>:" is for that agency only."""
        head, sep, _ = task.partition(":")
        if not sep or len(head) > 80:
            return True
        addressees = self.index.alias_ids.get(normalize(head))
        if not addressees:
            return True
        return any(a in ids or a in groups for a in addressees)

    def _data_requests(self, ans: Answer, agency: Agency | None) -> Answer:
        ans.intent = "data_requests"
        docs = [d for d in self.index.documents.values() if d.kind == "data_request"]
        ans.sources = docs
        ans.plan = docs[0] if docs else None
        if ans.plan is not None:
            ans.contact = self.index.kb.contacts.get(ans.plan.id)
            ans.deadlines = [
                DeadlineView(d, ans.plan, "upcoming" if (d.date - ans.today).days >= 0 else "past", (d.date - ans.today).days)  # type: ignore[operator]
                for d in self.index.kb.deadlines if d.doc_id == ans.plan.id
            ]
        if agency is None:
            ans.problem = "need_agency_for_data"
            return ans
        cur = self._set_agency(ans, agency)
        ids, groups = self.ids_and_groups(cur)
        group_map = {g.id: g for g in groups}
        for r in self.index.kb.data_requests:
            mine = [a for a in r.agencies if a.agency_id in ids]
            if mine:
                written = tuple(a.written for a in mine if self.index.agencies[a.agency_id].succeeded_by)
                ans.data.append(DataView(r.ref, r.items, written))
                continue
            hits = [a for a in r.agencies if a.agency_id in group_map]
            if hits:
                ans.data.append(DataView(r.ref, r.items, (hits[0].written,), self.current(group_map[hits[0].agency_id])))
        return ans
