"""Issue 15, item 1: Zalo's errors as its error table defines them, through the real client (httpx)
and the delivery ledger against the fake Zalo Bot API on 127.0.0.1, with a clock the test moves.

403 (internal error), 408, 429 and 5xx are transient; "unreachable" is decided only from answers
that name the recipient, several of them spread over a day; a person who writes again is
reachable again; a fan-out that fails at once is paused, the admins are told once, and nobody
changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app.services import build_services
from handlers.telegram.app import make_dispatcher
from handlers.zalo.api import ZaloApi
from handlers.zalo.bot import ZaloBot
from storage.delivery import ledger, reachability
from storage.directory import groups, people

START = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
ADMIN = "zadmin01"
FOCAL = "zfocal01"


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now

    def advance(self, **kw):
        self.now += timedelta(**kw)


@pytest.fixture
async def world(settings, zalo):
    """Services on a moved clock, the Zalo channel on the real client, the runner's dispatcher."""
    clock = Clock()
    settings = replace(
        settings,
        zalo_token=zalo.token,
        zalo_api_base_url=zalo.base_url,
        zalo_rate=200.0,
        admin_zalo_ids=frozenset({ADMIN}),
    )
    services = build_services(settings, clock=clock)
    services.conversation.channels = ("zalo",)
    api = ZaloApi(zalo.token, zalo.base_url)
    bot = ZaloBot(services, api)
    bot.bot_id = zalo.token.split(":")[0]
    dispatcher = make_dispatcher(services, {"zalo": bot.channel})
    dispatcher.clock = clock
    try:
        yield services, dispatcher, clock, bot
    finally:
        await bot.aclose()
        await api.aclose()
        services.close()


def member(
    services, zalo, external: str, agency: str = "so-xay-dung", name: str = "Sở Xây dựng"
) -> int:
    zalo.inject_text(external, "xin chào")  # wrote to the bot once
    with services.db.session() as s:
        user = people.identify(s, "zalo", external, f"Cán bộ {external}")
        m = people.request_membership(s, user.id, agency, name)
        people.decide_membership(s, m.id, True, user.id)
    return user.id


def reminder(services, external: str, user_id: int, key: str) -> None:
    with services.db.session() as s:
        ledger.enqueue(
            s,
            key=key,
            kind="reminder",
            channel="zalo",
            chat_id=external,
            text=f"Nhắc hạn {key}",
            agency_id="so-xay-dung",
            user_id=user_id,
        )


def row(services, key: str):
    with services.db.session() as s:
        return ledger.by_key(s, key)


def reachable(services, user_id: int) -> bool:
    with services.db.session() as s:
        return people.preferred_identity(s, user_id) is not None


async def test_a_403_is_zalos_internal_error_retried_without_any_change(world, zalo):
    """A 403 (and a 408) on a reminder: tried again with backoff, delivered once; the person
    stays reachable and the focal department is told nothing."""
    services, dispatcher, clock, _ = world
    uid = member(services, zalo, "zu1")
    member(services, zalo, FOCAL, "so-nnmt", "Sở Nông nghiệp và Môi trường")
    reminder(services, "zu1", uid, "r403")
    zalo.fail_next(403, method="sendMessage")
    zalo.fail_next(408, method="sendMessage")
    await dispatcher.drain()
    first = row(services, "r403")
    clock.advance(seconds=3)
    await dispatcher.drain()
    clock.advance(seconds=5)
    await dispatcher.drain()
    assert (ledger.PENDING, "Zalo unavailable: 403") == (first.status, first.error)
    assert ledger.SENT == row(services, "r403").status
    assert ["Nhắc hạn r403"] == zalo.texts("zu1")
    assert reachable(services, uid) and [] == zalo.texts(FOCAL)


