"""Issue 15: the Zalo channel as the platform behaves (groups, voice, typing, mode safety, webhook
edges), through the real runner, its httpx client and HTTP server, against the fake Zalo Bot API on
127.0.0.1.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
import pytest

from bot.app.config import Settings
from bot.app.i18n import Translations
from bot.app.services import build_services
from bot.app.setting_values import ConfigError
from handlers.runner import ChannelRejected, serve
from handlers.zalo.start import ZaloModeRefused
from storage.delivery import ledger
from storage.directory import groups, people
from storage.schedule import deadlines as deadline_store
from tests.support.fake_bot_api import FakeBotApi
from tests.support.fake_zalo_api import FakeZaloApi
from tests.support.zalo import ADMIN, MEMBER, ask, free_port, running, said, wait_until

TR = Translations()
GROUP = "zg-0011223344"
ROOT = Path(__file__).resolve().parent.parent


def T(msgid: str, lang: str = "vi", **fields) -> str:
    text = TR.get(lang).gettext(msgid)
    return text.format(**fields) if fields else text


@pytest.fixture
def zalo():
    with FakeZaloApi(poll_wait=0.2, can_join_groups=True) as api:
        yield api


# ---------------------------------------------------------------------------------------- voice,
# typing, echoes
async def test_a_voice_message_is_answered_briefly_in_the_persons_language(settings, zalo):
    """message.voice.received: a short answer that the bot reads typed questions, not the help
    text; in English for a person who chose English."""
    async with running(settings, zalo) as services:
        await ask(zalo, MEMBER, "xin chào")
        before = len(zalo.texts(MEMBER))
        zalo.inject_voice(MEMBER)
        vi = await said(zalo, MEMBER, "", after=before)
        with services.db.session() as s:
            people.set_language(s, people.find_identity(s, "zalo", MEMBER).id, "en")
        before = len(zalo.texts(MEMBER))
        zalo.inject_voice(MEMBER)
        en = await said(zalo, MEMBER, "", after=before)
    assert T("I cannot listen to voice messages; please type your question.") == vi
    assert "I cannot listen to voice messages; please type your question." == en
    assert vi != en


async def test_typing_is_shown_before_a_reply_that_takes_time(settings, zalo):
    """An answer that takes a few seconds (the report, a long search): sendChatAction "typing"
    first; a quick answer shows none."""
    async with running(settings, zalo) as services:
        await ask(zalo, MEMBER, "xin chào")
        assert [] == zalo.calls("sendChatAction")
        conv = services.conversation
        real = conv.handle

        def slow(msg, on_done=None, **kwargs):
            import time

            time.sleep(1.5)
            return real(msg, on_done, **kwargs)

        await asyncio.sleep(1.0)  # every part of the greeting has gone
        conv.handle = slow
        before = len(zalo.calls())
        await ask(zalo, MEMBER, "ai chu tri chi so 1.5", "Sở Xây dựng")
    after = [
        c.method for c in zalo.calls()[before:] if c.method in ("sendChatAction", "sendMessage")
    ]
    typing = zalo.calls("sendChatAction")[0]
    assert ("typing", MEMBER) == (typing.params["action"], typing.chat_id)
    assert "sendChatAction" == after[0] and "sendMessage" in after


async def test_the_bots_own_messages_echoed_back_are_ignored(settings):
    """Updates from the bot's own id (getMe) are not answered: no loop."""
    with FakeZaloApi(poll_wait=0.2, echo_own=True) as zalo:
        async with running(settings, zalo):
            await ask(zalo, MEMBER, "ai chu tri chi so 1.5", "1.5")
            await asyncio.sleep(1.5)  # the echoes arrive and are read
            sent = len(zalo.sent(MEMBER))
            await asyncio.sleep(1.0)
    assert sent == len(zalo.sent(MEMBER)) and 1 <= sent <= 3


# ---------------------------------------------------------------------------------------- groups
async def test_a_group_mention_is_handled_without_the_mention_and_a_bare_message_never_arrives(
    settings, zalo
):
    """A bare /dangky in a group is not delivered by the platform; "@Trợ lý PGI /dangky Sở Xây
    dựng" is, and the bot reads it as /dangky (the mention of its getMe name taken off)."""
    async with running(settings, zalo):
        assert zalo.inject_group(MEMBER, GROUP, "/dangky Sở Xây dựng") is None
        zalo.inject_group(MEMBER, GROUP, "/dangky Sở Xây dựng", mention=True)
        reply = await said(zalo, GROUP, "Sở Xây dựng")
        zalo.inject_group(MEMBER, GROUP, "ai chu tri chi so 1.5", mention=True)
        answer = await said(zalo, GROUP, "1.5")
    assert T("Unknown command /{name}. Send /help to see what I can do.", name="dangky") != reply
    assert "Sở Xây dựng" in answer


