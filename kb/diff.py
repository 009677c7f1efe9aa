"""What changed between two knowledge-base versions: the admin's reload summary and the web
console's diff."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.model import Agency, Assignment, Indicator, KnowledgeBase


@dataclass
class KbDiff:
    documents_added: list[str] = field(default_factory=list)
    documents_removed: list[str] = field(default_factory=list)
    agencies_added: list[str] = field(default_factory=list)
    agencies_removed: list[str] = field(default_factory=list)
    agencies_changed: list[str] = field(
        default_factory=list
    )  # name, type, aliases, groups or successor
    indicators_added: list[str] = field(default_factory=list)  # "plan-id 1.5"
    indicators_removed: list[str] = field(default_factory=list)
    indicators_changed: list[str] = field(default_factory=list)
    assignments_added: list[str] = field(
        default_factory=list
    )  # "plan-id 1.5 lead: Sở Xây dựng (scope)"
    assignments_removed: list[str] = field(default_factory=list)
    deadlines_added: list[str] = field(default_factory=list)
    deadlines_changed: list[str] = field(default_factory=list)
    deadlines_removed: list[str] = field(default_factory=list)
    lexicon_added: list[str] = field(
        default_factory=list
    )  # "plan-id 2.4: phrase" (kb/data/lexicon.yaml)
    lexicon_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f) for f in self.__dataclass_fields__)


def _cell(cell: tuple[Assignment, ...]) -> tuple[tuple[str, str | None], ...]:
    return tuple((a.agency_id, a.scope) for a in cell)


def _shape(ind: Indicator) -> tuple:
    return (ind.name, _cell(ind.lead), _cell(ind.coordinate), ind.note, ind.scores)


def _agency_shape(a: Agency) -> tuple:
    return (
        a.name,
        a.type,
        tuple(sorted(a.aliases)),
        a.succeeded_by,
        tuple(sorted(a.members)),
        tuple(sorted(a.member_types)),
    )


def _assignments(ind: Indicator) -> set[str]:
    out = set()
    for role, cell in (("lead", ind.lead), ("coordinate", ind.coordinate)):
        for a in cell:
            out.add(
                f"{ind.plan_id} {ind.code} {role}: {a.written}"
                + (f" ({a.scope})" if a.scope else "")
            )
    return out


def diff(old: KnowledgeBase | None, new: KnowledgeBase) -> KbDiff:
    d = KbDiff()
    if old is None:
        d.documents_added = sorted(new.documents)
        return d
    d.documents_added = sorted(set(new.documents) - set(old.documents))
    d.documents_removed = sorted(set(old.documents) - set(new.documents))
    d.agencies_added = sorted(new.agencies[a].name for a in set(new.agencies) - set(old.agencies))
    d.agencies_removed = sorted(
        old.agencies[a].name for a in set(old.agencies) - set(new.agencies)
    )
    d.agencies_changed = sorted(
        new.agencies[a].name
        for a in set(new.agencies) & set(old.agencies)
        if _agency_shape(new.agencies[a]) != _agency_shape(old.agencies[a])
    )
    old_ind = {(i.plan_id, i.code): i for i in old.indicators}
    new_ind = {(i.plan_id, i.code): i for i in new.indicators}
    d.indicators_added = [f"{p} {c}" for p, c in sorted(set(new_ind) - set(old_ind))]
    d.indicators_removed = [f"{p} {c}" for p, c in sorted(set(old_ind) - set(new_ind))]
    d.indicators_changed = [
        f"{p} {c}"
        for (p, c) in sorted(set(new_ind) & set(old_ind))
        if _shape(new_ind[(p, c)]) != _shape(old_ind[(p, c)])
    ]
    old_as = set().union(*(_assignments(i) for i in old_ind.values()))
    new_as = set().union(*(_assignments(i) for i in new_ind.values()))
    d.assignments_added = sorted(new_as - old_as)
    d.assignments_removed = sorted(old_as - new_as)
    old_dl = {x.id: (x.date, x.title, _cell(x.audience)) for x in old.deadlines}
    new_dl = {x.id: (x.date, x.title, _cell(x.audience)) for x in new.deadlines}
    d.deadlines_added = sorted(set(new_dl) - set(old_dl))
    d.deadlines_changed = sorted(k for k in set(new_dl) & set(old_dl) if new_dl[k] != old_dl[k])
    d.deadlines_removed = sorted(set(old_dl) - set(new_dl))
    old_lex = {f"{e.plan_id} {e.code}: {p}" for e in old.lexicon for p in e.phrases}
    new_lex = {f"{e.plan_id} {e.code}: {p}" for e in new.lexicon for p in e.phrases}
    d.lexicon_added = sorted(new_lex - old_lex)
    d.lexicon_removed = sorted(old_lex - new_lex)
    return d
