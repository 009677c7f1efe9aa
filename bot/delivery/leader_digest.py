"""The leaders' digest (tóm tắt cho lãnh đạo đơn vị), and responsibilities that end when their
official leaves the agency. Both are planned on the scheduler's tick, like the reminders.

On a working day, from the reminder time, each leader gets at most one digest about the agencies
they lead, listing every reason that holds:

- a deadline of the agency is overdue by more than N working days (N: the focal department's
  choice, ``/nguongtre``, stored in the database) and indicators it is about are still not
  reported;
- an indicator's updates were returned twice or more, and the newest is still returned;
- a request for explanation to the agency is open past its date.

A reason that still holds the next working day is told again then. The ledger key
``lead:<day>:u<user id>`` makes it one message per person and day, whatever the number of agencies,
ticks or processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from bot.app.i18n import Translator
from bot.core.access import agency_from_record, member_of
from bot.delivery import recipients
from bot.delivery.deadline_items import items_from
from bot.delivery.recipients import GROUP_LANGUAGE
from bot.delivery.reminders import calendar_of
from kb.model import Agency
from storage.delivery import ledger
from storage.directory import leaders, people
from storage.schedule import deadlines as deadline_store
from storage.tracking import explanations
from storage.tracking import progress as progress_store

if TYPE_CHECKING:
    from bot.core.context import Context

HORIZON_DAYS = (
    120  # deadlines further back than this are history, not a reason to write to a leader each day
)
RETURNS_TOLD = 2  # an indicator returned this many times is the leader's business
MAX_LINES = 30


@dataclass(frozen=True)
class Overdue:
    agency: Agency
    title: str
    due: date
    days: int  # working days overdue
    missing: list[str]


@dataclass(frozen=True)
class Returned:
    agency: Agency
    code: str
    times: int


@dataclass(frozen=True)
class LateExplanation:
    agency: Agency
    request_id: int
    code: str
    due: date


Reason = Overdue | Returned | LateExplanation


def agency_reasons(
    conv: Context, s, agency: Agency, items: list, now: datetime, after_days: int
) -> list[Reason]:
    """Why the leaders of ``agency`` are to be told today (nothing: no digest)."""
    active = conv.knowledge.current
    cal = calendar_of(conv)
    today = now.astimezone(conv.tz).date()
    plan_id = active.plan.id
    latest = progress_store.latest_by_indicator(s, agency.id, plan_id)
    mine = [r.indicator.code for r in active.engine.updatable_indicators(agency)]
    missing = {c for c in mine if c not in latest or latest[c].review_state == "returned"}
    out: list[Reason] = []
    for item in items:
        if item.due >= today or not item.audience.includes(agency, active.engine):
            continue
        days = cal.overdue_days_passed(item.due, now)
        late = [
            c for c in recipients.concerned_codes(active, item.audience, agency) if c in missing
        ]
        if days > after_days and late:
            out.append(Overdue(agency, item.title, item.due, days, late))
    returns = leaders.returns_by_pair(s, plan_id, [agency.id])
    for code in mine:
        times = returns.get((agency.id, code), 0)
        if times >= RETURNS_TOLD and code in latest and latest[code].review_state == "returned":
            out.append(Returned(agency, code, times))
    for q in explanations.open_for_agency(s, agency.id):
        if q.due_date < today:
            out.append(LateExplanation(agency, q.id, q.indicator_code, q.due_date))
    return out


def digest_text(tr: Translator, day: date, reasons: list[Reason]) -> str:
    lines = [tr.gettext("📋 Digest for the agency's leader, {day}").format(day=tr.date(day))]
    shown = 0
    agency_id = None
    for r in reasons:
        if shown >= MAX_LINES:
            lines.append(tr.gettext("…and {n} more.").format(n=len(reasons) - shown))
            break
        if r.agency.id != agency_id:
            agency_id = r.agency.id
            lines.append(f"{r.agency.name}:")
        if isinstance(r, Overdue):
            lines.append(
                "• "
                + tr.ngettext(
                    "“{title}” (due {date}) is {n} working day overdue; not reported: {codes}",
                    "“{title}” (due {date}) is {n} working days overdue; not reported: {codes}",
                    r.days,
                ).format(
                    title=r.title, date=tr.date(r.due), n=r.days, codes=", ".join(r.missing[:12])
                )
            )
        elif isinstance(r, Returned):
            lines.append(
                "• "
                + tr.ngettext(
                    "Indicator {code}: the update was returned {n} time by the focal department"
                    " and is not corrected yet",
                    "Indicator {code}: updates were returned {n} times by the focal department;"
                    " not corrected yet",
                    r.times,
                ).format(code=r.code, n=r.times)
            )
        else:
            lines.append(
                "• "
                + tr.gettext(
                    "Request for explanation #{id} on indicator {code}: not answered, due {date}"
                ).format(id=r.request_id, code=r.code, date=tr.date(r.due))
            )
        shown += 1
    lines.append(tr.gettext("Details in the web console: send /web for a sign-in link."))
    return "\n".join(lines)


def plan(conv: Context, now: datetime) -> int:
    """One digest per leader and working day, from the reminder time, when a reason holds."""
    cal = calendar_of(conv)
    now = now.astimezone(conv.tz)
    today = now.date()
    if not cal.working(today) or now < cal.moment(today):
        return 0
    active = conv.knowledge.current
    with conv.db.session() as s:
        roles = leaders.leaders(s)
        if not roles:
            return 0
        after_days = leaders.leader_after_days(s)
        custom = deadline_store.active(s)
    items = items_from(active.kb, custom, today - timedelta(days=HORIZON_DAYS))
    by_user: dict[int, list[leaders.LeaderInfo]] = {}
    for r in roles:
        by_user.setdefault(r.user_id, []).append(r)
    written = 0
    for user_id, records in by_user.items():
        key = f"lead:{today.isoformat()}:u{user_id}"
        with conv.db.session() as s:  # one leader's digest, one short transaction
            if ledger.exists(s, key):
                continue
            addresses = recipients.person_addresses(s, user_id, conv.channels)
            reasons: list[Reason] = []
            seen: set[str] = set()
            for rec in records:
                agency = agency_from_record(active, rec.agency_id, rec.agency_name)
                if agency is None or agency.id in seen:
                    continue
                seen.add(agency.id)
                reasons += agency_reasons(conv, s, agency, items, now, after_days)
            if not reasons:
                continue
            if not addresses:
                written += _unreachable(conv, s, user_id, records, today)
                continue
            tr = conv.translator(conv.stored_language(s, user_id) or GROUP_LANGUAGE)
            to = addresses[0]
            written += int(
                ledger.enqueue(
                    s,
                    key=key,
                    kind="digest",
                    channel=to.channel,
                    chat_id=to.chat_id,
                    text=digest_text(tr, today, reasons),
                    agency_id=reasons[0].agency.id,
                    user_id=user_id,
                )
            )
    return written


def _unreachable(conv: Context, s, user_id: int, records: list, today: date) -> int:
    """A digest is due but the leader has no chat the bot can write to: the focal department is
    told, once a week while it lasts (never silently skipped)."""
    year, week, _ = today.isocalendar()
    name = people.display_name(s, user_id) or f"#{user_id}"
    agencies = ", ".join(r.agency_name for r in records)
    return recipients.notify_focal(
        s,
        conv,
        f"leadnone:{year}-W{week:02d}:u{user_id}",
        lambda tr: tr.gettext(
            "The digest for {name} (#{id}), leader of {agencies}, cannot be delivered: the bot has"
            " no chat it can write to them in. Ask them to write to the bot once."
        ).format(name=name, id=user_id, agencies=agencies),
    )


def departed_text(tr: Translator, name: str, agency: str, code: str) -> str:
    return tr.gettext(
        "{name} is no longer a member of {agency}, so no longer the official responsible for"
        " indicator {code}. Name another with /phutrach {code} <name>."
    ).format(name=name, agency=agency, code=code)


def plan_departures(conv: Context, now: datetime) -> int:
    """A responsible official who left the agency (membership revoked, moved, erased) stops being
    responsible; the focal department is told once (the end and the notice commit together)."""
    active = conv.knowledge.current
    written = 0
    with conv.db.session() as s:
        for r in leaders.responsibles(s):
            if member_of(s, active, r.user_id, r.agency_id):
                continue
            if leaders.remove_responsible(s, r.id, None, now, reason=leaders.LEFT) is None:
                continue
            name = people.display_name(s, r.user_id) or f"#{r.user_id}"
            written += recipients.notify_focal(
                s,
                conv,
                f"rpleft:{r.id}",
                partial(departed_text, name=name, agency=r.agency_name, code=r.indicator_code),
                agency_id=r.agency_id,
            )
    return written
