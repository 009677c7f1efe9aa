"""Responsible officials and leaders in the console: on an agency's page, its responsible officials
(named and removed by the focal department, the agency's members and its leaders) and its leaders;
the Leaders page (staff) lists every leader, grants and revokes the role (admins) and sets after
how many working days overdue the leaders are told (the focal department).

The rules and notices are the chat's (:mod:`bot.flows.people.leader_actions`); every change is
audited in its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.i18n import N_
from bot.core.access import agency_from_record, may_name_responsible
from bot.core.validate_input import USER_ID_MAX, parse_id
from bot.flows.people import leader_actions
from bot.reporting.board import load_board
from bot.reporting.status import StatusRules
from handlers.web.auth import ADMIN, EVERYONE, STAFF, Principal
from handlers.web.console import PREFIX, Console, guarded
from kb.codes import parse_code
from kb.collate import vi_key
from kb.model import Agency
from storage.directory import leaders, people


@dataclass(frozen=True)
class Row:
    id: int
    code: str
    user_id: int
    name: str


@dataclass(frozen=True)
class LeaderRow:
    id: int
    agency_id: str
    agency_name: str
    user_id: int
    name: str


def may_name(console: Console, s, me: Principal, agency: Agency) -> bool:
    """The chat's rule (bot.core.access.may_name_responsible); the server admin may too."""
    if me.user_id is None:
        return me.role == ADMIN
    return may_name_responsible(
        s, console.services.settings, console.services.knowledge.current, me.user_id, agency.id
    )


def agency_context(
    console: Console, s, me: Principal, agency: Agency, pairs: list, members: list
) -> dict:
    """What the agency page shows of its responsible officials and leaders, and whether the
    viewer may change them."""
    plan_id = console.services.knowledge.current.plan.id
    rows = [
        Row(r.id, r.indicator_code, r.user_id, people.display_name(s, r.user_id))
        for r in leaders.responsibles(s, plan_id, agency.id)
    ]
    heads = [
        LeaderRow(r.id, r.agency_id, r.agency_name, r.user_id, people.display_name(s, r.user_id))
        for r in leaders.leaders(s, agency_id=agency.id)
    ]
    return {
        "responsibles": rows,
        "agency_leaders": heads,
        "can_name": may_name(console, s, me, agency),
        "indicator_codes": sorted(
            {p.indicator.code for p in pairs}, key=lambda c: [int(x) for x in c.split(".")]
        ),
        "is_admin": me.role == ADMIN,
    }


def _agencies(console: Console) -> list[Agency]:
    """The agencies the board shows (those with people, groups or updates), read as the board
    reads them."""
    services = console.services
    conv = services.conversation
    with services.db.session() as s:
        board = load_board(
            s,
            services.knowledge.current,
            StatusRules.from_settings(services.settings),
            conv.today(),
            conv.tz,
        )
    return list(board.agencies)


def _agency_of(console: Console, request: Request) -> Agency | None:
    agency_id = request.path_params["agency_id"]
    found = next((a for a in _agencies(console) if a.id == agency_id), None)
    return found or agency_from_record(console.services.knowledge.current, agency_id, "")


def _back(agency_id: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}/agencies/{quote(agency_id)}?done={done}", status_code=303)


async def name_responsible(console: Console, request: Request) -> Response:
    """POST code + user: that member is responsible for the agency's indicator."""
    me: Principal = request.scope["pgi_principal"]
    form = request.scope["pgi_form"]
    services = console.services
    conv = services.conversation
    agency = await run_in_threadpool(_agency_of, console, request)
    if agency is None or agency.is_group:
        return console.refuse(request, 404, N_("There is no such agency."))
    code = parse_code(str(form.get("code") or ""))
    user_id = parse_id(str(form.get("user") or ""), maximum=USER_ID_MAX)
    if code is None or user_id is None:
        return console.refuse(request, 400, N_("Choose an indicator and a member of the agency."))

    def work() -> str:
        with services.db.session() as s:
            if not may_name(console, s, me, agency):
                return "forbidden"
            outcome, _info = leader_actions.name_responsible(
                s,
                conv,
                services.knowledge.current,
                agency=agency,
                code=code,
                user_id=user_id,
                by=me.user_id,
                now=conv.now(),
            )
            if outcome == "ok":
                console.audit(
                    me,
                    "responsible.name",
                    f"{agency.id} {code}",
                    f"{agency.name} — {code} — {people.display_name(s, user_id)} (#{user_id})",
                    session=s,
                )
            return outcome

    outcome = await run_in_threadpool(work)
    if outcome == "forbidden":
        return console.refuse(
            request,
            403,
            N_(
                "Only the focal department, the agency's members and its leaders may name its "
                "responsible officials."
            ),
        )
    if outcome == "no_indicator":
        return console.refuse(
            request, 400, N_("That indicator is not among the agency's indicators.")
        )
    if outcome == "not_member":
        return console.refuse(
            request, 400, N_("That person is not an approved member of the agency.")
        )
    return _back(agency.id, "named")


