"""Unit tests of the Telegram layer without the network: update -> Incoming, splitting, API
URLs, keyboards."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import (
    CallbackQuery,
    Chat,
    ChatMemberAdministrator,
    ChatMemberMember,
    Document,
    Message,
    PhotoSize,
    Update,
    User,
)

from bot.core.messages import Attachment, Choice
from handlers.telegram.adapter import ANONYMOUS_ADMIN_ID, keyboard, to_incoming
from handlers.telegram.app import api_urls
from handlers.textsplit import LIMIT, split_text

BOT = User(id=123456, is_bot=True, first_name="PGI Test Bot", username="pgi_test_bot")
USER = User(
    id=42,
    is_bot=False,
    first_name="Lan",
    last_name="Nguyễn",
    username="lan_xd",
    language_code="en",
)
GROUP = Chat(id=-4000000001, type=Chat.GROUP, title="Tổ PGI")
PRIVATE = Chat(id=42, type=Chat.PRIVATE, first_name="Lan")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeFile:
    """A Telegram file whose bytes are as many as the message said."""

    def __init__(self, size: int):
        self.size = size

    async def download_as_bytearray(self) -> bytearray:
        return bytearray(b"x" * self.size)


class FakeBot:
    """What to_incoming uses of the bot: its identity, getChatMember and getFile."""

    def __init__(self, admins: frozenset[int] = frozenset(), files: dict[str, int] | None = None):
        self.username, self.id = BOT.username, BOT.id
        self.admins = admins
        self.files = files or {}  # file id -> size in bytes
        self.member_checks: list[tuple[int, int]] = []

    async def get_file(self, file_id: str) -> FakeFile:
        return FakeFile(self.files[file_id])

    async def get_chat_member(self, chat_id: int, user_id: int):
        self.member_checks.append((chat_id, user_id))
        user = User(id=user_id, is_bot=False, first_name="X")
        if user_id in self.admins:
            return ChatMemberAdministrator(
                user, False, False, True, True, True, True, True, True, True, True, True, True
            )
        return ChatMemberMember(user)


def context(admins: frozenset[int] = frozenset(), files: dict[str, int] | None = None):
    return SimpleNamespace(bot=FakeBot(admins, files))


def message(
    text: str | None = "hello", chat: Chat = PRIVATE, user: User | None = USER, **fields
) -> Message:
    return Message(message_id=7, date=NOW, chat=chat, from_user=user, text=text, **fields)


# --- update -> Incoming -------------------------------------------------------------------------


async def test_group_chatter_not_addressed_to_the_bot_is_none():
    """In a group, plain chatter (no command, no mention, no reply to the bot) is not for the
    bot."""
    update = Update(1, message=message("chào cả nhà, nước sạch thế nào?", chat=GROUP))
    assert None is await to_incoming(update, context())


async def test_group_reply_to_someone_else_is_none():
    """A reply to another member's message in a group is not for the bot."""
    other = message("hỏi gì đó", chat=GROUP, user=User(id=77, is_bot=False, first_name="Bình"))
    update = Update(1, message=message("đúng rồi", chat=GROUP, reply_to_message=other))
    assert None is await to_incoming(update, context())


async def test_group_mention_is_for_the_bot_and_removed_from_the_text():
    """ "@pgi_test_bot nước sạch" in a group reaches the core as "nước sạch"."""
    update = Update(1, message=message("@pgi_test_bot nước sạch", chat=GROUP))
    msg = await to_incoming(update, context())
    assert ("nước sạch", "group", str(GROUP.id), "Tổ PGI") == (
        msg.text,
        msg.chat_type,
        msg.chat_id,
        msg.chat_title,
    )


async def test_group_reply_to_the_bot_is_for_the_bot():
    """A reply to one of the bot's messages is addressed to the bot, with its text unchanged."""
    mine = message("Chỉ số 1.5 …", chat=GROUP, user=BOT)
    msg = await to_incoming(
        Update(1, message=message("còn 1.6?", chat=GROUP, reply_to_message=mine)), context()
    )
    assert "còn 1.6?" == msg.text


