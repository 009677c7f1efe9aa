"""The audit page: every change made through the web console, newest first."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.app.i18n import N_
from handlers.web.auth import STAFF
from handlers.web.console import PREFIX, Console, guarded
from storage import web as web_store

PAGE = 100
MAX_PAGE_DIGITS = 9  # page numbers up to 999 999 999 (offsets far below the database's limit)


async def audit_page(console: Console, request: Request) -> Response:
    raw = request.query_params.get("page", "1")
    page = int(raw) if raw.isdigit() and len(raw) <= MAX_PAGE_DIGITS else 0
    if page < 1:
        return console.refuse(request, 404, N_("There is no such page."))

    def load():
        with console.services.db.session() as s:
            return web_store.audit_log(
                s, limit=PAGE, offset=(page - 1) * PAGE
            ), web_store.audit_count(s)

    entries, total = await run_in_threadpool(load)
    return console.render(
        request, "audit.html", entries=entries, page=page, more=page * PAGE < total
    )


def routes(console: Console) -> list[Route]:
    console.nav_item(f"{PREFIX}/audit", N_("Audit"), STAFF)
    return [Route("/audit", guarded(console, STAFF, audit_page), methods=["GET"])]
