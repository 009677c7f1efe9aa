"""What reminders, overdue notices and digests are due now, written into the delivery ledger.

Run on every scheduler tick with the current time; writing the same key twice is a no-op, so a
tick that runs late, twice, or in two processes at once still yields one message per key.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.app.i18n import Translator
from bot.core.access import admin_user_ids
from bot.core.audience import Audience
from bot.core.messages import Address, Choice
from bot.core.recurrence import Recurrence, occurrence_key, split_occurrence
from bot.delivery import recipients
from bot.delivery.calendar import ReminderCalendar
from bot.delivery.reasons import reason_text
from bot.delivery.recipients import Recipients
from kb.model import Agency, KnowledgeBase
from storage.delivery import ledger
from storage.directory import people
from storage.schedule import deadlines as deadline_store
from storage.schedule import extensions as extension_store
from storage.schedule.deadlines import DeadlineInfo
from storage.schedule.extensions import ExtensionInfo
from storage.tracking import progress as progress_store

if TYPE_CHECKING:
    from bot.core.context import Context

log = logging.getLogger(__name__)
GROUP_LANGUAGE = "vi"


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


def _current_id(conv: Context, agency_id: str) -> str:
    """Acknowledgements recorded under an agency's old id count for its successor."""
    index = conv.knowledge.current.index
    return index.current_id(agency_id) if agency_id in index.agencies else agency_id


def calendar_of(conv: Context) -> ReminderCalendar:
    st = conv.settings
    return ReminderCalendar(
        conv.tz, st.reminder_time, st.reminder_offsets, st.holidays, st.overdue_days
    )


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


def targets_of(conv: Context, audience: Audience) -> Recipients:
    with conv.db.session() as s:
        return recipients.resolve(s, conv.knowledge.current, audience, conv.channels)


def missing_indicators(conv: Context, agency: Agency) -> list[str]:
    """The indicators the agency may update (one rule: kb.queries.updatable_rule) whose latest
    update does not stand: none yet, or returned by the focal department and not corrected."""
    active = conv.knowledge.current
    plan = active.plan
    mine = [r.indicator.code for r in active.engine.updatable_indicators(agency)]
    with conv.db.session() as s:
        latest = progress_store.latest_by_indicator(s, agency.id, plan.id)
    return [c for c in mine if c not in latest or latest[c].review_state == "returned"]


def _missing(conv: Context, s, agency: Agency) -> list[str]:
    """:func:`missing_indicators` in the planner's session."""
    active = conv.knowledge.current
    mine = [r.indicator.code for r in active.engine.updatable_indicators(agency)]
    latest = progress_store.latest_by_indicator(s, agency.id, active.plan.id)
    return [c for c in mine if c not in latest or latest[c].review_state == "returned"]


def _days_text(tr: Translator, days: int) -> str:
    if days == 0:
        return tr.gettext("due today")
    return tr.ngettext("{n} day left", "{n} days left", days).format(n=days)


def _codes(codes: list[str], limit: int = 12) -> str:
    return ", ".join(codes[:limit]) + (" …" if len(codes) > limit else "")


def _responsible_first(
    conv: Context, s, item: DeadlineItem, targets: list
) -> list[tuple[recipients.Target, list[str] | None]]:
    """Each agency's responsible officials for the indicators the deadline is about (their private
    chat, with their codes), then the agency's own chats; a person is reached once (the ledger key
    is the same).
    """
    active = conv.knowledge.current
    out: list[tuple[recipients.Target, list[str] | None]] = []
    done: set[str] = set()
    for t in targets:
        if t.agency.id not in done:
            done.add(t.agency.id)
            codes = recipients.concerned_codes(active, item.audience, t.agency)
            out += recipients.responsible_targets(s, active, t.agency, codes, conv.channels)
        out.append((t, None))
    seen: set[tuple[str, str]] = set()
    unique: list[tuple[recipients.Target, list[str] | None]] = []
    for t, of in out:
        if (t.agency.id, t.tag) not in seen:
            seen.add((t.agency.id, t.tag))
            unique.append((t, of))
    return unique


def responsible_line(tr: Translator, agency: Agency, codes: list[str] | None) -> list[str]:
    if not codes:
        return []
    return [
        tr.ngettext(
            "You are the official responsible for indicator {codes} of {agency}.",
            "You are the official responsible for indicators {codes} of {agency}.",
            len(codes),
        ).format(codes=", ".join(codes), agency=agency.name)
    ]


