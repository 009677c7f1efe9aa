"""What an extension request may name and who may make it: the deadline (or occurrence) a key or a
typed reference names, the agency the sender asks for, and why a request cannot be made."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core.access import agency_from_record, member_status
from bot.core.audience import Audience
from bot.core.messages import Reply
from bot.core.recurrence import split_occurrence
from bot.core.validate_input import parse_deadline_key, parse_id
from bot.delivery.deadline_items import DeadlineItem, items_from, rule_of, with_extension
from kb.model import Agency
from storage.directory import groups
from storage.schedule import deadlines as deadline_store
from storage.schedule import extensions as extension_store

if TYPE_CHECKING:
    from bot.core.turn import Turn


LATE_LIMIT_DAYS = (
    30  # a deadline past by more than this is not extended: the focal department handles it
)
MAX_REASON = 500


def find_item(turn: Turn, key: str) -> DeadlineItem | None:
    """The deadline (or occurrence) a key names: a knowledge-base one, an active one added in
    chat, or a real occurrence of an active recurring one; None for anything else (a forged or
    stale key)."""
    parsed = parse_deadline_key(key)
    if parsed is None:
        return None
    kind, ident = parsed
    if kind == "kb":
        if split_occurrence(key)[1] is not None:
            return None
        return next((i for i in items_from(turn.kb.kb, [], None) if i.key == key), None)
    found = deadline_store.get(turn.s, int(ident))
    if found is None or found.cancelled_at is not None:
        return None
    rule, (_series, when) = rule_of(found), split_occurrence(key)
    if rule is None:
        return (
            DeadlineItem(found.key, found.title, found.due_date, Audience(found.audience))
            if when is None
            else None
        )
    if when is None or not rule.occurs_on(when):
        return None
    return next(
        i for i in items_from(turn.kb.kb, [found], when, today=when, keep=[key]) if i.key == key
    )


def typed_ref(turn: Turn, ref: str, agency: Agency) -> DeadlineItem | None:
    """What a member types for a deadline: "#12" (one added in chat; for a recurring one, its
    nearest occurrence still open to a request), or a knowledge-base deadline's id."""
    ref = ref.strip()
    did = parse_id(ref)
    if did is None:
        return find_item(turn, f"kb:{ref}") if ref else None
    found = deadline_store.get(turn.s, did)
    if found is None or found.cancelled_at is not None:
        return None
    if rule_of(found) is None:
        return find_item(turn, found.key)
    moved = extension_store.approved(turn.s)
    since = turn.today - timedelta(days=LATE_LIMIT_DAYS)
    for item in items_from(turn.kb.kb, [found], since, today=turn.today):
        if with_extension(item, agency.id, moved).due >= turn.today:
            return item
    return None


def requester_agency(turn: Turn) -> Agency | Reply:
    """The agency the sender asks for: their own, in their private chat or in their agency's
    group."""
    tr = turn.tr
    if turn.user is None:
        return Reply(tr.gettext("Ask from your own account, not anonymously."))
    own = member_status(turn).agency
    if own is None:
        return Reply(
            tr.gettext(
                "Only approved members of an agency can ask for an extension of its deadlines."
                " Sign up with /dangky."
            )
        )
    if not turn.msg.private:
        binding = groups.active_binding(turn.s, turn.msg.channel, turn.msg.chat_id)
        bound = (
            agency_from_record(turn.kb, binding.agency_id, binding.agency_name)
            if binding
            else None
        )
        if bound is None or bound.id != own.id:
            return Reply(
                tr.gettext(
                    "Only members of {agency} can ask for an extension of its deadlines; ask in"
                    " your own agency's group or in a private chat with the bot."
                ).format(agency=bound.name if bound else tr.gettext("this group's agency"))
            )
    return own


def check(turn: Turn, agency: Agency, item: DeadlineItem, new_date: date | None) -> str | None:
    """Why this request cannot be made (None: it can)."""
    tr = turn.tr
    if not item.audience.includes(agency, turn.kb.engine):
        return tr.gettext("“{title}” is not a deadline of {agency}.").format(
            title=item.title, agency=agency.name
        )
    current = with_extension(item, agency.id, extension_store.approved(turn.s)).due
    if current < turn.today - timedelta(days=LATE_LIMIT_DAYS):
        return tr.gettext(
            "“{title}” was due on {date}, more than {n} days ago; it can no longer be extended."
            " Write to the focal department."
        ).format(title=item.title, date=tr.date(current), n=LATE_LIMIT_DAYS)
    waiting = extension_store.pending_for(turn.s, item.key, agency.id)
    if waiting is not None:
        return tr.gettext(
            "The request of {agency} to move “{title}” to {date} is still waiting for the focal"
            " department's decision."
        ).format(agency=agency.name, title=item.title, date=tr.date(waiting.new_date))
    if new_date is not None and new_date <= current:
        return tr.gettext("The new date {new} must be after the current one, {current}.").format(
            new=tr.date(new_date), current=tr.date(current)
        )
    return None
