"""What changed between two knowledge-base versions, for the admin's reload summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.model import Assignment, Indicator, KnowledgeBase


@dataclass
class KbDiff:
    documents_added: list[str] = field(default_factory=list)
    documents_removed: list[str] = field(default_factory=list)
    agencies_added: list[str] = field(default_factory=list)
    agencies_removed: list[str] = field(default_factory=list)
    indicators_added: list[str] = field(default_factory=list)  # "plan-id 1.5"
    indicators_removed: list[str] = field(default_factory=list)
    indicators_changed: list[str] = field(default_factory=list)
    deadlines_added: list[str] = field(default_factory=list)
    deadlines_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f) for f in self.__dataclass_fields__)


def _cell(cell: tuple[Assignment, ...]) -> tuple[tuple[str, str | None], ...]:
    return tuple((a.agency_id, a.scope) for a in cell)


def _shape(ind: Indicator) -> tuple:
    return (ind.name, _cell(ind.lead), _cell(ind.coordinate), ind.note, ind.scores)


def diff(old: KnowledgeBase | None, new: KnowledgeBase) -> KbDiff:
    d = KbDiff()
    if old is None:
        d.documents_added = sorted(new.documents)
        return d
    d.documents_added = sorted(set(new.documents) - set(old.documents))
    d.documents_removed = sorted(set(old.documents) - set(new.documents))
    d.agencies_added = sorted(new.agencies[a].name for a in set(new.agencies) - set(old.agencies))
    d.agencies_removed = sorted(old.agencies[a].name for a in set(old.agencies) - set(new.agencies))
    old_ind = {(i.plan_id, i.code): i for i in old.indicators}
    new_ind = {(i.plan_id, i.code): i for i in new.indicators}
    d.indicators_added = [f"{p} {c}" for p, c in sorted(set(new_ind) - set(old_ind))]
    d.indicators_removed = [f"{p} {c}" for p, c in sorted(set(old_ind) - set(new_ind))]
    d.indicators_changed = [
        f"{p} {c}" for (p, c) in sorted(set(new_ind) & set(old_ind)) if _shape(new_ind[(p, c)]) != _shape(old_ind[(p, c)])
    ]
    old_dl = {x.id: (x.date, x.title) for x in old.deadlines}
    new_dl = {x.id: (x.date, x.title) for x in new.deadlines}
    d.deadlines_added = sorted(k for k in new_dl if old_dl.get(k) != new_dl[k])
    d.deadlines_removed = sorted(set(old_dl) - set(new_dl))
    return d
