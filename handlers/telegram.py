"""Thin Telegram handlers: an update becomes an :class:`Incoming`, the core answers, the reply is sent."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, CallbackContext, ExtBot

from bot.core import Attachment, Button, Incoming, Outgoing, Reply
from bot.textsplit import split_text

log = logging.getLogger(__name__)
ANONYMOUS_ADMIN_ID = 1087968824  # Telegram's GroupAnonymousBot
_COMMAND_TARGET = re.compile(r"^/\w+@(\w+)")


@dataclass
class BotData:
    """What the handlers need, set once in post_init (typed instead of string keys)."""

    services: object | None = None
    dispatcher: object | None = None
    cycle: object | None = None  # coroutine function: plan reminders and send the ledger


class AppContext(CallbackContext[ExtBot, dict, dict, BotData]):
    @property
    def services(self):
        return self.bot_data.services


def _core(context: AppContext):
    return context.services.conversation


# --- update -> Incoming ----------------------------------------------------------------------

def _attachment(message: Message | None) -> Attachment | None:
    if message is None:
        return None
    if message.document is not None:
        d = message.document
        return Attachment("document", d.file_id, d.file_name or "document", d.mime_type, d.file_size)
    if message.photo:
        p = message.photo[-1]
        return Attachment("photo", p.file_id, f"photo_{p.file_unique_id}.jpg", "image/jpeg", p.file_size)
    return None


async def to_incoming(update: Update, context: AppContext, callback: str | None = None) -> Incoming | None:
    """None when the message is not for the bot (group chatter, channel posts)."""
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or chat.type == ChatType.CHANNEL:
        return None
    user = update.effective_user
    private = chat.type == ChatType.PRIVATE
    text = (message.text or message.caption or "") if message is not None and callback is None else ""
    bot_username = context.bot.username or ""
    command_for = _COMMAND_TARGET.match(text)
    if command_for and bot_username and command_for.group(1).lower() != bot_username.lower():
        return None  # "/help@other_bot" is for another bot in the group
    if not private and callback is None and message is not None:
        mention = re.compile(rf"@{re.escape(bot_username)}\b", re.I) if bot_username else None
        replied_to_bot = (message.reply_to_message is not None and message.reply_to_message.from_user is not None
                          and message.reply_to_message.from_user.id == context.bot.id)
        if not (text.startswith("/") or (mention and mention.search(text)) or replied_to_bot):
            return None
        if mention:
            text = " ".join(mention.sub(" ", text).split())
    anonymous = message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id
    user_id = None if anonymous or user is None or user.id == ANONYMOUS_ADMIN_ID else user.id
    is_admin_here = anonymous
    if not private and user_id is not None and callback is None and text.lower().startswith("/dangky") or (
            not private and user_id is not None and callback is not None and callback.startswith("su:")):
        try:
            member = await context.bot.get_chat_member(chat.id, user_id)
            is_admin_here = member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
        except TelegramError:
            log.warning("could not check the sender's rights in chat %s", chat.id)
    return Incoming(
        text=text,
        channel="telegram",
        chat_id=chat.id,
        user_id=user_id,
        chat_type="private" if private else "group",
        chat_title=chat.title or "",
        user_name=(chat.title if anonymous else (user.full_name if user else "")) or "",
        username=user.username if user and user_id else None,
        language_code=user.language_code if user and user_id else None,
        callback=callback,
        attachment=_attachment(message) if callback is None else None,
        is_group_admin=is_admin_here,
        edited=update.edited_message is not None,
    )


# --- Reply -> Telegram -------------------------------------------------------------------------

def keyboard(buttons: list[list[Button]]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in buttons])


async def send(bot, chat_id: int, text: str, buttons: list[list[Button]], is_html: bool) -> Message | None:
    """Send text in pieces below Telegram's 4096-character limit; buttons go with the last piece."""
    parts = split_text(text)
    last = None
    for i, part in enumerate(parts):
        markup = keyboard(buttons) if i == len(parts) - 1 else None
        last = await bot.send_message(chat_id, part, reply_markup=markup, parse_mode=ParseMode.HTML if is_html else None)
    return last


