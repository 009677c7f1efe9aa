"""E-mail addresses in the web console: an agency's official address (in place of
``agencies.yaml``'s) and a member's own, set by the focal department or an admin on the agency's
page. Every change is audited; a bad address is refused with what is wrong (400), on the same
page."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.i18n import N_
from bot.core.access import agency_from_record
from bot.flows.people.email_address import address_problem
from handlers.web.auth import STAFF
from handlers.web.console import PREFIX, Console, guarded
from handlers.web.pages.board import render_agency
from kb.email_address import BadAddress, parse_email
from storage.directory import contacts, people


def _address(form, tr) -> tuple[str | None, str | None]:
    """(the address, or None for "none"; an error)"""
    typed = str(form.get("email") or "").strip()
    if not typed:
        return None, None
    try:
        return parse_email(typed), None
    except BadAddress as exc:
        return None, address_problem(tr, exc)


async def agency_email(console: Console, request: Request) -> Response:
    """Set the agency's official address, withdraw it (empty), or go back to the knowledge
    base's (reset)."""
    me, form = request.scope["pgi_principal"], request.scope["pgi_form"]
    agency_id = request.path_params["agency_id"]
    active = console.services.knowledge.current
    if agency_id not in active.kb.agencies or active.kb.agencies[agency_id].is_group:
        return console.refuse(request, 404, N_("There is no such agency."))
    tr = console.translator(request)
    reset = form.get("action") == "reset"
    address, error = (None, None) if reset else _address(form, tr)
    if error:
        return await run_in_threadpool(
            render_agency,
            console,
            request,
            400,
            email_error=error,
            email_typed=form.get("email", ""),
        )

    def work() -> None:
        with console.services.db.session() as s:
            before = contacts.get(s, agency_id)
            if reset:
                contacts.reset(s, agency_id)
                detail = f"{before.email if before else ''} → (agencies.yaml)"
            else:
                contacts.set_email(s, agency_id, address or "", me.user_id)
                detail = f"{before.email if before else '(agencies.yaml)'} → {address or '(none)'}"
            console.audit(me, "agency.email", agency_id, detail, session=s)

    await run_in_threadpool(work)
    return RedirectResponse(f"{PREFIX}/agencies/{agency_id}?done=email", status_code=303)


async def person_email(console: Console, request: Request) -> Response:
    """Set or remove (empty) a member's own address, from their agency's page."""
    me, form = request.scope["pgi_principal"], request.scope["pgi_form"]
    agency_id, user_id = request.path_params["agency_id"], request.path_params["user_id"]
    tr = console.translator(request)

    def member() -> bool:
        with console.services.db.session() as s:
            return any(m.user_id == user_id for m in people.members_of(s, agency_id))

    active = console.services.knowledge.current
    if agency_from_record(active, agency_id, "") is None or not await run_in_threadpool(member):
        return console.refuse(request, 404, N_("There is no such member of this agency."))
    address, error = _address(form, tr)
    if error:
        return await run_in_threadpool(
            render_agency,
            console,
            request,
            400,
            person_error=error,
            person_id=user_id,
            person_typed=form.get("email", ""),
        )

    def work() -> str:
        with console.services.db.session() as s:
            before = people.email_of(s, user_id)
            done = people.set_email(s, user_id, address)
            if done == "taken":  # nothing was changed
                return done
            console.audit(
                me,
                "person.email",
                f"#{user_id}",
                f"{before or '(none)'} → {address or '(none)'}",
                session=s,
            )
            return done

    if await run_in_threadpool(work) == "taken":
        return await run_in_threadpool(
            render_agency,
            console,
            request,
            409,
            person_id=user_id,
            person_typed=address,
            person_error=tr.gettext(
                "This address belongs to another person; each person gives their own."
            ),
        )
    return RedirectResponse(f"{PREFIX}/agencies/{agency_id}?done=email", status_code=303)


def routes(console: Console) -> list[Route]:
    return [
        Route(
            "/agencies/{agency_id}/email", guarded(console, STAFF, agency_email), methods=["POST"]
        ),
        Route(
            "/agencies/{agency_id}/people/{user_id:int}/email",
            guarded(console, STAFF, person_email),
            methods=["POST"],
        ),
    ]