async def test_group_command_is_for_the_bot():
    """A command in a group reaches the core; only /dangky asks Telegram for the sender's
    rights."""
    ctx = context()
    msg = await to_incoming(Update(1, message=message("/diem", chat=GROUP)), ctx)
    assert ("/diem", False) == (msg.text, msg.is_group_admin)
    assert [] == ctx.bot.member_checks


async def test_group_dangky_checks_whether_the_sender_is_an_admin():
    """/dangky in a group asks getChatMember; an administrator is marked as such."""
    ctx = context(admins=frozenset({USER.id}))
    msg = await to_incoming(Update(1, message=message("/dangky Sở Xây dựng", chat=GROUP)), ctx)
    assert (True, [(GROUP.id, USER.id)]) == (msg.is_group_admin, ctx.bot.member_checks)
    ctx = context()
    msg = await to_incoming(Update(1, message=message("/dangky Sở Xây dựng", chat=GROUP)), ctx)
    assert False is msg.is_group_admin


async def test_anonymous_admin_has_no_user_and_is_admin():
    """A message sent as the group itself (anonymous admin): no user id, group admin, the
    group's title as name."""
    anon = User(
        id=ANONYMOUS_ADMIN_ID, is_bot=True, first_name="Group", username="GroupAnonymousBot"
    )
    msg = await to_incoming(
        Update(
            1, message=message("/dangky Sở Xây dựng", chat=GROUP, user=anon, sender_chat=GROUP)
        ),
        context(),
    )
    assert (None, True, "Tổ PGI", None) == (
        msg.user_id,
        msg.is_group_admin,
        msg.user_name,
        msg.language_code,
    )


async def test_channel_post_is_none():
    """Channel posts are never for the bot."""
    channel = Chat(id=-1001234567890, type=Chat.CHANNEL, title="Kênh")
    post = Message(message_id=3, date=NOW, chat=channel, sender_chat=channel, text="/start")
    assert None is await to_incoming(Update(1, channel_post=post), context())


async def test_private_message_carries_the_user():
    """A private message: the user's id, full name, username and app language."""
    msg = await to_incoming(Update(1, message=message("Ai chủ trì chỉ số 1.5?")), context())
    assert (
        "Ai chủ trì chỉ số 1.5?",
        "telegram",
        "42",
        "42",
        "private",
        "Lan Nguyễn",
        "lan_xd",
        "en",
        False,
        None,
    ) == (
        msg.text,
        msg.channel,
        msg.chat_id,
        msg.user_id,
        msg.chat_type,
        msg.user_name,
        msg.username,
        msg.language_code,
        msg.edited,
        msg.attachment,
    )


async def test_edited_message_is_marked_edited():
    """An edited_message update becomes an Incoming marked edited (the core refuses it)."""
    msg = await to_incoming(
        Update(1, edited_message=message("/capnhat 1.5 90%", edit_date=NOW)), context()
    )
    assert (True, "/capnhat 1.5 90%") == (msg.edited, msg.text)


async def test_document_caption_is_the_text_and_the_file_the_attachment():
    """A document with a caption: the caption is the text, the document the attachment,
    downloaded at once."""
    doc = Document(
        file_id="BQAC1",
        file_unique_id="u1",
        file_name="bien_ban.pdf",
        mime_type="application/pdf",
        file_size=2048,
    )
    msg = await to_incoming(
        Update(1, message=message(None, document=doc, caption="/capnhat 1.5 60% biên bản")),
        context(files={"BQAC1": 2048}),
    )
    assert "/capnhat 1.5 60% biên bản" == msg.text
    assert (
        Attachment("document", "BQAC1", "bien_ban.pdf", "application/pdf", 2048, b"x" * 2048)
        == msg.attachment
    )


async def test_photo_attachment_is_the_largest_size():
    """A photo: the largest PhotoSize is kept, named after its unique id."""
    sizes = (PhotoSize("small", "s1", 90, 68, 1500), PhotoSize("big", "b1", 1280, 960, 120_000))
    msg = await to_incoming(
        Update(1, message=message(None, photo=sizes, caption="80")),
        context(files={"big": 120_000}),
    )
    assert (
        Attachment("photo", "big", "photo_b1.jpg", "image/jpeg", 120_000, b"x" * 120_000)
        == msg.attachment
    )


