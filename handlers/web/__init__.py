"""The web console: server-rendered pages for admins, the focal department and agency members.

The lead mounts :func:`build_web` in the one HTTP server; `python -m bot web` serves it alone
(:func:`web_app`). Sign-in links come from :func:`make_login_link` (the chat's `/web`) and
:func:`make_server_admin_link` (`python -m bot web-link` at the server's terminal).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from handlers.web.auth import Principal, make_login_link, make_server_admin_link, principal

if TYPE_CHECKING:
    from bot.app.services import Services

STATIC = Path(__file__).resolve().parent / "static"

__all__ = ["Principal", "build_web", "make_login_link", "make_server_admin_link", "principal", "web_app"]


def build_web(services: Services) -> Mount:
    """Every route of the console under /web, in one Mount for the application's HTTP server."""
    from handlers.web import (
        audit_page,
        board_pages,
        broadcast_pages,
        deadline_pages,
        download,
        indicator_pages,
        kb_pages,
        report_pages,
        session_pages,
    )
    from handlers.web.console import PREFIX, Console

    console = Console(services)
    # the order of the sections in the navigation: Board, Deadlines, Broadcast, Knowledge base, Reports, Audit
    routes = [
        *session_pages.routes(console),
        *board_pages.routes(console),
        *indicator_pages.routes(console),
        *deadline_pages.routes(console),
        *broadcast_pages.routes(console),
        *kb_pages.routes(console),
        *report_pages.routes(console),
        *audit_page.routes(console),
        *download.routes(console),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
    ]
    return Mount(PREFIX, routes=routes)


def web_app(services: Services) -> Starlette:
    """The console alone, with /healthz (for `python -m bot web`, a trial without any chat token)."""

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def root(request: Request) -> Response:
        return RedirectResponse("/web/", status_code=303)

    return Starlette(routes=[Route("/healthz", healthz), Route("/", root), build_web(services)])


def serve_alone(services: Services, host: str) -> None:
    """`python -m bot web`: the console without any chat channel, on PORT."""
    import uvicorn

    settings = services.settings
    uvicorn.run(web_app(services), host=host, port=settings.port, log_level=settings.log_level.lower())
