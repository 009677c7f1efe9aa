"""The progress commands: /capnhat by buttons or in one line (with an optional evidence file), a
quick "cập nhật 2.4: …" in plain text, undo, and /tiendo (the agency's progress, an indicator's
history)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core.messages import Choice, Reply
from bot.core.validate_input import parse_id
from bot.flows.progress import history
from bot.flows.progress.parsing import STATUS_LABELS, Draft, parse_one_line, parse_percent_and_note
from bot.flows.progress.rules import Refusal, button_roles, check_code, member, updatable_roles
from bot.flows.progress.saving import save, short, undo, undo_last
from kb.ask.answers import LEAD
from kb.codes import parse_code
from kb.normalize import fold

if TYPE_CHECKING:
    from bot.core.turn import Turn

FLOW = "progress"
_QUICK = re.compile(r"^\s*(?:cập nhật|cap nhat|cập nhập|update)\s+(.+)$", re.I | re.S)


def _refuse(exc: Refusal, toast: bool = False) -> Reply:
    return Reply(str(exc), toast=str(exc)[:190] if toast else None)


# --- entry points ------------------------------------------------------------------------------


def command(turn: Turn, args: str) -> Reply:
    try:
        user, agency = member(turn)
        if fold(args) in ("huy", "undo", "hoan tac"):
            return undo_last(turn, user)
        if args:
            return save(turn, user, agency, parse_one_line(turn.tr, args), turn.msg.attachment)
        return _pick_indicator(turn, agency)
    except Refusal as exc:
        return _refuse(exc)


def looks_like_update(text: str) -> bool:
    """Plain text such as "cập nhật 2.4: hoàn thành" (a quick progress update, not a question)."""
    m = _QUICK.match(text or "")
    return bool(m and parse_code(m.group(1).split()[0].rstrip(":")) is not None)


def quick_text(turn: Turn, text: str) -> Reply | None:
    """Plain text such as "cập nhật 2.4: hoàn thành"."""
    if not looks_like_update(text):
        return None
    m = _QUICK.match(text)
    assert m is not None
    return command(turn, m.group(1).replace(":", " ", 1))


def _pick_indicator(turn: Turn, agency) -> Reply:
    tr = turn.tr
    roles = button_roles(updatable_roles(turn, agency))
    if not roles:
        return Reply(
            tr.gettext("{agency} has no indicator of its own in the current plan.").format(
                agency=agency.name
            )
        )
    choices = []
    for r in roles[:60]:
        mark = "★ " if r.role == LEAD else ""
        choices.append(
            Choice(
                short(f"{mark}{r.indicator.code} {r.indicator.name}", 60),
                f"pu:i:{r.indicator.code}",
            )
        )
    turn.set_state(FLOW, {"step": "indicator"})
    return Reply(
        tr.gettext("Which indicator? (★ = {agency} leads it)").format(agency=agency.name),
        choices=choices,
    )


def callback(turn: Turn, rest: list[str]) -> Reply:
    tr = turn.tr
    try:
        user, agency = member(turn)
        action = rest[0] if rest else ""
        if action == "undo":
            update_id = parse_id(rest[1] if len(rest) > 1 else "")
            if update_id is None:
                return Reply(
                    tr.gettext("That is not a valid update id."),
                    toast=tr.gettext("This button is no longer valid."),
                )
            return undo(turn, user, update_id)
        if action == "start":  # "Post progress" under a reminder
            return _pick_indicator(turn, agency)
        data = turn.state(FLOW)
        if data is None:
            return Reply(
                tr.gettext("That step has expired; send /capnhat to start again."),
                toast=tr.gettext("This button is no longer valid."),
                silent=turn.msg.callback is not None,
            )
        if action == "i" and len(rest) > 1 and data.get("step") == "indicator":
            role = check_code(turn, agency, rest[1])
            turn.set_state(FLOW, {"step": "status", "code": role.indicator.code})
            return Reply(
                tr.gettext("Indicator {code} “{name}”: what is its status?").format(
                    code=role.indicator.code, name=short(role.indicator.name, 80)
                ),
                edit=True,
                choices=[Choice(tr.gettext(STATUS_LABELS[k]), f"pu:s:{k}") for k in STATUS_LABELS],
            )
        if (
            action == "s"
            and len(rest) > 1
            and rest[1] in STATUS_LABELS
            and data.get("step") == "status"
        ):
            turn.set_state(FLOW, {"step": "detail", "code": data["code"], "status": rest[1]})
            return Reply(
                tr.gettext(
                    "Send the percentage done and a short note, e.g. “70 đã sửa 3 công trình”; you"
                    " may attach a file or photo as evidence. Or choose Save."
                ),
                edit=True,
                choices=[Choice(tr.gettext("Save without a note"), "pu:save")],
            )
        if action == "save" and data.get("step") == "detail":
            return save(turn, user, agency, Draft(data["code"], data["status"], None, None), None)
        return Reply("", toast=tr.gettext("This button is no longer valid."), silent=True)
    except Refusal as exc:
        return _refuse(exc, toast=True)


def typed(turn: Turn, state: dict) -> Reply | None:
    """Text (or a file) sent at the flow's last step: percentage, note, evidence."""
    if state.get("step") != "detail":
        return None
    try:
        user, agency = member(turn)
        percent, status, note = parse_percent_and_note(turn.tr, turn.msg.text or "")
        draft = Draft(state["code"], status or state["status"], percent, note)
        return save(turn, user, agency, draft, turn.msg.attachment)
    except Refusal as exc:
        return _refuse(exc)


def attachment_without_flow(turn: Turn) -> Reply:
    return Reply(
        turn.tr.gettext(
            "To keep a file as evidence, send it with the caption “/capnhat <code> <percent>%"
            " <note>”, or during /capnhat."
        )
    )


def show(turn: Turn, args: str) -> Reply:
    """/tiendo: the latest status of each of the agency's indicators; /tiendo 1.5: one
    indicator's history."""
    try:
        _, agency = member(turn)
        if not args.strip():
            return history.overview(turn, agency)
        code = parse_code(args.strip().split()[0])
        if code is None:
            return Reply(turn.tr.gettext("Write an indicator code, e.g. /tiendo 1.5."))
        return history.of_indicator(turn, agency, check_code(turn, agency, code))
    except Refusal as exc:
        return _refuse(exc)
