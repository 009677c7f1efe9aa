"""The board (agencies × indicators of the current plan, by status, red first) and an agency's page
(its people and chats, its indicators, the reminders it was sent and what it acknowledged).

Every number comes from :func:`bot.reporting.board.load_board`, so the board, the report and the
chat agree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.app.i18n import N_, Translator, channel_name
from bot.core.access import agency_from_record
from bot.delivery.recipients import official_address
from bot.reporting.board import Board, PairStatus, load_board
from bot.reporting.status import COLOURS, LABELS, ORDER, RANK, StatusRules
from handlers.web.auth import EVERYONE, MEMBER, STAFF, Principal
from handlers.web.console import PREFIX, Console, guarded
from handlers.web.pages import leader
from kb.collate import vi_key
from kb.model import Component, Indicator
from storage.delivery import ledger
from storage.directory import groups, people
from storage.schedule import deadlines as deadline_store

REMINDERS_SHOWN = 50


def load(console: Console) -> Board:
    """The board as of now, read in one session."""
    services = console.services
    conv = services.conversation
    with services.db.session() as s:
        return load_board(
            s,
            services.knowledge.current,
            StatusRules.from_settings(services.settings),
            conv.today(),
            conv.tz,
        )


def status_context() -> dict:
    """What the templates need to draw a status: its colour class and its label (a msgid)."""
    return {"colours": COLOURS, "labels": LABELS, "order": ORDER}


# --- the board ------------------------------------------------------------------------------


def _board(console: Console, request: Request) -> Response:
    board = load(console)
    component = request.query_params.get("component") or None
    if component not in {c.code for c in board.components}:
        component = None
    agency_id = request.query_params.get("agency") or None
    if agency_id not in {a.id for a in board.agencies}:
        agency_id = None
    indicators = [r.indicator for r in board.rows(component)]
    codes = {i.code for i in indicators}
    pairs = [
        p
        for p in board.pairs
        if p.indicator.code in codes and (agency_id is None or p.agency.id == agency_id)
    ]
    cells = {(p.agency.id, p.indicator.code): p for p in pairs}
    worst: dict[str, int] = {}
    for p in pairs:
        worst[p.agency.id] = min(worst.get(p.agency.id, len(ORDER)), RANK[p.status])
    agencies = sorted(
        (a for a in board.agencies if a.id in worst), key=lambda a: (worst[a.id], vi_key(a.name))
    )
    columns = {
        code: Counter(p.status for p in pairs if p.indicator.code == code) for code in codes
    }
    tally = Counter(p.status for p in pairs)
    return console.render(
        request,
        "board.html",
        board=board,
        component=component,
        agency_id=agency_id,
        indicators=indicators,
        agencies=agencies,
        cells=cells,
        columns=columns,
        tally=tally,
        groups=phone_groups(board, pairs, component),
        **status_context(),
    )


@dataclass(frozen=True)
class PhoneRow:
    """One indicator on a phone: its name and its agencies' statuses, worst first."""

    indicator: Indicator
    status: str
    pairs: list[PairStatus]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(status, how many agencies) for the statuses present, worst first."""
        seen = Counter(p.status for p in self.pairs)
        return [(s, seen[s]) for s in ORDER if seen[s]]


def phone_groups(
    board: Board, pairs: list[PairStatus], component: str | None
) -> list[tuple[Component, list[PhoneRow]]]:
    """The board on a phone: indicators grouped by component, worst first, each with its
    agencies' colours."""
    by_code: dict[str, list[PairStatus]] = {}
    for p in pairs:
        by_code.setdefault(p.indicator.code, []).append(p)
    out = []
    for comp in board.components:
        if component is not None and comp.code != component:
            continue
        rows = []
        for row in board.rows(comp.code):
            mine = sorted(
                by_code.get(row.indicator.code, []),
                key=lambda p: (RANK[p.status], vi_key(p.agency.name)),
            )
            if mine:
                worst = min((p.status for p in mine), key=RANK.__getitem__)
                rows.append(PhoneRow(row.indicator, worst, mine))
        rows.sort(key=lambda r: RANK[r.status])  # stable: the plan's order within a status
        if rows:
            out.append((comp, rows))
    return out


