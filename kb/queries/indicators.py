"""Queries on a plan's indicators and components, and on the score plan's results and targets."""

from __future__ import annotations

from collections.abc import Iterable

from kb.ask.answers import BOTH, LEAD, Answer, ScoreView
from kb.model import Agency, Document
from kb.queries.roles import RoleQueries


class IndicatorQueries(RoleQueries):
    """``/chiso`` and ``/diem``: who does what on which indicator, and how the province scored."""

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
