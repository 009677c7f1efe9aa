"""The web console: server-rendered pages for admins, the focal department and agency members.

The lead mounts :func:`build_web` in the one HTTP server; `python -m bot web` serves it alone
(:func:`web_app`). Sign-in links come from :func:`make_login_link` (the chat's `/web`) and
:func:`make_server_admin_link` (`python -m bot web-link` at the server's terminal).
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.app.i18n import N_
from handlers.web.auth import Principal, make_login_link, make_server_admin_link, principal
from handlers.web.headers import SecurityHeaders

if TYPE_CHECKING:
    from bot.app.services import Services

STATIC = Path(__file__).resolve().parent / "static"

__all__ = [
    "Principal",
    "build_web",
    "make_login_link",
    "make_server_admin_link",
    "principal",
    "rotate_session_key",
    "web_app",
]


def build_web(services: Services) -> Mount:
    """Every route of the console under /web, in one Mount for the application's HTTP server."""
    from handlers.web import download
    from handlers.web.console import PREFIX, Console
    from handlers.web.pages import (
        audit,
        board,
        broadcast,
        contact,
        deadline,
        indicator,
        kb,
        kb_import,
        leader,
        report,
        session,
        unanswered,
    )

    console = Console(services)
    # the order of the sections in the navigation: Board, Deadlines, Broadcast, Leaders, Knowledge
    # base, Reports, Audit
    routes = [
        *session.routes(console),
        *board.routes(console),
        *contact.routes(console),
        *indicator.routes(console),
        *deadline.routes(console),
        *broadcast.routes(console),
        *leader.routes(console),
        *kb.routes(console),
        *kb_import.routes(console),
        *unanswered.routes(console),
        *report.routes(console),
        *audit.routes(console),
        *download.routes(console),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
    ]

    async def nowhere(request: Request) -> Response:
        # answered here, inside the Mount, so the 404 carries the console's headers
        return console.refuse(request, 404, N_("There is no such page."))

    routes.append(Route("/{rest:path}", nowhere))
    return Mount(PREFIX, routes=routes, middleware=[Middleware(SecurityHeaders)])


def web_app(services: Services) -> Starlette:
    """The console alone, with /healthz, /readyz and /metrics (for `python -m bot web`, without any
    chat channel)."""
    from bot.delivery.worker import process_owner
    from handlers.http import ops_routes

    async def root(request: Request) -> Response:
        return RedirectResponse("/web/", status_code=303)

    ops = ops_routes(services, dict, process_owner())
    return Starlette(routes=[*ops, Route("/", root), build_web(services)])


_TOKEN_IN_PATH = re.compile(r"(/web/(?:login|download)/)[^/?#\s\"]+")


def mask_tokens(text: str) -> str:
    """A request line with the one-time token of a sign-in or download link replaced by '…'."""
    return _TOKEN_IN_PATH.sub(r"\1…", text)


class MaskTokens(logging.Filter):
    """On uvicorn's access log: no line holds a link's token (a token read from a log must not
    sign in)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(mask_tokens(a) if isinstance(a, str) else a for a in record.args)
        record.msg = mask_tokens(str(record.msg))
        return True


def rotate_session_key(services: Services) -> int:
    """`python -m bot web-rotate-key`: a new signing key in the key file; sessions signed with the
    old one stay valid for one session lifetime. Refused (exit 2) when PGI_SESSION_KEY is set."""
    from datetime import timedelta

    from handlers.web.auth import SESSION_SECONDS
    from handlers.web.keys import KeyRing

    if services.settings.session_key:
        print(
            "PGI_SESSION_KEY is set: rotate it there (move it to PGI_SESSION_KEY_PREVIOUS, set a"
            " new one, remove the previous one 8 hours later)",
            file=sys.stderr,
        )
        return 2
    ring = KeyRing(services.settings, services.db, timedelta(seconds=SESSION_SECONDS))
    ring.rotate()
    print(f"a new session key is in {ring.path}; the previous one is accepted for 8 more hours")
    return 0


def serve_alone(services: Services, host: str) -> None:
    """`python -m bot web`: the console without any chat channel, on PORT; its access log masks
    tokens."""
    import uvicorn

    settings = services.settings
    config = uvicorn.Config(
        web_app(services), host=host, port=settings.port, log_level=settings.log_level.lower()
    )
    logging.getLogger("uvicorn.access").addFilter(
        MaskTokens()
    )  # after Config, which sets up logging
    uvicorn.Server(config).run()
