"""The board: the status of every (agency, indicator) pair of the current plan, and its sums.

:func:`load_board` is the one computation every view uses (the report, the chat summary, the focal
digest, the web console); each pair is judged by :func:`bot.reporting.status.classify`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.access import agency_from_record
from bot.core.audience import COORDINATORS, LEADS
from bot.delivery.deadline_items import DeadlineItem, Moved, items_from, with_extension
from bot.reporting.status import NOT_REPORTED, RANK, StatusRules, Verdict, classify
from kb.ask.answers import LEAD, Role
from kb.ask.engine import Engine
from kb.ask.resolve import commune_agency
from kb.codes import code_key
from kb.collate import vi_key
from kb.model import Agency, Component, Document, Indicator
from storage.directory import groups, people
from storage.schedule import deadlines as deadline_store
from storage.schedule import extensions as extension_store
from storage.tracking import explanations, review
from storage.tracking.review import PairFacts

if TYPE_CHECKING:
    from bot.core.knowledge import ActiveKb
    from storage.db import Session
    from storage.tracking.explanations import ExplanationInfo


@dataclass(frozen=True)
class PairStatus:
    agency: Agency
    indicator: Indicator
    role: str  # lead | coordinate
    via: str | None  # the group the role comes through
    verdict: Verdict
    facts: PairFacts | None
    open_requests: int

    @property
    def status(self) -> str:
        return self.verdict.status


@dataclass(frozen=True)
class Tally:
    """Counts over a set of pairs: what the summary sheet and the chat summary show."""

    held: int = 0
    reported: int = 0  # at least one update that stands
    confirmed: int = 0  # at least one confirmed update
    statuses: Mapping[str, int] = field(default_factory=dict)
    open_requests: int = 0

    def count(self, status: str) -> int:
        return self.statuses.get(status, 0)

    @staticmethod
    def of(pairs: Iterable[PairStatus]) -> Tally:
        pairs = list(pairs)
        return Tally(
            held=len(pairs),
            reported=sum(1 for p in pairs if p.facts is not None and p.facts.reports > 0),
            confirmed=sum(
                1 for p in pairs if p.facts is not None and p.facts.confirmed is not None
            ),
            statuses=dict(Counter(p.status for p in pairs)),
            open_requests=sum(p.open_requests for p in pairs),
        )


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    pairs: tuple[PairStatus, ...]
    # the worst status among its lead agencies (among all its agencies when none is on the board)
    status: str
    latest: PairStatus | None  # the pair with the most recent confirmed update

    @property
    def evidence(self) -> int:
        return sum(p.facts.evidence for p in self.pairs if p.facts is not None)

    @property
    def open_requests(self) -> int:
        return sum(p.open_requests for p in self.pairs)


@dataclass(frozen=True)
class Board:
    plan: Document
    today: date
    rules: StatusRules
    components: tuple[Component, ...]
    indicators: tuple[Indicator, ...]
    agencies: tuple[Agency, ...]
    pairs: tuple[PairStatus, ...]  # red first, then by agency and indicator
    deadlines: tuple[DeadlineItem, ...]
    registered: frozenset[str] = (
        frozenset()
    )  # agencies with an approved member or a bound group chat

    def is_registered(self, agency: Agency) -> bool:
        """False: no one from this agency has signed up yet (nobody receives its reminders)."""
        return agency.id in self.registered

    def tally(self) -> Tally:
        return Tally.of(self.pairs)

    def by_component(self) -> list[tuple[Component, Tally]]:
        return [
            (c, Tally.of(p for p in self.pairs if p.indicator.component == c.code))
            for c in self.components
        ]

    def by_agency(self) -> list[tuple[Agency, Tally]]:
        return [(a, Tally.of(p for p in self.pairs if p.agency.id == a.id)) for a in self.agencies]

    def rows(self, component: str | None = None) -> list[IndicatorRow]:
        by_code: dict[str, list[PairStatus]] = {}
        for p in self.pairs:
            by_code.setdefault(p.indicator.code, []).append(p)
        out = []
        for ind in self.indicators:
            if component is not None and ind.component != component:
                continue
            pairs = tuple(by_code.get(ind.code, ()))
            leads = [p for p in pairs if p.role == LEAD] or list(pairs)
            status = min((p.status for p in leads), key=RANK.__getitem__, default=NOT_REPORTED)
            confirmed = [
                (p, p.facts.confirmed)
                for p in pairs
                if p.facts is not None and p.facts.confirmed is not None
            ]
            latest = max(confirmed, key=lambda pc: pc[1].created_at)[0] if confirmed else None
            out.append(IndicatorRow(ind, pairs, status, latest))
        return out


def _applies(item: DeadlineItem, indicator: Indicator) -> bool:
    """A deadline addressed to the lead or coordinating agencies of an indicator or component
    applies to that one only."""
    kind = item.audience.spec.get("kind")
    if kind not in (LEADS, COORDINATORS):
        return True
    target = item.audience.spec.get("target", "")
    return target == indicator.code or target == f"C{indicator.component}"


def _held_roles(engine: Engine, agency: Agency, plan_id: str) -> list[Role]:
    """The agency's roles in the plan, but those held only through a catch-all group."""
    roles, _ = engine.roles_of(agency, plan_id)
    return [r for r in roles if not (r.via is not None and r.via.catch_all)]


