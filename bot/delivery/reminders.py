"""What reminders, overdue notices and digests are due now, written into the delivery ledger.

Run on every scheduler tick with the current time; writing the same key twice is a no-op, so a
tick that runs late, twice, or in two processes at once still yields one message per key. The
deadlines come from :mod:`bot.delivery.deadline_items`, the texts from
:mod:`bot.delivery.reminder_texts`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.app.i18n import Translator
from bot.core.audience import Audience
from bot.core.messages import Address, Choice
from bot.delivery import recipients
from bot.delivery.calendar import ReminderCalendar
from bot.delivery.deadline_items import DeadlineItem, Moved, deadline_items
from bot.delivery.recipients import GROUP_LANGUAGE, Recipients
from bot.delivery.reminder_texts import digest_text, overdue_text, reminder_buttons, reminder_text
from kb.model import Agency
from storage.delivery import ledger
from storage.schedule import deadlines as deadline_store
from storage.schedule import extensions as extension_store
from storage.tracking import progress as progress_store

if TYPE_CHECKING:
    from bot.core.context import Context

log = logging.getLogger(__name__)


def _current_id(conv: Context, agency_id: str) -> str:
    """Acknowledgements recorded under an agency's old id count for its successor."""
    index = conv.knowledge.current.index
    return index.current_id(agency_id) if agency_id in index.agencies else agency_id


def calendar_of(conv: Context) -> ReminderCalendar:
    st = conv.settings
    return ReminderCalendar(
        conv.tz, st.reminder_time, st.reminder_offsets, st.holidays, st.overdue_days
    )


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
    if not targets:
        return 0
    written = 0
    offset = cal.current_reminder(item.due, now)
    if offset is not None and since is not None and cal.reminder_at(item.due, offset) < since:
        offset = None
    if offset is not None:
        written += _plan_reminders(conv, s, item, targets, offset, today, cal, tr)
    passed = cal.overdue_days_passed(item.due, now)
    if 1 <= passed <= cal.overdue_days:
        late = _missing_by_agency(conv, s, targets)
        written += _plan_overdue(conv, s, item, targets, late, tr)
        written += _plan_digest(conv, s, item, late, cal.overdue_day(item.due, passed), tr)
    return written


def _plan_reminders(
    conv: Context,
    s,
    item: DeadlineItem,
    targets: list,
    offset: int,
    today: date,
    cal: ReminderCalendar,
    tr: Translator,
) -> int:
    """The reminder of ``offset`` days before the deadline; an agency that acknowledged it gets
    only the last one."""
    written = 0
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
    return written


def _missing_by_agency(conv: Context, s, targets: list) -> dict[str, tuple[Agency, list[str]]]:
    """Each agency of the targets, with its indicators that have no standing update."""
    late: dict[str, tuple[Agency, list[str]]] = {}
    for t in targets:
        if t.agency.id not in late:
            late[t.agency.id] = (t.agency, _missing(conv, s, t.agency))
    return late


def _plan_overdue(
    conv: Context,
    s,
    item: DeadlineItem,
    targets: list,
    late: dict[str, tuple[Agency, list[str]]],
    tr: Translator,
) -> int:
    """The overdue notice, to each chat of an agency with missing updates (to a responsible
    official only when one of their indicators is missing)."""
    written = 0
    for t, codes in _responsible_first(conv, s, item, targets):
        agency, missing = late[t.agency.id]
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
    return written


def _plan_digest(
    conv: Context,
    s,
    item: DeadlineItem,
    late: dict[str, tuple[Agency, list[str]]],
    day: date,
    tr: Translator,
) -> int:
    """The focal department's digest of the day: which agencies have not reported."""
    written = 0
    behind = [(None, a, m) for a, m in late.values() if m]
    total = len(late)
    for address, tag, user_id in recipients.focal_chats(s, conv.settings, conv.channels):
        key = f"dig:{item.key}:{item.due.isoformat()}:{day.isoformat()}:{tag}"
        written += _enqueue(
            s,
            key,
            "digest",
            (address, None, user_id),  # the focal department's chats: no agency
            item.key,
            lambda day=day, late=behind, n=total: digest_text(tr, item, day, late, n),
            [],
        )
    return written


def _planning_failed(conv: Context, item: DeadlineItem, exc: Exception) -> int:
    """Tell the focal department once (per deadline and date) that a deadline's reminders cannot
    be planned."""

    def text(tr: Translator) -> str:
        try:
            when = tr.date(item.due)
        except (ValueError, OverflowError):
            when = item.due.isoformat()
        return tr.gettext(
            "The reminders of deadline “{title}” (due {date}) cannot be planned; the other"
            " deadlines are not affected. Check its date and audience (/dshan, /suahan) or the"
            " knowledge-base file."
        ).format(title=item.title, date=when)

    with conv.db.session() as s:
        written = recipients.notify_focal(
            s, conv, f"planerr:{item.key}:{item.due.isoformat()}", text, language=GROUP_LANGUAGE
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
