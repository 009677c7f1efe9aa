"""The deadlines page: the knowledge base's deadlines and those the focal department added, with
adding, editing and cancelling (the same audiences and date rule as `/themhan` in chat).

An agency member sees the deadlines meant for their agency and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.i18n import N_, Translator
from bot.core.access import agency_from_record
from bot.core.audience import Audience, AudienceError, parse
from bot.core.validate_input import BadInput, parse_due_date
from bot.flows.deadlines import cancel_deadline_rows, edit_deadline_rows
from handlers.web.auth import EVERYONE, MEMBER, STAFF, Principal
from handlers.web.console import PREFIX, Console, guarded
from storage import deadlines as deadline_store

MAX_TITLE = 300  # as in chat


@dataclass(frozen=True)
class Row:
    key: str
    due: date
    title: str
    audience: str
    source: str  # the document, or "" for a deadline added by the focal department
    id: int | None = None  # set for the focal department's own deadlines


class FormError(ValueError):
    pass


def due_date(tr: Translator, text: str, today: date) -> date:
    """A date from the form (YYYY-MM-DD from a date field, or dd/mm/yyyy typed), from today on as in chat."""
    try:
        return parse_due_date(tr, text, today, date_field=True)
    except BadInput as exc:
        raise FormError(str(exc)) from None


def _rows(console: Console, me: Principal, tr: Translator) -> list[Row]:
    active = console.services.knowledge.current
    agency = None
    if me.role == MEMBER:
        agency = agency_from_record(active, me.agency_id or "", me.agency_name or "")
        if agency is None:
            return []
    docs = active.kb.documents
    rows = []
    for d in active.kb.deadlines:
        audience = Audience.of_assignments(d.audience)
        if agency is not None and not audience.includes(agency, active.engine):
            continue
        doc = docs.get(d.doc_id)
        rows.append(Row(f"kb:{d.id}", d.date, d.title, audience.describe(tr), (doc.number or doc.title) if doc else d.doc_id))
    with console.services.db.session() as s:
        added = deadline_store.active(s)
    for x in added:
        audience = Audience(x.audience)
        if agency is not None and not audience.includes(agency, active.engine):
            continue
        rows.append(Row(x.key, x.due_date, x.title, audience.describe(tr), "", x.id))
    return sorted(rows, key=lambda r: (r.due, r.title))


def _page(console: Console, request: Request, status_code: int = 200, **context) -> Response:
    me = request.scope["pgi_principal"]
    tr = console.translator(request)
    rows = _rows(console, me, tr)
    return console.render(request, "deadlines.html", status_code=status_code, rows=rows, today=console.services.conversation.today(),
                          can_change=me.role in STAFF, form=context.pop("form", {}), **context)


async def deadlines_page(console: Console, request: Request) -> Response:
    done = request.query_params.get("done")
    return await run_in_threadpool(_page, console, request, done=done if done in ("added", "edited", "cancelled") else None)


def _read(console: Console, tr: Translator, form, keep_audience: dict | None) -> tuple[str, date, dict]:
    title = str(form.get("title") or "").strip()
    if not title:
        raise FormError(tr.gettext("Write the deadline's title."))
    if len(title) > MAX_TITLE:
        raise FormError(tr.gettext("The title is longer than {n} characters.").format(n=MAX_TITLE))
    due = due_date(tr, str(form.get("date") or ""), console.services.conversation.today())
    typed = str(form.get("audience") or "").strip()
    if not typed and keep_audience is not None:
        return title, due, keep_audience
    if not typed:
        raise FormError(tr.gettext("Say who the deadline is for."))
    try:
        return title, due, parse(typed, console.services.knowledge.current.engine, tr).spec
    except AudienceError as exc:
        raise FormError(str(exc)) from None


def _describe(console: Console, spec: dict) -> str:
    return Audience(spec).describe(console.services.translations.get("en"))


async def add(console: Console, request: Request) -> Response:
    me, form = request.scope["pgi_principal"], request.scope["pgi_form"]
    tr = console.translator(request)
    try:
        title, due, audience = _read(console, tr, form, None)
    except FormError as exc:
        return await run_in_threadpool(_page, console, request, 400, error=str(exc), form=dict(form))

    def work() -> None:
        with console.services.db.session() as s:
            saved = deadline_store.add(s, title, due, audience, me.user_id)
            console.audit(me, "deadline.add", f"#{saved.id}", f"{due.isoformat()} — {title} — {_describe(console, audience)}",
                          session=s)

    await run_in_threadpool(work)
    return RedirectResponse(f"{PREFIX}/deadlines?done=added", status_code=303)


def _get(console: Console, deadline_id: int):
    with console.services.db.session() as s:
        found = deadline_store.get(s, deadline_id)
    return found if found is not None and found.cancelled_at is None else None


async def edit_page(console: Console, request: Request) -> Response:
    found = await run_in_threadpool(_get, console, request.path_params["deadline_id"])
    if found is None:
        return console.refuse(request, 404, N_("There is no such active deadline."))
    tr = console.translator(request)
    return console.render(request, "deadline_edit.html", d=found, audience=Audience(found.audience).describe(tr),
                          form={"title": found.title, "date": found.due_date.strftime("%d/%m/%Y")})


async def edit(console: Console, request: Request) -> Response:
    me, form = request.scope["pgi_principal"], request.scope["pgi_form"]
    tr = console.translator(request)
    found = await run_in_threadpool(_get, console, request.path_params["deadline_id"])
    if found is None:
        return console.refuse(request, 404, N_("There is no such active deadline."))
    try:
        title, due, audience = _read(console, tr, form, found.audience)
    except FormError as exc:
        return console.render(request, "deadline_edit.html", status_code=400, d=found, error=str(exc), form=dict(form),
                              audience=Audience(found.audience).describe(tr))

    def work() -> bool:
        with console.services.db.session() as s:
            # reminders written but not yet sent are written again with the new date, title or audience
            edited = edit_deadline_rows(s, found.id, title=title, due_date=due, audience=audience)
            if edited is None:
                return False
            console.audit(me, "deadline.edit", f"#{found.id}",
                          f"{found.due_date.isoformat()} — {found.title} — {_describe(console, found.audience)} → "
                          f"{due.isoformat()} — {title} — {_describe(console, audience)}", session=s)
        return True

    if not await run_in_threadpool(work):
        return console.refuse(request, 404, N_("There is no such active deadline."))
    return RedirectResponse(f"{PREFIX}/deadlines?done=edited", status_code=303)


async def cancel(console: Console, request: Request) -> Response:
    me = request.scope["pgi_principal"]
    deadline_id = request.path_params["deadline_id"]

    def work() -> bool:
        with console.services.db.session() as s:
            cancelled = cancel_deadline_rows(s, deadline_id, console.services.conversation.now())
            if cancelled is None:
                return False
            console.audit(me, "deadline.cancel", f"#{deadline_id}", f"{cancelled.due_date.isoformat()} — {cancelled.title}",
                          session=s)
        return True

    if not await run_in_threadpool(work):
        return console.refuse(request, 404, N_("There is no such active deadline."))
    return RedirectResponse(f"{PREFIX}/deadlines?done=cancelled", status_code=303)


def routes(console: Console) -> list[Route]:
    console.nav_item(f"{PREFIX}/deadlines", N_("Deadlines"), EVERYONE)
    return [
        Route("/deadlines", guarded(console, EVERYONE, deadlines_page), methods=["GET"]),
        Route("/deadlines", guarded(console, STAFF, add), methods=["POST"]),
        Route("/deadlines/{deadline_id:int}/edit", guarded(console, STAFF, edit_page), methods=["GET"]),
        Route("/deadlines/{deadline_id:int}", guarded(console, STAFF, edit), methods=["POST"]),
        Route("/deadlines/{deadline_id:int}/cancel", guarded(console, STAFF, cancel), methods=["POST"]),
    ]
