"""Broadcasts of the focal department to agencies on every channel, the audience step they share
with deadlines, and the delivery report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.app.i18n import Translator, channel_name
from bot.core.access import is_focal
from bot.core.audience import Audience, AudienceError, parse
from bot.core.messages import Choice, Reply, notice
from bot.delivery import recipients
from bot.delivery.reasons import reason_text
from bot.delivery.recipients import agency_name
from bot.flows.deadlines.commands import refuse
from bot.flows.deadlines.drafts import FLOW, MAX_TITLE, confirm_preview, parse_when_chat, when_data
from kb.normalize import normalize
from storage.delivery import broadcasts as broadcast_store
from storage.delivery import ledger
from storage.directory import people

if TYPE_CHECKING:
    from bot.core.context import Context
    from bot.core.turn import Turn
    from storage.delivery.ledger import DeliveryInfo

WEB_CHANNEL = "web"  # the report channel of broadcasts sent from the web console
MAX_BROADCAST = 1800  # fits one Zalo message (2000) with the sender line


def _audience_choices(tr: Translator) -> list[Choice]:
    return [
        Choice(tr.gettext("Everyone"), "au:all"),
        Choice(tr.gettext("All communes and wards"), "au:communes"),
        Choice(tr.gettext("Lead agencies of…"), "au:lead"),
        Choice(tr.gettext("Coordinating agencies of…"), "au:coord"),
        Choice(tr.gettext("Named agencies…"), "au:names"),
    ]


def broadcast(turn: Turn, args: str) -> Reply:
    tr = turn.tr
    if not is_focal(turn):
        return refuse(turn)
    if args:
        if len(args) > MAX_BROADCAST:
            return Reply(
                tr.gettext(
                    "The message is too long ({n} characters); keep it under {max}."
                ).format(n=len(args), max=MAX_BROADCAST)
            )
        turn.set_state(FLOW, {"what": "broadcast", "step": "audience", "text": args})
        return Reply(tr.gettext("Who is it for?"), choices=_audience_choices(tr))
    turn.set_state(FLOW, {"what": "broadcast", "step": "text"})
    return Reply(tr.gettext("Type the message to broadcast. (/huy to cancel)"))


def typed(turn: Turn, data: dict) -> Reply | None:
    """Text typed at a step of /themhan or /thongbao."""
    tr = turn.tr
    text = (turn.msg.text or "").strip()
    if not text or not is_focal(turn):
        return None
    step = data.get("step")
    try:
        if step == "date":
            data.update(step="title", **when_data(parse_when_chat(tr, text, turn.today)))
            turn.set_state(FLOW, data)
            return Reply(tr.gettext("Title of the deadline (what is due)?"))
        if step == "title":
            data.update(step="audience", title=text[:MAX_TITLE])
            turn.set_state(FLOW, data)
            return Reply(tr.gettext("Who is it for?"), choices=_audience_choices(tr))
        if step == "text":
            if len(text) > MAX_BROADCAST:
                return Reply(
                    tr.gettext(
                        "The message is too long ({n} characters); keep it under {max}."
                    ).format(n=len(text), max=MAX_BROADCAST)
                )
            data.update(step="audience", text=text)
            turn.set_state(FLOW, data)
            return Reply(tr.gettext("Who is it for?"), choices=_audience_choices(tr))
        if step in ("audience", "audience_text"):
            mode = data.get("mode") if step == "audience_text" else None
            typed_text = text
            if mode in ("lead", "coord") and not normalize(text).startswith(
                ("chu tri", "phoi hop", "lead", "coordinate")
            ):
                typed_text = f"{'chủ trì' if mode == 'lead' else 'phối hợp'} {text}"
            data.update(step="confirm", audience=parse(typed_text, turn.kb.engine, tr).spec)
            turn.set_state(FLOW, data)
            return confirm_preview(turn, data)
    except AudienceError as exc:
        return Reply(str(exc) + "\n" + tr.gettext("Try again, or send /huy to stop."))
    return None


def audience_button(turn: Turn, rest: list[str]) -> Reply:
    tr = turn.tr
    data = turn.state(FLOW)
    if data is None or data.get("step") != "audience" or not is_focal(turn):
        return Reply(
            tr.gettext("That step has expired."),
            toast=tr.gettext("This button is no longer valid."),
            silent=turn.msg.callback is not None,
        )
    choice = rest[0] if rest else ""
    if choice == "all":
        data.update(step="confirm", audience=Audience.everyone().spec)
    elif choice == "communes":
        data.update(step="confirm", audience=Audience.communes().spec)
    elif choice in ("lead", "coord", "names"):
        data.update(step="audience_text", mode=choice)
        turn.set_state(FLOW, data)
        prompt = (
            tr.gettext("Type agency names separated by commas.")
            if choice == "names"
            else tr.gettext("Type an indicator code (1.5) or a component index (CSTP 2).")
        )
        return Reply(prompt, edit=True)
    else:
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    turn.set_state(FLOW, data)
    reply = confirm_preview(turn, data)
    reply.edit = True
    return reply


def broadcast_button(turn: Turn, rest: list[str]) -> Reply:
    tr = turn.tr
    sender_id = turn.user_id
    if not is_focal(turn) or sender_id is None:  # an anonymous sender is never focal
        return notice(
            tr.gettext("Only the focal department can do that."), turn.msg.callback is not None
        )
    data = turn.state(FLOW)
    if data is None or data.get("what") != "broadcast" or data.get("step") != "confirm":
        return Reply(
            tr.gettext("That step has expired; send /thongbao to start again."),
            toast=tr.gettext("This button is no longer valid."),
            silent=turn.msg.callback is not None,
        )
    turn.clear_state()
    if (rest[0] if rest else "") != "ok":
        return Reply(tr.gettext("Cancelled; nothing was sent."), edit=True)
    sender = turn.msg.user_name or f"#{sender_id}"
    _, found = send_broadcast(
        turn.s,
        turn.conv,
        turn.kb,
        data["text"],
        Audience(data["audience"]),
        sender_id,
        sender,
        turn.msg.channel,
        turn.msg.chat_id,
    )
    if not found.targets:
        return Reply(
            tr.gettext("No chat of that audience can be reached; nothing was sent."), edit=True
        )
    return Reply(
        tr.ngettext(
            "Sending to {n} chat; you will get a delivery report when it is done.",
            "Sending to {n} chats; you will get a delivery report when it is done.",
            len(found.targets),
        ).format(n=len(found.targets)),
        edit=True,
        deliver_now=True,
    )


def send_broadcast(
    s,
    conv: Context,
    active,
    text: str,
    audience: Audience,
    sender_id: int,
    sender_name: str,
    report_channel: str,
    report_chat_id: str,
) -> tuple[broadcast_store.BroadcastInfo, recipients.Recipients]:
    """Write a broadcast and one ledger row per chat of its audience (and one per member who
    cannot be reached, for the delivery report); the chat's /thongbao and the web console both
    send through here. A broadcast that reaches no chat is finished at once."""
    found = recipients.resolve(s, active, audience, conv.channels)
    gtr = conv.translator(None)  # agencies read it in Vietnamese
    message = (
        gtr.gettext("📢 From the focal department ({sender}):").format(sender=sender_name)
        + "\n"
        + text
    )
    b = broadcast_store.add(s, text, audience.spec, sender_id, report_channel, report_chat_id)
    for t in found.targets:
        ledger.enqueue(
            s,
            key=f"bc:{b.id}:{t.address.channel}:{t.address.chat_id}",
            kind="broadcast",
            channel=t.address.channel,
            chat_id=t.address.chat_id,
            text=message,
            agency_id=t.agency.id,
            broadcast_id=b.id,
            user_id=t.user_id,
        )
    for (
        agency,
        name,
    ) in found.unreachable:  # in the delivery report: who must write to the bot first
        ledger.enqueue(
            s,
            key=f"bc:{b.id}:unreachable:{agency.id}:{name}"[:200],
            kind="broadcast",
            channel="-",
            chat_id=name[:64],
            text="",
            agency_id=agency.id,
            broadcast_id=b.id,
            status=ledger.SKIPPED,
            error="unreachable",
        )
    if not found.targets:
        broadcast_store.finish(s, b.id)
    return b, found


def broadcast_report(conv: Context, broadcast_id: int) -> None:
    """Enqueue the delivery report for the sender of a finished broadcast, in their language."""
    with conv.db.session() as s:
        b = broadcast_store.get(s, broadcast_id)
        rows = ledger.by_broadcast(s, broadcast_id)
        lang = conv.stored_language(s, b.created_by) if b else None
    if b is None or b.report_channel == WEB_CHANNEL:
        return  # sent from the web console: its page shows the delivery report live
    tr = conv.translator(lang)
    chats = [r for r in rows if r.channel != "-"]
    sent = [r for r in chats if r.status == ledger.SENT]
    lines = [
        tr.gettext("Delivery report of broadcast #{id}: {sent} of {total} sent.").format(
            id=b.id, sent=len(sent), total=len(chats)
        )
    ]
    by_channel: dict[str, int] = {}
    for r in sent:
        by_channel[r.channel] = by_channel.get(r.channel, 0) + 1
    if by_channel:
        lines.append(
            " · ".join(f"{channel_name(tr, ch)}: {n}" for ch, n in sorted(by_channel.items()))
        )
    lines += _problem_lines(conv, tr, chats)
    lines += _not_by_chat_lines(conv, tr, sent, [r for r in rows if r.channel == "-"])
    with conv.db.session() as s:
        ledger.enqueue(
            s,
            key=f"report:{b.id}",
            kind="notice",
            channel=b.report_channel,
            chat_id=b.report_chat_id,
            text="\n".join(lines),
            user_id=b.created_by,
        )


def _problem_lines(conv: Context, tr: Translator, chats: list[DeliveryInfo]) -> list[str]:
    """One line per chat the broadcast may not have reached, and why (at most 20 of each kind)."""

    def chat(r: DeliveryInfo) -> str:
        return (
            f"{agency_name(conv.knowledge.current, r.agency_id)} ({channel_name(tr, r.channel)})"
        )

    lines = []
    for r in [r for r in chats if r.status == ledger.UNCERTAIN][:20]:
        # the sending process stopped while the request was out: the channel may or may not have it
        lines.append(
            tr.gettext("• {chat}: may have been sent — could not be confirmed").format(
                chat=chat(r)
            )
        )
    for r in [r for r in chats if r.status == ledger.FAILED][:20]:
        lines.append(
            tr.gettext("• Not sent to chat {chat}: {why}").format(
                chat=chat(r), why=reason_text(tr, r.error)
            )
        )
    for r in [r for r in chats if r.status == ledger.GONE and r.channel != people.EMAIL][:20]:
        lines.append(
            tr.gettext("• Chat {chat} has removed or blocked the bot: {why}").format(
                chat=chat(r), why=reason_text(tr, r.error)
            )
        )
    for r in [r for r in chats if r.status == ledger.GONE and r.channel == people.EMAIL][:20]:
        lines.append(
            tr.gettext("• {agency}: the e-mail address {address} was refused: {why}").format(
                agency=agency_name(conv.knowledge.current, r.agency_id),
                address=r.chat_id,
                why=reason_text(tr, r.error),
            )
        )
    return lines


def _not_by_chat_lines(
    conv: Context, tr: Translator, sent: list[DeliveryInfo], unreachable: list[DeliveryInfo]
) -> list[str]:
    """Who got the broadcast by e-mail because no chat reaches them, and who was not reached at all
    because they never wrote to the bot."""
    lines = []
    emailed = [r for r in sent if r.channel == people.EMAIL]
    if emailed:  # no chat reaches them: the e-mail stood in
        lines.append(
            tr.gettext("Sent by e-mail (no chat reaches them): {names}").format(
                names=", ".join(
                    f"{agency_name(conv.knowledge.current, r.agency_id)} <{r.chat_id}>"
                    for r in emailed[:20]
                )
            )
        )
    if unreachable:
        lines.append(
            tr.gettext(
                "Not reached, because they never wrote to the bot (ask them to say hello to it):"
                " {names}"
            ).format(
                names=", ".join(
                    f"{r.chat_id} ({agency_name(conv.knowledge.current, r.agency_id)})"
                    for r in unreachable[:20]
                )
            )
        )
    return lines