async def board_page(console: Console, request: Request) -> Response:
    return await run_in_threadpool(_board, console, request)


# --- an agency ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    channels: list[str]  # "Zalo", "Telegram (unreachable)"…
    email: str = ""  # the person's own address ("" : none given)


@dataclass(frozen=True)
class Reminder:
    at: object
    deadline_key: str | None
    channel: str
    status: str
    text: str
    acknowledged: bool


def may_see_agency(me: Principal, agency_id: str) -> bool:
    return me.role in STAFF or (
        me.role == MEMBER and (me.agency_id == agency_id or agency_id in me.led)
    )


def _members(s, agency_id: str, tr: Translator) -> list[Person]:
    """The agency's members, each with the chat channels that reach them (✕: not any more)."""
    members = []
    for m in people.members_of(s, agency_id):
        idents = people.identities_of(s, m.user_id)
        members.append(
            Person(
                m.user_id,
                people.display_name(s, m.user_id),
                [
                    channel_name(tr, i.channel) + ("" if i.reachable else " ✕")
                    for i in idents
                    if i.channel != people.EMAIL
                ],
                people.email_of(s, m.user_id) or "",
            )
        )
    return members


def _reminders(s, agency_id: str) -> tuple[list[Reminder], dict[str, bool]]:
    """The agency's latest reminders, and for each of their deadlines whether it acknowledged."""
    rows = [r for r in ledger.all_rows(s, kind="reminder") if r.agency_id == agency_id]
    rows = sorted(rows, key=lambda r: r.id, reverse=True)[:REMINDERS_SHOWN]
    acked = {
        key: agency_id in deadline_store.acknowledged_agencies(s, key)
        for key in {r.deadline_key for r in rows if r.deadline_key}
    }
    reminders = [
        Reminder(
            r.sent_at,
            r.deadline_key,
            r.channel,
            r.status,
            r.text,
            acked.get(r.deadline_key or "", False),
        )
        for r in rows
    ]
    return reminders, acked


def render_agency(console: Console, request: Request, status_code: int = 200, **extra) -> Response:
    me: Principal = request.scope["pgi_principal"]
    active = console.services.knowledge.current
    agency_id = request.path_params["agency_id"]
    board = load(console)
    agency = next((a for a in board.agencies if a.id == agency_id), None) or agency_from_record(
        active, agency_id, ""
    )
    if agency is None or agency.is_group:
        return console.refuse(request, 404, N_("There is no such agency."))
    if not may_see_agency(me, agency.id):
        return console.refuse(request, 403, N_("Your role does not allow this page."))
    pairs: list[PairStatus] = [p for p in board.pairs if p.agency.id == agency.id]
    with console.services.db.session() as s:
        members = _members(s, agency.id, console.translator(request))
        official = official_address(s, active, agency.id)
        bindings = groups.active_for_agencies(s, [agency.id])
        reminders, acked = _reminders(s, agency.id)
        accountable = leader.agency_context(console, s, me, agency, pairs, members)
    return console.render(
        request,
        "agency.html",
        status_code=status_code,
        agency=agency,
        pairs=pairs,
        members=members,
        bindings=bindings,
        reminders=reminders,
        acknowledged=sorted(k for k, v in acked.items() if v),
        official=official,
        registered=agency.id in active.kb.agencies,
        **accountable,
        done=request.query_params.get("done"),
        channel_name=channel_name,
        **status_context(),
        **extra,
    )


async def agency_page(console: Console, request: Request) -> Response:
    return await run_in_threadpool(render_agency, console, request)


def routes(console: Console) -> list[Route]:
    console.nav_item(f"{PREFIX}/board", N_("Board"), STAFF)
    return [
        Route("/board", guarded(console, STAFF, board_page), methods=["GET"]),
        Route("/agencies/{agency_id}", guarded(console, EVERYONE, agency_page), methods=["GET"]),
    ]
