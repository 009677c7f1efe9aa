"""The deadlines as the reminder planner and the status board see them: the knowledge base's,
those added in chat and the occurrences of recurring ones, each on the date of an approved
extension where an agency has one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.audience import Audience
from bot.core.recurrence import Recurrence, occurrence_key, split_occurrence
from kb.model import KnowledgeBase
from storage.schedule import deadlines as deadline_store
from storage.schedule import extensions as extension_store
from storage.schedule.deadlines import DeadlineInfo
from storage.schedule.extensions import ExtensionInfo

if TYPE_CHECKING:
    from bot.core.context import Context


@dataclass(frozen=True)
class DeadlineItem:
    # "kb:<id>" for knowledge-base deadlines, "db:<id>" for those added in chat, "db:<id>@<date>"
    # for an occurrence
    key: str
    title: str
    due: date
    audience: Audience
    extended_from: date | None = (
        None  # the date before an approved extension (for the agencies it applies to)
    )
    recurrence: Recurrence | None = None  # the rule of a recurring deadline's occurrence


Moved = Mapping[
    tuple[str, str], ExtensionInfo
]  # (deadline key, agency id) -> the approved extension in force


def rule_of(d: DeadlineInfo) -> Recurrence | None:
    """The rule of a recurring deadline added in chat (None for a one-off one)."""
    return Recurrence.from_columns(
        d.repeat, d.repeat_day, d.repeat_month, d.due_date, d.repeat_until
    )


def with_extension(item: DeadlineItem, agency_id: str, moved: Moved) -> DeadlineItem:
    """The deadline as it stands for one agency: on the date of its approved extension, if any."""
    x = moved.get((item.key, agency_id))
    if x is None or x.new_date == item.due:
        return item
    return replace(item, due=x.new_date, extended_from=item.due)


def deadline_items(conv: Context, today: date, moved: Moved | None = None) -> list[DeadlineItem]:
    """What the planner looks at: deadlines due since the overdue window began, the occurrences of
    recurring ones up to the earliest reminder ahead, and any whose extension reaches into the
    window.
    """
    horizon = today - timedelta(days=conv.settings.overdue_days * 2 + 14)
    with conv.db.session() as s:
        custom = deadline_store.active(s)
        moved = extension_store.approved(s) if moved is None else moved
    keep = {key for (key, _agency), x in moved.items() if x.new_date >= horizon}
    ahead = max(conv.settings.reminder_offsets, default=0) + 1
    return items_from(
        conv.knowledge.current.kb, custom, horizon, today=today, ahead=ahead, keep=keep
    )


def items_from(
    kb: KnowledgeBase,
    custom: list[DeadlineInfo],
    since: date | None,
    *,
    today: date | None = None,
    ahead: int = 0,
    keep: Collection[str] = (),
    tz: ZoneInfo | None = None,
) -> list[DeadlineItem]:
    """The knowledge base's deadlines and those added in chat, due on or after ``since`` (and those
    whose key is in ``keep``, whatever their date).

    A recurring deadline gives its occurrences from ``since`` (or its start) to ``ahead`` days
    after ``today``, and its next one after today; a cancelled one (``custom`` may hold them,
    for the history) only those before the day it was cancelled."""
    items = [
        DeadlineItem(f"kb:{d.id}", d.title, d.date, Audience.of_assignments(d.audience))
        for d in kb.deadlines
        if since is None or d.date >= since or f"kb:{d.id}" in keep
    ]
    for d in custom:
        rule = rule_of(d)
        if rule is None:
            if d.cancelled_at is None and (since is None or d.due_date >= since or d.key in keep):
                items.append(DeadlineItem(d.key, d.title, d.due_date, Audience(d.audience)))
            continue
        items += _occurrences(d, rule, since, today, ahead, keep, tz)
    return items


def _occurrences(
    d: DeadlineInfo,
    rule: Recurrence,
    since: date | None,
    today: date | None,
    ahead: int,
    keep: Collection[str],
    tz: ZoneInfo | None,
) -> list[DeadlineItem]:
    today = today or date.today()
    last = today + timedelta(days=ahead)
    dates = set(rule.between(since or rule.start, last))
    following = rule.next_on_or_after(today)
    if following is not None:
        dates.add(following)
    for key in keep:  # an occurrence before the window whose extension reaches into it
        series, when = split_occurrence(key)
        if series == d.key and when is not None and rule.occurs_on(when):
            dates.add(when)
    if d.cancelled_at is not None:
        cancelled = (
            d.cancelled_at.astimezone(tz).date() if tz is not None else d.cancelled_at.date()
        )
        dates = {x for x in dates if x < cancelled}
    audience = Audience(d.audience)
    return [
        DeadlineItem(occurrence_key(d.key, x), d.title, x, audience, recurrence=rule)
        for x in sorted(dates)
    ]