async def test_unreachable_only_after_refusals_spread_over_a_day(world, zalo):
    """A person who blocked the bot: the first refusals change nothing (tried again hours
    later); only after three spread over a day is the address given up and the focal department
    told."""
    services, dispatcher, clock, _ = world
    uid = member(services, zalo, "zu2")
    member(services, zalo, FOCAL, "so-nnmt", "Sở Nông nghiệp và Môi trường")
    reminder(services, "zu2", uid, "rblock")
    zalo.block("zu2")
    seen = []
    for _ in range(4):
        await dispatcher.drain()
        seen.append((row(services, "rblock").status, reachable(services, uid)))
        clock.advance(hours=8, seconds=1)
    await dispatcher.drain()  # the notice to the focal department
    assert [(ledger.PENDING, True)] * 3 + [(ledger.GONE, False)] == seen
    assert any("zu2" in t and "Sở Xây dựng" in t for t in zalo.texts(FOCAL))


async def test_a_person_who_writes_again_is_reachable_again(world, zalo):
    """Refusals are forgotten when the person writes to the bot; a given-up address is used
    again."""
    services, dispatcher, clock, bot = world
    uid = member(services, zalo, "zu3")
    with services.db.session() as s:
        for hours in (0, 12, 25):
            reachability.refused(s, "zalo", "zu3", START + timedelta(hours=hours), "blocked")
        people.set_reachable(s, "zalo", "zu3", False)
    zalo.inject_text("zu3", "tôi quay lại rồi")
    update = await bot.api.get_updates(timeout=1)
    update = (
        await bot.api.get_updates(timeout=1) if update and update.text == "xin chào" else update
    )
    await bot.receive(update.raw)
    with services.db.session() as s:
        left = reachability.refusals(s, "zalo", "zu3")
    assert (0, True) == (left, reachable(services, uid))


async def test_a_fan_out_failing_at_once_is_paused_admins_told_once_nobody_changed(world, zalo):
    """Zalo refuses most of a fan-out at once (here: every member "blocked"): the fan-out pauses
    after a sample, the admins get one notice, no refusal is kept and nobody is marked unreachable;
    later it goes out.
    """
    services, dispatcher, clock, _ = world
    zalo.inject_text(ADMIN, "xin chào")
    with services.db.session() as s:
        people.identify(s, "zalo", ADMIN, "Quản trị")
    members = [f"zf{i:02d}" for i in range(30)]
    ids = [member(services, zalo, m) for m in members]
    for m, uid in zip(members, ids, strict=True):
        reminder(services, m, uid, f"fan:{m}")
        zalo.block(m)
    await dispatcher.drain()
    tried = sum(c.method == "sendMessage" and c.chat_id in members for c in zalo.calls())
    with services.db.session() as s:
        kept = sum(reachability.refusals(s, "zalo", m) for m in members)

    with services.db.session() as s:
        notices = [r for r in ledger.all_rows(s, "notice") if r.chat_id == ADMIN]
    assert 10 <= tried < 30
    assert 0 == kept and all(reachable(services, uid) for uid in ids)
    assert 1 == len(notices) and "Zalo" in notices[0].text
    for m in members:
        zalo._bot(None).blocked_chats.discard(m)  # Zalo recovers
    clock.advance(minutes=6)  # the paused rows
    await dispatcher.drain()
    clock.advance(
        hours=9
    )  # the sample that was refused before the pause is tried at its usual later time
    await dispatcher.drain()
    with services.db.session() as s:
        notices = [r for r in ledger.all_rows(s, "notice") if r.chat_id == ADMIN]
        bound = groups.active_for_agencies(s, ["so-xay-dung"])
    assert all(row(services, f"fan:{m}").status == ledger.SENT for m in members)
    assert 1 == len(notices) and [] == bound


async def test_a_fan_out_of_server_errors_is_paused_too(world, zalo):
    """Most of a fan-out answered 500/403: the rest is not tried now (no attempt spent), and is
    sent later."""
    services, dispatcher, clock, _ = world
    members = [f"zs{i:02d}" for i in range(40)]
    for m in members:
        reminder(services, m, member(services, zalo, m), f"srv:{m}")
    zalo.fail_next(403, times=12, method="sendMessage")
    await dispatcher.drain()
    untouched = [m for m in members if row(services, f"srv:{m}").attempts == 0]
    for _ in range(4):
        clock.advance(minutes=6)
        await dispatcher.drain()
    assert len(untouched) >= 20
    assert all(row(services, f"srv:{m}").status == ledger.SENT for m in members)
