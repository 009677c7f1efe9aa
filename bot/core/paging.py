"""A reply longer than a phone screen: its first page now, the rest kept with the choices for a
typed "more" (thêm)."""

from __future__ import annotations

from dataclasses import replace

from bot.core.messages import PAGE, Choice, Reply, pages
from bot.core.turn import Turn
from storage.conversation import dialogs

MORE = "more"
HINT_ROOM = 80  # characters kept on each page for the "type more" line
MORE_WORDS = frozenset(
    {"them", "xem them", "xem tiep", "tiep", "more", "next"}
)  # folded: "thêm", "xem tiếp"…


def _page_reply(
    turn: Turn, rest: list[str], choices: list[list[str]], extra: dict, template: Reply
) -> Reply:
    """The first of the pages ``rest``, with a "more" choice while pages are left, else the
    reply's own choices."""
    page, left = rest[0], rest[1:]
    reply = replace(
        template,
        text=page,
        choices=[Choice(label, data) for label, data in choices],
        choice_extra=extra,
    )
    if left:
        hint = turn.tr.ngettext(
            "— {n} more part: type “thêm” (more) to see it —",
            "— {n} more parts: type “thêm” (more) to see the next —",
            len(left),
        ).format(n=len(left))
        reply.text = f"{page}\n{hint}"
        reply.choices = [Choice(turn.tr.gettext("More"), MORE)]
        reply.choice_extra = {MORE: {"pages": left, "choices": choices, "extra": extra}}
    return reply


def paginate(turn: Turn, reply: Reply) -> Reply:
    """A reply longer than a phone screen: its first page now, the rest kept for a typed "more"
    (thêm).

    Done here, in the core's reply path, so every channel gets the same pages; the rest is kept
    with the choices in the database, like any other choice.
    """
    if (
        reply.silent
        or not reply.text
        or len(reply.text) <= PAGE
        or any(c.data == MORE for c in reply.choices)
    ):
        return reply
    choices = [[c.label, c.data] for c in reply.choices]
    return _page_reply(
        turn, pages(reply.text, PAGE - HINT_ROOM), choices, reply.choice_extra, reply
    )


def more(turn: Turn, rest: list[str]) -> Reply:
    """ "thêm" / "more": the next page of the last long reply."""
    open_list = dialogs.get_choices(turn.s, turn.msg.channel, turn.msg.chat_id, turn.user_id or 0)
    kept = (open_list.extra.get(MORE) if open_list else None) or {}
    if not kept.get("pages"):
        return Reply(
            turn.tr.gettext(
                "There is nothing more to show. Ask your question again, or send /help."
            )
        )
    return _page_reply(
        turn, list(kept["pages"]), kept.get("choices") or [], kept.get("extra") or {}, Reply("")
    )
