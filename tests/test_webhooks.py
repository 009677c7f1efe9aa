"""Every webhook the bot serves checks its secret: a forged update gets 403 and changes nothing."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace

import httpx
import pytest

from bot.app.services import build_services
from handlers.runner import serve
from storage.directory import people
from tests.support.fake_bot_api import FakeBotApi
from tests.support.zalo import free_port

TOKEN = "123456:TEST-webhook-token"
ATTACKER = 666


@contextlib.asynccontextmanager
async def telegram_webhook(settings, api: FakeBotApi, secret: str | None):
    port = free_port()
    settings = replace(
        settings,
        telegram_token=TOKEN,
        api_base_url=api.base_url,
        webhook_url="https://bot.example.vn/tg/hook",
        telegram_webhook_secret=secret,
        port=port,
        admin_ids=frozenset({"900001"}),
    )
    services = build_services(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop))
    try:
        call = await api.awaited("setWebhook", timeout=15)
        yield services, f"http://127.0.0.1:{port}/tg/hook", call.params.get("secret_token")
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        services.close()


async def _post(url: str, body: dict, secret: str | None) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    async with httpx.AsyncClient() as client:
        for _ in range(50):  # the server may still be starting
            try:
                return (await client.post(url, json=body, headers=headers)).status_code
            except httpx.ConnectError:
                await asyncio.sleep(0.1)
    raise AssertionError("webhook server did not start")


@pytest.fixture
def api():
    with FakeBotApi() as fake:
        yield fake


async def test_forged_telegram_update_is_refused(settings, api):
    """Without the secret, or with a wrong one: 403, the admin command is not obeyed and nobody
    is created."""
    async with telegram_webhook(settings, api, "configured-secret-1") as (services, url, secret):
        forged = api.send_text(ATTACKER, "/capquyen 666 admin")
        assert 403 == await _post(url, forged, None)
        assert 403 == await _post(url, forged, "wrong-secret-value")
        with services.db.session() as s:
            attacker = people.find_identity(s, "telegram", str(ATTACKER))
    assert "configured-secret-1" == secret
    assert attacker is None
    assert [] == [c for c in api.calls("sendMessage") if c.params.get("chat_id") == ATTACKER]


async def test_update_with_the_secret_is_answered(settings, api):
    """Telegram's own request, with the secret given to setWebhook, is processed and answered."""
    async with telegram_webhook(settings, api, None) as (services, url, secret):
        update = api.send_text(100_001, "ai chu tri chi so 1.5")
        assert 200 == await _post(url, update, secret)
        call = await api.awaited(
            lambda c: c.method == "sendMessage" and c.params.get("chat_id") == 100_001, timeout=10
        )
    assert "1.5" in call.params["text"]


async def test_without_a_configured_secret_each_start_makes_a_new_random_one(settings, api):
    """TELEGRAM_WEBHOOK_SECRET unset: a random secret is made at each start and passed to
    setWebhook."""
    for _ in range(2):
        async with telegram_webhook(settings, api, None):
            pass
    first, second = [c.params.get("secret_token") for c in api.calls("setWebhook")]
    assert first != second
    assert 32 <= min(len(first), len(second))


async def test_one_process_polls_telegram_at_a_time(services):
    """Two processes in polling mode on one database: the one holding the lease polls, the other
    stands by, and takes over as soon as the first stops (it gives its lease back)."""
    from handlers.polling import LeasePoller
    from handlers.runner import POLL_LEASE, telegram_step

    events: list[str] = []

    def process(name: str):
        async def start():
            events.append(f"{name} polls")

        async def stop_polling():
            events.append(f"{name} stops")

        clock = services.conversation.now
        poller = LeasePoller(services.db, "poll:telegram:1", name, clock, POLL_LEASE)
        return poller, *telegram_step(start, stop_polling, every=0.05)

    stop_a, stop_b = asyncio.Event(), asyncio.Event()
    pa, step_a, end_a = process("a")
    a = asyncio.create_task(pa.run(stop_a, step_a, end_a))
    await asyncio.sleep(0.1)
    pb, step_b, end_b = process("b")
    b = asyncio.create_task(pb.run(stop_b, step_b, end_b))
    await asyncio.sleep(0.2)
    first = list(events)
    stop_a.set()
    await a
    await asyncio.sleep(0.2)  # far less than the 60 s lease: given back, not lapsed
    stop_b.set()
    await b
    assert ["a polls"] == first
    assert ["a polls", "a stops", "b polls", "b stops"] == events
