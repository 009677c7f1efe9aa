"""Queries on the task plan (an agency's tasks) and on data requests (the data it is asked for)."""

from __future__ import annotations

from datetime import date

from kb.ask.answers import Answer, DataView, DeadlineView, TaskView
from kb.model import Agency
from kb.normalize import normalize
from kb.queries.roles import RoleQueries


class TaskQueries(RoleQueries):
    """``/nhiemvu`` and the data requests: what an agency must do and send."""

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
