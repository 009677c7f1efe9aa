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
from bot.core.recurrence import Recurrence, parse_when
from bot.core.validate_input import BadInput, parse_due_date, parse_id
from bot.delivery.deadline_items import rule_of
from bot.flows.deadlines.commands import cancel_deadline_rows, edit_deadline_rows
from bot.flows.deadlines.extension_decisions import decide_rows
from bot.flows.deadlines.extension_rules import MAX_REASON
from handlers.web.auth import EVERYONE, MEMBER, STAFF, Principal
from handlers.web.console import PREFIX, Console, guarded
from storage.schedule import deadlines as deadline_store
from storage.schedule import extensions as extension_store
from storage.schedule.extensions import ExtensionInfo

MAX_TITLE = 300  # as in chat


@dataclass(frozen=True)
class Row:
    key: str
    due: date
    title: str
    audience: str
    source: str  # the document, or "" for a deadline added by the focal department
    id: int | None = None  # set for the focal department's own deadlines
    rule: str = ""  # how a recurring deadline repeats (its next date is ``due``)
    extensions: tuple[
        ExtensionInfo, ...
    ] = ()  # requests of agencies to move it (or its occurrences), both dates kept


class FormError(ValueError):
    pass


def due_date(tr: Translator, text: str, today: date) -> date:
    """A date from the form (YYYY-MM-DD from a date field, or dd/mm/yyyy typed), from today on
    as in chat."""
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
    today = console.services.conversation.today()
    with console.services.db.session() as s:
        added = deadline_store.active(s)
        history = extension_store.history(s)
    if agency is not None:
        history = [x for x in history if x.agency_id == agency.id]

    def of(key: str) -> tuple[ExtensionInfo, ...]:
        return tuple(
            x for x in history if x.deadline_key == key or x.deadline_key.startswith(f"{key}@")
        )

    rows = []
    for d in active.kb.deadlines:
        audience = Audience.of_assignments(d.audience)
        if agency is not None and not audience.includes(agency, active.engine):
            continue
        doc = docs.get(d.doc_id)
        rows.append(
            Row(
                f"kb:{d.id}",
                d.date,
                d.title,
                audience.describe(tr),
                (doc.number or doc.title) if doc else d.doc_id,
                extensions=of(f"kb:{d.id}"),
            )
        )
    for x in added:
        audience = Audience(x.audience)
        if agency is not None and not audience.includes(agency, active.engine):
            continue
        rule = rule_of(x)
        due = x.due_date if rule is None else (rule.next_on_or_after(today) or x.due_date)
        rows.append(
            Row(
                x.key,
                due,
                x.title,
                audience.describe(tr),
                "",
                x.id,
                rule.describe(tr) if rule else "",
                of(x.key),
            )
        )
    return sorted(rows, key=lambda r: (r.due, r.title))


def _page(console: Console, request: Request, status_code: int = 200, **context) -> Response:
    me = request.scope["pgi_principal"]
    tr = console.translator(request)
    rows = _rows(console, me, tr)
    waiting = []
    if me.role in STAFF:
        with console.services.db.session() as s:
            waiting = extension_store.pending(s)
    return console.render(
        request,
        "deadlines.html",
        status_code=status_code,
        rows=rows,
        today=console.services.conversation.today(),
        can_change=me.role in STAFF,
        form=context.pop("form", {}),
        waiting=waiting,
        **context,
    )


async def deadlines_page(console: Console, request: Request) -> Response:
    done = request.query_params.get("done")
    return await run_in_threadpool(
        _page,
        console,
        request,
        done=done if done in ("added", "edited", "cancelled", "approved", "refused") else None,
    )


def recurrence(tr: Translator, typed: str, start: date, today: date) -> Recurrence | None:
    """The form's optional "Repeats" field, read as in chat (bot/core/recurrence.py), from the
    form's date on."""
    if not typed.strip():
        return None
    try:
        return parse_when(tr, f"{typed} từ {start.strftime('%d/%m/%Y')}", today).recurrence
    except BadInput as exc:
        raise FormError(str(exc)) from None


def _read(
    console: Console, tr: Translator, form, keep_audience: dict | None
) -> tuple[str, date, dict]:
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
        rule = recurrence(
            tr, str(form.get("repeat") or ""), due, console.services.conversation.today()
        )
    except FormError as exc:
        return await run_in_threadpool(
            _page, console, request, 400, error=str(exc), form=dict(form)
        )
    columns = rule.as_columns() if rule is not None else {}
    repeats = (
        f" — {rule.describe(console.services.translations.get('en'))}" if rule is not None else ""
    )

    def work() -> None:
        with console.services.db.session() as s:
            saved = deadline_store.add(s, title, due, audience, me.user_id, **columns)
            console.audit(
                me,
                "deadline.add",
                f"#{saved.id}",
                f"{due.isoformat()} — {title} — {_describe(console, audience)}{repeats}",
                session=s,
            )

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
    return console.render(
        request,
        "deadline_edit.html",
        d=found,
        audience=Audience(found.audience).describe(tr),
        form={"title": found.title, "date": found.due_date.strftime("%d/%m/%Y")},
    )


