"""The fake Bot API answers a real python-telegram-bot 22 ``Bot``/``Application`` the way
Telegram does."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler

from tests.support.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)  # RetryAfter.retry_after as int

TOKEN = "123456789:TEST-token"
USER = 4242
GROUP = -1001234567890


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


def make_bot(api: FakeBotApi) -> Bot:
    return Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url)


def seconds(retry_after) -> float:
    """RetryAfter.retry_after is an int in PTB 22 (a timedelta with PTB_TIMEDELTA=1)."""
    return retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else retry_after


async def test_get_me(api):
    async with make_bot(api) as bot:
        me = await bot.get_me()
    assert me.is_bot and me.username == "pgi_test_bot" and me.id == 123456789
    assert me.can_join_groups is True and me.can_read_all_group_messages is False
    assert api.token == TOKEN and api.tokens_seen == [TOKEN]
    assert api.calls("getme")[0].method == "getMe"


async def test_send_message_returns_full_message(api):
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok:1")]])
    async with make_bot(api) as bot:
        first = await bot.send_message(USER, "Xin chào", reply_markup=markup)
        second = await bot.send_message(GROUP, "<b>Chào</b> nhóm", parse_mode="HTML")
        third = await bot.send_message(USER, "lần hai")
    assert first.chat.id == USER and first.chat.type == "private" and first.from_user.is_bot
    assert first.reply_markup == markup and first.text == "Xin chào"
    assert isinstance(api.calls("sendMessage")[0].result["date"], int)
    assert second.chat.type == "supergroup" and second.text == "Chào nhóm"
    assert second.entities[0].type == "bold" and second.entities[0].length == 4
    assert third.message_id == first.message_id + 1 and second.message_id == 1
    call = api.calls("sendMessage")[0]
    assert (
        call.params["chat_id"] == USER
        and call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ok:1"
    )
    assert api.last_text(USER) == "lần hai" and len(api.sent_messages(USER)) == 2


async def test_telegram_validation_errors(api):
    async with make_bot(api) as bot:
        with pytest.raises(BadRequest, match="(?i)unsupported start tag"):
            await bot.send_message(USER, "a<br>b", parse_mode="HTML")
        with pytest.raises(BadRequest, match="is reserved"):
            await bot.send_message(USER, "Hạn chót: 31.12", parse_mode="MarkdownV2")
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(USER, "x" * 4097)
        msg = await bot.send_message(USER, "một")
        with pytest.raises(BadRequest, match="(?i)not modified"):
            await msg.edit_text("một")
        edited = await msg.edit_text("hai")
        assert edited.text == "hai" and isinstance(edited.edit_date.timestamp(), float)
        assert await msg.delete() is True
        with pytest.raises(BadRequest, match="(?i)message to delete not found"):
            await msg.delete()


async def test_commands_per_language_and_scope(api):
    async with make_bot(api) as bot:
        await bot.set_my_commands(
            [BotCommand("start", "Bắt đầu"), BotCommand("help", "Trợ giúp")], language_code="vi"
        )
        await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
        await bot.set_my_commands(
            [BotCommand("admin", "Quản trị")], scope=BotCommandScopeChat(GROUP)
        )
        vi = await bot.get_my_commands(language_code="vi")
        en = await bot.get_my_commands(language_code="en")
        assert [c.command for c in vi] == ["start", "help"] and vi[0].description == "Bắt đầu"
        assert [c.description for c in en] == ["Start"]
        assert await bot.get_my_commands() == ()
        assert [
            c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(GROUP))
        ] == ["admin"]
        await bot.delete_my_commands(language_code="en")
        assert await bot.get_my_commands(language_code="en") == ()
        with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
            await bot.set_my_commands([BotCommand("Start", "bad")])


async def test_injected_429_is_retry_after(api):
    api.fail_next("sendMessage", 429, retry_after=3)
    async with make_bot(api) as bot:
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(USER, "hi")
        assert seconds(info.value.retry_after) == 3
        await bot.send_message(USER, "hi")  # only the next call failed
    failed = api.calls("sendMessage")[0]
    assert failed.status == 429 and failed.error == "Too Many Requests: retry after 3"
    assert api.too_many_requests == 1


async def test_raw_error_shape(api):
    api.fail_next("sendMessage", 429, retry_after=3)
    api.fail_next(
        "sendMessage",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=-1009,
    )
    async with httpx.AsyncClient() as client:
        first = await client.post(
            f"{api.base_url}{TOKEN}/sendMessage", json={"chat_id": USER, "text": "x"}
        )
        second = await client.post(
            f"{api.base_url}{TOKEN}/SENDMESSAGE", data={"chat_id": str(USER), "text": "x"}
        )
    assert first.status_code == 429
    assert first.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    assert second.status_code == 400 and second.json()["parameters"] == {
        "migrate_to_chat_id": -1009
    }


async def test_kicked_blocked_and_migrated_chats(api):
    api.kick(GROUP)
    api.block(USER)
    api.migrate(-4321, -1004321)
    async with make_bot(api) as bot:
        with pytest.raises(Forbidden, match="kicked from the supergroup chat"):
            await bot.send_message(GROUP, "hello")
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(USER, "hello")
        with pytest.raises(ChatMigrated) as info:
            await bot.send_message(-4321, "hello")
        assert info.value.new_chat_id == -1004321
        assert (await bot.send_message(-1004321, "hello")).chat.id == -1004321


async def test_get_updates_offset_timeout_and_conflict(api):
    api.send_text(USER, "/start")
    api.send_text(USER, "hai")
    async with make_bot(api) as bot:
        updates = await bot.get_updates(timeout=5)
        assert [u.message.text for u in updates] == ["/start", "hai"]
        assert (
            updates[0].message.entities[0].type == "bot_command"
            and updates[0].message.chat.type == "private"
        )
        assert isinstance(api.calls("getUpdates")[0].result[0]["message"]["date"], int)
        assert len(await bot.get_updates(offset=updates[0].update_id + 1)) == 1
        assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
        started = time.monotonic()
        assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1) == ()
        assert time.monotonic() - started >= 0.9
        # a long poll wakes up as soon as an update arrives
        asyncio.get_running_loop().call_later(0.2, api.send_text, USER, "muộn")
        started = time.monotonic()
        late = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=5)
        assert [u.message.text for u in late] == ["muộn"] and time.monotonic() - started < 2
        # re-delivery of an already confirmed update (duplicate delivery)
        api.push_raw_update(api.calls("getUpdates")[0].result[0])
        again = await bot.get_updates(offset=late[-1].update_id + 1)
        assert [u.update_id for u in again] == [updates[0].update_id]
        await bot.set_webhook("https://example.invalid/hook")
        with pytest.raises(Conflict):
            await bot.get_updates()
        assert (await bot.get_webhook_info()).url == "https://example.invalid/hook"
        await bot.delete_webhook()


async def test_allowed_updates_default_excludes_chat_member(api):
    api.push_update({"chat_member": {"chat": {"id": GROUP, "type": "supergroup", "title": "G"}}})
    api.send_text(USER, "xin chào")
    async with make_bot(api) as bot:
        updates = await bot.get_updates()
    assert [u.message.text for u in updates] == ["xin chào"] and len(api.dropped_updates) == 1


async def test_press_button_is_a_parseable_callback_query(api):
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Có", callback_data="yes"),
                InlineKeyboardButton("Không", callback_data="no"),
            ]
        ]
    )
    async with make_bot(api) as bot:
        sent = await bot.send_message(USER, "Đồng ý?", reply_markup=markup)
        pushed = api.press_button(USER, api.calls("sendMessage")[0], "yes")
        (update,) = await bot.get_updates()
        assert update.update_id == pushed["update_id"]
        query = Update.de_json(update.to_dict(), bot).callback_query
        assert query.data == "yes" and query.from_user.id == USER
        assert query.message.message_id == sent.message_id and query.message.reply_markup == markup
        assert await query.answer("OK") is True
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await query.answer()
    with pytest.raises(AssertionError, match="no button"):
        api.press_button(USER, api.last_message(USER), "maybe")


async def test_documents_photos_and_files(api):
    content = "Báo cáo PGI".encode() + b"\x00\r\n\xff"
    api.send_document(USER, "báo cáo.pdf", "application/pdf", len(content), content=content)
    api.send_document(USER, "lớn.zip", "application/zip", 30 * 1024 * 1024)
    api.send_photo(USER, caption="ảnh")
    async with make_bot(api) as bot:
        small, big, photo = await bot.get_updates()
        assert (
            small.message.document.file_name == "báo cáo.pdf"
            and photo.message.photo[-1].width == 1280
        )
        file = await small.message.document.get_file()
        assert bytes(await file.download_as_bytearray()) == content
        with pytest.raises(BadRequest, match="(?i)file is too big"):
            await big.message.document.get_file()
        doc = await bot.send_document(
            USER, content, filename="kết quả.txt", caption="<i>xong</i>", parse_mode="HTML"
        )
        pic = await bot.send_photo(USER, b"\x89PNG fake")
    call = api.calls("sendDocument")[0]
    assert (
        call.params["document"]["file_name"] == "kết quả.txt"
        and call.params["document"]["content"] == content
    )
    assert (
        call.params["chat_id"] == USER
        and doc.caption == "xong"
        and doc.document.file_size == len(content)
    )
    assert pic.photo[-1].file_size == len(b"\x89PNG fake")


async def test_groups_members_and_service_updates(api):
    api.bot_added_to_group(GROUP, "Sở TN&MT", by_user_id=USER)
    api.anonymous_admin_message(GROUP, "/help")
    api.set_admins(GROUP, [USER], owner_id=99)
    async with make_bot(api) as bot:
        added, service, anon = await bot.get_updates()
        assert (
            added.my_chat_member.new_chat_member.status == "member"
            and added.my_chat_member.chat.title == "Sở TN&MT"
        )
        assert service.message.new_chat_members[0].username == "pgi_test_bot"
        assert anon.message.sender_chat.id == GROUP and anon.message.from_user.id == 1087968824
        assert (await bot.get_chat_member(GROUP, USER)).status == "administrator"
        assert (await bot.get_chat_member(GROUP, 5)).status == "member"
        assert [m.status for m in await bot.get_chat_administrators(GROUP)] == [
            "creator",
            "administrator",
        ]
        assert (await bot.get_chat(GROUP)).title == "Sở TN&MT"
        api.group_migrated(-555, -100555)
        api.bot_removed_from_group(-777, by_user_id=USER)
        api.channel_post(-1009999, "thông báo")
        old, new, removed, post = await bot.get_updates(offset=anon.update_id + 1)
        assert (
            old.message.migrate_to_chat_id == -100555 and new.message.migrate_from_chat_id == -555
        )
        assert (
            removed.my_chat_member.new_chat_member.status == "kicked"
            and post.channel_post.chat.type == "channel"
        )
        with pytest.raises(ChatMigrated):
            await bot.send_message(-555, "x")
        with pytest.raises(Forbidden, match="kicked from the group chat"):
            await bot.send_message(-777, "x")


async def test_enforce_limits_yields_429(api):
    api.enforce_limits(per_chat_per_second=1, per_group_per_minute=2)
    async with make_bot(api) as bot:
        await bot.send_message(USER, "một")
        with pytest.raises(RetryAfter):
            await bot.send_message(USER, "một")
        await bot.send_message(GROUP, "a")
        await bot.send_message(GROUP, "b")
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(GROUP, "c")
    assert 50 <= seconds(info.value.retry_after) <= 60
    assert api.too_many_requests == 2 and api.duplicates == 0
    assert api.calls("sendMessage")[1].status == 429


async def test_duplicates_and_latency():
    with FakeBotApi(latency=0.2) as api:
        async with make_bot(api) as bot:
            started = time.monotonic()
            await bot.send_message(USER, "giống")
            await bot.send_message(USER, "giống")
            assert time.monotonic() - started >= 0.4
    assert api.duplicates == 1 and api.duplicate_texts() == {(USER, "giống"): 2}


async def test_application_end_to_end(api):
    async def start(update: Update, context) -> None:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Tiếp", callback_data="next")]])
        await update.effective_message.reply_text(
            f"Chào {update.effective_user.first_name}", reply_markup=keyboard
        )

    async def pressed(update: Update, context) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("Đã chọn")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            await _converse(api)
        finally:
            await app.updater.stop()
            await app.stop()
    # On shutdown PTB confirms the last offset; that request terminates its abandoned long poll
    # (409), as on Telegram.
    assert any(c.params.get("timeout") == 0 and c.ok for c in api.calls("getUpdates"))


async def _converse(api: FakeBotApi) -> None:
    api.send_text(USER, "/start", first_name="Lan")
    call = await api.awaited(lambda c: c.method == "sendMessage" and c.ok)
    assert call.params["text"] == "Chào Lan" and call.result["chat"]["first_name"] == "Lan"
    api.press_button(USER, call.result, "next")
    await api.awaited("editMessageText")
    await api.awaited("answerCallbackQuery")
    assert api.last_text(USER) == "Đã chọn" and "reply_markup" not in api.last_message(USER)
    with pytest.raises(AssertionError, match="calls seen"):
        await api.awaited("sendSticker", timeout=0.1)


def test_sync_wait_for_and_fast_shutdown():
    api = FakeBotApi().start()
    with httpx.Client() as client:
        assert (
            client.get(f"{api.base_url}abc:def/getMe").json()["result"]["username"]
            == "pgi_test_bot"
        )
        assert client.post(
            f"{api.base_url}abc:def/setChatTitle", json={"chat_id": GROUP, "title": "x"}
        ).json() == {"ok": True, "result": True}
        assert client.get(f"http://127.0.0.1:{api.port}/nope").status_code == 404
    assert api.wait_for("setChatTitle").params == {"chat_id": GROUP, "title": "x"}
    with pytest.raises(AssertionError):
        api.wait_for(lambda c: c.method == "sendMessage", timeout=0.1)
    started = time.monotonic()
    api.stop()
    assert time.monotonic() - started < 1.0
