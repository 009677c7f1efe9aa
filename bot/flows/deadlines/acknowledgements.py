"""Acknowledgements of reminders ("Acknowledged" under a reminder, /danhan): recorded per member
for the agency of the chat, which then gets no more reminders of that deadline but the last."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.access import agency_from_record, is_admin, is_focal, member_status
from bot.core.messages import Reply
from bot.core.recurrence import split_occurrence
from bot.core.validate_input import parse_deadline_key
from bot.delivery.deadline_items import rule_of
from storage.directory import groups
from storage.schedule import deadlines as deadline_store

if TYPE_CHECKING:
    from bot.core.turn import Turn


def _known_key(turn: Turn, key: str) -> bool:
    """A knowledge-base deadline, or an active one added in chat."""
    parsed = parse_deadline_key(key)
    if parsed is None:
        return False
    kind, ident = parsed
    if kind == "kb":
        return any(d.id == ident for d in turn.kb.kb.deadlines)
    found = deadline_store.get(turn.s, int(ident))
    if found is None or found.cancelled_at is not None:
        return False
    rule, (_series, when) = rule_of(found), split_occurrence(key)
    # a one-off deadline has no occurrences, a recurring one is acknowledged per occurrence
    return (when is None) if rule is None else (when is not None and rule.occurs_on(when))


def _ack_agency(turn: Turn):
    """The agency the sender acknowledges for: the group's (for its members, the focal
    department, admins), or in a private chat their own."""
    msg = turn.msg
    status = member_status(turn)
    own = status.agency
    if msg.private:
        return own
    binding = groups.active_binding(turn.s, msg.channel, msg.chat_id)
    if binding is None:
        return None
    agency = agency_from_record(turn.kb, binding.agency_id, binding.agency_name)
    if agency is None:
        return None
    if (own is not None and own.id == agency.id) or is_focal(turn) or is_admin(turn):
        return agency
    return False  # someone else's group


def acknowledge(turn: Turn, key: str) -> Reply:
    tr = turn.tr
    button = turn.msg.callback is not None
    if not _known_key(turn, key):
        return Reply(
            tr.gettext("That reminder is no longer valid."),
            toast=tr.gettext("This button is no longer valid."),
            silent=button,
        )
    if turn.user is None:
        return Reply(
            tr.gettext("Acknowledge from your own account, not anonymously."),
            toast=tr.gettext("Acknowledge from your own account, not anonymously."),
            silent=button,
        )
    agency = _ack_agency(turn)
    if not agency:
        text = tr.gettext(
            "Only approved members of this group's agency (or the focal department) can"
            " acknowledge its reminders. Sign up with /dangky."
        )
        return Reply(text, toast=text[:190], silent=button)
    new = deadline_store.acknowledge(
        turn.s, key, agency.id, turn.user.id, turn.msg.channel, turn.msg.chat_id
    )
    text = (
        tr.gettext("Recorded: {name} has seen this reminder.")
        if new
        else tr.gettext("You had already acknowledged it.")
    ).format(name=turn.msg.user_name or "")
    return Reply(text, toast=text[:190], silent=button)
