"""What reminders, overdue notices and digests are due now, written into the delivery ledger.

Run on every scheduler tick with the current time; writing the same key twice is a no-op, so a
tick that runs late, twice, or in two processes at once still yields one message per key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.access import FOCAL_AGENCY_ID, agency_from_record
from bot.audience import Audience
from bot.calendar import ReminderCalendar
from bot.i18n import Translator
from kb.model import Agency, KnowledgeBase
from storage import deadlines as deadline_store
from storage import groups, ledger, people
from storage import progress as progress_store
from storage.deadlines import DeadlineInfo
from storage.groups import BindingInfo

if TYPE_CHECKING:
    from bot.core import Conversation

log = logging.getLogger(__name__)
GROUP_LANGUAGE = "vi"


@dataclass(frozen=True)
class DeadlineItem:
    key: str  # "kb:<id>" for knowledge-base deadlines, "db:<id>" for those added in chat
    title: str
    due: date
    audience: Audience


def _current_id(conv: Conversation, agency_id: str) -> str:
    """Acknowledgements recorded under an agency's old id count for its successor."""
    index = conv.knowledge.current.index
    return index.current_id(agency_id) if agency_id in index.agencies else agency_id


def calendar_of(conv: Conversation) -> ReminderCalendar:
    st = conv.settings
    return ReminderCalendar(conv.tz, st.reminder_time, st.reminder_offsets, st.holidays, st.overdue_days)


def deadline_items(conv: Conversation, today: date) -> list[DeadlineItem]:
    horizon = today - timedelta(days=conv.settings.overdue_days * 2 + 14)
    with conv.db.session() as s:
        custom = deadline_store.active(s)
    return items_from(conv.knowledge.current.kb, custom, horizon)


def items_from(kb: KnowledgeBase, custom: list[DeadlineInfo], since: date | None) -> list[DeadlineItem]:
    """The knowledge base's deadlines and those added in chat, due on or after ``since``."""
    items = [DeadlineItem(f"kb:{d.id}", d.title, d.date, Audience.of_assignments(d.audience))
             for d in kb.deadlines if since is None or d.date >= since]
    items += [DeadlineItem(d.key, d.title, d.due_date, Audience(d.audience))
              for d in custom if since is None or d.due_date >= since]
    return items


def audience_bindings(conv: Conversation, audience: Audience, bindings: list[BindingInfo]) -> list[tuple[BindingInfo, Agency]]:
    """The active group bindings whose agency is in the audience, with that agency."""
    engine = conv.knowledge.current.engine
    out = []
    for b in bindings:
        agency = agency_from_record(conv, b.agency_id, b.agency_name)
        if agency is not None and audience.includes(agency, engine):
            out.append((b, agency))
    return out


def missing_indicators(conv: Conversation, agency: Agency) -> list[str]:
    """The agency's own indicators (lead or coordinate, not catch-all) with no standing progress update."""
    active = conv.knowledge.current
    plan = active.index.current_plan
    roles, _ = active.engine.roles_of(agency, plan.id)
    mine = [r.indicator.code for r in roles if not (r.via is not None and r.via.catch_all)]
    with conv.db.session() as s:
        done = set(progress_store.latest_by_indicator(s, agency.id, plan.id))
    return [c for c in mine if c not in done]


def _days_text(tr: Translator, days: int) -> str:
    if days == 0:
        return tr.gettext("due today")
    return tr.ngettext("{n} day left", "{n} days left", days).format(n=days)


def _codes(codes: list[str], limit: int = 12) -> str:
    return ", ".join(codes[:limit]) + (" …" if len(codes) > limit else "")


def reminder_text(tr: Translator, item: DeadlineItem, agency: Agency, today: date, missing: list[str]) -> str:
    lines = [tr.gettext("⏰ Reminder: {title}").format(title=item.title),
             tr.gettext("Due: {date} ({left})").format(date=tr.date(item.due), left=_days_text(tr, (item.due - today).days)),
             tr.gettext("For: {agency}").format(agency=agency.name)]
    if missing:
        lines.append(tr.gettext("Indicators of {agency} with no progress update yet: {codes}").format(
            agency=agency.name, codes=_codes(missing)))
    else:
        lines.append(tr.gettext("Every indicator of {agency} has a progress update."). format(agency=agency.name))
    lines.append(tr.gettext("Press “Acknowledged” so the focal department knows you have seen this."))
    return "\n".join(lines)


def reminder_buttons(tr: Translator, deadline_key: str) -> list[list[dict]]:
    return [[{"label": tr.gettext("Acknowledged"), "data": f"rem:ack:{deadline_key}"},
             {"label": tr.gettext("Post progress"), "data": "pu:start"}]]


