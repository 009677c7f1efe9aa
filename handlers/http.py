"""The bot's one HTTP server: every webhook (Telegram, Zalo) and /healthz (liveness only), on PORT.

Every webhook checks its secret header before anything else: a request without the right secret is
refused with 403 and changes nothing.
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
        if len(body) > MAX_BODY:
            return PlainTextResponse("too large", status_code=413)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            log.warning("webhook %s: a body that is not a JSON object was refused (%d bytes)", path,
                        len(body))
            return PlainTextResponse("not a JSON object", status_code=400)
        try:
            ok = await accept(data)
        except Exception as exc:  # noqa: BLE001 - answered; logged without the update's content
            if not unavailable(exc):
                log.exception("webhook %s: the update could not be handled", path)
                return JSONResponse({"ok": False}, status_code=500)
            log.warning("webhook %s: the database is unavailable; the sender is asked to try "
                        "again (%s)", path, failure_summary(exc))
            return JSONResponse({"ok": False}, status_code=503, headers={"Retry-After": "10"})
        if not ok:
            log.warning("webhook %s: a body that is not an update was refused (%d bytes)", path,
                        len(body))
        return JSONResponse({"ok": bool(ok)}, status_code=200 if ok else 400)

    return Route(path, endpoint, methods=["POST"])


def build_app(routes: list[BaseRoute], health: Callable[[], dict]) -> Starlette:
    """The server: the routes, and /healthz, a liveness check only (the process serves HTTP; it
    says nothing of the database or the channels, and answers ok while the database is down)."""

    async def healthz(request: Request):
        return JSONResponse({"ok": True, **health()})

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *routes])
