"""The bot's one HTTP server: every webhook (Telegram, Zalo), /healthz (liveness only: the process
answers, whatever the database), /readyz and /metrics, on PORT.

Every webhook checks its secret header before anything else: a request without the right secret is
refused with 403 and changes nothing. With the right secret, every request is answered 200, so the
platform does not send it again and again: an empty body (Zalo's health probe) and a body that
cannot be read (logged, with its size only) change nothing; the next real update is handled as
usual.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.app import health, metrics
from bot.app.services import Services
from storage.db import failure_summary, unavailable

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # an update is a few kilobytes


def path_of(url: str, default: str) -> str:
    """The path part of a public webhook URL (where the proxy forwards it to this server)."""
    path = urlsplit(url).path if url else ""
    return path if path and path != "/" else default


def secret_ok(expected: str, received: str | None) -> bool:
    return received is not None and hmac.compare_digest(expected.encode(), received.encode())


def webhook_route(
    path: str,
    header: str,
    secret: str,
    accept: Callable[[dict], Awaitable[bool]],
    channel: str | None = None,
) -> Route:
    """A POST endpoint that checks ``header`` against ``secret``, reads a JSON object and hands
    it to ``accept``; a request with the right secret is ``channel``'s sign of life for /readyz.
    """

    async def endpoint(request: Request):
        if not secret_ok(secret, request.headers.get(header)):
            log.warning("webhook %s: request refused (missing or wrong secret)", path)
            return PlainTextResponse("forbidden", status_code=403)
        if channel is not None:
            metrics.beat(channel, "webhook")
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
                log.warning(
                    "webhook %s: the database is unavailable; the sender is asked to try "
                    "again (%s)",
                    path,
                    failure_summary(exc),
                )
                return JSONResponse({"ok": False}, status_code=503, headers={"Retry-After": "10"})
        # answered 200 all the same: the platform would retry an error forever, and it would never
        # read better
        log.warning(
            "webhook %s: a body that cannot be read was dropped (%d bytes)", path, len(body)
        )
        return JSONResponse({"ok": False, "description": "unreadable update, dropped"})

    return Route(path, endpoint, methods=["POST"])


def from_loopback(request: Request) -> bool:
    try:
        return request.client is not None and ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


def metrics_allowed(request: Request, token: str | None) -> bool:
    """With METRICS_TOKEN: that Bearer token, from anywhere; without it: loopback only."""
    if token is None:
        return from_loopback(request)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and secret_ok(token, given.strip())


def ops_routes(
    services: Services,
    channels: Callable[[], dict[str, str]],
    owner: str,
    health_body: Callable[[], dict] = dict,
) -> list[BaseRoute]:
    """/healthz (the process answers), /readyz (it can do its work) and /metrics (Prometheus).

    ``channels()`` gives each enabled channel and how it receives (``polling`` or ``webhook``).
    The endpoints are plain functions: Starlette runs them in its thread pool, off the event loop.
    """
    token = services.settings.metrics_token

    def healthz(request: Request) -> Response:
        """Liveness only: the process serves HTTP. It says nothing of the database or the channels
        and answers ok while the database is down; /readyz says whether the bot can work."""
        return JSONResponse({"ok": True, **health_body()})

    def readyz(request: Request) -> Response:
        result = health.check(services, channels(), owner)
        return JSONResponse(result.body, status_code=200 if result.ready else 503)

    def metrics_endpoint(request: Request) -> Response:
        if not metrics_allowed(request, token):
            log.warning("/metrics refused to %s", request.client.host if request.client else "?")
            return PlainTextResponse(
                "forbidden: /metrics answers loopback only, or the METRICS_TOKEN bearer token",
                status_code=403,
            )
        return Response(health.exposition(services, channels()), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
    ]


def build_app(routes: list[BaseRoute], ops: list[BaseRoute]) -> Starlette:
    return Starlette(routes=[*ops, *routes])