def _pair(
    rules: StatusRules,
    today: date,
    tz: ZoneInfo,
    agency: Agency,
    role: Role,
    f: PairFacts | None,
    deadlines: list[DeadlineItem],
    open_requests: int,
) -> PairStatus:
    """One pair judged: against the deadlines of the agency that apply to the indicator."""
    ind = role.indicator
    last = (
        f.last_report_at.astimezone(tz).date()
        if f is not None and f.last_report_at is not None
        else None
    )
    verdict = classify(
        rules, today, last, f.confirmed if f else None, [d for d in deadlines if _applies(d, ind)]
    )
    return PairStatus(
        agency, ind, role.role, role.via.name if role.via else None, verdict, f, open_requests
    )


def compute_board(
    engine: Engine,
    plan: Document,
    agencies: Iterable[Agency],
    facts: Mapping[tuple[str, str], PairFacts],
    deadlines: Sequence[DeadlineItem],
    requests: Iterable[ExplanationInfo],
    today: date,
    tz: ZoneInfo,
    rules: StatusRules,
    registered: frozenset[str] = frozenset(),
    moved: Moved | None = None,
) -> Board:
    """Every pair an agency leads or coordinates (roles held only through catch-all groups left
    out).

    An agency with an approved extension of a deadline is judged against its new date (``moved``).
    """
    index = engine.index
    open_counts = Counter((q.agency_id, q.indicator_code) for q in requests if q.is_open)
    pairs: list[PairStatus] = []
    kept: list[Agency] = []
    for agency in agencies:
        roles = _held_roles(engine, agency, plan.id)
        if not roles:
            continue
        kept.append(agency)
        mine = [
            with_extension(d, agency.id, moved or {})
            for d in deadlines
            if d.audience.includes(agency, engine)
        ]
        for r in roles:
            key = (agency.id, r.indicator.code)
            pairs.append(
                _pair(rules, today, tz, agency, r, facts.get(key), mine, open_counts.get(key, 0))
            )
    pairs.sort(key=lambda p: (RANK[p.status], vi_key(p.agency.name), code_key(p.indicator.code)))
    components = tuple(c for c in index.kb.components if c.plan_id == plan.id)
    indicators = tuple(sorted(index.plan_indicators(plan.id), key=lambda i: code_key(i.code)))
    return Board(
        plan,
        today,
        rules,
        components,
        indicators,
        tuple(kept),
        tuple(pairs),
        tuple(deadlines),
        registered,
    )


def board_agencies(active: ActiveKb, records: Iterable[tuple[str, str]]) -> list[Agency]:
    """Every agency the plan may assign: the registry's current agencies, all 65 communes and wards
    (before anyone from them signs up), and the agencies of stored records; in Vietnamese order."""
    out: dict[str, Agency] = {}
    for a in active.kb.agencies.values():
        if not a.is_group and not a.succeeded_by:
            out[a.id] = a
    for place in active.kb.places.units:
        commune = commune_agency(place)
        out[commune.id] = commune
    for agency_id, name in records:
        agency = agency_from_record(active, agency_id, name)
        if agency is not None and not agency.is_group:
            out.setdefault(agency.id, agency)
    return sorted(out.values(), key=lambda a: (a.type == "commune", vi_key(a.name)))


def registered_agencies(s: Session, active: ActiveKb) -> frozenset[str]:
    """Agencies (current ids) with an approved member or an active group binding."""
    ids = {m.agency_id for m in people.all_members(s)} | {
        b.agency_id for b in groups.all_active(s)
    }
    index = active.index
    return frozenset(index.current_id(i) if i in index.agencies else i for i in ids)


def load_board(
    s: Session, active: ActiveKb, rules: StatusRules, today: date, tz: ZoneInfo
) -> Board:
    """The board of the current plan, read in one session: the one computation every view uses."""
    plan = active.plan
    index = active.index
    facts = {}
    for (agency_id, code), f in review.pair_facts(s, plan.id).items():
        facts[
            (index.current_id(agency_id) if agency_id in index.agencies else agency_id, code)
        ] = f
    # deadlines that passed before the plan was issued belong to earlier plans; a cancelled
    # recurring deadline keeps the occurrences it had before it was cancelled
    custom = deadline_store.active(s) + deadline_store.cancelled_series(s)
    items = items_from(active.kb, custom, plan.date, today=today, tz=tz)
    agencies = board_agencies(active, review.known_agencies(s))
    return compute_board(
        active.engine,
        plan,
        agencies,
        facts,
        items,
        explanations.open_requests(s, plan.id),
        today,
        tz,
        rules,
        registered_agencies(s, active),
        extension_store.approved(s),
    )


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()
