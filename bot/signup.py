"""Sign-up of officials to their agency, binding of group chats, and the admins' decisions."""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING

from bot.access import admin_ids, is_admin, member_status
from bot.core import Button, Incoming, Outgoing, Reply
from bot.i18n import Translator
from bot.validate_input import not_an_id, parse_id
from kb.normalize import normalize
from kb.resolve import find_agencies, search_agencies
from storage import dialogs, groups, people

if TYPE_CHECKING:
    from bot.core import Conversation

log = logging.getLogger(__name__)
FLOW = "signup"


def _remember_user(conv: Conversation, msg: Incoming) -> None:
    if msg.user_id is None:
        return
    with conv.db.session() as s:
        people.upsert_user(s, msg.user_id, msg.user_name, msg.username, msg.language_code)


def start(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    _remember_user(conv, msg)
    if msg.chat_type != "private":
        return Reply(tr.gettext("Hello! I answer questions about the PGI plans. A group administrator can bind this group "
                                "to its agency with /dangky followed by the agency's name."))
    greeting = tr.gettext("Hello {name}! I am the assistant for Lạng Sơn's Provincial Green Index (PGI) plans.").format(
        name=msg.user_name or "")
    status = member_status(conv, msg.user_id) if msg.user_id is not None else None
    if status is not None and status.membership is not None:
        agency = status.agency.name if status.agency else status.membership.agency_name
        return Reply("\n".join([greeting, tr.gettext("You are signed up as a member of {agency}. Try /chiso, /hanchot or "
                                                     "/capnhat.").format(agency=agency)]))
    if status is not None and status.pending is not None:
        return Reply("\n".join([greeting, tr.gettext("Your request to join {agency} is waiting for an admin's approval.").format(
            agency=status.pending.agency_name)]))
    reply = _ask_agency(conv, msg, tr)
    reply.text = greeting + "\n" + tr.gettext("Anyone may ask me questions; to post progress for your agency, sign up.") + "\n" + reply.text
    return reply


def _ask_agency(conv: Conversation, msg: Incoming, tr: Translator) -> Reply:
    with conv.db.session() as s:
        dialogs.set_state(s, msg.chat_id, msg.user_id or 0, FLOW, {"kind": "member" if msg.chat_type == "private" else "group"})
    return Reply(tr.gettext("Which agency do you work for? Type its name, e.g. “Sở Xây dựng” or “UBND xã Tân Thanh”."))


def sign_up(conv: Conversation, msg: Incoming, tr: Translator, args: str) -> Reply:
    _remember_user(conv, msg)
    if msg.chat_type != "private" and not msg.is_group_admin:
        return Reply(tr.gettext("Only an administrator of this group can bind it to an agency."))
    if not args:
        if msg.chat_type != "private":
            return Reply(tr.gettext("Send /dangky followed by the agency's name, e.g. /dangky Sở Xây dựng."))
        return _ask_agency(conv, msg, tr)
    return _offer(conv, msg, tr, args, "member" if msg.chat_type == "private" else "group")


def typed_agency(conv: Conversation, msg: Incoming, tr: Translator, state: dict) -> Reply | None:
    """Text while signing up: an agency's name — unless it is plainly a question, which is answered."""
    text = (msg.text or "").strip()
    if not text:
        return None
    index = conv.knowledge.current.index
    toks = normalize(text).split()
    found = find_agencies(index, toks, text)
    named = sum(m.end - m.start for m in found.mentions if m.exact)
    if not (toks and named >= 0.6 * len(toks)):
        answer = conv.knowledge.current.engine.answer(text, today=conv.today())
        if answer.intent not in ("unknown", "clarify", "help"):
            with conv.db.session() as s:
                dialogs.clear_state(s, msg.chat_id, msg.user_id or 0)
            return None  # the core answers it as a question
    return _offer(conv, msg, tr, text, state.get("kind", "member"))


def _offer(conv: Conversation, msg: Incoming, tr: Translator, text: str, kind: str) -> Reply:
    matches = search_agencies(conv.knowledge.current.index, text)
    if not matches:
        with conv.db.session() as s:
            dialogs.set_state(s, msg.chat_id, msg.user_id or 0, FLOW, {"kind": kind})
        return Reply(tr.gettext("No agency matches “{text}”. Type the full name, e.g. “Sở Tài chính”, “Công an tỉnh” or "
                                "“UBND phường Đông Kinh”.").format(text=text.strip()[:100]))
    choices = [[a.id, a.name] for a in matches]
    with conv.db.session() as s:
        dialogs.set_state(s, msg.chat_id, msg.user_id or 0, FLOW, {"kind": kind, "choices": choices})
    buttons = [[Button(name[:60], f"su:{i}")] for i, (_aid, name) in enumerate(choices)]
    return Reply(tr.gettext("Which one is your agency?") if kind == "member" else tr.gettext("Which agency is this group for?"),
                 buttons=buttons)


def pick_agency(conv: Conversation, msg: Incoming, tr: Translator, rest: list[str]) -> Reply:
    with conv.db.session() as s:
        state = dialogs.get_state(s, msg.chat_id, msg.user_id or 0)
        if state is None and msg.chat_type != "private" and msg.is_group_admin:
            # an anonymous admin typed /dangky (kept under user 0) and presses the button as themselves
            state = dialogs.get_state(s, msg.chat_id, 0)
    try:
        i = int(rest[0])
        agency_id, agency_name = state[1]["choices"][i] if state and state[0] == FLOW else (None, None)
    except (IndexError, ValueError, KeyError, TypeError):
        agency_id, agency_name = None, None
    if agency_id is None:
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    kind = state[1].get("kind", "member") if state else "member"
    if kind == "group" and not msg.is_group_admin:
        return Reply("", toast=tr.gettext("Only an administrator of this group can bind it to an agency."), silent=True)
    with conv.db.session() as s:
        dialogs.clear_state(s, msg.chat_id, msg.user_id or 0)
        dialogs.clear_state(s, msg.chat_id, 0)
        if kind == "member":
            request = people.request_membership(s, msg.user_id, agency_id, agency_name)
            rid, prefix = request.id, "m"
        else:
            request = groups.request_binding(s, msg.chat_id, msg.chat_title, agency_id, agency_name, msg.user_id)
            rid, prefix = request.id, "g"
    outbox = _notify_admins(conv, msg, agency_name, prefix, rid)
    if kind == "member":
        text = tr.gettext("Thank you. Your request to join {agency} was sent to the admins; I will tell you when it is approved.")
    else:
        text = tr.gettext("Thank you. The request to bind this group to {agency} was sent to the admins.")
    if not outbox:
        text += "\n" + tr.gettext("(No admin is configured yet: set ADMIN_TELEGRAM_IDS.)")
    return Reply(text.format(agency=agency_name), edit=True, outbox=outbox)


def _notify_admins(conv: Conversation, msg: Incoming, agency_name: str, prefix: str, request_id: int) -> list[Outgoing]:
    who = html.escape(msg.user_name or "?") + (f" (@{html.escape(msg.username)})" if msg.username else "")
    out = []
    for admin in admin_ids(conv):
        tr = conv.translator(_lang_of(conv, admin))
        if prefix == "m":
            text = tr.gettext("<b>Sign-up request</b>: {who}, id {id}, asks to join <b>{agency}</b>.")
        else:
            text = tr.gettext("<b>Group binding request</b>: group “{group}” (id {chat}), asked by {who}, for <b>{agency}</b>.")
        text = text.format(who=who, id=msg.user_id, agency=html.escape(agency_name), group=html.escape(msg.chat_title or ""),
                           chat=msg.chat_id)
        out.append(Outgoing(admin, text, [[Button(tr.gettext("Approve"), f"adm:{prefix}:{request_id}:y"),
                                           Button(tr.gettext("Reject"), f"adm:{prefix}:{request_id}:n")]], html=True))
    return out


def _lang_of(conv: Conversation, user_id: int) -> str | None:
    with conv.db.session() as s:
        user = people.get_user(s, user_id)
    return (user.language or user.telegram_language) if user else None


def decide(conv: Conversation, msg: Incoming, tr: Translator, rest: list[str]) -> Reply:
    """An admin pressed Approve or Reject on a sign-up or group-binding request."""
    if not is_admin(conv, msg.user_id):
        return Reply("", toast=tr.gettext("Only admins can approve requests."), silent=True)
    if len(rest) != 3 or rest[0] not in ("m", "g") or rest[2] not in ("y", "n"):
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    kind, rid, verdict = rest[0], parse_id(rest[1]), rest[2]
    if rid is None:
        return Reply("", toast=not_an_id(tr, rest[1]), silent=True)
    approve = verdict == "y"
    with conv.db.session() as s:
        if kind == "m":
            decided = people.decide_membership(s, rid, approve, msg.user_id)
            target, agency_name = (decided.user_id, decided.agency_name) if decided else (None, "")
        elif kind == "g":
            decided_g = groups.decide_binding(s, rid, approve, msg.user_id)
            target, agency_name = (decided_g.chat_id, decided_g.agency_name) if decided_g else (None, "")
        else:
            target, agency_name = None, ""
    if target is None:
        return Reply(tr.gettext("This request was already handled."), edit=True, toast=tr.gettext("Already handled."))
    ttr = conv.translator(_lang_of(conv, target) if kind == "m" else None)
    if kind == "m":
        note = (ttr.gettext("Your membership of {agency} was approved. You can now post progress with /capnhat.") if approve
                else ttr.gettext("Your request to join {agency} was not approved. Contact the focal department if this is a mistake."))
    else:
        note = (ttr.gettext("This group is now bound to {agency}: its reminders will be posted here.") if approve
                else ttr.gettext("The request to bind this group to {agency} was not approved."))
    verdict_text = tr.gettext("Approved") if approve else tr.gettext("Rejected")
    by = html.escape(msg.user_name or str(msg.user_id))
    return Reply(f"{verdict_text}: {html.escape(agency_name)} — {by}", edit=True, html=True,
                 outbox=[Outgoing(target, note.format(agency=agency_name))])
