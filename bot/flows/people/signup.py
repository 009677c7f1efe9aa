"""Sign-up of officials to their agency, binding of group chats, the admins' decisions, and linking
a person's accounts on several channels."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.app.i18n import Translator, channel_name
from bot.core.access import admin_user_ids, is_admin, member_status
from bot.core.messages import Address, Choice, Reply, notice
from bot.core.validate_input import parse_id
from kb.ask.resolve import commune_agency, find_agencies
from kb.normalize import normalize
from kb.words.names import signup_candidates
from storage.conversation import dialogs
from storage.directory import groups, linking, people

if TYPE_CHECKING:
    from bot.core.turn import Turn

log = logging.getLogger(__name__)
FLOW = "signup"
LINK_TTL = timedelta(minutes=15)
MAX_CHOICES = 8


def start(turn: Turn, args: str) -> Reply:
    tr, msg = turn.tr, turn.msg
    if not msg.private:
        return Reply(
            tr.gettext(
                "Hello! I answer questions about the PGI plans. A group administrator can bind"
                " this group to its agency with /dangky followed by the agency's name."
            )
        )
    greeting = tr.gettext(
        "Hello {name}! I am the assistant for Lạng Sơn's Provincial Green Index (PGI) plans."
    ).format(name=msg.user_name or "")
    status = member_status(turn)
    if status.membership is not None:
        agency = status.agency.name if status.agency else status.membership.agency_name
        return Reply(
            "\n".join(
                [
                    greeting,
                    tr.gettext(
                        "You are signed up as a member of {agency}. Try /chiso, /hanchot or "
                        "/capnhat."
                    ).format(agency=agency),
                ]
            )
        )
    if status.pending is not None:
        return Reply(
            "\n".join(
                [
                    greeting,
                    tr.gettext(
                        "Your request to join {agency} is waiting for an admin's approval."
                    ).format(agency=status.pending.agency_name),
                ]
            )
        )
    reply = _ask_agency(turn)
    reply.text = (
        greeting
        + "\n"
        + tr.gettext("Anyone may ask me questions; to post progress for your agency, sign up.")
        + "\n"
        + reply.text
    )
    return reply


def examples(turn: Turn) -> tuple[str, str]:
    """A department and a commune or ward of the registry, to show how a name is typed."""
    kb = turn.kb.kb
    department = next(
        (a.name for a in kb.agencies.values() if a.type == "department" and not a.succeeded_by),
        "Sở Xây dựng",
    )
    units = kb.places.units
    commune = commune_agency(units[0]).name if units else "UBND các xã, phường"
    return department, commune


def _ask_agency(turn: Turn) -> Reply:
    turn.set_state(FLOW, {"kind": "member" if turn.msg.private else "group"})
    department, commune = examples(turn)
    return Reply(
        turn.tr.gettext(
            "Which agency do you work for? Type its name, e.g. “{department}” or “{commune}”."
        ).format(department=department, commune=commune)
    )


def sign_up(turn: Turn, args: str) -> Reply:
    msg, tr = turn.msg, turn.tr
    if not msg.private and not msg.is_group_admin:
        return Reply(tr.gettext("Only an administrator of this group can bind it to an agency."))
    if not args:
        if not msg.private:
            return Reply(
                tr.gettext("Send /dangky followed by the agency's name, e.g. /dangky Sở Xây dựng.")
            )
        return _ask_agency(turn)
    return _offer(turn, args, "member" if msg.private else "group")


def typed_agency(turn: Turn, state: dict) -> Reply | None:
    """Text while signing up: an agency's name — unless it is plainly a question, which is
    answered."""
    text = (turn.msg.text or "").strip()
    if not text:
        return None
    index = turn.kb.index
    toks = normalize(text).split()
    found = find_agencies(index, toks, text)
    named = sum(m.end - m.start for m in found.mentions if m.exact)
    if not (toks and named >= 0.6 * len(toks)):
        answer = turn.kb.engine.answer(text, today=turn.today)
        if answer.intent not in ("unknown", "clarify", "help"):
            turn.clear_state()
            return None  # the core answers it as a question
    return _offer(turn, text, state.get("kind", "member"))


def _offer(turn: Turn, text: str, kind: str) -> Reply:
    """The agency a typed name stands for: taken when unmistakable, else confirmed with a
    choice."""
    tr = turn.tr
    matches, sure = signup_candidates(turn.kb.index, text, MAX_CHOICES)
    if not matches:
        turn.set_state(FLOW, {"kind": kind})
        department, commune = examples(turn)
        return Reply(
            tr.gettext(
                "No agency matches “{text}”. Type the full name, e.g. “{department}” or"
                " “{commune}”."
            ).format(text=text.strip()[:100], department=department, commune=commune)
        )
    choices = [[a.id, a.name] for a in matches]
    if sure:  # one agency named in full, as the registry writes it: no list of one to pick from
        return _request(turn, kind, *choices[0])
    turn.set_state(FLOW, {"kind": kind, "choices": choices})
    if len(choices) == 1:
        question = tr.gettext(
            "“{text}” is not written as in the registry. Do you mean {agency}? Pick it, or type"
            " the name again."
        ).format(text=text.strip()[:100], agency=choices[0][1])
    elif kind == "member":
        question = tr.gettext("Which one is your agency?")
    else:
        question = tr.gettext("Which agency is this group for?")
    return Reply(
        question, choices=[Choice(name, f"su:{i}") for i, (_aid, name) in enumerate(choices)]
    )


def needs_group_rights(text: str, callback: str | None) -> bool:
    """Whether handling this group message needs to know if the sender administers the group:
    only binding the group to an agency does (/dangky typed, or its agency button pressed). A
    channel that can tell asks its API then, and sets ``Incoming.is_group_admin``."""
    if callback is not None:
        return callback.partition(":")[0] == "su"
    return text.strip().lower().startswith("/dangky")


def pick_agency(turn: Turn, rest: list[str]) -> Reply:
    msg, tr = turn.msg, turn.tr
    state = turn.state(FLOW)
    if state is None and not msg.private and msg.is_group_admin:
        # an anonymous admin typed /dangky (kept under user 0) and presses the button as themselves
        st = dialogs.get_state(turn.s, msg.channel, msg.chat_id, 0)
        state = st[1] if st and st[0] == FLOW else None
    raw = rest[0] if rest else ""
    index = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 2 else None
    data = state or {}
    choices = data.get("choices") or []
    if index is None or not index < len(choices):
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    kind = data.get("kind", "member")
    if kind == "group" and not msg.is_group_admin:
        return Reply(
            "",
            toast=tr.gettext("Only an administrator of this group can bind it to an agency."),
            silent=True,
        )
    return _request(turn, kind, *choices[index])


def _request(turn: Turn, kind: str, agency_id: str, agency_name: str) -> Reply:
    msg, tr = turn.msg, turn.tr
    turn.clear_state()
    if not msg.private:
        dialogs.clear_state(turn.s, msg.channel, msg.chat_id, 0)
    if kind == "member":
        if turn.user is None:
            return Reply(tr.gettext("Sign up from your own account, not anonymously."))
        membership = people.request_membership(turn.s, turn.user.id, agency_id, agency_name)
        ref = f"m{membership.id}"
    else:
        binding = groups.request_binding(
            turn.s, msg.channel, msg.chat_id, msg.chat_title, agency_id, agency_name, turn.user_id
        )
        ref = f"g{binding.id}"
    notified = _notify_admins(turn, agency_name, ref)
    if kind == "member":
        text = tr.gettext(
            "Thank you. Your request to join {agency} was sent to the admins; I will tell you when"
            " it is approved."
        )
    else:
        text = tr.gettext(
            "Thank you. The request to bind this group to {agency} was sent to the admins."
        )
    if not notified:
        text += "\n" + tr.gettext(
            "(No admin can be reached yet: set ADMIN_TELEGRAM_IDS or ADMIN_ZALO_IDS, and the admin"
            " must write to the bot once.)"
        )
    return Reply(text.format(agency=agency_name), edit=True, deliver_now=notified)


def decision_choices(tr: Translator, ref: str) -> list[Choice]:
    return [
        Choice(tr.gettext("Approve"), f"adm:{ref[0]}:{ref[1:]}:y"),
        Choice(tr.gettext("Reject"), f"adm:{ref[0]}:{ref[1:]}:n"),
    ]


def _notify_admins(turn: Turn, agency_name: str, ref: str) -> bool:
    msg = turn.msg
    who = (msg.user_name or "?") + (f" (@{msg.username})" if msg.username else "")

    def text(tr: Translator) -> str:
        if ref.startswith("m"):
            body = tr.gettext("Sign-up request {ref}: {who} ({channel}) asks to join {agency}.")
        else:
            body = tr.gettext(
                "Group binding request {ref}: group “{group}” ({channel}), asked by {who}, for"
                " {agency}."
            )
        body = body.format(
            ref=ref,
            who=who,
            channel=channel_name(tr, msg.channel),
            agency=agency_name,
            group=msg.chat_title or "",
        )
        return (
            body
            + "\n"
            + tr.gettext("Answer with a choice, or type /duyet {ref} or /tuchoi {ref}.").format(
                ref=ref
            )
        )

    sent = False
    for admin in admin_user_ids(turn.s, turn.settings):
        sent |= turn.notify_user(admin, text, lambda tr: decision_choices(tr, ref))
    return sent


def decide(turn: Turn, rest: list[str]) -> Reply:
    """An admin pressed (or typed the number of) Approve or Reject on a sign-up or group-binding
    request."""
    tr = turn.tr
    if not is_admin(turn):
        return notice(
            tr.gettext("Only admins can approve requests."), turn.msg.callback is not None
        )
    kind = rest[0] if rest else ""
    rid = parse_id(rest[1] if len(rest) > 1 else "")
    verdict = rest[2] if len(rest) > 2 else ""
    if kind not in ("m", "g") or rid is None or verdict not in ("y", "n"):
        return Reply(
            tr.gettext("That is not a valid request id; see /choduyet."),
            toast=tr.gettext("This button is no longer valid."),
        )
    return apply_decision(turn, kind, rid, verdict == "y")


def _already_handled(tr: Translator) -> Reply:
    return Reply(
        tr.gettext("This request was already handled, or does not exist."),
        edit=True,
        toast=tr.gettext("Already handled."),
    )


def apply_decision(turn: Turn, kind: str, rid: int, approve: bool) -> Reply:
    tr = turn.tr
    admin_id = turn.user_id
    if admin_id is None:  # the callers checked is_admin, which an anonymous sender never is
        return notice(
            tr.gettext("Only admins can approve requests."), turn.msg.callback is not None
        )
    if kind == "m":
        member = people.decide_membership(turn.s, rid, approve, admin_id)
        if member is None:
            return _already_handled(tr)
        agency_name = member.agency_name

        def note(ttr: Translator) -> str:
            return (
                ttr.gettext(
                    "Your membership of {agency} was approved. You can now post progress with"
                    " /capnhat."
                )
                if approve
                else ttr.gettext(
                    "Your request to join {agency} was not approved. Contact the focal department"
                    " if this is a mistake."
                )
            ).format(agency=agency_name)

        turn.notify_user(member.user_id, note)
    else:
        binding = groups.decide_binding(turn.s, rid, approve, admin_id)
        if binding is None:
            return _already_handled(tr)
        agency_name = binding.agency_name
        gtr = turn.conv.translator(None)
        note_g = (
            gtr.gettext("This group is now bound to {agency}: its reminders will be posted here.")
            if approve
            else gtr.gettext("The request to bind this group to {agency} was not approved.")
        ).format(agency=agency_name)
        turn.send(Address(binding.channel, binding.chat_id), note_g)
    verdict_text = tr.gettext("Approved") if approve else tr.gettext("Rejected")
    by = turn.msg.user_name or str(turn.user_id)
    return Reply(f"{verdict_text}: {agency_name} — {by}", edit=True, deliver_now=True)


# --- linking a second channel
# ---------------------------------------------------------------------


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def link(turn: Turn, args: str) -> Reply:
    """/lienket: a one-time code; /lienket CODE on the other channel joins the two accounts into
    one person."""
    tr = turn.tr
    if turn.user is None or not turn.msg.private:
        return Reply(tr.gettext("Link your accounts in a private chat with the bot."))
    code = args.strip()
    if not code:
        code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
        linking.add_link_code(turn.s, turn.user.id, _hash(code), turn.now + LINK_TTL)
        others = [
            turn.conv.channel_label(c) for c in turn.conv.channels if c != turn.msg.channel
        ] or [turn.conv.channel_label(turn.msg.channel)]
        return Reply(
            tr.gettext(
                "Your link code is {code}. Within 15 minutes, send “/lienket {code}” to this bot"
                " from your other account ({channels}): your role, sign-up and progress then"
                " belong to one person, and reminders reach you once."
            ).format(code=code, channels=", ".join(others))
        )
    outcome, kept = linking.redeem_link_code(turn.s, _hash(code), turn.user.id, turn.now)
    texts = {
        "ok": tr.gettext(
            "Linked: this account and the one that asked for the code are now one person."
        ),
        "same": tr.gettext(
            "This code was made from this same account; send it from your other account."
        ),
        "unknown": tr.gettext(
            "That link code is not valid. Send /lienket in your other account to get a new one."
        ),
        "used": tr.gettext(
            "That link code was already used. Send /lienket in your other account to get a new"
            " one."
        ),
        "expired": tr.gettext(
            "That link code has expired (15 minutes). Send /lienket in your other account to get a"
            " new one."
        ),
    }
    return Reply(texts[outcome])