async def remove_responsible(console: Console, request: Request) -> Response:
    me: Principal = request.scope["pgi_principal"]
    services = console.services
    conv = services.conversation
    agency = await run_in_threadpool(_agency_of, console, request)
    if agency is None or agency.is_group:
        return console.refuse(request, 404, N_("There is no such agency."))
    rid = request.path_params["responsible_id"]

    def work() -> str:
        with services.db.session() as s:
            found = leaders.get_responsible(s, rid)
            if found is None or found.agency_id != agency.id or found.ended_at is not None:
                return "gone"
            if not may_name(console, s, me, agency):
                return "forbidden"
            leader_actions.remove_responsible(s, conv, rid, me.user_id, conv.now())
            console.audit(
                me,
                "responsible.remove",
                f"{agency.id} {found.indicator_code}",
                f"{agency.name} — {found.indicator_code} — #{found.user_id}",
                session=s,
            )
            return "ok"

    outcome = await run_in_threadpool(work)
    if outcome == "gone":
        return console.refuse(request, 409, N_("That responsibility has already ended."))
    if outcome == "forbidden":
        return console.refuse(
            request,
            403,
            N_(
                "Only the focal department, the agency's members and its leaders may name its "
                "responsible officials."
            ),
        )
    return _back(agency.id, "removed")


# --- the Leaders page ---------------------------------------------------------------------


def _leaders_page(
    console: Console, request: Request, status_code: int = 200, **context
) -> Response:
    me: Principal = request.scope["pgi_principal"]
    with console.services.db.session() as s:
        rows = [
            LeaderRow(
                r.id, r.agency_id, r.agency_name, r.user_id, people.display_name(s, r.user_id)
            )
            for r in leaders.leaders(s)
        ]
        after = leaders.leader_after_days(s)
    agencies = sorted(
        (a for a in _agencies(console) if not a.is_group), key=lambda a: vi_key(a.name)
    )
    return console.render(
        request,
        "leaders.html",
        status_code=status_code,
        rows=rows,
        after_days=after,
        max_days=leaders.MAX_LEADER_AFTER_DAYS,
        agencies=agencies,
        is_admin=me.role == ADMIN,
        done=request.query_params.get("done"),
        **context,
    )


async def leaders_page(console: Console, request: Request) -> Response:
    return await run_in_threadpool(_leaders_page, console, request)


async def set_threshold(console: Console, request: Request) -> Response:
    me: Principal = request.scope["pgi_principal"]
    services = console.services
    value = leader_actions.parse_after_days(str(request.scope["pgi_form"].get("days") or ""))
    if value is None:
        tr = console.translator(request)
        return await run_in_threadpool(
            _leaders_page,
            console,
            request,
            400,
            error=tr.gettext(
                "Write a whole number of working days from 1 to {max}, e.g. /nguongtre 3."
            ).format(max=leaders.MAX_LEADER_AFTER_DAYS),
        )

    def work() -> None:
        with services.db.session() as s:
            leader_actions.set_after_days(s, value, me.user_id, services.conversation.now())
            console.audit(
                me, "leaders.threshold", leaders.LEADER_AFTER_DAYS, str(value), session=s
            )

    await run_in_threadpool(work)
    return RedirectResponse(f"{PREFIX}/leaders?done=threshold", status_code=303)


async def grant(console: Console, request: Request) -> Response:
    me: Principal = request.scope["pgi_principal"]
    form = request.scope["pgi_form"]
    services = console.services
    conv = services.conversation
    user_id = parse_id(str(form.get("user") or ""), maximum=USER_ID_MAX)
    agency_id = str(form.get("agency") or "")
    agency = agency_from_record(services.knowledge.current, agency_id, "") if agency_id else None
    if user_id is None or agency is None or agency.is_group:
        return console.refuse(
            request,
            400,
            N_("Give the user id (shown in /id and sign-up requests) and choose the agency."),
        )

    def work() -> str:
        with services.db.session() as s:
            outcome, _info = leader_actions.grant_leader(
                s, conv, agency=agency, user_id=user_id, by=me.user_id, now=conv.now()
            )
            if outcome == "ok":
                console.audit(me, "leader.grant", f"#{user_id}", agency.name, session=s)
            return outcome

    outcome = await run_in_threadpool(work)
    if outcome == "no_user":
        return console.refuse(
            request, 404, N_("There is no such user; they must write to the bot first.")
        )
    return RedirectResponse(
        f"{PREFIX}/leaders?done={'granted' if outcome == 'ok' else 'already'}", status_code=303
    )


async def revoke(console: Console, request: Request) -> Response:
    me: Principal = request.scope["pgi_principal"]
    services = console.services
    conv = services.conversation
    leader_id = request.path_params["leader_id"]

    def work() -> bool:
        with services.db.session() as s:
            ended = leader_actions.revoke_leader(s, conv, leader_id, me.user_id, conv.now())
            if ended is not None:
                console.audit(
                    me, "leader.revoke", f"#{ended.user_id}", ended.agency_name, session=s
                )
            return ended is not None

    if not await run_in_threadpool(work):
        return console.refuse(request, 409, N_("That role was already revoked."))
    return RedirectResponse(f"{PREFIX}/leaders?done=revoked", status_code=303)


def routes(console: Console) -> list[Route]:
    console.nav_item(f"{PREFIX}/leaders", N_("Leaders"), STAFF)
    return [
        Route("/leaders", guarded(console, STAFF, leaders_page), methods=["GET"]),
        Route("/leaders/threshold", guarded(console, STAFF, set_threshold), methods=["POST"]),
        Route("/leaders/grant", guarded(console, (ADMIN,), grant), methods=["POST"]),
        Route(
            "/leaders/{leader_id:int}/revoke", guarded(console, (ADMIN,), revoke), methods=["POST"]
        ),
        Route(
            "/agencies/{agency_id}/responsible",
            guarded(console, EVERYONE, name_responsible),
            methods=["POST"],
        ),
        Route(
            "/agencies/{agency_id}/responsible/{responsible_id:int}/remove",
            guarded(console, EVERYONE, remove_responsible),
            methods=["POST"],
        ),
    ]
