"""What the bot tells a person about itself and their data, and erasure on request.

Zalo's terms for bots (and Vietnam's personal-data decree 13/2023) ask that a person learns, before
their first interaction, that they talk to automated software and what personal data it keeps. The
first reply to a new person starts with that notice (on every channel); /quyenriengtu repeats it,
and /quyenriengtu xoa asks the admins to erase the person's data. An admin confirms; the progress
the person posted stays with their agency, without their name (storage/ops/erasure.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.app.i18n import Translator
from bot.core.access import admin_user_ids, is_admin
from bot.core.messages import Choice, Reply, notice
from bot.core.validate_input import parse_id
from kb.normalize import fold
from storage.directory import people
from storage.ops import erasure

if TYPE_CHECKING:
    from bot.core.turn import Turn

ERASE_WORDS = {"xoa", "xoa du lieu", "erase", "delete"}


def notice_text(tr: Translator, channel: str) -> str:
    """The notice; ``channel`` is the channel's label (``Context.channel_label``: the registry's
    "Zalo")."""
    return tr.gettext(
        "ℹ️ You are talking to automated software (a bot), run for the focal department of Lạng"
        " Sơn's PGI plans, Sở Nông nghiệp và Môi trường. It keeps your name, your agency, your"
        " {channel} account id and the updates you send, to answer you and to remind your agency,"
        " until you ask for them to be erased. Send /quyenriengtu to read this again or to ask for"
        " erasure; the bot's admins handle it."
    ).format(channel=channel)


def with_first_contact_notice(turn: Turn, reply: Reply) -> Reply:
    """The first reply to a person new to the bot starts with the notice (a group gets a
    one-line version)."""
    tr = turn.tr
    if turn.msg.private:
        head = notice_text(tr, turn.conv.channel_label(turn.msg.channel))
    else:
        head = tr.gettext(
            "ℹ️ I am an automated assistant (software); /quyenriengtu says what I keep about you."
        )
    if reply.silent or not reply.text:
        return replace(reply, text=head, silent=False)
    return replace(reply, text=head + "\n\n" + reply.text)


def command(turn: Turn, args: str) -> Reply:
    """/quyenriengtu: the notice and how to have one's data erased; /quyenriengtu xoa: ask for
    it."""
    tr = turn.tr
    if fold(args).strip() in ERASE_WORDS:
        return _ask_erasure(turn)
    return Reply(
        notice_text(tr, turn.conv.channel_label(turn.msg.channel))
        + "\n"
        + tr.gettext(
            "To have your personal data erased, send /quyenriengtu xoa. An admin confirms it; the"
            " progress updates you posted stay with your agency, without your name."
        )
    )


def _ask_erasure(turn: Turn) -> Reply:
    tr, user = turn.tr, turn.user
    if user is None or not turn.msg.private:
        return Reply(
            tr.gettext("Ask for erasure in a private chat with the bot, from your own account.")
        )
    who = turn.msg.user_name or user.name or f"#{user.id}"
    channel = turn.conv.channel_label(turn.msg.channel)
    sent = False
    for admin in admin_user_ids(turn.s, turn.settings):
        sent |= turn.notify_user(
            admin,
            lambda t: t.gettext(
                "{who} ({channel}, user #{id}) asks to have their personal data erased. Erasing"
                " removes their name, accounts and memberships; their progress updates stay with"
                " their agency, without the name."
            ).format(who=who, channel=channel, id=user.id),
            lambda t: [
                Choice(t.gettext("Erase"), f"priv:erase:{user.id}"),
                Choice(t.gettext("Keep"), f"priv:keep:{user.id}"),
            ],
        )
    if not sent:
        return Reply(
            tr.gettext(
                "No admin can be reached right now; please ask the focal department directly."
            )
        )
    return Reply(
        tr.gettext(
            "Your request to erase your personal data was sent to the admins. You will be told"
            " when it is done."
        )
    )


def button(turn: Turn, rest: list[str]) -> Reply:
    """An admin's decision on an erasure request: priv:erase:<user id> or priv:keep:<user id>."""
    tr, pressed = turn.tr, turn.msg.callback is not None
    if not is_admin(turn):
        return notice(tr.gettext("Only the bot's admins can do that."), pressed)
    action, user_id = (
        (rest[0] if rest else ""),
        parse_id(rest[1] if len(rest) > 1 else "", maximum=10**15),
    )
    person = people.get_user(turn.s, user_id) if user_id is not None else None
    if action not in ("erase", "keep") or person is None:
        return notice(tr.gettext("This request is no longer valid."), pressed)
    if action == "keep":
        turn.notify_user(
            person.id,
            lambda t: t.gettext(
                "An admin kept your data for now; ask the focal department if you want to know"
                " why."
            ),
        )
        return notice(
            tr.gettext("Kept: user #{id}'s data was not erased.").format(id=person.id), pressed
        )
    if not people.identities_of(turn.s, person.id):
        return notice(
            tr.gettext("User #{id}'s data was already erased.").format(id=person.id), pressed
        )
    turn.notify_user(
        person.id,
        lambda t: t.gettext(
            "Your personal data was erased: the bot no longer knows your name or your accounts."
            " The progress updates you posted stay with your agency, without your name. Write"
            " again any time to start anew."
        ),
    )
    erasure.erase_person(turn.s, person.id)
    return notice(tr.gettext("Erased: user #{id}'s personal data.").format(id=person.id), pressed)
