"""Validation of knowledge-base files into a :class:`KnowledgeBase`.

Collects every problem (file, path inside the file, what is wrong, what to do) and returns them all
at once, so an admin fixes a broken file in one round.

The checks are built in layers, one concept each: kb/check/fields.py (any field), agencies.py (the
registry and how files name agencies), documents.py (a document's header), scores.py (assignment
and score plans), tasks.py (task plans and data requests), places.py (communes and wards).
"""

from __future__ import annotations

from types import MappingProxyType

from kb.check.places import PlaceChecks
from kb.check.problems import N_, Problem
from kb.check.scores import ScoreChecks
from kb.check.tasks import TaskChecks
from kb.model import KnowledgeBase


class Builder(ScoreChecks, TaskChecks, PlaceChecks):
    """Checks the files one by one (kb/loader.py calls :meth:`registry`, :meth:`finish_registry`,
    :meth:`places_file` and :meth:`document`), then builds the knowledge base from them."""

    def build(self) -> tuple[KnowledgeBase | None, list[Problem]]:
        current = [d for d in self.documents.values() if d.kind == "assignment_plan" and d.current]
        plans = [d for d in self.documents.values() if d.kind == "assignment_plan"]
        if plans and len(current) != 1:
            names = ", ".join(sorted(self._doc_files[d.id] for d in current or plans))
            self.problem(
                names,
                "document.current",
                N_("exactly one assignment_plan must have 'current: true' (found {n})"),
                n=len(current),
            )
        if not plans and not self.problems:
            self.problem(
                "(knowledge base)",
                "",
                N_("no assignment_plan document; the current plan's file is missing"),
            )
        if self.problems:
            return None, self.problems
        kb = KnowledgeBase(
            agencies=MappingProxyType(dict(self.agencies)),
            documents=MappingProxyType(dict(self.documents)),
            components=tuple(self.components),
            indicators=tuple(self.indicators),
            totals=MappingProxyType(dict(self.totals)),
            tasks=tuple(self.tasks),
            deadlines=tuple(sorted(self.deadlines, key=lambda d: d.date)),
            data_requests=tuple(self.data_requests),
            contacts=MappingProxyType(dict(self.contacts)),
            texts=MappingProxyType(dict(self.texts)),
            places=self.places,
        )
        return kb, []
