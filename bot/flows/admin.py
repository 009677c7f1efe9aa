"""Admin commands: reload the knowledge base, show the active version, grant roles, pending
requests."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core.access import is_admin
from bot.core.knowledge import loaded_by
from bot.core.messages import Choice, Reply
from bot.core.validate_input import parse_id
from bot.flows.people.signup import apply_decision
from storage.directory import groups, people

if TYPE_CHECKING:
    from bot.app.i18n import Translator
    from bot.core.turn import Turn
    from kb.diff import KbDiff
    from kb.loader import Problem

MAX_PROBLEMS_SHOWN = 15
MAX_PENDING_SHOWN = 10
_REF = re.compile(r"^\s*#?([mg])\s*#?(\d{1,10})\s*$", re.I)


def _refuse(turn: Turn) -> Reply:
    return Reply(turn.tr.gettext("Only the bot's admins can do that."))


def reload(turn: Turn, args: str) -> Reply:
    """Re-read, validate and load the knowledge-base files; swap them in, or list what is wrong."""
    tr = turn.tr
    if not is_admin(turn):
        return _refuse(turn)
    who = turn.msg.user_name or f"#{turn.user_id}"
    result = turn.conv.knowledge.load_from(
        turn.settings.kb_dir,
        created_by=f"{who} ({turn.msg.channel})",
        user_id=turn.user_id,
        session=turn.s,
    )
    if not result.ok:
        return _not_loaded(tr, result.problems)
    v = result.version
    assert v is not None
    if result.unchanged:
        return Reply(
            tr.gettext(
                "The files are the same as the active version {id}; nothing changed."
            ).format(id=v.id)
        )
    c = v.counts
    lines = [
        tr.gettext(
            "Loaded version {id}: {documents} documents, {indicators} indicators, {agencies}"
            " agencies, {deadlines} deadlines."
        ).format(
            id=v.id,
            **{k: c.get(k, 0) for k in ("documents", "indicators", "agencies", "deadlines")},
        )
    ]
    lines += _change_lines(tr, result.changes)
    return Reply("\n".join(lines))


def _not_loaded(tr: Translator, problems: list[Problem]) -> Reply:
    """Why the files were not loaded: the first problems, each with its file and place."""
    lines = [
        tr.ngettext(
            "Not loaded: {n} problem in the knowledge-base files. The active version is"
            " unchanged.",
            "Not loaded: {n} problems in the knowledge-base files. The active version is"
            " unchanged.",
            len(problems),
        ).format(n=len(problems))
    ]
    lines.extend("• " + p.located(tr.gettext) for p in problems[:MAX_PROBLEMS_SHOWN])
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(
            tr.gettext("…and {n} more; run `python -m bot kb check` for the full list.").format(
                n=len(problems) - MAX_PROBLEMS_SHOWN
            )
        )
    return Reply("\n".join(lines))


def _change_lines(tr: Translator, ch: KbDiff | None) -> list[str]:
    """What the new version changed, one line per kind of change (at most 12 names each)."""
    if ch is None or ch.empty:
        return [tr.gettext("No change in documents, agencies, indicators or deadlines.")]
    lines = []
    for label, items in (
        (tr.gettext("Documents added"), ch.documents_added),
        (tr.gettext("Documents removed"), ch.documents_removed),
        (tr.gettext("Agencies added"), ch.agencies_added),
        (tr.gettext("Agencies removed"), ch.agencies_removed),
        (tr.gettext("Indicators added"), ch.indicators_added),
        (tr.gettext("Indicators removed"), ch.indicators_removed),
        (tr.gettext("Indicators changed"), ch.indicators_changed),
        (tr.gettext("Deadlines added or changed"), ch.deadlines_added + ch.deadlines_changed),
        (tr.gettext("Deadlines removed"), ch.deadlines_removed),
    ):
        if items:
            shown = ", ".join(items[:12]) + (" …" if len(items) > 12 else "")
            lines.append(f"• {label} ({len(items)}): {shown}")
    return lines


def show_kb(turn: Turn, args: str) -> Reply:
    """/kb (admins): the active knowledge-base version, who loaded it, when and from where (a
    server path)."""
    if not is_admin(turn):
        return _refuse(turn)
    v = turn.kb.version
    c = v.counts
    return Reply(
        turn.tr.gettext(
            "Knowledge base version {id}, loaded {when} by {who} from {source}: {documents}"
            " documents, {indicators} indicators, {agencies} agencies."
        ).format(
            id=v.id,
            when=v.created_at.astimezone(turn.conv.tz).strftime("%d/%m/%Y %H:%M"),
            who=loaded_by(turn.tr, v.created_by),
            source=v.source,
            documents=c.get("documents", 0),
            indicators=c.get("indicators", 0),
            agencies=c.get("agencies", 0),
        )
    )


def grant(turn: Turn, args: str) -> Reply:
    """/capquyen <user id> admin|focal|user — the id is the one shown in requests and /choduyet."""
    tr = turn.tr
    if not is_admin(turn):
        return _refuse(turn)
    parts = args.split()
    usage = tr.gettext(
        "Usage: /capquyen <user id> admin|focal|user (the id is shown in sign-up requests and"
        " /choduyet)"
    )
    if len(parts) != 2 or parts[1] not in people.ROLES:
        return Reply(usage)
    user_id = parse_id(parts[0], maximum=2**63 - 1)
    if user_id is None:
        return Reply(
            tr.gettext("“{id}” is not a valid user id.").format(id=parts[0][:30]) + "\n" + usage
        )
    changed = people.set_role(turn.s, user_id, parts[1])
    if changed is None:
        return Reply(
            tr.gettext("There is no user #{id}; they must write to the bot first.").format(
                id=user_id
            )
        )
    return Reply(
        tr.gettext("User #{id} ({name}) now has the role {role}.").format(
            id=user_id, name=changed.name, role=parts[1]
        )
    )


def pending(turn: Turn, args: str) -> Reply:
    """/choduyet: sign-up and group requests waiting for a decision, each with its choices."""
    tr = turn.tr
    if not is_admin(turn):
        return _refuse(turn)
    requests = people.pending_requests(turn.s)
    bindings = groups.pending_bindings(turn.s)
    if not requests and not bindings:
        return Reply(tr.gettext("No request is waiting."))
    lines, choices = (
        [
            tr.gettext(
                "Requests waiting for approval (answer with a choice, or /duyet m12, /tuchoi m12):"
            )
        ],
        [],
    )
    for r in requests[:MAX_PENDING_SHOWN]:
        name = people.display_name(turn.s, r.user_id)
        lines.append(f"m{r.id}: {name} (#{r.user_id}) → {r.agency_name}")
        choices.append(
            Choice(
                tr.gettext("Approve m{id}: {name} → {agency}").format(
                    id=r.id, name=name, agency=r.agency_name
                )[:60],
                f"adm:m:{r.id}:y",
            )
        )
    for b in bindings[:MAX_PENDING_SHOWN]:
        lines.append(f"g{b.id}: “{b.title}” ({b.channel}) → {b.agency_name}")
        choices.append(
            Choice(
                tr.gettext("Approve g{id}: {group} → {agency}").format(
                    id=b.id, group=b.title, agency=b.agency_name
                )[:60],
                f"adm:g:{b.id}:y",
            )
        )
    return Reply("\n".join(lines), choices=choices)


def _typed_decision(turn: Turn, args: str, approve: bool) -> Reply:
    tr = turn.tr
    if not is_admin(turn):
        return _refuse(turn)
    m = _REF.match(args)
    rid = parse_id(m.group(2)) if m else None
    if m is None or rid is None:
        return Reply(
            tr.gettext("Write the request as shown in /choduyet, e.g. /duyet m12 or /tuchoi g3.")
        )
    return apply_decision(turn, m.group(1).lower(), rid, approve)


def approve_typed(turn: Turn, args: str) -> Reply:
    return _typed_decision(turn, args, True)


def reject_typed(turn: Turn, args: str) -> Reply:
    return _typed_decision(turn, args, False)
