"""The review scene on chat: the real runner on the fake Zalo Bot API (and the fake Bot API when
given), a focal official of the Department of Agriculture and Environment and a member of the
Department of Industry and Trade on Zalo (the focal official on Telegram too), both members."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from datetime import timedelta

from bot.app.services import build_services
from handlers.runner import serve
from storage.directory import people
from tests.support.fake_bot_api import FakeBotApi
from tests.support.fake_zalo_api import FakeZaloApi
from tests.support.zalo import free_port, said

FOCAL, MEMBER = "zfocal", "zmember"
TG_FOCAL = 700_001


def _member(s, channel: str, external: str, agency_id: str, name: str):
    u = people.identify(s, channel, external, f"{name} {external}")
    m = people.request_membership(s, u.id, agency_id, name)
    people.decide_membership(s, m.id, True, u.id)
    return u


@contextlib.asynccontextmanager
async def running(settings, zalo: FakeZaloApi, tg: FakeBotApi | None = None):
    port = free_port()
    extra = dict(telegram_token="123456:TEST-review", api_base_url=tg.base_url) if tg else {}
    settings = replace(
        settings,
        zalo_token=zalo.token,
        zalo_api_base_url=zalo.base_url,
        port=port,
        zalo_rate=50.0,
        **extra,
    )
    services = build_services(settings)
    for user in (FOCAL, MEMBER):
        zalo.inject_text(user, "xin chào")
    with services.db.session() as s:
        focal = _member(s, "zalo", FOCAL, "so-nnmt", "Sở Nông nghiệp và Môi trường")
        member = _member(s, "zalo", MEMBER, "so-cong-thuong", "Sở Công Thương")
        if tg:
            _member(s, "telegram", str(TG_FOCAL), "so-nnmt", "Sở Nông nghiệp và Môi trường")
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop, tick=timedelta(seconds=0.5)))
    try:
        await said(zalo, FOCAL, "")
        await said(zalo, MEMBER, "")
        yield services, focal, member
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
        services.close()
