"""The status of every (agency, indicator) pair of the current plan, and the board built from them.

The rule lives here and nowhere else (README, "Status of an indicator", describes it): the report,
the chat summary, the focal digest and later the web console all read :func:`load_board`, so the
numbers they show are the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.app.config import Settings
from bot.app.i18n import N_
from bot.core.access import agency_from_record
from bot.core.audience import COORDINATORS, LEADS
from bot.delivery.deadline_items import DeadlineItem, Moved, items_from, with_extension
from kb.ask.answers import LEAD
from kb.ask.engine import Engine
from kb.ask.resolve import commune_agency
from kb.codes import code_key
from kb.collate import vi_key
from kb.model import Agency, Component, Document, Indicator
from storage import deadlines as deadline_store
from storage import explanations, groups, people, review
from storage import extensions as extension_store
from storage.review import Confirmed, PairFacts

if TYPE_CHECKING:
    from bot.core.knowledge import ActiveKb
    from storage.db import Session
    from storage.explanations import ExplanationInfo

OVERDUE, AT_RISK, NOT_REPORTED, ON_TRACK, DONE = (
    "overdue",
    "at_risk",
    "not_reported",
    "on_track",
    "done",
)
ORDER = (OVERDUE, AT_RISK, NOT_REPORTED, ON_TRACK, DONE)  # red first
RANK = {s: i for i, s in enumerate(ORDER)}
COLOURS = {OVERDUE: "red", AT_RISK: "amber", NOT_REPORTED: "grey", ON_TRACK: "green", DONE: "blue"}
HEX = {
    OVERDUE: "D9534F",
    AT_RISK: "F0AD4E",
    NOT_REPORTED: "BDBDBD",
    ON_TRACK: "5CB85C",
    DONE: "428BCA",
}
LABELS = {
    OVERDUE: N_("Overdue"),
    AT_RISK: N_("At risk"),
    NOT_REPORTED: N_("Not reported"),
    ON_TRACK: N_("On track"),
    DONE: N_("Done (confirmed)"),
}
# why a pair has its status
MISSED, NEAR, STALE, BLOCKED, NO_REPORT, REPORTED, CONFIRMED_DONE = (
    "deadline_missed",
    "deadline_near",
    "stale",
    "blocked",
    "no_report",
    "reported",
    "done",
)


@dataclass(frozen=True)
class StatusRules:
    stale_days: int = (
        30  # days without a report before at risk; also how early a report may meet a deadline
    )
    at_risk_days: int = 7  # days before a deadline when low progress is at risk
    at_risk_percent: int = (
        80  # confirmed progress below this, that close to a deadline, is at risk
    )

    @staticmethod
    def from_settings(settings: Settings) -> StatusRules:
        return StatusRules(
            settings.status_stale_days,
            settings.status_at_risk_days,
            settings.status_at_risk_percent,
        )


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str
    deadline: DeadlineItem | None  # the missed deadline, else the next one ahead
    days_since_report: int | None


def classify(
    rules: StatusRules,
    today: date,
    last_report: date | None,
    confirmed: Confirmed | None,
    deadlines: Sequence[DeadlineItem],
) -> Verdict:
    """The status of one pair. ``last_report``: local date of its latest standing update (awaiting
    or confirmed); ``confirmed``: its latest confirmed update; ``deadlines``: those that apply to
    it.
    """
    days = (today - last_report).days if last_report is not None else None
    ahead = sorted((d for d in deadlines if d.due >= today), key=lambda d: d.due)
    upcoming = ahead[0] if ahead else None
    if confirmed is not None and confirmed.status == "done":
        return Verdict(DONE, CONFIRMED_DONE, upcoming, days)
    window = timedelta(days=rules.stale_days)
    missed = [
        d
        for d in deadlines
        if d.due < today and (last_report is None or last_report < d.due - window)
    ]
    if missed:
        return Verdict(OVERDUE, MISSED, max(missed, key=lambda d: d.due), days)
    near = (
        upcoming
        if upcoming is not None and (upcoming.due - today).days <= rules.at_risk_days
        else None
    )
    if last_report is None:
        return (
            Verdict(AT_RISK, NEAR, near, None)
            if near
            else Verdict(NOT_REPORTED, NO_REPORT, upcoming, None)
        )
    if confirmed is not None and confirmed.status == "blocked":
        return Verdict(AT_RISK, BLOCKED, upcoming, days)
    if days is not None and days > rules.stale_days:
        return Verdict(AT_RISK, STALE, upcoming, days)
    percent = confirmed.percent if confirmed is not None and confirmed.percent is not None else 0
    if near is not None and percent < rules.at_risk_percent:
        return Verdict(AT_RISK, NEAR, near, days)
    return Verdict(ON_TRACK, REPORTED, upcoming, days)


# --- the board ---------------------------------------------------------------------------------


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
        roles, _ = engine.roles_of(agency, plan.id)
        roles = [r for r in roles if not (r.via is not None and r.via.catch_all)]
        if not roles:
            continue
        kept.append(agency)
        mine = [
            with_extension(d, agency.id, moved or {})
            for d in deadlines
            if d.audience.includes(agency, engine)
        ]
        for r in roles:
            ind = r.indicator
            f = facts.get((agency.id, ind.code))
            last = (
                f.last_report_at.astimezone(tz).date()
                if f is not None and f.last_report_at is not None
                else None
            )
            verdict = classify(
                rules,
                today,
                last,
                f.confirmed if f else None,
                [d for d in mine if _applies(d, ind)],
            )
            pairs.append(
                PairStatus(
                    agency,
                    ind,
                    r.role,
                    r.via.name if r.via else None,
                    verdict,
                    f,
                    open_counts.get((agency.id, ind.code), 0),
                )
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
