"""Admin commands: reload the knowledge base, show the active version, grant roles, pending requests."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from bot.access import is_admin
from bot.core import Button, Incoming, Reply
from bot.i18n import Translator
from storage import people

if TYPE_CHECKING:
    from bot.core import Conversation

MAX_PROBLEMS_SHOWN = 15


def _refuse(tr: Translator) -> Reply:
    return Reply(tr.gettext("Only the bot's admins can do that."))


def reload(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    """Re-read, validate and load the knowledge-base files; swap them in, or list what is wrong."""
    if not is_admin(conv, msg.user_id):
        return _refuse(tr)
    who = msg.user_name or str(msg.user_id)
    result = conv.knowledge.load_from(conv.settings.kb_dir, created_by=f"{who} (Telegram {msg.user_id})", user_id=msg.user_id)
    if not result.ok:
        lines = [tr.ngettext("Not loaded: {n} problem in the knowledge-base files. The active version is unchanged.",
                             "Not loaded: {n} problems in the knowledge-base files. The active version is unchanged.",
                             len(result.problems)).format(n=len(result.problems))]
        lines.extend(f"• {html.escape(str(p))}" for p in result.problems[:MAX_PROBLEMS_SHOWN])
        if len(result.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(tr.gettext("…and {n} more; run `python -m bot kb check` for the full list.").format(
                n=len(result.problems) - MAX_PROBLEMS_SHOWN))
        return Reply("\n".join(lines), html=True)
    v = result.version
    assert v is not None
    if result.unchanged:
        return Reply(tr.gettext("The files are the same as the active version {id}; nothing changed.").format(id=v.id))
    c = v.counts
    lines = [tr.gettext("Loaded version {id}: {documents} documents, {indicators} indicators, {agencies} agencies, "
                        "{deadlines} deadlines.").format(id=v.id, **{k: c.get(k, 0) for k in ("documents", "indicators", "agencies", "deadlines")})]
    ch = result.changes
    if ch is None or ch.empty:
        lines.append(tr.gettext("No change in documents, agencies, indicators or deadlines."))
    else:
        for label, items in (
            (tr.gettext("Documents added"), ch.documents_added), (tr.gettext("Documents removed"), ch.documents_removed),
            (tr.gettext("Agencies added"), ch.agencies_added), (tr.gettext("Agencies removed"), ch.agencies_removed),
            (tr.gettext("Indicators added"), ch.indicators_added), (tr.gettext("Indicators removed"), ch.indicators_removed),
            (tr.gettext("Indicators changed"), ch.indicators_changed), (tr.gettext("Deadlines added or changed"), ch.deadlines_added + ch.deadlines_changed),
            (tr.gettext("Deadlines removed"), ch.deadlines_removed),
        ):
            if items:
                shown = ", ".join(items[:12]) + (" …" if len(items) > 12 else "")
                lines.append(f"• {label} ({len(items)}): {html.escape(shown)}")
    return Reply("\n".join(lines), html=True)


def show_kb(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    v = conv.knowledge.current.version
    c = v.counts
    return Reply(tr.gettext("Knowledge base version {id}, loaded {when} by {who} from {source}: {documents} documents, "
                            "{indicators} indicators, {agencies} agencies.").format(
        id=v.id, when=v.created_at.astimezone(conv.tz).strftime("%d/%m/%Y %H:%M"), who=v.created_by, source=v.source,
        documents=c.get("documents", 0), indicators=c.get("indicators", 0), agencies=c.get("agencies", 0)))


def grant(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    """/capquyen <telegram id> admin|focal|user"""
    if not is_admin(conv, msg.user_id):
        return _refuse(tr)
    parts = args.split()
    if len(parts) != 2 or not parts[0].lstrip("-").isdigit() or parts[1] not in people.ROLES:
        return Reply(tr.gettext("Usage: /capquyen <Telegram user id> admin|focal|user"))
    with conv.db.session() as s:
        people.set_role(s, int(parts[0]), parts[1])
    return Reply(tr.gettext("User {id} now has the role {role}.").format(id=int(parts[0]), role=parts[1]))


def pending(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    """/choduyet: sign-up requests waiting for a decision, each with its buttons."""
    if not is_admin(conv, msg.user_id):
        return _refuse(tr)
    with conv.db.session() as s:
        requests = people.pending_requests(s)
    if not requests:
        return Reply(tr.gettext("No request is waiting."))
    buttons = []
    for r in requests[:20]:
        buttons.append([Button(f"✓ {r.user_id} → {r.agency_name}"[:60], f"adm:m:{r.id}:y"), Button("✗", f"adm:m:{r.id}:n")])
    return Reply(tr.gettext("Requests waiting for approval:"), buttons=buttons)
