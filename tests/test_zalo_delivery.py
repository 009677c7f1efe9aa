"""Reminders and broadcasts on both channels at once, through the real runner: an agency's
Telegram group and its Zalo members each get a message once, and the delivery report covers both
channels."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.app.i18n import Translations
from bot.app.services import build_services
from handlers.runner import serve
from storage.directory import groups, people
from storage.schedule import deadlines as deadline_store
from tests.support.fake_bot_api import FakeBotApi
from tests.support.fake_zalo_api import FakeZaloApi
from tests.support.zalo import ask, free_port, said

TR = Translations()
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Tuesday
TG_GROUP = -4_000_000_777
ZALO_MEMBERS = ("zxd01", "zxd02")
FOCAL = "zfocal1"


def T(msgid: str, **fields) -> str:
    text = TR.get("vi").gettext(msgid)
    return text.format(**fields) if fields else text


@contextlib.asynccontextmanager
async def both_channels(settings, tg: FakeBotApi, zalo: FakeZaloApi, seed):
    settings = replace(
        settings,
        telegram_token="123456:TEST-both",
        api_base_url=tg.base_url,
        zalo_token=zalo.token,
        zalo_api_base_url=zalo.base_url,
        port=free_port(),
        zalo_rate=50.0,
    )
    services = build_services(settings, clock=lambda: NOW)
    for user in (*ZALO_MEMBERS, FOCAL):  # members must have written to the bot once
        zalo.inject_text(user, "xin chào")
    seed(services)
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(services, stop, tick=__import__("datetime").timedelta(seconds=0.5))
    )
    try:
        yield services
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
        services.close()


def _seed(services) -> None:
    with services.db.session() as s:
        for external in ZALO_MEMBERS:
            u = people.identify(s, "zalo", external, f"Cán bộ {external}")
            m = people.request_membership(s, u.id, "so-xay-dung", "Sở Xây dựng")
            people.decide_membership(s, m.id, True, u.id)
        f = people.identify(s, "zalo", FOCAL, "Đầu mối")
        m = people.request_membership(s, f.id, "so-nnmt", "Sở Nông nghiệp và Môi trường")
        people.decide_membership(s, m.id, True, f.id)
        b = groups.request_binding(
            s, "telegram", str(TG_GROUP), "Tổ PGI Sở Xây dựng", "so-xay-dung", "Sở Xây dựng", None
        )
        groups.decide_binding(s, b.id, True, f.id)


@pytest.fixture
def tg():
    with FakeBotApi() as api:
        yield api


async def test_reminder_reaches_the_telegram_group_and_each_zalo_member_once(settings, tg, zalo):
    """A deadline for Sở Xây dựng: its Telegram group and its two Zalo members get the reminder,
    once each; a member acknowledges by typing the choice's number."""

    def seed(services):
        _seed(services)
        with services.db.session() as s:
            deadline_store.add(
                s,
                "Báo cáo tiến độ PGI",
                date(2026, 12, 2),
                {"kind": "agencies", "ids": ["so-xay-dung"], "names": ["Sở Xây dựng"]},
                None,
            )

    async with both_channels(settings, tg, zalo, seed) as services:
        title = "Báo cáo tiến độ PGI"
        group_call = await tg.awaited(
            lambda c: c.method == "sendMessage" and c.params.get("chat_id") == TG_GROUP, timeout=15
        )
        texts = [await said(zalo, member, title) for member in ZALO_MEMBERS]
        await asyncio.sleep(1.5)  # a few more ticks: nothing is sent twice
        recorded = T("Recorded: {name} has seen this reminder.", name="").split(":")[0]
        answer = await ask(zalo, ZALO_MEMBERS[0], "1", recorded)
        with services.db.session() as s:
            acked = deadline_store.acknowledged_agencies(s, "db:1")
    assert title in group_call.params["text"]
    assert all("1. " + T("Acknowledged") in t for t in texts)
    assert [1, 1] == [sum(title in t for t in zalo.texts(m)) for m in ZALO_MEMBERS]
    assert 1 == sum(1 for c in tg.calls("sendMessage") if c.params.get("chat_id") == TG_GROUP)
    assert answer.startswith(recorded)
    assert {"so-xay-dung"} == acked


async def test_broadcast_from_zalo_reaches_both_channels_with_one_report(settings, tg, zalo):
    """The focal department broadcasts from Zalo by numbered choices to everyone; the report
    counts both channels."""
    async with both_channels(settings, tg, zalo, _seed):
        await said(zalo, FOCAL, "")  # the greeting
        await ask(
            zalo, FOCAL, "/thongbao Họp trực tuyến về PGI lúc 14h thứ Năm", T("Who is it for?")
        )
        preview = await ask(zalo, FOCAL, "1", "Telegram")
        assert "Telegram" in preview and "Zalo" in preview
        report = await ask(
            zalo,
            FOCAL,
            "1",
            T(
                "Delivery report of broadcast #{id}: {sent} of {total} sent.",
                id=1,
                sent=4,
                total=4,
            ),
        )
        group_call = await tg.awaited(
            lambda c: c.method == "sendMessage" and c.params.get("chat_id") == TG_GROUP, timeout=10
        )
    assert "Họp trực tuyến" in group_call.params["text"]
    assert all(any("Họp trực tuyến" in t for t in zalo.texts(m)) for m in ZALO_MEMBERS)
    assert (
        "Telegram: 1" in report and "Zalo: 3" in report
    )  # the two members, and the focal department's own member