def reminder_text(
    tr: Translator,
    item: DeadlineItem,
    agency: Agency,
    today: date,
    missing: list[str],
    responsible: list[str] | None = None,
) -> str:
    lines = [
        tr.gettext("⏰ Reminder: {title}").format(title=item.title),
        tr.gettext("Due: {date} ({left})").format(
            date=tr.date(item.due), left=_days_text(tr, (item.due - today).days)
        ),
    ]
    if item.extended_from is not None:
        lines.append(
            tr.gettext("Extended for {agency} from {date}.").format(
                agency=agency.name, date=tr.date(item.extended_from)
            )
        )
    lines += [
        tr.gettext("For: {agency}").format(agency=agency.name),
        *responsible_line(tr, agency, responsible),
    ]
    if missing:
        lines.append(
            tr.gettext("Indicators of {agency} with no progress update yet: {codes}").format(
                agency=agency.name, codes=_codes(missing)
            )
        )
    else:
        lines.append(
            tr.gettext("Every indicator of {agency} has a progress update.").format(
                agency=agency.name
            )
        )
    lines.append(
        tr.gettext(
            "Choose “Acknowledged” (or send /danhan) so the focal department knows you have seen"
            " this."
        )
    )
    return "\n".join(lines)


def reminder_buttons(tr: Translator, deadline_key: str) -> list[Choice]:
    return [
        Choice(tr.gettext("Acknowledged"), f"rem:ack:{deadline_key}"),
        Choice(tr.gettext("Post progress"), "pu:start"),
        Choice(tr.gettext("Ask for an extension"), f"gh:ask:{deadline_key}"),
    ]


def focal_chats(conv: Context) -> list[tuple[Address, str, int | None]]:
    with conv.db.session() as s:
        return recipients.focal_chats(s, conv.settings, conv.channels)


def plan(conv: Context, now: datetime) -> int:
    """Write every message due at ``now`` into the ledger; returns how many new rows were
    written."""
    cal = calendar_of(conv)
    now = now.astimezone(conv.tz)
    today = now.date()
    tr = conv.translator(GROUP_LANGUAGE)
    written = 0
    with conv.db.session() as s:
        moved = extension_store.approved(s)
    for item in deadline_items(conv, today, moved):
        # one deadline that cannot be planned (a date the calendar cannot handle, an audience the
        # KB no longer knows) must not stop the others, nor the sending that follows
        try:
            with conv.db.session() as s:  # one session per deadline: its reminders are one batch
                written += _plan_one(conv, s, item, now, today, cal, tr, moved)
        except Exception as exc:  # noqa: BLE001 - reported below, once per deadline and date
            written += _planning_failed(conv, item, exc)
    return written


def _due_now(cal: ReminderCalendar, due: date, now: datetime) -> bool:
    return (
        cal.current_reminder(due, now) is not None
        or 1 <= cal.overdue_days_passed(due, now) <= cal.overdue_days
    )


def _plan_one(
    conv: Context,
    s,
    item: DeadlineItem,
    now: datetime,
    today: date,
    cal: ReminderCalendar,
    tr: Translator,
    moved: Moved,
) -> int:
    """The deadline's messages due now. An agency with an approved extension is planned on its
    own date, as its own group: ledger keys carry the date, so what went out for the old date is
    not sent again and the new date's messages are written once each, like any other."""
    mine = {
        agency_id: x
        for (key, agency_id), x in moved.items()
        if key == item.key and x.new_date != item.due
    }
    dues = sorted({item.due} | {x.new_date for x in mine.values()})
    relevant = [d for d in dues if _due_now(cal, d, now)]
    if not relevant:
        return 0
    targets = recipients.resolve(s, conv.knowledge.current, item.audience, conv.channels).targets
    written = 0
    for due in relevant:
        group = [
            t
            for t in targets
            if (mine[t.agency.id].new_date if t.agency.id in mine else item.due) == due
        ]
        if due == item.due:
            written += _plan_group(conv, s, item, group, now, today, cal, tr, None)
        elif group:
            # a reminder whose moment came before the approval is not sent: the approval told them
            since = max(
                x.decided_at
                for x in mine.values()
                if x.new_date == due and x.decided_at is not None
            )
            written += _plan_group(
                conv,
                s,
                replace(item, due=due, extended_from=item.due),
                group,
                now,
                today,
                cal,
                tr,
                since,
            )
    return written