async def test_a_quote_reply_to_a_reminder_answers_that_reminder(settings, zalo):
    """A bound group gets two reminders; a member quote-replies "đã nhận" to the first one (no
    mention): it answers that reminder, not the latest one."""
    async with running(settings, zalo, tick=0.3) as services:
        zalo.inject_group(MEMBER, GROUP, "xin chào", mention=True)  # the group wrote to the bot
        await said(zalo, GROUP, "")
        with services.db.session() as s:
            admin = people.identify(s, "zalo", ADMIN, "Quản trị")
            user = people.identify(s, "zalo", MEMBER, "Cán bộ")
            m = people.request_membership(s, user.id, "so-xay-dung", "Sở Xây dựng")
            people.decide_membership(s, m.id, True, admin.id)
            b = groups.request_binding(
                s, "zalo", GROUP, "Tổ PGI", "so-xay-dung", "Sở Xây dựng", None
            )
            groups.decide_binding(s, b.id, True, admin.id)
        sent = {}
        for n, title in ((1, "Báo cáo tiến độ PGI"), (2, "Báo cáo quý IV")):  # one after the other
            with services.db.session() as s:
                deadline_store.add(
                    s,
                    title,
                    date(2026, 12, 30),
                    {"kind": "agencies", "ids": ["so-xay-dung"], "names": ["Sở Xây dựng"]},
                    None,
                )
                ledger.enqueue(
                    s,
                    key=f"test:group-reminder-{n}",
                    kind="reminder",
                    channel="zalo",
                    chat_id=GROUP,
                    text=f"Nhắc hạn {n}: {title}",
                    agency_id="so-xay-dung",
                    deadline_key=f"db:{n}",
                    buttons=[{"label": T("Acknowledged"), "data": f"rem:ack:db:{n}"}],
                )
            sent[n] = await zalo.awaited(
                lambda c, n=n: (
                    c.method == "sendMessage" and c.ok and f"Nhắc hạn {n}" in (c.text or "")
                ),
                15,
            )
            await wait_until(lambda n=n: ledger_sent(services, f"test:group-reminder-{n}"))
        first = sent[1]
        zalo.inject_group(MEMBER, GROUP, "đã nhận", quote=first.result["message_id"])
        await said(
            zalo,
            GROUP,
            T("Recorded: {name} has seen this reminder.", name="").split(":")[0],
            timeout=10,
        )
        with services.db.session() as s:
            acked = (
                deadline_store.acknowledged_agencies(s, "db:1"),
                deadline_store.acknowledged_agencies(s, "db:2"),
            )
    assert ({"so-xay-dung"}, set()) == acked


def ledger_sent(services, key: str) -> bool:
    with services.db.session() as s:
        return ledger.by_key(s, key).status == ledger.SENT


# ---------------------------------------------------------------------------------------- mode
# safety
async def test_polling_does_not_delete_a_webhook_it_finds(settings, zalo):
    """The production bot has a webhook: a process started in polling mode stops with one line,
    and the webhook is still there (no deleteWebhook)."""
    with httpx.Client() as http:
        http.post(
            f"{zalo.base_url}/bot{zalo.token}/setWebhook",
            json={"url": "https://pgi.example.vn/zalo", "secret_token": "production-secret"},
        )
    settings = replace(
        settings, zalo_token=zalo.token, zalo_api_base_url=zalo.base_url, port=free_port()
    )
    services = build_services(settings)
    try:
        with pytest.raises(ZaloModeRefused, match="ZALO_TAKE_OVER_WEBHOOK") as caught:
            await asyncio.wait_for(serve(services, asyncio.Event()), 15)
    finally:
        services.close()
    assert "https://pgi.example.vn/zalo" == zalo.webhook()["url"]
    assert [] == zalo.calls("deleteWebhook") and "\n" not in str(caught.value)


async def test_polling_takes_the_webhook_over_only_when_told(settings, zalo):
    """ZALO_TAKE_OVER_WEBHOOK=1: the webhook is removed and the bot polls and answers."""
    with httpx.Client() as http:
        http.post(
            f"{zalo.base_url}/bot{zalo.token}/setWebhook",
            json={"url": "https://pgi.example.vn/zalo", "secret_token": "production-secret"},
        )
    async with running(settings, zalo, zalo_take_over_webhook=True):
        await ask(zalo, MEMBER, "ai chu tri chi so 1.5", "1.5")
    assert zalo.webhook() is None and 1 == len(zalo.calls("deleteWebhook"))