async def edit(console: Console, request: Request) -> Response:
    me, form = request.scope["pgi_principal"], request.scope["pgi_form"]
    tr = console.translator(request)
    found = await run_in_threadpool(_get, console, request.path_params["deadline_id"])
    if found is None:
        return console.refuse(request, 404, N_("There is no such active deadline."))
    try:
        title, due, audience = _read(console, tr, form, found.audience)
        if found.repeat and due != found.due_date:
            raise FormError(
                tr.gettext(
                    "Deadline #{id} repeats; its dates follow its rule. To change them, cancel it "
                    "(/huyhan {id}) and add the new rule with /themhan; its history is kept."
                ).format(id=found.id)
            )
    except FormError as exc:
        return console.render(
            request,
            "deadline_edit.html",
            status_code=400,
            d=found,
            error=str(exc),
            form=dict(form),
            audience=Audience(found.audience).describe(tr),
        )

    def work() -> bool:
        with console.services.db.session() as s:
            # reminders written but not yet sent are written again with the new date, title or
            # audience
            edited = edit_deadline_rows(s, found.id, title=title, due_date=due, audience=audience)
            if edited is None:
                return False
            console.audit(
                me,
                "deadline.edit",
                f"#{found.id}",
                f"{found.due_date.isoformat()} — {found.title} —"
                f" {_describe(console, found.audience)} → {due.isoformat()} — {title} —"
                f" {_describe(console, audience)}",
                session=s,
            )
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
            console.audit(
                me,
                "deadline.cancel",
                f"#{deadline_id}",
                f"{cancelled.due_date.isoformat()} — {cancelled.title}",
                session=s,
            )
        return True

    if not await run_in_threadpool(work):
        return console.refuse(request, 404, N_("There is no such active deadline."))
    return RedirectResponse(f"{PREFIX}/deadlines?done=cancelled", status_code=303)


async def decide(console: Console, request: Request) -> Response:
    """Approve or refuse an extension request (a refusal needs its reason), as /duyetgiahan and
    /tuchoigiahan."""
    me, form = request.scope["pgi_principal"], request.scope["pgi_form"]
    tr = console.translator(request)
    xid = parse_id(str(request.path_params["extension_id"]))
    if request.path_params["action"] not in ("approve", "refuse"):
        return console.refuse(request, 404, N_("There is no such extension request waiting."))
    approve = request.path_params["action"] == "approve"
    reason = str(form.get("reason") or "").strip()[:MAX_REASON]
    if not approve and not reason:
        return await run_in_threadpool(
            _page,
            console,
            request,
            400,
            error=tr.gettext("Give the reason of the refusal; the agency is told."),
        )

    def work() -> bool:
        with console.services.db.session() as s:
            decided = decide_rows(
                s,
                console.services.conversation,
                xid or 0,
                approve,
                me.user_id,
                reason or None,
                console.services.conversation.now(),
            )
            if decided is None:
                return False
            console.audit(
                me,
                "extension.approve" if approve else "extension.refuse",
                f"#{decided.id}",
                f"{decided.deadline_key} — {decided.agency_name} — {decided.old_date.isoformat()}"
                f" → {decided.new_date.isoformat()}{' — ' + reason if reason else ''}",
                session=s,
            )
        return True

    if not await run_in_threadpool(work):
        return console.refuse(request, 404, N_("There is no such extension request waiting."))
    return RedirectResponse(
        f"{PREFIX}/deadlines?done={'approved' if approve else 'refused'}", status_code=303
    )


def routes(console: Console) -> list[Route]:
    console.nav_item(f"{PREFIX}/deadlines", N_("Deadlines"), EVERYONE)
    return [
        Route("/deadlines", guarded(console, EVERYONE, deadlines_page), methods=["GET"]),
        Route("/deadlines", guarded(console, STAFF, add), methods=["POST"]),
        Route(
            "/deadlines/{deadline_id:int}/edit",
            guarded(console, STAFF, edit_page),
            methods=["GET"],
        ),
        Route("/deadlines/{deadline_id:int}", guarded(console, STAFF, edit), methods=["POST"]),
        Route(
            "/deadlines/{deadline_id:int}/cancel",
            guarded(console, STAFF, cancel),
            methods=["POST"],
        ),
        Route(
            "/deadlines/extensions/{extension_id:int}/{action:str}",
            guarded(console, STAFF, decide),
            methods=["POST"],
        ),
    ]
