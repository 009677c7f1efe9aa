"""Telegram handlers, registered in one list, in order."""

from __future__ import annotations

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from handlers.telegram import on_callback, on_error, on_message, on_migrate, on_my_chat_member


def register(app: Application) -> None:
    # a redelivered update is recognised by the core, inside the transaction that handles it
    app.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    app.add_handler(CallbackQueryHandler(on_callback))
    # every text, command, caption, document and photo (edited ones too) goes to the core;
    # channel posts are not matched and so are ignored
    app.add_handler(
        MessageHandler(
            (filters.TEXT | filters.CAPTION | filters.Document.ALL | filters.PHOTO)
            & (filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE),
            on_message,
        )
    )
    app.add_error_handler(on_error)
