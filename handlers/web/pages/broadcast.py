"""Broadcasts from the console: compose, preview the chats per channel, send (through the same
function as the chat's /thongbao), then watch the delivery report fill in.

The console writes the ledger; a bot process sends it. When the console runs alone
(`python -m bot web`) nothing leaves until a bot process drains the ledger, and the page says so.
"""

from __future__ import annotations

from collections import Counter

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.i18n import N_, Translator, channel_name
from bot.core.audience import Audience, AudienceError, parse
from bot.delivery.recipients import Recipients, resolve
from bot.flows.broadcasts import MAX_BROADCAST, WEB_CHANNEL, send_broadcast
from handlers.web.auth import STAFF, Principal
from handlers.web.console import PREFIX, Console, guarded
from handlers.web.pages.deadline import FormError
from handlers.web.pages.indicator import actor_id
from storage.delivery import broadcasts as broadcast_store
from storage.delivery import ledger
from storage.directory import people

REFRESH_SECONDS = 3


def _audience(console: Console, tr: Translator, form) -> Audience:
    kind = str(form.get("kind") or "typed")
    if kind == "all":
        return Audience.everyone()
    if kind == "communes":
        return Audience.communes()
    typed = str(form.get("audience") or "").strip()
    if not typed:
        raise FormError(tr.gettext("Say who the message is for."))
    try:
        return parse(typed, console.services.knowledge.current.engine, tr)
    except AudienceError as exc:
        raise FormError(str(exc)) from None


def _text(tr: Translator, form) -> str:
    text = str(form.get("text") or "").strip()
    if not text:
        raise FormError(tr.gettext("Write the message."))
    if len(text) > MAX_BROADCAST:
        raise FormError(
            tr.gettext("The message is too long ({n} characters); keep it under {max}.").format(
                n=len(text), max=MAX_BROADCAST
            )
        )
    return text


def _recent(console: Console) -> list:
    with console.services.db.session() as s:
        found = [broadcast_store.get(s, b.id) for b in broadcast_store.unfinished(s)]
    return [b for b in found if b is not None]


def _page(console: Console, request: Request, status_code: int = 200, **context) -> Response:
    return console.render(
        request,
        "broadcast.html",
        status_code=status_code,
        max_length=MAX_BROADCAST,
        channels=console.services.conversation.channels,
        sending=_recent(console),
        channel_names=[
            channel_name(console.translator(request), c)
            for c in console.services.conversation.channels
            if c != "terminal"
        ],
        form=context.pop("form", {}),
        **context,
    )


async def compose(console: Console, request: Request) -> Response:
    return await run_in_threadpool(_page, console, request)


def _per_channel(found: Recipients) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for t in found.targets:
        out.setdefault(t.address.channel, Counter())[
            "person" if t.user_id is not None else "group"
        ] += 1
    return out


async def preview(console: Console, request: Request) -> Response:
    """The chats the message would reach, per channel, and who cannot be reached; nothing is
    sent."""
    form = request.scope["pgi_form"]
    tr = console.translator(request)
    try:
        text, audience = _text(tr, form), _audience(console, tr, form)
    except FormError as exc:
        return await run_in_threadpool(
            _page, console, request, 400, error=str(exc), form=dict(form)
        )

    def work() -> Recipients:
        with console.services.db.session() as s:
            return resolve(
                s,
                console.services.knowledge.current,
                audience,
                console.services.conversation.channels,
            )

    found = await run_in_threadpool(work)
    return await run_in_threadpool(
        _page,
        console,
        request,
        form=dict(form),
        preview=found,
        per_channel=_per_channel(found),
        described=audience.describe(tr),
        text=text,
    )


async def send(console: Console, request: Request) -> Response:
    me: Principal = request.scope["pgi_principal"]
    form = request.scope["pgi_form"]
    tr = console.translator(request)
    try:
        text, audience = _text(tr, form), _audience(console, tr, form)
    except FormError as exc:
        return await run_in_threadpool(
            _page, console, request, 400, error=str(exc), form=dict(form)
        )
    services = console.services
    conv = services.conversation

    def work() -> int:
        with services.db.session() as s:
            ident = (
                people.preferred_identity(s, me.user_id, conv.channels)
                if me.user_id is not None
                else None
            )
            # the chat's delivery report goes to the sender's own chat when the bot can write to
            # them
            channel, chat = (ident.channel, ident.private_chat) if ident else (WEB_CHANNEL, "")
            b, found = send_broadcast(
                s,
                conv,
                services.knowledge.current,
                text,
                audience,
                actor_id(me),
                me.name,
                channel,
                chat,
            )
            console.audit(
                me,
                "broadcast.send",
                f"#{b.id}",
                f"{audience.describe(services.translations.get('en'))} — "
                f"{len(found.targets)} chats — {text[:200]}",
                session=s,
            )
            return b.id

    broadcast_id = await run_in_threadpool(work)
    return RedirectResponse(f"{PREFIX}/broadcast/{broadcast_id}", status_code=303)


STATUS_ORDER = (
    ledger.PENDING,
    ledger.CLAIMED,
    ledger.IN_FLIGHT,
    ledger.SENT,
    ledger.FAILED,
    ledger.GONE,
    ledger.UNCERTAIN,
    ledger.SKIPPED,
)


async def report(console: Console, request: Request) -> Response:
    """The delivery report of one broadcast: its ledger rows by status, refreshed until it is
    done."""
    broadcast_id = request.path_params["broadcast_id"]
    active = console.services.knowledge.current

    def load():
        with console.services.db.session() as s:
            return broadcast_store.get(s, broadcast_id), ledger.by_broadcast(s, broadcast_id)

    b, rows = await run_in_threadpool(load)
    if b is None:
        return console.refuse(request, 404, N_("There is no such broadcast."))
    agencies = active.kb.agencies
    counts = Counter(r.status for r in rows)
    waiting = counts[ledger.PENDING] + counts[ledger.CLAIMED] + counts[ledger.IN_FLIGHT]
    tr = console.translator(request)
    return console.render(
        request,
        "broadcast_report.html",
        b=b,
        rows=rows,
        counts=counts,
        order=STATUS_ORDER,
        refresh=REFRESH_SECONDS if b.status == "sending" and waiting else None,
        waiting=waiting,
        audience=Audience(b.audience).describe(tr),
        agency_name=lambda aid: agencies[aid].name if aid in agencies else (aid or ""),
    )


def routes(console: Console) -> list[Route]:
    console.nav_item(f"{PREFIX}/broadcast", N_("Broadcast"), STAFF)
    return [
        Route("/broadcast", guarded(console, STAFF, compose), methods=["GET"]),
        Route("/broadcast/preview", guarded(console, STAFF, preview), methods=["POST"]),
        Route("/broadcast", guarded(console, STAFF, send), methods=["POST"]),
        Route("/broadcast/{broadcast_id:int}", guarded(console, STAFF, report), methods=["GET"]),
    ]
