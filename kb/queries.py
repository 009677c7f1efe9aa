"""Typed queries over one knowledge-base snapshot: agency ids and codes in, structured answers out.

Commands call these directly (``/chiso`` → :meth:`Queries.indicators_of`); the question engine
(kb/ask/engine.py) calls them once it has understood a question. Nothing here parses text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kb.ask.answers import (
    BOTH,
    COORDINATE,
    LEAD,
    Answer,
    DataView,
    DeadlineView,
    Role,
    ScoreView,
    TaskView,
)
from kb.index import KbIndex
from kb.model import COMMUNE, Agency, Assignment, Deadline, Document, Indicator
from kb.normalize import normalize


@dataclass(frozen=True)
class ExtraDeadline:
    """A deadline the focal department added in chat, as the bot passes it to the engine.

    ``audience`` holds the agency ids it is for (empty: everyone); ``applies`` is the bot's own
    verdict for the asker when the audience is a rule (an indicator's lead agencies, …): when it is
    not None it wins over ``audience``.
    """

    title: str
    date: date
    audience: tuple[str, ...] = ()
    applies: bool | None = None
    id: str = ""


CHAT_DOCUMENT = Document(
    id="chat", kind="chat", number=None, date=None, issuer="", title="", source="chat"
)


def updatable_rule() -> str:
    """The rule of :meth:`Queries.updatable_indicators`, in words (for the README and tests)."""
    return (
        "an agency posts progress on the indicators of the current plan it leads or coordinates,"
        " explicitly or through a named group (UBND các xã, phường; Các Sở, ban, ngành, đoàn thể"
        " của tỉnh); a role held only through a catch-all group such as “các Sở, ban, ngành liên"
        " quan” does not count"
    )


class Queries:
    def __init__(self, index: KbIndex):
        self.index = index
        # roles depend only on the agency (or, for communes, on its type) and the plan; the index
        # never changes, so they are computed once
        self._roles: dict[tuple[str, str], tuple[tuple[Role, ...], int]] = {}

    # --- agencies --------------------------------------------------------------------------------
    def agency(self, agency_id: str) -> Agency | None:
        return self.index.agencies.get(agency_id)

    def current(self, agency: Agency) -> Agency:
        """The agency under its current name (communes stay themselves)."""
        if agency.id in self.index.agencies:
            return self.index.agencies[self.index.current_id(agency.id)]
        if agency.succeeded_by and agency.succeeded_by in self.index.agencies:
            return self.index.agencies[self.index.current_id(agency.succeeded_by)]
        return agency

    def _resolve(self, agency: Agency | str) -> Agency:
        if isinstance(agency, str):
            found = self.index.agencies.get(agency)
            if found is None:
                raise KeyError(f"unknown agency id {agency!r}")
            return found
        return agency

    def ids_and_groups(self, agency: Agency) -> tuple[frozenset[str], list[Agency]]:
        return self.index.identities(agency), self.index.groups_of(agency)

    def _set_agency(self, ans: Answer, agency: Agency) -> Agency:
        cur = self.current(agency)
        ans.agency = cur
        if cur.id != agency.id or agency.type == COMMUNE:
            ans.named_as = agency
        return cur

    # --- roles -----------------------------------------------------------------------------------
    def role_on(self, ind: Indicator, agency: Agency) -> Role | None:
        """The agency's role on one indicator (explicit, else through a group), or None."""
        ids, groups = self.ids_and_groups(agency)
        return self._role_on(ind, ids, {g.id: g for g in groups})

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

    def _role_on(
        self, ind: Indicator, ids: frozenset[str], groups: dict[str, Agency]
    ) -> Role | None:
        for cell, role in ((ind.lead, LEAD), (ind.coordinate, COORDINATE)):
            for a in cell:
                if a.agency_id in ids:
                    return Role(ind, role, None, a.scope, self._written(a))
        for cell, role in ((ind.lead, LEAD), (ind.coordinate, COORDINATE)):
            hits = [a for a in cell if a.agency_id in groups]
            if hits:
                hits.sort(key=lambda a: groups[a.agency_id].catch_all)
                a = hits[0]
                return Role(
                    ind, role, self.current(groups[a.agency_id]), a.scope, self._written(a)
                )
        return None

    def _written(self, a: Assignment) -> str | None:
        agency = self.index.agencies[a.agency_id]
        return agency.name if agency.succeeded_by else None

    def updatable_indicators(self, agency: Agency | str, plan_id: str | None = None) -> list[Role]:
        """The one rule for progress updates (picker, /capnhat, /tiendo): see
        :func:`updatable_rule`."""
        agency = self.current(self._resolve(agency))
        plan = plan_id or (self.index.current_plan.id if self.index.current_plan else "")
        roles, _ = self.roles_of(agency, plan)
        return [r for r in roles if r.via is None or not r.via.catch_all]

    # --- typed queries
    # -----------------------------------------------------------------------------
    def _answer(self, intent: str, today: date | None = None) -> Answer:
        return Answer(intent=intent, today=today or date.today())

    def plan_of(self, plan_id: str | None) -> Document:
        if plan_id and plan_id in self.index.documents:
            return self.index.documents[plan_id]
        assert self.index.current_plan is not None
        return self.index.current_plan

    def indicators_of(
        self,
        agency: Agency | str,
        plan_id: str | None = None,
        role: str = BOTH,
        ans: Answer | None = None,
    ) -> Answer:
        """``/chiso``: the indicators an agency leads and coordinates in a plan (the current one
        by default)."""
        ans = ans or self._answer("agency_indicators")
        ans.intent = "agency_indicators"
        ans.role = role
        plan = self.plan_of(plan_id)
        cur = self._set_agency(ans, self._resolve(agency))
        roles, catch_all = self.roles_of(cur, plan.id)
        if role != BOTH:
            roles = [r for r in roles if r.role == role]
        ans.roles = roles
        ans.catch_all_count = catch_all if role != LEAD else 0
        ans.plan = plan
        ans.sources = [plan]
        return ans

    def roles_on(
        self,
        code: str,
        plan_id: str | None = None,
        focus: Agency | str | None = None,
        ans: Answer | None = None,
    ) -> Answer:
        """Who leads and coordinates one indicator; with ``focus``, that agency's role there."""
        ans = ans or self._answer("indicator_agencies")
        plan = self.plan_of(plan_id)
        ind = self.index.indicators.get(plan.id, {}).get(code)
        if ind is None:
            return self.not_in_plan(ans, plan, "unknown_code", code)
        ans.intent = "indicator_agencies"
        ans.indicator = ind
        ans.plan = plan
        ans.sources = [plan]
        if focus is not None:
            cur = self._set_agency(ans, self._resolve(focus))
            role = self.role_on(ind, cur)
            ans.focus_role = role.role if role else None
            if role:
                ans.roles = [role]
        return ans

    def not_in_plan(self, ans: Answer, plan: Document, problem: str, code: str) -> Answer:
        """An indicator or component code the plan does not have: say so, with the plan's codes."""
        ans.intent = "unknown"
        ans.problem = problem
        ans.problem_detail = code
        ans.plan = plan
        ans.valid_codes = list(self.index.indicators.get(plan.id, {}))
        return ans

    def component(
        self, code: str, plan_id: str | None = None, ans: Answer | None = None
    ) -> Answer:
        ans = ans or self._answer("indicator_agencies")
        plan = self.plan_of(plan_id)
        comp = self.index.components.get(plan.id, {}).get(code)
        if comp is None:
            return self.not_in_plan(ans, plan, "unknown_component", code)
        ans.intent = "indicator_agencies"
        ans.component = comp
        ans.component_indicators = [
            i for i in self.index.plan_indicators(plan.id) if i.component == code
        ]
        ans.plan = plan
        ans.sources = [plan]
        return ans

    def score_plan(self) -> Document | None:
        return next((d for d in self.index.documents.values() if d.kind == "score_plan"), None)

    def scores(
        self, codes: Iterable[str] = (), component: str | None = None, ans: Answer | None = None
    ) -> Answer:
        """``/diem``: results and targets — the total and the components, or the codes asked
        (plan 86 numbering)."""
        ans = ans or self._answer("scores")
        ans.intent = "scores"
        plan = self.score_plan()
        ans.plan = plan
        if plan is None:
            ans.problem = "no_scores"
            return ans
        ans.sources = [plan]
        indicators = self.index.indicators.get(plan.id, {})
        components = self.index.components.get(plan.id, {})
        codes = list(codes)
        for code in codes:
            if "." in code:
                ind = indicators.get(code)
                if ind is None:
                    ans.problem, ans.problem_detail = "unknown_code", code
                    return ans
                ans.scores.append(ScoreView(code, ind.name, ind.scores))  # type: ignore[arg-type]
            else:
                comp = components.get(code)
                if comp is None:
                    ans.problem, ans.problem_detail = "unknown_component", code
                    return ans
                ans.scores.append(ScoreView(code, comp.name, comp.scores))  # type: ignore[arg-type]
        if component and not codes:
            comp = components.get(component)
            if comp is None:
                ans.problem, ans.problem_detail = "unknown_component", component
                return ans
            ans.scores.append(ScoreView(component, comp.name, comp.scores))  # type: ignore[arg-type]
        if not ans.scores:
            total = self.index.kb.totals.get(plan.id)
            if total:
                ans.scores.append(ScoreView("total", total[0], total[1]))
            for comp in components.values():
                ans.scores.append(ScoreView(comp.code, comp.name, comp.scores))  # type: ignore[arg-type]
        return ans

    # --- deadlines
    # ---------------------------------------------------------------------------------
    def belongs(self, agency: Agency, audience: Iterable[Assignment]) -> str | None:
        """Whether an audience includes the agency: None, or the name of the entry that covers
        it."""
        ids, groups = self.ids_and_groups(agency)
        group_ids = {g.id for g in groups}
        audience = list(audience)
        for a in audience:
            if a.agency_id in ids:
                return a.written
        for a in audience:
            if a.agency_id in group_ids:
                return a.written
        return None

    def _extra(
        self, extra: Iterable[ExtraDeadline | tuple[Deadline, Document]]
    ) -> list[tuple[Deadline, Document, bool | None]]:
        out = []
        for x in extra:
            if isinstance(x, ExtraDeadline):
                audience = tuple(
                    Assignment(a, self.index.agencies[a].name)
                    for a in x.audience
                    if a in self.index.agencies
                )
                d = Deadline(
                    id=x.id or f"chat-{x.date.isoformat()}",
                    doc_id=CHAT_DOCUMENT.id,
                    date=x.date,
                    title=x.title,
                    audience=audience,
                    source="chat",
                )
                out.append((d, CHAT_DOCUMENT, x.applies))
            else:
                d, doc = x
                out.append((d, doc, None))
        return out

    def deadlines_for(
        self,
        agency: Agency | str | None,
        today: date,
        extra_deadlines: Iterable[ExtraDeadline | tuple[Deadline, Document]] = (),
        ans: Answer | None = None,
        show_past: bool = False,
    ) -> Answer:
        """``/hanchot``: the knowledge base's deadlines and the chat's, for an agency (all when
        None).

        Upcoming first (soonest first) with days left, then past ones (latest first); the renderer
        folds the past ones into a count unless ``show_past``.
        """
        ans = ans or self._answer("deadlines", today)
        ans.intent = "deadlines"
        ans.today = today
        ans.show_past = show_past
        items: list[tuple[Deadline, Document, bool | None]] = [
            (d, self.index.documents[d.doc_id], None) for d in self.index.kb.deadlines
        ]
        items.extend(self._extra(extra_deadlines))
        if agency is not None:
            cur = self._set_agency(ans, self._resolve(agency))
            mine = [
                (d, doc, ok)
                for d, doc, ok in items
                if (
                    ok
                    if ok is not None
                    else (not d.audience and doc.kind == "chat")
                    or bool(self.belongs(cur, d.audience))
                )
            ]
            items = mine
            ans.deadlines_filtered = True
        ans.deadlines = self._views(ans, items)
        return ans

    def _views(self, ans: Answer, items: list) -> list[DeadlineView]:
        today = ans.today or date.today()
        views = []
        for d, doc, _ok in items:
            days = (d.date - today).days
            note = self.belongs(ans.agency, d.audience) if ans.agency else None
            views.append(DeadlineView(d, doc, "upcoming" if days >= 0 else "past", days, note))
        upcoming = sorted(
            (v for v in views if v.status == "upcoming"), key=lambda v: v.deadline.date
        )
        past = sorted(
            (v for v in views if v.status == "past"), key=lambda v: v.deadline.date, reverse=True
        )
        ans.sources = list(
            {
                v.document.id: v.document for v in upcoming + past if v.document.kind != "chat"
            }.values()
        )
        with_deadlines = {d.doc_id for d in self.index.kb.deadlines}
        ans.undated_plans = [
            p for p in self.index.plans if p.current and p.id not in with_deadlines
        ]
        return upcoming + past

    # --- tasks and data
    # ----------------------------------------------------------------------------
    def tasks_of(
        self, agency: Agency | str | None, component: str | None = None, ans: Answer | None = None
    ) -> Answer:
        """``/nhiemvu``: an agency's tasks in the task plan (its purpose and goals when no
        agency)."""
        ans = ans or self._answer("tasks")
        ans.intent = "tasks"
        docs = [d for d in self.index.documents.values() if d.kind == "task_plan"]
        ans.sources = docs
        ans.plan = docs[0] if docs else None
        if agency is None:
            ans.problem = "need_agency_for_tasks"
            if ans.plan is not None:
                ans.purpose = self.index.kb.texts.get(ans.plan.id, {}).get("purpose", ())
                ans.goals = [
                    c for c in self.index.components.get(ans.plan.id, {}).values() if c.goal
                ]
            return ans
        cur = self._set_agency(ans, self._resolve(agency))
        ids, groups = self.ids_and_groups(cur)
        group_map = {g.id: g for g in groups}
        explicit_sections = {
            (t.doc_id, t.component)
            for t in self.index.kb.tasks
            if any(a.agency_id in ids for a in t.agencies)
        }
        explicit, via = [], []
        for t in self.index.kb.tasks:
            if component and t.component not in (component, None):
                continue
            comp = self.index.components.get(t.doc_id, {}).get(t.component or "")
            tasks = tuple(x for x in t.tasks if self._task_for(x, ids, group_map))
            if not tasks:
                continue
            mine = [a for a in t.agencies if a.agency_id in ids]
            if mine:
                written = tuple(
                    a.written for a in mine if self.index.agencies[a.agency_id].succeeded_by
                )
                explicit.append(TaskView(comp, t.section, t.ref, tasks, None, written))
                continue
            hits = [a for a in t.agencies if a.agency_id in group_map]
            if not hits:
                continue
            group = group_map[hits[0].agency_id]
            if group.excludes_named and (t.doc_id, t.component) in explicit_sections:
                continue
            via.append(
                TaskView(comp, t.section, t.ref, tasks, self.current(group), (hits[0].written,))
            )
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

    def data_requests_of(
        self, agency: Agency | str | None, today: date | None = None, ans: Answer | None = None
    ) -> Answer:
        """The data an agency was asked for (the 2023 letter on the 2022 environmental index)."""
        ans = ans or self._answer("data_requests", today)
        ans.intent = "data_requests"
        today = ans.today or date.today()
        docs = [d for d in self.index.documents.values() if d.kind == "data_request"]
        ans.sources = docs
        ans.plan = docs[0] if docs else None
        if ans.plan is not None:
            ans.contact = self.index.kb.contacts.get(ans.plan.id)
            ans.deadlines = [
                DeadlineView(
                    d,
                    ans.plan,
                    "upcoming" if (d.date - today).days >= 0 else "past",
                    (d.date - today).days,
                )
                for d in self.index.kb.deadlines
                if d.doc_id == ans.plan.id
            ]
        if agency is None:
            ans.problem = "need_agency_for_data"
            return ans
        cur = self._set_agency(ans, self._resolve(agency))
        ids, groups = self.ids_and_groups(cur)
        group_map = {g.id: g for g in groups}
        for r in self.index.kb.data_requests:
            mine = [a for a in r.agencies if a.agency_id in ids]
            if mine:
                written = tuple(
                    a.written for a in mine if self.index.agencies[a.agency_id].succeeded_by
                )
                ans.data.append(DataView(r.ref, r.items, written))
                continue
            hits = [a for a in r.agencies if a.agency_id in group_map]
            if hits:
                ans.data.append(
                    DataView(
                        r.ref,
                        r.items,
                        (hits[0].written,),
                        self.current(group_map[hits[0].agency_id]),
                    )
                )
        return ans
