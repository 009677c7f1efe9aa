"""Thin Telegram handlers: an update becomes an :class:`Incoming`, the core answers, the reply
is sent."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackContext, ExtBot

from bot.app.services import Services
from bot.core.messages import GROUP, PRIVATE, Address, Attachment, Choice, Incoming, Reply
from bot.delivery.worker import Dispatcher
from bot.flows.people.signup import needs_group_rights
from handlers.textsplit import split_text

log = logging.getLogger(__name__)
ANONYMOUS_ADMIN_ID = 1087968824  # Telegram's GroupAnonymousBot
_COMMAND_TARGET = re.compile(r"^/\w+@(\w+)")


@dataclass
class BotData:
    """What the handlers need, set once in post_init (typed instead of string keys)."""

    services: Services | None = None
    dispatcher: Dispatcher | None = None
    cycle: Callable[[], Awaitable[object]] | None = None  # plan reminders and send the ledger
    bot_id: str = ""


class AppContext(CallbackContext[ExtBot, dict, dict, BotData]):
    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError(
                "the application's services are set in post_init, before any update is handled"
            )
        return services


# --- update -> Incoming ----------------------------------------------------------------------

MAX_DOWNLOAD = 20 * 1024 * 1024  # the largest file a bot can download from Telegram


async def _attachment(message: Message | None, bot) -> Attachment | None:
    """The file of a message, downloaded when it is addressed to the bot: Telegram file ids do
    not last."""
    if message is None:
        return None
    if message.document is not None:
        d = message.document
        att = Attachment(
            "document", d.file_id, d.file_name or "document", d.mime_type, d.file_size
        )
    elif message.photo:
        p = message.photo[-1]
        att = Attachment(
            "photo", p.file_id, f"photo_{p.file_unique_id}.jpg", "image/jpeg", p.file_size
        )
    else:
        return None
    if att.size is not None and att.size > MAX_DOWNLOAD:
        return att  # the core refuses it with the size
    try:
        file = await bot.get_file(att.ref)
        content = bytes(await file.download_as_bytearray())
    except TelegramError:
        log.warning("could not download an attached file")
        return att
    return Attachment(att.kind, att.ref, att.file_name, att.mime_type, len(content), content)


def _addressed(message: Message, text: str, bot_username: str, bot_id: int) -> str | None:
    """A group message's text when it is for the bot (a command, a mention of the bot, a reply to
    one of its messages), the mention taken off; None when it is group chatter."""
    mention = re.compile(rf"@{re.escape(bot_username)}\b", re.I) if bot_username else None
    replied_to_bot = (
        message.reply_to_message is not None
        and message.reply_to_message.from_user is not None
        and message.reply_to_message.from_user.id == bot_id
    )
    if not (text.startswith("/") or (mention and mention.search(text)) or replied_to_bot):
        return None
    return " ".join(mention.sub(" ", text).split()) if mention else text


async def _admin_in(context: AppContext, chat_id: int, user_id: int, fallback: bool) -> bool:
    """Whether the sender administers the group (``fallback`` when Telegram cannot say)."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        log.warning("could not check the sender's rights in chat %s", chat_id)
        return fallback
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def to_incoming(
    update: Update, context: AppContext, callback: str | None = None
) -> Incoming | None:
    """None when the message is not for the bot (group chatter, channel posts)."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or chat.type == ChatType.CHANNEL:
        return None
    user = update.effective_user
    private = chat.type == ChatType.PRIVATE
    text = (
        (message.text or message.caption or "") if message is not None and callback is None else ""
    )
    bot_username = context.bot.username or ""
    command_for = _COMMAND_TARGET.match(text)
    if command_for and bot_username and command_for.group(1).lower() != bot_username.lower():
        return None  # "/help@other_bot" is for another bot in the group
    if not private and callback is None and message is not None:
        addressed = _addressed(message, text, bot_username, context.bot.id)
        if addressed is None:
            return None
        text = addressed
    anonymous = (
        message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    )
    user_id = None if anonymous or user is None or user.id == ANONYMOUS_ADMIN_ID else user.id
    is_admin_here = anonymous
    if not private and user_id is not None and needs_group_rights(text, callback):
        is_admin_here = await _admin_in(context, chat.id, user_id, anonymous)
    return Incoming(
        text=text,
        channel="telegram",
        chat_id=str(chat.id),
        user_id=str(user_id) if user_id is not None else None,
        chat_type=PRIVATE if private else GROUP,
        chat_title=chat.title or "",
        user_name=(chat.title if anonymous else (user.full_name if user else "")) or "",
        username=user.username if user and user_id else None,
        language_code=user.language_code if user and user_id else None,
        callback=callback,
        attachment=await _attachment(message, context.bot) if callback is None else None,
        is_group_admin=is_admin_here,
        edited=update.edited_message is not None,
        update_id=str(update.update_id),
        bot_id=str(context.bot.id),
    )


# --- Reply -> Telegram -------------------------------------------------------------------------


def keyboard(choices: list[Choice]) -> InlineKeyboardMarkup | None:
    """Short choices two to a row, longer ones one to a row."""
    if not choices:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    pair = len(choices) % 2 == 0 and all(len(c.label) <= 20 for c in choices)
    for c in choices:
        button = InlineKeyboardButton(c.label[:64], callback_data=c.data)
        if pair and rows and len(rows[-1]) == 1:
            rows[-1].append(button)
        else:
            rows.append([button])
    return InlineKeyboardMarkup(rows)


async def send(bot, chat_id: int | str, text: str, choices: list[Choice]) -> Message | None:
    """Send plain text in pieces below Telegram's 4096-character limit; the keyboard goes with
    the last piece."""
    parts = split_text(text)
    last = None
    for i, part in enumerate(parts):
        markup = keyboard(choices) if i == len(parts) - 1 else None
        last = await bot.send_message(int(chat_id), part, reply_markup=markup)
    return last


async def deliver(update: Update, context: AppContext, reply: Reply) -> None:
    query = update.callback_query
    if query is not None:
        try:
            await query.answer(reply.toast[:190] if reply.toast else None)
        except TelegramError:
            log.debug("callback answer failed", exc_info=True)
    chat = update.effective_chat
    if (
        chat is not None
    ):  # every update handled here comes from a chat (the bot has no inline mode)
        await _send_reply(context, reply, query, chat.id)
    if reply.deliver_now and context.bot_data.cycle is not None:
        context.application.create_task(context.bot_data.cycle(), update=update)


async def _send_reply(
    context: AppContext, reply: Reply, query: CallbackQuery | None, chat_id: int
) -> None:
    """The reply's text (edited into the pressed message when it asks so) and files, to the
    chat."""
    if not reply.silent and reply.text:
        parts = split_text(reply.text)
        if reply.edit and query is not None and query.message is not None and len(parts) == 1:
            try:
                await query.edit_message_text(parts[0], reply_markup=keyboard(reply.choices))
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():
                    await send(context.bot, chat_id, reply.text, reply.choices)
        else:
            await send(context.bot, chat_id, reply.text, reply.choices)
    for rel in reply.files:  # the report's workbook and chart, as documents
        path = Path(context.services.settings.data_dir) / rel
        try:
            with path.open("rb") as f:
                await context.bot.send_document(chat_id, f, filename=path.name)
        except (OSError, TelegramError):
            log.warning("a file of the reply could not be sent")
            if reply.file_links:
                await send(context.bot, chat_id, reply.file_links, [])
            break


async def _run_core(context: AppContext, fn, *args) -> Reply:
    return await asyncio.to_thread(fn, *args)


# --- handlers ------------------------------------------------------------------------------------


async def on_message(update: Update, context: AppContext) -> None:
    msg = await to_incoming(update, context)
    if msg is None:
        return
    reply = await _run_core(context, context.services.conversation.handle, msg)
    if reply is not None:
        await deliver(update, context, reply)


async def on_callback(update: Update, context: AppContext) -> None:
    query = update.callback_query
    if query is None:  # registered for callback queries only
        return
    msg = await to_incoming(update, context, callback=query.data or "")
    if msg is None:
        await query.answer()
        return
    reply = await _run_core(context, context.services.conversation.handle, msg)
    if reply is None:
        return  # a redelivered press, answered the first time (Telegram refuses a second answer)
    await deliver(update, context, reply)


async def on_my_chat_member(update: Update, context: AppContext) -> None:
    """The bot was added to, or removed from, a group."""
    change = update.my_chat_member
    if change is None:  # registered for the bot's own membership changes only
        return
    chat = change.chat
    if chat.type == ChatType.PRIVATE:
        return
    new = change.new_chat_member.status
    from bot.flows import group_events as groups_events

    if new in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        await asyncio.to_thread(
            groups_events.bot_removed,
            context.services.conversation,
            Address("telegram", str(chat.id)),
            "removed" if new == ChatMemberStatus.LEFT else "kicked",
        )
        return
    if change.old_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        user = change.from_user
        reply = await asyncio.to_thread(
            groups_events.bot_added,
            context.services.conversation,
            chat.title or "",
            user.language_code if user else None,
        )
        await deliver(update, context, reply)


async def on_migrate(update: Update, context: AppContext) -> None:
    """A group became a supergroup: its bindings and dialogs follow it to the new chat id."""
    message = update.effective_message
    if message is None:  # registered for migration service messages only
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    from bot.flows import group_events as groups_events

    await asyncio.to_thread(
        groups_events.chat_migrated, context.services.conversation, "telegram", str(old), str(new)
    )


async def on_error(update: object, context: AppContext) -> None:
    """Log the error with its update (traceback first), then apologise briefly; never stay
    silent."""
    log.error(
        "error while handling update %s", getattr(update, "update_id", "?"), exc_info=context.error
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    conv = context.services.conversation if context.services else None
    user = update.effective_user
    text = "Xin lỗi, đã có lỗi. Vui lòng thử lại sau ít phút."
    if conv is not None:
        lang = user.language_code if user else None
        if user is not None:
            try:  # the language the user chose, as for any other answer
                lang = (
                    await asyncio.to_thread(_chosen_language, context.services, str(user.id))
                    or lang
                )
            except Exception:  # noqa: BLE001 - the database may be what failed; the app's language will do
                log.debug("no stored language for the apology", exc_info=True)
        text = conv.translator(lang).gettext(
            "Sorry, something went wrong on my side. Please try again in a moment."
        )
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except TelegramError:
            pass  # already answered before the error
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not send the apology to chat %s", update.effective_chat.id)


def _chosen_language(services: Services, external_id: str) -> str | None:
    from storage.directory import people

    with services.db.session() as s:
        user = people.find_identity(s, "telegram", external_id)
        return user.language if user else None