async def test_callback_query_carries_its_data_and_no_text():
    """A pressed button: the callback data, no text and no attachment, from the presser."""
    bot_message = message("Which one is your agency?", user=BOT)
    query = CallbackQuery("q1", USER, "ci", message=bot_message, data="su:0")
    msg = await to_incoming(Update(1, callback_query=query), context(), callback="su:0")
    assert ("su:0", "", None, "42") == (msg.callback, msg.text, msg.attachment, msg.user_id)


# --- Reply -> Telegram
# ----------------------------------------------------------------------------


def test_keyboard_is_none_without_buttons():
    """No buttons, no reply_markup."""
    assert None is keyboard([])


def rows(markup) -> list[list[tuple[str, str]]]:
    return [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]


def test_keyboard_puts_an_even_number_of_short_choices_two_to_a_row():
    """Four choices of at most 20 characters: two rows of two, labels and data kept, in order."""
    markup = keyboard(
        [
            Choice("Duyệt", "adm:m:1:y"),
            Choice("Từ chối", "adm:m:1:n"),
            Choice("Duyệt", "adm:g:2:y"),
            Choice("Từ chối", "adm:g:2:n"),
        ]
    )
    assert [
        [("Duyệt", "adm:m:1:y"), ("Từ chối", "adm:m:1:n")],
        [("Duyệt", "adm:g:2:y"), ("Từ chối", "adm:g:2:n")],
    ] == rows(markup)


def test_keyboard_puts_an_odd_number_of_choices_one_to_a_row():
    """Three short choices: one per row, so none is left alone beside a pair."""
    markup = keyboard(
        [Choice("Duyệt", "adm:m:1:y"), Choice("Từ chối", "adm:m:1:n"), Choice("Undo", "pu:undo:3")]
    )
    assert [[("Duyệt", "adm:m:1:y")], [("Từ chối", "adm:m:1:n")], [("Undo", "pu:undo:3")]] == rows(
        markup
    )


def test_keyboard_puts_long_choices_one_to_a_row():
    """Two choices, one longer than 20 characters: one per row."""
    markup = keyboard(
        [Choice("Sở Nông nghiệp và Môi trường", "su:0"), Choice("Sở Xây dựng", "su:1")]
    )
    assert [[("Sở Nông nghiệp và Môi trường", "su:0")], [("Sở Xây dựng", "su:1")]] == rows(markup)


# --- splitting long replies
# -------------------------------------------------------------------------


def test_short_text_is_one_part():
    """A text within the limit is sent as it is."""
    assert ["xin chào"] == split_text("xin chào")


def test_limit_is_below_telegram_4096():
    """The default limit leaves room below Telegram's 4096 characters."""
    assert LIMIT <= 4096


def test_split_on_line_boundaries():
    """Lines are kept whole when they fit: joining the parts with newlines gives the text back."""
    text = "\n".join(f"• dòng {i} " + "x" * 50 for i in range(200))
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(p) <= LIMIT for p in parts)
    assert text == "\n".join(parts)


def test_split_a_single_long_line_on_spaces():
    """A line longer than the limit is cut at spaces, each part within the limit."""
    text = " ".join(["nước"] * 3000)
    parts = split_text(text)
    assert all(len(p) <= LIMIT for p in parts)
    assert text.split() == " ".join(parts).split()


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from(list("ab cđ.,\n  Ư")), max_size=600),
    st.integers(min_value=1, max_value=80),
)
def test_split_keeps_every_part_within_the_limit_and_loses_no_text(text, limit):
    """For any text and limit: every part fits, and every non-space character arrives, in order."""
    parts = split_text(text, limit)
    assert [] == [p for p in parts if len(p) > limit]
    assert "".join(text.split()) == "".join("".join(parts).split())


# --- configuration
# --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "base",
    [
        "http://127.0.0.1:8081",
        "http://127.0.0.1:8081/",
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/bot/",
    ],
)
def test_api_urls_accept_the_root_or_the_bot_path(base):
    """TELEGRAM_API_BASE_URL may be the server root or end in /bot, with or without a slash."""
    assert ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot") == api_urls(base)