async def deliver(update: Update, context: AppContext, reply: Reply) -> None:
    query = update.callback_query
    if query is not None:
        try:
            await query.answer(reply.toast[:190] if reply.toast else None)
        except TelegramError:
            log.debug("callback answer failed", exc_info=True)
    if not reply.silent and reply.text:
        chat_id = update.effective_chat.id
        parts = split_text(reply.text)
        if reply.edit and query is not None and query.message is not None and len(parts) == 1:
            try:
                await query.edit_message_text(parts[0], reply_markup=keyboard(reply.buttons),
                                              parse_mode=ParseMode.HTML if reply.html else None)
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():
                    await send(context.bot, chat_id, reply.text, reply.buttons, reply.html)
        else:
            await send(context.bot, chat_id, reply.text, reply.buttons, reply.html)
    for out in reply.outbox:
        await _deliver_outgoing(context, out)
    if reply.deliver_now and context.bot_data.cycle is not None:
        context.application.create_task(context.bot_data.cycle(), update=update)


async def _deliver_outgoing(context: AppContext, out: Outgoing) -> None:
    try:
        await send(context.bot, out.chat_id, out.text, out.buttons, out.html)
    except (Forbidden, BadRequest) as exc:
        # an admin who never opened a chat with the bot, or blocked it: the request still waits in /choduyet
        log.warning("could not notify chat %s: %s", out.chat_id, exc)


async def _run_core(context: AppContext, fn, *args) -> Reply:
    return await asyncio.to_thread(fn, *args)


# --- handlers ------------------------------------------------------------------------------------

async def skip_duplicates(update: Update, context: AppContext) -> None:
    """A Telegram update delivered twice is processed once (the id is recorded in the database)."""
    services = context.services
    from storage import dialogs

    def first_time() -> bool:
        with services.db.session() as s:
            return dialogs.first_time(s, update.update_id)

    if not await asyncio.to_thread(first_time):
        log.info("update %s was already processed; skipped", update.update_id)
        raise ApplicationHandlerStop


async def on_message(update: Update, context: AppContext) -> None:
    msg = await to_incoming(update, context)
    if msg is None:
        return
    reply = await _run_core(context, _core(context).handle, msg)
    await deliver(update, context, reply)


async def on_callback(update: Update, context: AppContext) -> None:
    query = update.callback_query
    msg = await to_incoming(update, context, callback=query.data or "")
    if msg is None:
        await query.answer()
        return
    reply = await _run_core(context, _core(context).handle, msg)
    await deliver(update, context, reply)


async def on_my_chat_member(update: Update, context: AppContext) -> None:
    """The bot was added to, or removed from, a group."""
    change = update.my_chat_member
    chat = change.chat
    if chat.type == ChatType.PRIVATE:
        return
    new = change.new_chat_member.status
    from bot import groups_events

    if new in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        await asyncio.to_thread(groups_events.bot_removed, context.services.conversation, chat.id,
                                "removed" if new == ChatMemberStatus.LEFT else "kicked")
        return
    if change.old_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        user = change.from_user
        reply = await asyncio.to_thread(groups_events.bot_added, context.services.conversation, chat.id, chat.title or "",
                                        user.language_code if user else None)
        await deliver(update, context, reply)


async def on_migrate(update: Update, context: AppContext) -> None:
    """A group became a supergroup: its bindings and dialogs follow it to the new chat id."""
    message = update.effective_message
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    from bot import groups_events

    await asyncio.to_thread(groups_events.chat_migrated, context.services.conversation, old, new)


async def on_error(update: object, context: AppContext) -> None:
    """Log the error with its update (traceback first), then apologise briefly; never stay silent."""
    log.error("error while handling an update: %r", update, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    conv = context.services.conversation if context.services else None
    user = update.effective_user
    text = "Xin lỗi, đã có lỗi. Vui lòng thử lại sau ít phút."
    if conv is not None:
        try:
            probe = Incoming("", user_id=user.id if user else None, language_code=user.language_code if user else None)
            lang = await asyncio.to_thread(conv.language_of, probe)  # the language the user chose, if any
        except Exception:  # noqa: BLE001 - the database may be what failed
            lang = user.language_code if user else None
        text = conv.translator(lang).gettext("Sorry, something went wrong on my side. Please try again in a moment.")
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except TelegramError:
            pass  # already answered before the error
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not send the apology to chat %s", update.effective_chat.id)
