"""The bot's one HTTP server: every webhook (Telegram, Zalo) and /healthz (liveness only), on PORT.

Every webhook checks its secret header before anything else: a request without the right secret is
refused with 403 and changes nothing. With the right secret, every request is answered 200, so the
platform does not send it again and again: an empty body (Zalo's health probe) and a body that
cannot be read (logged, with its size only) change nothing; the next real update is handled as usual.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import BaseRoute, Route

from storage.db import failure_summary, unavailable

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # an update is a few kilobytes


def path_of(url: str, default: str) -> str:
    """The path part of a public webhook URL (where the proxy forwards it to this server)."""
    path = urlsplit(url).path if url else ""
    return path if path and path != "/" else default


def secret_ok(expected: str, received: str | None) -> bool:
    return received is not None and hmac.compare_digest(expected.encode(), received.encode())


def webhook_route(path: str, header: str, secret: str, accept: Callable[[dict], Awaitable[bool]]) -> Route:
    """A POST endpoint that checks ``header`` against ``secret``, reads a JSON object and hands it to ``accept``."""

    async def endpoint(request: Request):
        if not secret_ok(secret, request.headers.get(header)):
            log.warning("webhook %s: request refused (missing or wrong secret)", path)
            return PlainTextResponse("forbidden", status_code=403)
        body = await request.body()
        if not body.strip():
            return JSONResponse({"ok": True})  # the platform's health probe
        data = None
        if len(body) <= MAX_BODY:
            try:
                data = json.loads(body)
            except (ValueError, RecursionError):
                data = None
        if isinstance(data, dict):
            try:
                if await accept(data):
                    return JSONResponse({"ok": True})
            except Exception as exc:  # noqa: BLE001 - answered; logged without the update's content
                if not unavailable(exc):
                    log.exception("webhook %s: the update could not be handled", path)
                    return JSONResponse({"ok": False}, status_code=500)
                log.warning("webhook %s: the database is unavailable; the sender is asked to try "
                            "again (%s)", path, failure_summary(exc))
                return JSONResponse({"ok": False}, status_code=503, headers={"Retry-After": "10"})
        # answered 200 all the same: the platform would retry an error forever, and it would never read better
        log.warning("webhook %s: a body that cannot be read was dropped (%d bytes)", path, len(body))
        return JSONResponse({"ok": False, "description": "unreadable update, dropped"})

    return Route(path, endpoint, methods=["POST"])


def build_app(routes: list[BaseRoute], health: Callable[[], dict]) -> Starlette:
    """The server: the routes, and /healthz, a liveness check only (the process serves HTTP; it
    says nothing of the database or the channels, and answers ok while the database is down)."""

    async def healthz(request: Request):
        return JSONResponse({"ok": True, **health()})

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *routes])