def _plan_group(
    conv: Context,
    s,
    item: DeadlineItem,
    targets: list,
    now: datetime,
    today: date,
    cal: ReminderCalendar,
    tr: Translator,
    since: datetime | None,
) -> int:
    """The messages due now for the deadline on ``item.due``, to ``targets`` (and the focal
    digest of them)."""
    written = 0
    offset = cal.current_reminder(item.due, now)
    passed = cal.overdue_days_passed(item.due, now)
    overdue = 1 <= passed <= cal.overdue_days
    if offset is not None and since is not None and cal.reminder_at(item.due, offset) < since:
        offset = None
    if offset is not None and targets:
        acked = {_current_id(conv, a) for a in deadline_store.acknowledged_agencies(s, item.key)}
        last = offset == min(cal.offsets)
        for t, codes in _responsible_first(conv, s, item, targets):
            if t.agency.id in acked and not last:
                continue
            key = f"rem:{item.key}:{item.due.isoformat()}:{offset}:{t.tag}"
            written += _enqueue(
                s,
                key,
                "reminder",
                (t.address, t.agency.id, t.user_id),
                item.key,
                lambda agency=t.agency, codes=codes: reminder_text(
                    tr, item, agency, today, _missing(conv, s, agency), codes
                ),
                reminder_buttons(tr, item.key),
            )
    if overdue and targets:
        late_by_agency: dict[str, tuple] = {}
        for t in targets:
            if t.agency.id not in late_by_agency:
                late_by_agency[t.agency.id] = (t.agency, _missing(conv, s, t.agency))
        for t, codes in _responsible_first(conv, s, item, targets):
            agency, missing = late_by_agency[t.agency.id]
            if not missing or (codes is not None and not set(codes) & set(missing)):
                continue
            key = f"over:{item.key}:{item.due.isoformat()}:{t.tag}"
            written += _enqueue(
                s,
                key,
                "overdue",
                (t.address, t.agency.id, t.user_id),
                item.key,
                lambda agency=agency, missing=missing, codes=codes: overdue_text(
                    tr, item, agency, missing, codes
                ),
                [Choice(tr.gettext("Post progress"), "pu:start")],
            )
        late = [(None, a, m) for a, m in late_by_agency.values() if m]
        day = cal.overdue_day(item.due, passed)
        total = len(late_by_agency)
        for address, tag, user_id in recipients.focal_chats(s, conv.settings, conv.channels):
            key = f"dig:{item.key}:{item.due.isoformat()}:{day.isoformat()}:{tag}"
            written += _enqueue(
                s,
                key,
                "digest",
                (address, None, user_id),  # the focal department's chats: no agency
                item.key,
                lambda day=day, late=late, n=total: digest_text(tr, item, day, late, n),
                [],
            )
    return written


def _planning_failed(conv: Context, item: DeadlineItem, exc: Exception) -> int:
    """Tell the focal department once (per deadline and date) that a deadline's reminders cannot
    be planned."""
    tr = conv.translator(GROUP_LANGUAGE)
    try:
        when = tr.date(item.due)
    except (ValueError, OverflowError):
        when = item.due.isoformat()
    text = tr.gettext(
        "The reminders of deadline “{title}” (due {date}) cannot be planned; the other deadlines"
        " are not affected. Check its date and audience (/dshan, /suahan) or the knowledge-base"
        " file."
    ).format(title=item.title, date=when)
    written = 0
    for chat, tag, user_id in focal_chats(conv):
        with conv.db.session() as s:
            written += int(
                ledger.enqueue(
                    s,
                    key=f"planerr:{item.key}:{item.due.isoformat()}:{tag}",
                    kind="notice",
                    channel=chat.channel,
                    chat_id=chat.chat_id,
                    text=text,
                    user_id=user_id,
                )
            )
    if written:  # the first time only: every tick meets the same deadline again
        log.error(
            "reminders of deadline %s (due %s) cannot be planned: %s",
            item.key,
            item.due.isoformat(),
            type(exc).__name__,
            exc_info=exc,
        )
    return written


