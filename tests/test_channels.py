"""A channel is one module: the runner starts every configured channel from the registry.

This module is itself a third channel ("echo": a webhook in, a list out) registered for the test
only: the runner serves its route, runs its receive loop, sends the ledger through it, asks it to
recover every tick and stops it, and the core speaks of it in its own words, with no core file
knowing it exists.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import replace
from datetime import timedelta

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.app.services import build_services
from bot.core.messages import PRIVATE, Address, Choice, Incoming
from bot.delivery.notices import send_notice
from bot.delivery.worker import Outcome
from handlers import channels
from handlers.channels import ChannelSpec, Loop, Runtime
from handlers.runner import serve

EVENTS: list[str] = []
SENT: list[tuple[str, str, list]] = []


class EchoSender:
    numbered = True

    async def send(
        self, chat_id: str, text: str, choices: list[Choice], before_request
    ) -> Outcome:
        await before_request()
        SENT.append((chat_id, text, choices))
        return Outcome("sent", message_id=str(len(SENT)))


class EchoChannel:
    name = "echo"
    label = "Echo Post"
    message_limit = 500
    numbered = True

    def __init__(self, rt: Runtime):
        self.rt = rt
        self.sender = EchoSender()

    async def start(self) -> list[BaseRoute]:
        EVENTS.append("start")
        conv = self.rt.services.conversation

        async def incoming(request: Request):
            body = await request.json()
            msg = Incoming(
                text=body["text"],
                channel="echo",
                chat_id=body["from"],
                user_id=body["from"],
                chat_type=PRIVATE,
                update_id=body["id"],
                bot_id="echo-bot",
            )
            reply = await asyncio.to_thread(conv.handle, msg)
            return JSONResponse({"text": reply.text if reply else None})

        return [Route("/echo", incoming, methods=["POST"])]

    def loops(self) -> list[Loop]:
        async def poll(stop: asyncio.Event) -> None:
            EVENTS.append("poll")
            await stop.wait()

        return [poll]

    async def recover(self) -> None:
        EVENTS.append("recover")

    async def stop(self) -> None:
        EVENTS.append("stop")


SPEC = ChannelSpec("echo", "Echo Post", lambda settings: True, EchoChannel)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _wait(check, timeout: float = 15.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_a_registered_channel_is_started_served_sent_through_and_stopped(
    settings, monkeypatch
):
    monkeypatch.setattr(channels, "REGISTRY", {**channels.REGISTRY, "echo": __name__})
    EVENTS.clear()
    SENT.clear()
    port = free_port()
    services = build_services(replace(settings, port=port))
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop, tick=timedelta(seconds=0.2)))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(100):
                try:
                    health = (await client.get("/healthz")).json()
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            assert ["echo"] == health[
                "channels"
            ]  # no Telegram or Zalo token: only the registered one
            answer = (
                await client.post("/echo", json={"from": "e-1", "text": "/id", "id": "u1"})
            ).json()
            assert (
                "Echo Post" in answer["text"]
            )  # the core names the channel in the channel's own words
            question = (
                await client.post("/echo", json={"from": "e-1", "text": "chỉ số 1.5", "id": "u2"})
            ).json()
            assert question["text"]
        with services.db.session() as s:
            send_notice(s, Address("echo", "e-1"), "Họp giao ban", [Choice("Đã nhận", "rem:x")])
        await _wait(lambda: SENT)
        assert [
            ("e-1", "Họp giao ban", [Choice("Đã nhận", "rem:x")])
        ] == SENT  # a Choice, end to end
        await _wait(lambda: "recover" in EVENTS)
        assert ("echo",) == services.conversation.channels
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        services.close()
    assert ["start", "poll"] == EVENTS[:2] and "stop" == EVENTS[-1]


def test_the_registry_configures_channels_by_their_settings(settings):
    assert [] == channels.configured(settings)
    names = [
        spec.name
        for spec in channels.configured(replace(settings, telegram_token="1:x", zalo_token="z"))
    ]
    assert ["telegram", "zalo"] == names
    assert ["zalo"] == [
        spec.name for spec in channels.configured(replace(settings, zalo_token="z"))
    ]