def focal_chats(conv: Conversation) -> list[tuple[int, str]]:
    """Where the focal department reads digests: (chat id, stable tag for ledger keys).

    Its members' private chats ("u<id>") and its bound groups ("b<binding id>", which stays the same
    when a group becomes a supergroup); the admins when the department has no one yet.
    """
    with conv.db.session() as s:
        users = {u.telegram_id for u in people.users_with_role(s, "focal")}
        users |= {m.user_id for m in people.members_of(s, FOCAL_AGENCY_ID)}
        chats = [(b.chat_id, f"b{b.id}") for b in groups.active_for_agencies(s, [FOCAL_AGENCY_ID])]
    found = [(u, f"u{u}") for u in sorted(users)] + chats
    return found or [(a, f"u{a}") for a in sorted(conv.settings.admin_ids)]


def plan(conv: Conversation, now: datetime) -> int:
    """Write every message due at ``now`` into the ledger; returns how many new rows were written."""
    cal = calendar_of(conv)
    now = now.astimezone(conv.tz)
    today = now.date()
    tr = conv.translator(GROUP_LANGUAGE)
    with conv.db.session() as s:
        bindings = groups.all_active(s)
    written = 0
    for item in deadline_items(conv, today):
        targets = audience_bindings(conv, item.audience, bindings)
        offset = cal.current_reminder(item.due, now)
        if offset is not None and targets:
            with conv.db.session() as s:
                acked = {_current_id(conv, a) for a in deadline_store.acknowledged_agencies(s, item.key)}
            last = offset == min(cal.offsets)
            for binding, agency in targets:
                if agency.id in acked and not last:
                    continue
                key = f"rem:{item.key}:{item.due.isoformat()}:{offset}:b{binding.id}"
                written += _enqueue(conv, key, "reminder", binding.chat_id, agency.id, item.key,
                                    lambda agency=agency, item=item: reminder_text(tr, item, agency, today, missing_indicators(conv, agency)),
                                    reminder_buttons(tr, item.key))
        passed = cal.overdue_days_passed(item.due, now)
        if 1 <= passed <= cal.overdue_days and targets:
            late = [(b, a, missing_indicators(conv, a)) for b, a in targets]
            late = [(b, a, m) for b, a, m in late if m]
            for binding, agency, missing in late:
                key = f"over:{item.key}:{item.due.isoformat()}:b{binding.id}"
                written += _enqueue(conv, key, "overdue", binding.chat_id, agency.id, item.key,
                                    lambda agency=agency, missing=missing, item=item: overdue_text(tr, item, agency, missing),
                                    [[{"label": tr.gettext("Post progress"), "data": "pu:start"}]])
            day = cal.overdue_day(item.due, passed)
            total = len(targets)
            for chat, tag in focal_chats(conv):
                key = f"dig:{item.key}:{item.due.isoformat()}:{day.isoformat()}:{tag}"
                written += _enqueue(conv, key, "digest", chat, None, item.key,
                                    lambda item=item, day=day, late=late, n=total: digest_text(tr, item, day, late, n), [])
    return written


def _enqueue(conv: Conversation, key: str, kind: str, chat_id: int, agency_id: str | None, deadline_key: str,
             make_text, buttons: list) -> int:
    with conv.db.session() as s:
        if ledger.exists(s, key):
            return 0
    text = make_text()  # built only for new rows: it reads progress, which costs a query
    with conv.db.session() as s:
        return int(ledger.enqueue(s, key=key, kind=kind, chat_id=chat_id, text=text, buttons=buttons,
                                  agency_id=agency_id, deadline_key=deadline_key))


def overdue_text(tr: Translator, item: DeadlineItem, agency: Agency, missing: list[str]) -> str:
    return "\n".join([
        tr.gettext("⚠️ Overdue: {title} (due {date})").format(title=item.title, date=tr.date(item.due)),
        tr.gettext("Indicators of {agency} with no progress update yet: {codes}").format(agency=agency.name, codes=_codes(missing)),
        tr.gettext("Please post your progress now (/capnhat)."),
    ])


def digest_text(tr: Translator, item: DeadlineItem, day: date, late: list, total: int) -> str:
    lines = [tr.gettext("Digest of {day}: “{title}”, due {date}").format(day=tr.date(day), title=item.title, date=tr.date(item.due))]
    if not late:
        lines.append(tr.gettext("All {n} agencies in the audience have reported.").format(n=total))
    else:
        lines.append(tr.gettext("{n} of {total} agencies have not reported:").format(n=len(late), total=total))
        for _binding, agency, missing in late[:40]:
            lines.append(tr.gettext("• {agency}: {n} indicator(s) without an update").format(agency=agency.name, n=len(missing)))
    return "\n".join(lines)


def notice_gone(conv: Conversation, chat_id: int, agency_name: str, reason: str, today: date) -> None:
    """Tell the focal department that a group removed or blocked the bot."""
    tr = conv.translator(GROUP_LANGUAGE)
    text = tr.gettext("The group chat {chat} of {agency} can no longer receive messages ({reason}); its reminders are "
                      "stopped. Ask the agency to add the bot again and bind the group with /dangky.").format(
        chat=chat_id, agency=agency_name, reason=reason)
    for chat, tag in focal_chats(conv):
        with conv.db.session() as s:
            ledger.enqueue(s, key=f"gone:{chat_id}:{today.isoformat()}:{tag}", kind="notice", chat_id=chat, text=text)
