"""Questions and the commands that answer from the knowledge base: /help, /chiso, /hanchot, /diem, /nhiemvu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.access import member_agency
from bot.messages import Choice, Reply
from bot.render import render, to_json

if TYPE_CHECKING:
    from bot.core import Turn

MAX_CHOICE_LABEL = 60


def ask(turn: Turn, text: str, as_agency_name: str | None = None) -> Reply:
    """Answer a question from the turn's snapshot of the knowledge base, for the asker's agency."""
    active = turn.kb
    if as_agency_name is None:
        as_agency_name = turn.msg.as_agency
    if as_agency_name is None:
        agency = member_agency(turn)
        as_agency_name = agency.name if agency else None
    answer = active.engine.answer(text, as_agency=as_agency_name, today=turn.today)
    agencies = dict(active.kb.agencies)
    rendered = render(answer, turn.tr, agencies)
    reply = Reply(text=rendered, answer=answer, json=to_json(answer, rendered, agencies))
    if answer.choices:
        reply.choices = [Choice(c.label[:MAX_CHOICE_LABEL], f"pick:{i}") for i, c in enumerate(answer.choices)]
        reply.choice_extra = {"queries": [c.query for c in answer.choices]}
    return reply


def help_command(turn: Turn, args: str) -> Reply:
    from bot.core import COMMANDS

    reply = ask(turn, "help")
    lines = [reply.text, "", turn.tr.gettext("Commands:")]
    lines.extend(f"/{name} — {turn.tr.gettext(desc)}" for name, desc in COMMANDS)
    reply.text = "\n".join(lines)
    return reply


def _as_member(turn: Turn, question: str) -> Reply:
    agency = member_agency(turn)
    if agency is None and turn.msg.as_agency is None:
        return Reply(turn.tr.gettext("I don't know your agency yet. Sign up with /dangky, or ask with the agency's name, "
                                     "e.g. “Sở Xây dựng chủ trì chỉ số nào?”."))
    return ask(turn, question)


def my_indicators(turn: Turn, args: str) -> Reply:
    if args:
        return ask(turn, f"{args} phụ trách chỉ số nào")
    return _as_member(turn, "chỉ số của tôi phụ trách")


def my_deadlines(turn: Turn, args: str) -> Reply:
    return ask(turn, f"hạn chót {args}".strip())


def my_tasks(turn: Turn, args: str) -> Reply:
    if args:
        return ask(turn, f"{args} có nhiệm vụ gì")
    return _as_member(turn, "nhiệm vụ của tôi")


def scores(turn: Turn, args: str) -> Reply:
    return ask(turn, f"điểm {args}".strip())
