"""The local terminal chat: the same conversation core as Zalo and Telegram, for trying the bot
without a token.

The person at the terminal is the server's admin (and so acts for the focal department): sign-up
approval, progress review, deadlines and broadcasts can all be tried here. Messages the core writes
to this chat through the delivery ledger (a sign-up request, a reminder, a broadcast) are shown
after each answer, as the channels would send them.
"""

from __future__ import annotations

import sys
from typing import TextIO

from bot.app.i18n import LANGUAGES, Translator
from bot.core.dispatch import Conversation
from bot.core.messages import Choice, Incoming, Reply, numbered
from kb.ask.resolve import find_agencies
from kb.normalize import normalize
from kb.words.names import search_agencies
from kb.words.unlisted import is_unlisted
from storage.conversation import dialogs
from storage.delivery import ledger
from storage.directory import people

CHANNEL = "terminal"
LOCAL_USER = "local"
EXIT_WORDS = ("/quit", "/exit", "quit", "exit")


def terminal_help(tr: Translator) -> str:
    _ = tr.gettext
    return "\n".join(
        [
            _("Commands of this terminal chat:"),
            _("/lang vi|en — the language of the answers"),
            _(
                "/as AGENCY NAME — ask as that agency (“tôi / đơn vị mình” questions); /as alone —"
                " as yourself"
            ),
            _("/web — how to open the web console"),
            _("/quit (or Ctrl-D) — leave"),
            _("You are the server's admin here, so you also act for the focal department."),
            _("Type a number to pick from a list; ↑ and ↓ recall earlier lines."),
        ]
    )


def print_reply(reply: Reply | None, out: TextIO) -> None:
    if reply is None or reply.silent and not reply.toast:
        return
    text = numbered(reply.text or reply.toast or "", reply.choices)
    if reply.files:
        text += "\n" + "\n".join(f"[{path}]" for path in reply.files)
    out.write(text + "\n\n")
    out.flush()


def make_local_admin(conversation: Conversation, name: str) -> None:
    """The person at the server's terminal is an admin in this chat."""
    with conversation.db.session() as s:
        user = people.identify(s, CHANNEL, LOCAL_USER, name)
        if user.role != "admin":
            people.set_role(s, user.id, "admin")


def show_deliveries(conversation: Conversation, out: TextIO, tr: Translator) -> None:
    """Messages the ledger holds for this chat: shown here and marked sent, like a channel
    would."""
    with conversation.db.session() as s:
        for row in ledger.pending_for_channel(s, CHANNEL, conversation.now()):
            choices = [Choice(b["label"], b["data"]) for b in row.buttons]
            out.write(
                tr.gettext("[message to this chat]") + "\n" + numbered(row.text, choices) + "\n\n"
            )
            ledger.mark_sent(s, row.id, None, conversation.now())
            if row.buttons:  # the numbered list just shown is what a typed number answers
                dialogs.set_choices(s, CHANNEL, row.chat_id, row.user_id or 0, row.buttons)
    out.flush()


def resolve_as(conversation: Conversation, tr: Translator, name: str) -> tuple[str | None, str]:
    """(the agency's registered name, or None) for `/as NAME`, and what to tell the user."""
    index = conversation.knowledge.current.index
    found = find_agencies(index, normalize(name).split(), name)
    named = [m for m in found.mentions if m.exact and not m.near and not is_unlisted(m.agency)]
    if len(named) == 1 and not found.ambiguous:
        agency = named[0].agency
        return agency.name, tr.gettext("Asking as {agency}.").format(agency=agency.name)
    guesses = [a.name for a in search_agencies(index, name, limit=5)]
    text = tr.gettext("No agency in the registry is called “{name}”.").format(name=name[:100])
    if guesses:
        text += " " + tr.gettext("Did you mean: {names}?").format(names="; ".join(guesses))
    return None, text


def _read(stdin: TextIO, interactive: bool) -> str | None:
    """One typed line; None at the end of input (Ctrl-D) or on Ctrl-C."""
    try:
        if interactive:
            return input("> ")
        line = stdin.readline()
        return line if line else None
    except (EOFError, KeyboardInterrupt):
        return None


def _command(conversation: Conversation, state: dict, text: str) -> str | None:
    """The terminal's own commands; None when the line is for the core."""
    tr = conversation.translator(state["lang"])
    word, _space, arg = text.partition(" ")
    arg = arg.strip()
    if word == "/lang":
        if arg not in LANGUAGES:
            return tr.gettext("Unknown language “{lang}”; type /lang vi or /lang en.").format(
                lang=arg[:20]
            )
        state["lang"] = state["fixed_lang"] = arg
        return conversation.translator(arg).gettext("I will answer you in English from now on.")
    if word == "/as":
        if not arg:
            state["as"] = None
            return tr.gettext("Asking as yourself.")
        agency, told = resolve_as(conversation, tr, arg)
        if agency is not None:
            state["as"] = agency
        return told
    if word == "/web":
        return tr.gettext(
            "The web console is served by `python -m bot web` (or `python -m bot run`) on PORT; in"
            " another terminal, start it, then run `python -m bot web-link` for a one-time sign-in"
            " link as the admin."
        )
    return None


def run(
    conversation: Conversation,
    lang: str = "vi",
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """The chat loop; Ctrl-C and Ctrl-D leave it quietly."""
    interactive = stdin is None and sys.stdin.isatty()
    if interactive:
        import readline  # noqa: F401 - line editing and history for input()
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    state: dict = {
        "lang": lang,
        "fixed_lang": None,
        "as": None,
    }  # /lang fixes it; else the stored choice
    tr = conversation.translator(lang)
    make_local_admin(conversation, tr.gettext("server admin"))
    out.write(
        tr.gettext("PGI Lạng Sơn — assistant for the green index (local chat).")
        + "\n"
        + terminal_help(tr)
        + "\n\n"
    )
    out.flush()
    try:
        while _turn(conversation, state, stdin, out, interactive):
            pass
    except KeyboardInterrupt:
        out.write("\n")
    return 0


def _turn(
    conversation: Conversation, state: dict, stdin: TextIO, out: TextIO, interactive: bool
) -> bool:
    """One typed line handled; False when the chat ends."""
    if not interactive:
        out.write("> ")
        out.flush()
    line = _read(stdin, interactive)
    if line is None:
        out.write("\n")
        return False
    text = line.strip()
    if text in EXIT_WORDS:
        return False
    if not text:
        return True
    told = _command(conversation, state, text)
    if told is not None:
        out.write(told + "\n\n")
        return True
    tr = conversation.translator(state["fixed_lang"] or state["lang"])
    msg = Incoming(
        text,
        CHANNEL,
        LOCAL_USER,
        LOCAL_USER,
        lang=state["fixed_lang"],
        as_agency=state["as"],
        user_name=tr.gettext("server admin"),
    )
    print_reply(conversation.handle(msg), out)
    if text.split()[0].lower() == "/help":
        out.write(terminal_help(tr) + "\n\n")
    show_deliveries(conversation, out, tr)
    return True
