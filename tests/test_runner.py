"""The runner's HTTP server: signals are the runner's, not uvicorn's."""

from __future__ import annotations

import asyncio
import signal

import uvicorn
from starlette.applications import Starlette

from handlers.runner import QuietServer


async def test_the_http_server_leaves_sigint_and_sigterm_to_the_runner():
    """While the server runs, SIGINT and SIGTERM keep the handlers they had: the runner's stop,
    which lets the receive loops store what they hold before HTTP stops (uvicorn's own handlers
    would stop HTTP first, and the runner's were never called)."""
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    server = QuietServer(
        uvicorn.Config(Starlette(), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    serving = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started or serving.done():
            break
        await asyncio.sleep(0.01)
    assert server.started
    during = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    server.should_exit = True
    await asyncio.wait_for(serving, 10)
    assert before == during
