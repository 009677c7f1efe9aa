"""Questions, and the commands that answer from the knowledge base with typed queries: /help,
/chiso, /hanchot, /diem, /nhiemvu. The asker's agency travels as an id; chat deadlines join the
knowledge base's in every deadline answer."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core.access import member_agency
from bot.core.menu import COMMANDS
from bot.core.messages import Reply
from bot.core.render import choices_of, render, to_json
from bot.delivery.deadline_items import items_from, with_extension
from kb.ask.answers import Answer
from kb.queries.deadlines import ExtraDeadline
from storage.schedule import deadlines as deadline_store
from storage.schedule import extensions as extension_store

if TYPE_CHECKING:
    from bot.core.turn import Ask, Turn
    from kb.model import Agency

PAST_WORDS = ("cu", "cũ", "da qua", "đã qua", "past", "old")
SERIES_PAST_DAYS = 92  # the past occurrences of a recurring deadline that /hanchot cu still shows


def _asker(turn: Ask) -> Agency | str | None:
    """The asker's agency: fixed by the caller (the command line's --as, a name), or the
    member's own (an Agency)."""
    if turn.msg.as_agency is not None:
        return turn.msg.as_agency
    return member_agency(turn)


def chat_deadlines(turn: Ask, agency: Agency | None) -> list[ExtraDeadline]:
    """Deadlines the focal department added in chat, with whether each concerns the asker's
    agency."""
    if turn.s is None:
        return []
    engine = turn.kb.engine
    moved = extension_store.approved(turn.s) if agency is not None else {}
    recent = turn.today - timedelta(days=SERIES_PAST_DAYS)
    out = []
    # one-off deadlines on their date; recurring ones as their occurrences (the recent ones and the
    # next)
    for item in items_from(turn.kb.kb, deadline_store.active(turn.s), None, today=turn.today):
        if not item.key.startswith("db:") or (item.recurrence is not None and item.due < recent):
            continue
        applies = item.audience.includes(agency, engine) if agency is not None else None
        if agency is not None:
            item = with_extension(
                item, agency.id, moved
            )  # the asker's own date after an approved extension
        out.append(
            ExtraDeadline(
                item.title, item.due, tuple(item.audience.spec.get("ids", [])), applies, item.key
            )
        )
    return out


def reply_of(turn: Ask, answer: Answer) -> Reply:
    agencies = dict(turn.kb.kb.agencies)
    rendered = render(answer, turn.tr, agencies)
    reply = Reply(text=rendered, answer=answer, json=to_json(answer, rendered, agencies))
    if answer.choices:
        reply.choices = choices_of(answer)
        reply.choice_extra = {"queries": [c.query for c in answer.choices]}
    return reply


def ask(turn: Ask, text: str, as_agency_name: str | None = None) -> Reply:
    """Answer a question from the turn's snapshot of the knowledge base, for the asker's agency
    (with no database too: the command line, and while the database is down)."""
    asker = as_agency_name if as_agency_name is not None else _asker(turn)
    agency = asker if asker is not None and not isinstance(asker, str) else None
    answer = turn.kb.engine.answer(
        text,
        as_agency=agency.id if agency is not None else asker,
        today=turn.today,
        extra_deadlines=chat_deadlines(turn, agency),
    )
    _record_unanswered(turn, text, answer)
    return reply_of(turn, answer)


def _record_unanswered(turn: Ask, text: str, answer: Answer) -> None:
    """A question declined, asked back about or understood in part is kept (text only, 90 days)
    for admins."""
    from kb.ask.coverage import unanswered
    from storage.knowledge import unanswered as store

    found = unanswered(answer)
    if found is None or turn.s is None:
        return
    store.record(
        turn.s,
        text=text,
        outcome=found[0],
        understood=found[1],
        now=turn.now,
        kb_version=turn.kb.version.id if turn.kb.version is not None else None,
    )


def help_command(turn: Turn, args: str) -> Reply:
    reply = ask(turn, "help")
    lines = [reply.text, "", turn.tr.gettext("Commands:")]
    lines.extend(f"/{name} — {turn.tr.gettext(desc)}" for name, desc in COMMANDS)
    reply.text = "\n".join(lines)
    return reply


def _no_agency(turn: Turn) -> Reply:
    return Reply(
        turn.tr.gettext(
            "I don't know your agency yet. Sign up with /dangky, or ask with the agency's name, "
            "e.g. “Sở Xây dựng chủ trì chỉ số nào?”."
        )
    )


def _of_member(turn: Turn, query) -> Reply:
    """A typed query about the asker's own agency."""
    agency = _asker(turn)
    if agency is None:
        return _no_agency(turn)
    return reply_of(turn, query(agency))


def my_indicators(turn: Turn, args: str) -> Reply:
    """/chiso: the member's indicators; /chiso <agency>: another agency's."""
    if args:
        return ask(turn, f"{args} phụ trách chỉ số nào")
    return _of_member(turn, turn.kb.engine.indicators_of)


def my_deadlines(turn: Turn, args: str) -> Reply:
    """/hanchot: upcoming deadlines (the knowledge base's and the chat's) for the member's
    agency; /hanchot cu: past ones too."""
    show_past = args.strip().lower() in PAST_WORDS
    if args and not show_past:
        return ask(turn, f"hạn chót {args}")
    agency = _asker(turn)
    resolved = agency if agency is not None and not isinstance(agency, str) else None
    answer = turn.kb.engine.deadlines_for(
        agency, turn.today, extra_deadlines=chat_deadlines(turn, resolved), show_past=show_past
    )
    answer.fold_past = True  # no topic asked: what matters is what is coming
    return reply_of(turn, answer)


def my_tasks(turn: Turn, args: str) -> Reply:
    """/nhiemvu: the member's tasks in the 2024 plan; /nhiemvu <agency>: another agency's."""
    if args:
        return ask(turn, f"{args} có nhiệm vụ gì")
    return _of_member(turn, turn.kb.engine.tasks_of)


def scores(turn: Turn, args: str) -> Reply:
    if args:
        return ask(turn, f"điểm {args}")
    return reply_of(turn, turn.kb.engine.scores())
