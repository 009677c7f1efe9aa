"""The commands every chat has: a numbered choice picked, the language, /id, and /huy (cancel)."""

from __future__ import annotations

from bot.core.messages import Choice, Reply
from bot.core.turn import Turn
from bot.flows import questions
from storage.conversation import dialogs
from storage.directory import leaders, people


def pick(turn: Turn, rest: list[str]) -> Reply:
    """A clarifying choice, pressed or typed: the question it stands for is answered."""
    open_list = dialogs.get_choices(turn.s, turn.msg.channel, turn.msg.chat_id, turn.user_id or 0)
    queries_ = (open_list.extra.get("queries") if open_list else None) or []
    try:
        i = int(rest[0])
    except (IndexError, ValueError):
        i = -1
    if not 0 <= i < len(queries_):
        return Reply(
            turn.tr.gettext("That choice has expired; please ask your question again."),
            toast=turn.tr.gettext("This button is no longer valid."),
        )
    return questions.ask(turn, queries_[i])


def language(turn: Turn, args: str) -> Reply:
    choice = args.strip().lower()
    if choice in ("vi", "en"):
        return set_language(turn, choice)
    return Reply(
        turn.tr.gettext("Choose your language:"),
        choices=[Choice("Tiếng Việt", "lang:vi"), Choice("English", "lang:en")],
    )


def language_button(turn: Turn, rest: list[str]) -> Reply:
    choice = rest[0] if rest else ""
    if choice not in ("vi", "en"):
        return Reply("", toast=turn.tr.gettext("This button is no longer valid."), silent=True)
    reply = set_language(turn, choice)
    reply.edit = True
    return reply


def set_language(turn: Turn, lang: str) -> Reply:
    if turn.user is not None:
        people.set_language(turn.s, turn.user.id, lang)
    return Reply(turn.conv.translator(lang).gettext("I will answer you in English from now on."))


def whoami(turn: Turn, args: str) -> Reply:
    """/id: the sender's id on this channel (what ADMIN_*_IDS take) and their user number (what
    /capquyen takes)."""
    if turn.user is None:
        return Reply(turn.tr.gettext("Send /id from your own account, not anonymously."))
    lines = [
        turn.tr.gettext("Your {channel} id: {external}\nYour user number: #{number}").format(
            channel=turn.conv.channel_label(turn.msg.channel),
            external=turn.msg.user_id,
            number=turn.user.id,
        )
    ]
    led = leaders.leaders(turn.s, user_id=turn.user.id) if turn.s is not None else []
    if led:
        lines.append(
            turn.tr.gettext("Leader of: {agencies}").format(
                agencies=", ".join(r.agency_name for r in led)
            )
        )
    mine = (
        [r for r in leaders.responsibles(turn.s) if r.user_id == turn.user.id]
        if turn.s is not None
        else []
    )
    if mine:
        lines.append(
            turn.tr.gettext("Responsible official for: {items}").format(
                items=", ".join(f"{r.indicator_code} ({r.agency_name})" for r in mine)
            )
        )
    return Reply("\n".join(lines))


def cancel_flow(turn: Turn, args: str) -> Reply:
    """/huy: leave whatever step-by-step flow is open in this chat."""
    had = turn.flow_state() is not None
    turn.clear_state()
    return Reply(turn.tr.gettext("Cancelled.") if had else turn.tr.gettext("Nothing to cancel."))


def cancel_button(turn: Turn, rest: list[str]) -> Reply:
    turn.clear_state()
    return Reply(turn.tr.gettext("Cancelled."), edit=True)
