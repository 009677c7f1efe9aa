"""An agency and its roles on a plan's indicators: the base of every typed query.

Agencies are looked up by id and followed to their current name; a role is held explicitly or
through a group the agency belongs to (kb/index.py indexes both).
"""

from __future__ import annotations

from datetime import date

from kb.ask.answers import COORDINATE, LEAD, Answer, Role
from kb.index import KbIndex
from kb.model import COMMUNE, Agency, Assignment, Document, Indicator


def updatable_rule() -> str:
    """The rule of :meth:`RoleQueries.updatable_indicators`, in words (README and tests)."""
    return (
        "an agency posts progress on the indicators of the current plan it leads or coordinates,"
        " explicitly or through a named group (UBND các xã, phường; Các Sở, ban, ngành, đoàn thể"
        " của tỉnh); a role held only through a catch-all group such as “các Sở, ban, ngành liên"
        " quan” does not count"
    )


class RoleQueries:
    """Agencies and their roles over one knowledge-base snapshot (its :class:`KbIndex`)."""

    def __init__(self, index: KbIndex):
        self.index = index
        # roles depend only on the agency (or, for communes, on its type) and the plan; the index
        # never changes, so they are computed once
        self._roles: dict[tuple[str, str], tuple[tuple[Role, ...], int]] = {}

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

    def _answer(self, intent: str, today: date | None = None) -> Answer:
        return Answer(intent=intent, today=today or date.today())

    def plan_of(self, plan_id: str | None) -> Document:
        if plan_id and plan_id in self.index.documents:
            return self.index.documents[plan_id]
        assert self.index.current_plan is not None
        return self.index.current_plan

    def not_in_plan(self, ans: Answer, plan: Document, problem: str, code: str) -> Answer:
        """An indicator or component code the plan does not have: say so, with the plan's codes."""
        ans.intent = "unknown"
        ans.problem = problem
        ans.problem_detail = code
        ans.plan = plan
        ans.valid_codes = list(self.index.indicators.get(plan.id, {}))
        return ans