def test_a_webhook_url_without_its_secret_refuses_to_start(tmp_path):
    """ZALO_WEBHOOK_URL without ZALO_WEBHOOK_SECRET: the real process exits 2 with one line, no
    polling."""
    with pytest.raises(ConfigError, match="ZALO_WEBHOOK_SECRET"):
        Settings.from_env(
            {"ZALO_BOT_TOKEN": "1:abcdefghij", "ZALO_WEBHOOK_URL": "https://pgi.example.vn/zalo"}
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZALO_", "TELEGRAM_"))}
    env.update(
        ZALO_BOT_TOKEN="1459232241454765289:secret-part-abcdef",
        ZALO_WEBHOOK_URL="https://pgi.example.vn/zalo",
        PGI_DATA_DIR=str(tmp_path),
        ZALO_API_BASE_URL="http://127.0.0.1:9",
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert 2 == done.returncode
    assert 1 == len(done.stderr.strip().splitlines()) and "ZALO_WEBHOOK_SECRET" in done.stderr
    assert "secret-part-abcdef" not in done.stderr


async def test_telegram_polling_does_not_delete_a_webhook_it_finds(settings):
    """The same for Telegram: a webhook set, polling mode: one line, the webhook stays."""
    with FakeBotApi() as tg:
        tg.webhook_url = "https://pgi.example.vn/telegram"
        settings = replace(
            settings, telegram_token="123456:TEST-mode", api_base_url=tg.base_url, port=free_port()
        )
        services = build_services(settings)
        try:
            with pytest.raises(ChannelRejected, match="TELEGRAM_TAKE_OVER_WEBHOOK"):
                await asyncio.wait_for(serve(services, asyncio.Event()), 20)
        finally:
            services.close()
        assert "https://pgi.example.vn/telegram" == tg.webhook_url
        assert [] == tg.calls("deleteWebhook")


# ---------------------------------------------------------------------------------------- webhook
# edges
async def test_webhook_probe_and_unreadable_body_are_answered_and_the_next_update_is_handled(
    settings, zalo
):
    """With the right secret: an empty body (the health probe) gets 200; a body that cannot be
    read is logged and answered 200 (so it is not retried forever); the next real update is
    answered as usual."""
    secret = "s3cret-webhook-token"
    port = free_port()
    async with running(
        settings,
        zalo,
        port_=port,
        zalo_webhook_url=f"http://127.0.0.1:{port}/zalo/hook",
        zalo_webhook_secret=secret,
    ):
        probe = await asyncio.to_thread(zalo.probe_webhook)
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{port}/zalo/hook"
            garbage = await client.post(
                url, content=b"\xff{not json", headers={"X-Bot-Api-Secret-Token": secret}
            )
            odd = await client.post(
                url,
                json={"event_name": "message.text.received"},
                headers={"X-Bot-Api-Secret-Token": secret},
            )
        zalo.inject_text(MEMBER, "ai chu tri chi so 1.5")
        await said(zalo, MEMBER, "1.5")
    assert (200, 200, 200) == (probe.status, garbage.status_code, odd.status_code)
    assert [] == [d for d in zalo.deliveries if d.status != 200]


# ---------------------------------------------------------------------------------------- the
# chart as a photo
async def test_the_report_chart_goes_as_a_photo_when_the_public_url_is_https(settings):
    """PGI_PUBLIC_URL is HTTPS: /baocao on Zalo sends the chart by sendPhoto, at a signed URL that
    serves the PNG (and refuses a changed signature), beside the summary and the links; over plain
    HTTP, no photo.
    """
    from tests.support.review import FOCAL
    from tests.support.review import running as review_running

    with FakeZaloApi(poll_wait=0.2) as zalo:
        public = "https://pgi.example.vn"
        async with review_running(replace(settings, public_url=public), zalo) as (services, _, _):
            zalo.inject_text(FOCAL, "/baocao")
            text = await said(
                zalo, FOCAL, "/web/download/", timeout=60
            )  # the chart takes a few seconds to draw
            photo = await zalo.awaited(lambda c: c.method == "sendPhoto" and c.ok, timeout=10)
            local = photo.params["photo"].replace(
                public, f"http://127.0.0.1:{services.settings.port}"
            )
            async with httpx.AsyncClient() as client:
                served = await client.get(local)
                again = await client.get(local)
                cut = local.rindex("/")
                forged = await client.get(
                    local[: cut - 4]
                    + ("0000" if local[cut - 4 : cut] != "0000" else "1111")
                    + local[cut:]
                )
    assert photo.params["photo"].startswith(public + "/web/photo/") and FOCAL == photo.chat_id
    assert (200, b"\x89PNG\r\n\x1a\n", 200) == (
        served.status_code,
        served.content[:8],
        again.status_code,
    )
    assert 404 == forged.status_code
    assert "/web/download/" in text
    with FakeZaloApi(poll_wait=0.2) as zalo:
        other = replace(
            settings,
            public_url="http://pgi.example.vn",
            data_dir=settings.data_dir.parent / "plain-http",
        )
        async with review_running(
            other, zalo
        ):  # another database: the first one's polling lease is still held
            zalo.inject_text(FOCAL, "/baocao")
            await said(zalo, FOCAL, "/web/download/", timeout=60)
    assert [] == zalo.calls("sendPhoto")
