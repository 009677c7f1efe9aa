"""What the review and the requests for explanation say, and when they are sent.

Texts: the notice an agency gets when its update is confirmed or returned, a request for
explanation and its reminders, an indicator's history. Planners (run on the scheduler's tick, like
``bot.delivery.reminders.plan``): reminders of open requests for explanation on the deadline
calendar, and the focal department's daily digest on working days. Both write the delivery ledger
under unique keys, so a tick that runs twice writes each message once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.app.i18n import N_, Translator
from bot.core.audience import Audience
from bot.delivery import recipients
from bot.delivery.recipients import GROUP_LANGUAGE, responsible_targets
from bot.delivery.reminders import calendar_of, targets_of
from bot.reporting.report import digest_counts, review_digest_text
from bot.reporting.status import StatusRules
from storage.delivery import ledger
from storage.tracking import explanations
from storage.tracking.explanations import ExplanationInfo
from storage.tracking.progress import ProgressInfo
from storage.tracking.review import HistoryEvent

if TYPE_CHECKING:
    from bot.core.context import Context

PROGRESS_LABELS = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "blocked": N_("Having difficulties"),
}


def _progress(tr: Translator, u: ProgressInfo) -> str:
    text = tr.gettext(PROGRESS_LABELS[u.status])
    if u.percent is not None:
        text += f" {u.percent}%"
    return text


def review_notice_text(
    tr: Translator, update: ProgressInfo, indicator_name: str, tz: ZoneInfo
) -> str:
    """For the agency's channel, after the focal department confirmed or returned its update."""
    when = tr.date(update.created_at.astimezone(tz).date())
    if update.review_state == "confirmed":
        return tr.gettext(
            "✅ The focal department confirmed the update of {agency} on indicator {code} “{name}”"
            " ({progress}, posted {date})."
        ).format(
            agency=update.agency_name,
            code=update.indicator_code,
            name=indicator_name,
            progress=_progress(tr, update),
            date=when,
        )
    return "\n".join(
        [
            tr.gettext(
                "↩️ The focal department returned the update of {agency} on indicator {code}"
                " “{name}” ({progress}, posted {date})."
            ).format(
                agency=update.agency_name,
                code=update.indicator_code,
                name=indicator_name,
                progress=_progress(tr, update),
                date=when,
            ),
            tr.gettext("Reason: {reason}").format(reason=update.review_reason or ""),
            tr.gettext(
                "Please post a corrected update: /capnhat {code} <percent>% <note>."
            ).format(code=update.indicator_code),
        ]
    )


def queue_line(tr: Translator, update: ProgressInfo, tz: ZoneInfo) -> str:
    """One update of the review queue, for the focal department's list."""
    line = tr.gettext("#{id} {date} — {agency} — {code}: {progress}").format(
        id=update.id,
        date=tr.date(update.created_at.astimezone(tz).date()),
        agency=update.agency_name,
        code=update.indicator_code,
        progress=_progress(tr, update),
    )
    if update.note:
        line += f" — {update.note}"
    if update.file_name:
        line += " " + tr.gettext("[evidence: {file}]").format(file=update.file_name)
    return line


def explanation_request_text(tr: Translator, q: ExplanationInfo, indicator_name: str) -> str:
    """For the agency when a request is made, and as its reminder."""
    return "\n".join(
        [
            tr.gettext(
                "📝 Request for explanation #{id} from the focal department to {agency}"
            ).format(id=q.id, agency=q.agency_name),
            tr.gettext("Indicator {code} “{name}”").format(
                code=q.indicator_code, name=indicator_name
            ),
            q.text,
            tr.gettext("Answer by {date}: /giaitrinh {id} <your answer>.").format(
                date=tr.date(q.due_date), id=q.id
            ),
        ]
    )


def explanation_reminder_text(
    tr: Translator, q: ExplanationInfo, indicator_name: str, today: date
) -> str:
    days = (q.due_date - today).days
    left = (
        tr.gettext("due today")
        if days == 0
        else tr.ngettext("{n} day left", "{n} days left", days).format(n=days)
    )
    return (
        tr.gettext("⏰ Reminder ({left}):").format(left=left)
        + "\n"
        + explanation_request_text(tr, q, indicator_name)
    )


def explanation_overdue_text(tr: Translator, q: ExplanationInfo, indicator_name: str) -> str:
    return (
        tr.gettext("⚠️ Overdue since {date}:").format(date=tr.date(q.due_date))
        + "\n"
        + explanation_request_text(tr, q, indicator_name)
    )


def explanation_answer_text(tr: Translator, q: ExplanationInfo) -> str:
    """For the focal department when the agency answers."""
    return tr.gettext(
        "{agency} answered request for explanation #{id} on indicator {code}: {answer}"
    ).format(agency=q.agency_name, id=q.id, code=q.indicator_code, answer=q.answer or "")


