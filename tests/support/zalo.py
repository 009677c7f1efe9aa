"""Running the real runner against the fake Zalo Bot API, and talking to it as a Zalo user."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import replace
from datetime import timedelta

import httpx

from bot.app.i18n import Translations
from bot.app.services import build_services
from handlers.runner import serve
from storage.directory import people
from tests.support.fake_zalo_api import FakeZaloApi

ADMIN = "zadmin01"
MEMBER = "zuser01"
PNG = b"\x89PNG\r\n\x1a\n" + b"evidence" * 100  # an evidence photo's bytes
STRANGER = "zuser99"
TR = Translations()


def T(msgid: str, **fields) -> str:
    text = TR.get("vi").gettext(msgid)
    return text.format(**fields) if fields else text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def running(
    settings, zalo: FakeZaloApi, port_: int | None = None, tick: float = 0.5, **overrides
):
    settings = replace(
        settings,
        zalo_token=zalo.token,
        zalo_api_base_url=zalo.base_url,
        admin_zalo_ids=frozenset({ADMIN}),
        port=port_ or free_port(),
        zalo_rate=50.0,
        **overrides,
    )
    services = build_services(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop, tick=timedelta(seconds=tick)))
    try:
        await wait_until(lambda: _healthy(settings.port))
        yield services
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        services.close()


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


async def wait_until(check, timeout: float = 10.0):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        value = await asyncio.to_thread(check)
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def said(
    zalo: FakeZaloApi, chat: str, part: str, timeout: float = 10.0, after: int = 0
) -> str:
    """The first message to ``chat`` containing ``part`` (among those after the first
    ``after``)."""
    return await wait_until(
        lambda: next((t for t in zalo.texts(chat)[after:] if part in t), None), timeout
    )


async def ask(zalo: FakeZaloApi, user: str, text: str, part: str = "") -> str:
    """Send ``text`` from ``user`` and wait for a new message to them containing ``part``."""
    before = len(zalo.texts(user))
    zalo.inject_text(user, text)
    return await said(zalo, user, part, after=before)


async def _member(services, zalo, agency_id="so-xay-dung", name="Sở Xây dựng"):
    await ask(zalo, MEMBER, "chao")
    with services.db.session() as s:
        user = people.find_identity(s, "zalo", MEMBER)
        m = people.request_membership(s, user.id, agency_id, name)
        people.decide_membership(s, m.id, True, user.id)
    return user
