"""The body of assignment and score plans: components and their indicators (codes, names, who
leads and coordinates), and the results and targets a score plan gives (scores, medians, ranks).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from kb.check.documents import DocumentChecks
from kb.check.fields import join, shown
from kb.check.problems import N_
from kb.codes import CODE
from kb.model import Component, Document, Indicator, Measure, Rank, Scores

_MEASURE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*(?:điểm)?\s*$")
_RANK = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d+))?(?:\s*tỉnh, thành)?\s*$")
_SCORE_KEYS = {"score", "median", "rank", "target", "target_rank"}


class ScoreChecks(DocumentChecks):
    """Reads the components and indicators of a plan, with their scores in a score plan."""

    def __init__(self) -> None:
        super().__init__()
        self.indicators: list[Indicator] = []
        self.totals: dict[str, tuple[str, Scores]] = {}

    def _components(self, file: str, doc: Document, data: dict, with_scores: bool) -> None:
        comp_codes: set[str] = set()
        codes: set[str] = set()
        allowed = {"code", "name", "source", "indicators"}
        if with_scores:
            allowed |= _SCORE_KEYS
        for ci, comp in enumerate(
            self._list(file, "components", data.get("components"), required=True)
        ):
            cpath = f"components[{ci}]"
            if not isinstance(comp, dict):
                self.problem(file, cpath, N_("must be a mapping with code, name and indicators"))
                continue
            self._keys(file, cpath, comp, allowed, {"code", "name", "indicators"})
            ccode = self._text(file, join(cpath, "code"), comp.get("code"))
            cname = self._text(file, join(cpath, "name"), comp.get("name"))
            if not ccode or not cname:
                continue
            if ccode in comp_codes:
                self.problem(
                    file, join(cpath, "code"), N_("duplicate component code '{code}'"), code=ccode
                )
                continue
            comp_codes.add(ccode)
            self.components.append(
                Component(
                    plan_id=doc.id,
                    code=ccode,
                    name=cname,
                    source=self._text(
                        file, join(cpath, "source"), comp.get("source"), required=False
                    )
                    or "",
                    scores=self._scores(file, cpath, comp) if with_scores else None,
                )
            )
            for ii, row in enumerate(
                self._list(file, join(cpath, "indicators"), comp.get("indicators"), required=True)
            ):
                ipath = f"{cpath}.indicators[{ii}]"
                self._indicator(file, doc, ipath, row, ccode, codes, with_scores)

    def _indicator(
        self,
        file: str,
        doc: Document,
        ipath: str,
        row: Any,
        ccode: str,
        codes: set[str],
        with_scores: bool,
    ) -> None:
        """One indicator of component ``ccode``; ``codes`` holds the plan's codes so far."""
        if not isinstance(row, dict):
            self.problem(file, ipath, N_("must be a mapping with code, name, lead and coordinate"))
            return
        iallowed = {"code", "name", "source", "lead", "coordinate", "note"}
        if with_scores:
            iallowed |= _SCORE_KEYS
        self._keys(file, ipath, row, iallowed, {"code", "name", "lead"})
        code = self._text(file, join(ipath, "code"), row.get("code"))
        name = self._text(file, join(ipath, "name"), row.get("name"))
        if not code or not name or not self._new_code(file, doc, ipath, code, ccode, codes):
            return
        codes.add(code)
        self.indicators.append(
            Indicator(
                plan_id=doc.id,
                code=code,
                component=ccode,
                name=name,
                source=self._text(file, join(ipath, "source"), row.get("source"), required=False)
                or "",
                lead=self._assignments(file, join(ipath, "lead"), row.get("lead"), required=True),
                coordinate=self._assignments(
                    file, join(ipath, "coordinate"), row.get("coordinate")
                ),
                note=self._text(file, join(ipath, "note"), row.get("note"), required=False),
                scores=self._scores(file, ipath, row) if with_scores else None,
            )
        )

    def _new_code(
        self, file: str, doc: Document, ipath: str, code: str, ccode: str, codes: set[str]
    ) -> bool:
        """Whether ``code`` is written '<component>.<item>' and not yet used in the plan."""
        m = CODE.match(code)
        if not m or m.group(1) != ccode or code != f"{int(m.group(1))}.{int(m.group(2))}":
            self.problem(
                file,
                join(ipath, "code"),
                N_("bad code '{code}'; write '<component>.<item>', e.g. '{component}.1'"),
                code=code,
                component=ccode,
            )
            return False
        if code in codes:
            self.problem(
                file,
                join(ipath, "code"),
                N_("duplicate indicator code '{code}' in {doc}"),
                code=code,
                doc=doc.id,
            )
            return False
        return True

    def _measure(self, file: str, path: str, value: Any) -> Measure | None:
        if value is None or value == "":
            return None
        m = _MEASURE.match(shown(value, 100))
        if not m:
            self.problem(
                file,
                path,
                N_('bad number \'{value}\'; write it as in the source, e.g. "4,84" or "56%"'),
                value=shown(value),
            )
            return None
        digits = m.group(1).replace(",", ".")
        try:
            val = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            self.problem(file, path, N_("bad number '{value}'"), value=shown(value))
            return None
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        return Measure(value=val, unit=m.group(2), decimals=decimals)

    def _rank(self, file: str, path: str, value: Any) -> Rank | None:
        if value is None or value == "":
            return None
        m = _RANK.match(shown(value, 100))
        if not m:
            self.problem(
                file,
                path,
                N_("bad rank '{value}'; write a whole number like 58 or \"62/63\""),
                value=shown(value),
            )
            return None
        return Rank(int(m.group(1)), int(m.group(2)) if m.group(2) else None)

    def _scores(self, file: str, path: str, row: dict) -> Scores:
        return Scores(
            score=self._measure(file, join(path, "score"), row.get("score")),
            median=self._measure(file, join(path, "median"), row.get("median")),
            rank=self._rank(file, join(path, "rank"), row.get("rank")),
            target=self._measure(file, join(path, "target"), row.get("target")),
            target_rank=self._rank(file, join(path, "target_rank"), row.get("target_rank")),
        )

    def _doc_assignment_plan(self, file: str, doc: Document, data: dict) -> None:
        self._components(file, doc, data, with_scores=False)

    def _doc_score_plan(self, file: str, doc: Document, data: dict) -> None:
        total = data.get("total")
        if isinstance(total, dict):
            self._keys(
                file,
                "total",
                total,
                {"name", "score", "median", "rank", "target", "target_rank", "source"},
                {"name", "score"},
            )
            self.totals[doc.id] = (
                str(total.get("name") or ""),
                self._scores(file, "total", total),
            )
        elif total is not None:
            self.problem(
                file,
                "total",
                N_("must be a mapping with name, score, rank, target and target_rank"),
            )
        self._components(file, doc, data, with_scores=True)