def history_text(
    tr: Translator, events: list[HistoryEvent], tz: ZoneInfo, names: dict[int, str] | None = None
) -> list[str]:
    """One line per event of an indicator's history (``names``: internal user id -> display
    name)."""
    names = names or {}
    lines = []
    for e in events:
        when = e.at.astimezone(tz).strftime("%H:%M")
        day = tr.date(e.at.astimezone(tz).date())
        who = e.by_name or names.get(e.by or 0) or (str(e.by) if e.by is not None else "")
        if e.kind == "update" and e.update is not None:
            text = tr.gettext("update by {who}: {progress}").format(
                who=who, progress=_progress(tr, e.update)
            )
            if e.text:
                text += f" — {e.text}"
        elif e.kind == "confirmed":
            text = tr.gettext("confirmed by {who}").format(who=who)
        elif e.kind == "returned":
            text = tr.gettext("returned by {who}: {reason}").format(who=who, reason=e.text or "")
        elif e.kind == "undone":
            text = tr.gettext("withdrawn by its author")
        elif e.kind == "explanation_requested":
            text = tr.gettext("explanation #{id} requested by {who}: {text}").format(
                id=e.request_id, who=who, text=e.text or ""
            )
        else:
            text = tr.gettext("explanation #{id} answered by {who}: {text}").format(
                id=e.request_id, who=who, text=e.text or ""
            )
        lines.append(f"• {day} {when} — {text}")
    return lines


# --- planners ----------------------------------------------------------------------------------


def indicator_name(active, plan_id: str, code: str) -> str:
    """An indicator's name in a plan (its code when the knowledge base no longer has it)."""
    ind = active.index.indicators.get(plan_id, {}).get(code)
    return ind.name if ind else code


def plan_explanations(conv: Context, now: datetime) -> int:
    """Reminders of open requests for explanation to the agency's group chats, on the deadline
    calendar (the same offsets, working days and time as deadlines), then overdue notices for
    ``PGI_OVERDUE_DAYS`` working days. Returns how many new ledger rows were written."""
    cal = calendar_of(conv)
    now = now.astimezone(conv.tz)
    today = now.date()
    tr = conv.translator(GROUP_LANGUAGE)
    with conv.db.session() as s:
        requests = explanations.open_requests(s)
    written = 0
    for q in requests:
        offset = cal.current_reminder(q.due_date, now)
        passed = cal.overdue_days_passed(q.due_date, now)
        if offset is None and not 1 <= passed <= cal.overdue_days:
            continue
        for t in _responsible_first(
            conv, q, targets_of(conv, Audience.agencies([q.agency_id], [q.agency_name])).targets
        ):
            if offset is not None:
                key, text = (
                    f"exp:{q.id}:{q.due_date.isoformat()}:{offset}:{t.tag}",
                    explanation_reminder_text(
                        tr,
                        q,
                        indicator_name(conv.knowledge.current, q.plan_id, q.indicator_code),
                        today,
                    ),
                )
            else:
                key, text = (
                    f"exp-over:{q.id}:{q.due_date.isoformat()}:{t.tag}",
                    explanation_overdue_text(
                        tr, q, indicator_name(conv.knowledge.current, q.plan_id, q.indicator_code)
                    ),
                )
            with conv.db.session() as s:
                written += int(
                    ledger.enqueue(
                        s,
                        key=key,
                        kind="reminder" if offset is not None else "overdue",
                        channel=t.address.channel,
                        chat_id=t.address.chat_id,
                        text=text,
                        agency_id=q.agency_id,
                        deadline_key=q.key,
                        user_id=t.user_id,
                    )
                )
    return written


def _responsible_first(conv: Context, q: ExplanationInfo, targets: list) -> list:
    """The official responsible for the request's indicator, in their private chat, before the
    agency's chats (once: a member reached in private has the same ledger tag)."""
    if not targets:
        return targets
    with conv.db.session() as s:
        first = [
            t
            for t, _codes in responsible_targets(
                s, conv.knowledge.current, targets[0].agency, [q.indicator_code], conv.channels
            )
        ]
    tags = {t.tag for t in first}
    return first + [t for t in targets if t.tag not in tags]


def plan_review_digest(conv: Context, now: datetime) -> int:
    """The focal department's daily digest, on working days at the reminder time; one per chat
    and day."""
    cal = calendar_of(conv)
    now = now.astimezone(conv.tz)
    today = now.date()
    if not cal.working(today) or now < cal.moment(today):
        return 0
    key = f"rdig:{today.isoformat()}"
    with conv.db.session() as s:
        chats = recipients.focal_chats(s, conv.settings, conv.channels)
        if all(ledger.exists(s, f"{key}:{tag}") for _chat, tag, _user_id in chats):
            return 0
        counts = digest_counts(
            s, conv.knowledge.current, StatusRules.from_settings(conv.settings), today, conv.tz
        )
        return recipients.notify_focal(
            s,
            conv,
            key,
            lambda tr: review_digest_text(tr, counts),
            kind="digest",
            language=GROUP_LANGUAGE,
        )