def _enqueue(
    s,
    key: str,
    kind: str,
    to: tuple[Address, str | None, int | None],
    deadline_key: str,
    make_text,
    buttons: list[Choice],
) -> int:
    """A row in the planner's session, to (address, agency id, user id); its text is built only
    for a new row (it reads progress)."""
    address, agency_id, user_id = to
    if ledger.exists(s, key):
        return 0
    return int(
        ledger.enqueue(
            s,
            key=key,
            kind=kind,
            channel=address.channel,
            chat_id=address.chat_id,
            text=make_text(),
            buttons=[c.as_dict() for c in buttons],
            agency_id=agency_id,
            deadline_key=deadline_key,
            user_id=user_id,
        )
    )


def overdue_text(
    tr: Translator,
    item: DeadlineItem,
    agency: Agency,
    missing: list[str],
    responsible: list[str] | None = None,
) -> str:
    return "\n".join(
        [
            tr.gettext("⚠️ Overdue: {title} (due {date})").format(
                title=item.title, date=tr.date(item.due)
            ),
            *responsible_line(tr, agency, responsible),
            tr.gettext("Indicators of {agency} with no progress update yet: {codes}").format(
                agency=agency.name, codes=_codes(missing)
            ),
            tr.gettext("Please post your progress now (/capnhat)."),
        ]
    )


def digest_text(tr: Translator, item: DeadlineItem, day: date, late: list, total: int) -> str:
    lines = [
        tr.gettext("Digest of {day}: “{title}”, due {date}").format(
            day=tr.date(day), title=item.title, date=tr.date(item.due)
        )
    ]
    if not late:
        lines.append(tr.gettext("All {n} agencies in the audience have reported.").format(n=total))
    else:
        lines.append(
            tr.gettext("{n} of {total} agencies have not reported:").format(
                n=len(late), total=total
            )
        )
        for _binding, agency, missing in late[:40]:
            lines.append(
                tr.gettext("• {agency}: {n} indicator(s) without an update").format(
                    agency=agency.name, n=len(missing)
                )
            )
    return "\n".join(lines)


def notice_gone(
    conv: Context, address: Address, agency_name: str, reason: str, today: date
) -> None:
    """Tell the focal department that a group removed the bot, or a member blocked it."""
    tr = conv.translator(GROUP_LANGUAGE)
    if address.channel == people.EMAIL:
        text = tr.gettext(
            "The e-mail address {address} of {agency} was refused by its mail server ({reason})."
            " Correct it in the web console (the agency's page) or ask the person to send /email"
            " with the right address; until then the agency is not reached by e-mail."
        ).format(address=address.chat_id, agency=agency_name, reason=reason_text(tr, reason))
    else:
        text = tr.gettext(
            "The chat {chat} ({channel}) of {agency} can no longer receive messages ({reason});"
            " messages to it are stopped. Ask the agency to add the bot again (a group: bind it"
            " with /dangky; a person: write to the bot once)."
        ).format(
            chat=address.chat_id,
            channel=conv.channel_label(address.channel),
            agency=agency_name,
            reason=reason_text(tr, reason),
        )
    for chat, tag, user_id in focal_chats(conv):
        with conv.db.session() as s:
            ledger.enqueue(
                s,
                key=f"gone:{address.channel}:{address.chat_id}:{today.isoformat()}:{tag}",
                kind="notice",
                channel=chat.channel,
                chat_id=chat.chat_id,
                text=text,
                user_id=user_id,
            )


def notice_channel_failing(
    conv: Context, channel: str, failing: int, answered: int, now: datetime
) -> None:
    """Tell the admins, once per outage, that a channel fails a fan-out (on another channel when
    they have one)."""
    others = tuple(c for c in conv.channels if c != channel)
    with conv.db.session() as s:
        for user_id in admin_user_ids(s, conv.settings):
            ident = people.preferred_identity(s, user_id, others) or people.preferred_identity(
                s, user_id, conv.channels
            )
            if ident is None:
                continue
            tr = conv.translator(conv.stored_language(s, user_id))
            text = tr.gettext(
                "{channel} is failing: {failing} of {answered} messages just sent were refused or"
                " not answered. Sending on {channel} is paused and tried again every few minutes;"
                " nobody was marked unreachable."
            ).format(channel=conv.channel_label(channel), failing=failing, answered=answered)
            ledger.enqueue(
                s,
                key=f"failing:{channel}:{now:%Y%m%d%H%M}:u{user_id}",
                kind="notice",
                channel=ident.channel,
                chat_id=ident.private_chat,
                text=text,
                user_id=user_id,
            )
