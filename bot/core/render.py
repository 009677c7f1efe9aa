"""Turns the engine's structured answers into short replies in the user's language.

Facts (names, titles, tasks) stay in Vietnamese as the documents write them; the words around them
come from the gettext catalogs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from bot.app.i18n import Translator
from bot.core.messages import Choice, numbered
from bot.core.render_docs import document_lines
from kb.ask.answers import BOTH, COORDINATE, LEAD, Answer, DeadlineView, Role
from kb.model import DISTRICT, Agency, Assignment, Document, Indicator, Measure, Rank, Scores

MAX_CHOICE_LABEL = 60
NAME_WIDTH = 90
TASK_WIDTH = 260
MAX_DEADLINES = 6


@lru_cache(maxsize=8192)  # called on the knowledge base's names and titles, a fixed vocabulary
def short(text: str, width: int) -> str:
    """At most ``width`` characters, cut between words (never inside one), "…" where it was cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    head = text[:cut] if cut > width // 2 else text[: width - 1]
    return head.rstrip(" ,;:-—(") + "…"


# Babel formatting of the knowledge base's own figures and dates costs tens of microseconds each
# and a score table shows dozens: the text depends only on the language and the exact value, so it
# is remembered. The value is keyed by its type and exact text (str() round-trips a Decimal's
# digits, sign and exponent, and a float or int exactly), so equal-but-different values never share
# a text.
_NUMBER_KINDS: dict[str, type[Decimal] | type[float] | type[int]] = {
    "Decimal": Decimal,
    "float": float,
    "int": int,
}


@lru_cache(maxsize=4096)
def _decimal_text(tr: Translator, kind: str, exact: str, decimals: int) -> str:
    # the kind by its name: mypy does not take a class for Hashable, and the name is as good a
    # cache key
    return tr.decimal(_NUMBER_KINDS[kind](exact), decimals)


@lru_cache(maxsize=4096)
def _date_text(tr: Translator, value: date) -> str:
    return tr.date(value)


def fmt_decimal(tr: Translator, value: Decimal | float, decimals: int = 0) -> str:
    if type(tr) is Translator and type(value) in (Decimal, float, int) and type(decimals) is int:
        return _decimal_text(tr, type(value).__name__, str(value), decimals)
    return tr.decimal(value, decimals)


def fmt_date(tr: Translator, value: date) -> str:
    if type(tr) is Translator and type(value) is date:
        return _date_text(tr, value)
    return tr.date(value)


def doc_label(doc: Document, tr: Translator) -> str:
    _ = tr.gettext
    if doc.kind in ("assignment_plan", "score_plan") and doc.number and doc.date:
        return _("Appendix to plan {number} of {date}, {issuer}").format(
            number=doc.number, date=fmt_date(tr, doc.date), issuer=doc.issuer
        )
    if doc.kind == "data_request":
        when = fmt_date(tr, doc.date) if doc.date else (doc.date_note or "").split(" (")[0]
        return _("Letter of {issuer} ({when}): {title}").format(
            issuer=doc.issuer, when=when, title=doc.title
        )
    return _("{title}, {issuer}").format(title=doc.title, issuer=doc.issuer)


def plan_short(doc: Document, tr: Translator) -> str:
    if doc.number:
        return tr.gettext("plan {number}").format(number=doc.number)
    return doc.title


def sources_line(docs: list[Document], tr: Translator) -> str:
    if not docs:
        return ""
    return tr.gettext("Source: {documents}").format(
        documents="; ".join(doc_label(d, tr) for d in docs)
    )


def since_text(agency: Agency, tr: Translator) -> str:
    if not agency.since:
        return ""
    parts = agency.since.split("-")
    return "/".join(reversed(parts))


def render(ans: Answer, tr: Translator, agencies: dict[str, Agency] | None = None) -> str:
    """The whole answer: each channel splits a long one within its own message limit."""
    from bot.core.render_premise import premise_lines

    renderer = _RENDERERS.get(ans.intent, _unknown)
    lines = premise_lines(ans, tr) + [
        line for line in renderer(ans, tr, agencies or {}) if line is not None
    ]
    return "\n".join(lines).strip()


def _name_notes(ans: Answer, tr: Translator) -> list[str]:
    _ = tr.gettext
    out: list[str] = []
    named, cur = ans.named_as, ans.agency
    if named is None or cur is None:
        return out
    if named.type == "commune":
        out.append(
            _("{name} is one of “{group}”; the roles below are that group's.").format(
                name=named.name, group=cur.name
            )
            if cur.is_group
            else ""
        )
    elif named.id != cur.id:
        since = since_text(named, tr)
        if since:
            out.append(
                _("Note: {old} is now {new} (since {since}); answering for {new}.").format(
                    old=named.name, new=cur.name, since=since
                )
            )
        else:
            out.append(
                _("Note: {old} is now {new}; answering for {new}.").format(
                    old=named.name, new=cur.name
                )
            )
    return [o for o in out if o]


def _indicator_line(role: Role, tr: Translator) -> str:
    ind = role.indicator
    extra = []
    if role.scope:
        extra.append(role.scope)
    if role.written:
        extra.append(tr.gettext("as {name}").format(name=role.written))
    tail = f" ({'; '.join(extra)})" if extra else ""
    return f"• {ind.code} {short(ind.name, NAME_WIDTH)}{tail}"


def _agency_indicators(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    assert ans.agency is not None and ans.plan is not None
    name = (
        ans.named_as.name
        if ans.named_as is not None and ans.named_as.type == "commune"
        else ans.agency.name
    )
    lines = _name_notes(ans, tr)
    if ans.agency.id.startswith("unlisted:"):
        lines.append(
            _(
                "The plans do not name {agency} anywhere; as a provincial body it holds only what"
                " the groups that include it hold."
            ).format(agency=name)
        )
    lines.append(
        _("{agency} — indicators in {plan}:").format(agency=name, plan=plan_short(ans.plan, tr))
    )
    shown = [
        r
        for r in ans.roles
        if not (r.via is not None and r.via.catch_all and r.role == COORDINATE)
    ]
    if not [r for r in shown if ans.role in (BOTH, r.role)] and not ans.catch_all_count:
        role_word = {LEAD: _("lead"), COORDINATE: _("coordinating"), BOTH: _("assigned")}[ans.role]
        lines.append(
            _("{agency} has no {role} indicator in {plan}.").format(
                agency=name, role=role_word, plan=plan_short(ans.plan, tr)
            )
        )
    order = ((LEAD, _("Lead ({n}):")), (COORDINATE, _("Coordinate ({n}):")))
    for role_key, title in (
        order[::-1] if ans.role == COORDINATE else order
    ):  # the role asked about first
        mine = [r for r in shown if r.role == role_key]
        if not mine:
            continue
        lines.append(title.format(n=len(mine)))
        lines.extend(_indicator_line(r, tr) for r in mine if r.via is None)
        groups: dict[str, list[Role]] = {}
        for r in mine:
            if r.via is not None:
                groups.setdefault(r.via.name, []).append(r)
        for group, rs in groups.items():
            lines.append(_("Through “{group}”:").format(group=group))
            lines.extend(_indicator_line(r, tr) for r in rs)
    if ans.catch_all_count:
        group = next((r.via.name for r in ans.roles if r.via is not None and r.via.catch_all), "")
        lines.append(
            tr.ngettext(
                "Also coordinates {n} more indicator as one of “{group}”.",
                "Also coordinates {n} more indicators as one of “{group}”.",
                ans.catch_all_count,
            ).format(n=ans.catch_all_count, group=group)
        )
    lines.append(sources_line(ans.sources, tr))
    return lines


def _names(
    cell: tuple[Assignment, ...],
    agencies: dict[str, Agency],
    tr: Translator,
    skip: frozenset[str] = frozenset(),
) -> str:
    out = []
    seen = set(skip)
    for a in cell:
        if a.agency_id in seen:
            continue
        seen.add(a.agency_id)
        agency = agencies.get(a.agency_id)
        text = a.written
        if agency is not None and agency.succeeded_by and agency.succeeded_by in agencies:
            text = tr.gettext("{old} (now {new})").format(
                old=a.written, new=current_name(agency, agencies)
            )
        if a.scope:
            text += f" ({a.scope})"
        out.append(text)
    return "; ".join(out) if out else "—"


def current_name(agency: Agency, agencies: dict[str, Agency]) -> str:
    seen = set()
    while agency.succeeded_by and agency.succeeded_by in agencies and agency.id not in seen:
        seen.add(agency.id)
        agency = agencies[agency.succeeded_by]
    return agency.name


def _indicator_agencies(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    if ans.component is not None:
        return _component(ans, tr, agencies)
    ind = ans.indicator
    assert ind is not None and ans.plan is not None
    lines = [
        _("Indicator {code}: {name}").format(code=ind.code, name=ind.name),
        _("Component index {code}").format(code=ind.component) + f" — {plan_short(ans.plan, tr)}",
    ]
    lines.extend(_name_notes(ans, tr))
    if ans.agency is not None:
        role = ans.roles[0] if ans.roles else None
        if role is None:
            lines.append(
                _("{agency} has no role in this indicator.").format(agency=ans.agency.name)
            )
        elif role.via is not None:
            text = (
                _("{agency} leads this indicator as one of “{group}”.")
                if role.role == LEAD
                else _("{agency} coordinates this indicator as one of “{group}”.")
            )
            lines.append(text.format(agency=ans.agency.name, group=role.via.name))
        else:
            text = (
                _("{agency} leads this indicator.")
                if role.role == LEAD
                else _("{agency} coordinates this indicator.")
            )
            lines.append(text.format(agency=ans.agency.name))
    lead = _("Lead: {names}").format(names=_names(ind.lead, agencies, tr))
    leads = frozenset(a.agency_id for a in ind.lead)
    coord = _("Coordinate: {names}").format(names=_names(ind.coordinate, agencies, tr, skip=leads))
    lines.extend([coord, lead] if ans.role == COORDINATE else [lead, coord])
    if ind.note:
        lines.append(_("Note: {note}").format(note=ind.note))
    if ans.matches:
        lines.append(_("Tasks on this subject in the 2024 plan:"))
        lines.extend(f"• {names}: {' '.join(task.split())}" for names, task in ans.matches)
    lines.append(sources_line(ans.sources, tr))
    return lines


def _component(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    comp = ans.component
    assert comp is not None and ans.plan is not None
    lines = [
        tr.ngettext(
            "Component index {code} “{name}” ({n} indicator):",
            "Component index {code} “{name}” ({n} indicators):",
            len(ans.component_indicators),
        ).format(code=comp.code, name=comp.name, n=len(ans.component_indicators))
    ]
    for ind in ans.component_indicators:
        leads = "; ".join(dict.fromkeys(a.written for a in ind.lead))
        lines.append(
            f"• {ind.code} {short(ind.name, 70)} — " + _("lead: {names}").format(names=leads)
        )
    lines.append(sources_line(ans.sources, tr))
    return lines


def _measure(m: Measure | None, tr: Translator, points: bool) -> str | None:
    if m is None:
        return None
    text = fmt_decimal(tr, m.value, m.decimals) + m.unit
    if points and not m.unit:
        text = tr.gettext("{value} points").format(value=text)
    return text


def _rank(r: Rank | None) -> str | None:
    if r is None:
        return None
    return f"{r.position}/{r.of}" if r.of else str(r.position)


def _score_parts(s: Scores, tr: Translator, points: bool, plan: Document) -> str:
    _ = tr.gettext
    parts = []
    ry, ty = plan.result_year or "", plan.target_year or ""
    if (v := _measure(s.score, tr, points)) is not None:
        parts.append(_("{year} score {value}").format(year=ry, value=v))
    if (v := _measure(s.median, tr, points)) is not None:
        parts.append(_("national median {value}").format(value=v))
    if (v := _rank(s.rank)) is not None:
        parts.append(_("rank {rank}").format(rank=v))
    if (v := _measure(s.target, tr, points)) is not None:
        parts.append(_("{year} target {value}").format(year=ty, value=v))
    if (v := _rank(s.target_rank)) is not None:
        parts.append(_("target rank {rank}").format(rank=v))
    return "; ".join(parts)


def _figure(crit: str, s_: Scores, tr: Translator, points: bool) -> str | None:
    """The figure a comparison is made on: the score, the gap below the median, the rank or the
    planned increase."""
    if crit == "score":
        return _measure(s_.score, tr, points)
    if crit == "rank":
        return _rank(s_.rank)
    other = (
        s_.median if crit == "gap" else s_.target
    )  # "gap": below the median; "increase": up to the target
    score = s_.score
    if (
        other is None or score is None
    ):  # not compared: the engine keeps only the rows with both figures
        return None
    return tr.decimal(other.value - score.value, max(other.decimals, score.decimals)) + (
        score.unit or ""
    )


def _scores(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    plan = ans.plan
    if ans.problem == "unknown_code" and plan is not None:
        return [
            _("There is no indicator {code} in {plan}.").format(
                code=ans.problem_detail, plan=plan_short(plan, tr)
            ),
            _(
                "Scores are known for: the total, component indices 1–4 and the indicators of"
                " {plan}."
            ).format(plan=plan_short(plan, tr)),
        ]
    if ans.problem == "no_score_for_code" and plan is not None:
        name = dict(ans.facts).get("name", "")
        return [
            _(
                "The documents give no {year} result for indicator {code} of the current plan"
                " (“{name}”): {plan} scores only its own indicators, numbered differently."
            ).format(
                year=plan.result_year,
                code=ans.problem_detail,
                name=name,
                plan=plan_short(plan, tr),
            ),
            _("Ask for the component's score (e.g. “điểm CSTP 2”) or the indicator by name."),
            sources_line(ans.sources, tr),
        ]
    if ans.problem_detail == "passage":  # a rank a document states in passing, quoted
        return document_lines(ans, tr, doc_label, sources_line)
    if ans.problem or plan is None:
        return [_("The knowledge base has no PGI scores for that.")]
    if ans.criterion and ans.criterion.startswith("calc:"):
        from bot.core.render_compute import compute_lines

        return [
            *compute_lines(
                ans, tr, lambda m, points: _measure(m, tr, points), plan_short(plan, tr)
            ),
            sources_line(ans.sources, tr),
        ]
    lines = []
    if ans.best and ans.criterion:
        crit, way, scope = ans.criterion.split(":")
        what = {
            "score": _("by the {year} score"),
            "gap": _("by how far the {year} score is below the national median"),
            "rank": _("by the {year} rank"),
            "increase": _("by the planned increase from {year} to the target"),
        }[crit]
        for view in ans.best:
            figure = _figure(crit, view.scores, tr, scope == "components")
            label = (
                _("component index {code} “{name}”")
                if "." not in view.label
                else _("indicator {code} (plan 86) “{name}”")
            ).format(code=view.label, name=short(view.name, 70))
            key = {("rank", "max"): _("best"), ("rank", "min"): _("worst")}.get(
                (crit, way), _("highest") if way == "max" else _("lowest")
            )
            lines.append(
                _("Answer ({what}, {key}): {label} — {figure}.").format(
                    what=what.format(year=plan.result_year), key=key, label=label, figure=figure
                )
            )
        lines.append(_("The whole table:"))
    lines.append(
        _("PGI {year} results and {target} targets of Lạng Sơn:").format(
            year=plan.result_year, target=plan.target_year
        )
    )
    for view in ans.scores:
        if view.label == "total":
            label = _("Total PGI")
            points = True
        elif "." in view.label:
            comp, item = view.label.split(".", 1)
            label = _("{plan}, component {component}, item {item} “{name}”").format(
                plan=plan_short(plan, tr), component=comp, item=item, name=short(view.name, 70)
            )
            points = False
        else:
            label = _("Component index {code} “{name}”").format(code=view.label, name=view.name)
            points = True
        lines.append(f"• {label}: {_score_parts(view.scores, tr, points, plan)}")
    lines.append(sources_line(ans.sources, tr))
    return lines


def _deadline_line(v: DeadlineView, tr: Translator) -> str:
    _ = tr.gettext
    if v.days > 0:
        status = tr.ngettext("{n} day left", "{n} days left", v.days).format(n=v.days)
    elif v.days == 0:
        status = _("due today")
    else:
        status = tr.ngettext("passed {n} day ago", "passed {n} days ago", -v.days).format(
            n=-v.days
        )
    return f"• {fmt_date(tr, v.deadline.date)} — {v.deadline.title} ({status})"


def _audience(v: DeadlineView, agencies: dict[str, Agency]) -> str:
    """Who a deadline is for, under today's names (a 2024 deadline of Sở TN&MT is Sở NN&MT's
    now)."""
    names: list[str] = []
    for a in v.deadline.audience:
        agency = agencies.get(a.agency_id)
        name = current_name(agency, agencies) if agency is not None else a.written
        if name not in names:
            names.append(name)
    return "; ".join(names[:4]) + ("…" if len(names) > 4 else "")


def _past_line(v: DeadlineView, tr: Translator) -> str:
    return "• " + tr.gettext("{date} — {title} (passed)").format(
        date=fmt_date(tr, v.deadline.date), title=short(v.deadline.title, 110)
    )


def _deadlines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    lines = _name_notes(ans, tr)
    if ans.agency is not None and ans.deadlines_filtered:
        lines.append(_("Deadlines for {agency}:").format(agency=ans.agency.name))
    else:
        lines.append(_("Deadlines in the plan documents:"))
    if not ans.deadlines:
        lines.append(_("No deadline in the knowledge base matches that."))
    upcoming = [v for v in ans.deadlines if v.status == "upcoming"]
    past = [v for v in ans.deadlines if v.status == "past"]
    folded = len(past) if (upcoming or ans.fold_past) and not ans.show_past else 0
    summarised = past if not folded and not ans.show_past else []  # past ones in one line each
    shown = (upcoming if folded or summarised else upcoming + past)[:MAX_DEADLINES]
    if (folded or summarised) and not upcoming:
        lines.append(_("No upcoming deadline."))
    for v in shown:
        lines.append(_deadline_line(v, tr))
        audience = _audience(v, agencies)
        source = (
            _("added by the focal department")
            if v.document.kind == "chat"
            else (plan_short(v.document, tr) if v.document.number else short(v.document.title, 80))
        )
        lines.append(
            "  "
            + (
                _("For: {audience} — {document}").format(audience=audience, document=source)
                if audience
                else source
            )
        )
    if summarised:
        lines.append(
            tr.ngettext(
                "{n} deadline has passed:", "{n} deadlines have passed:", len(past)
            ).format(n=len(past))
        )
        lines.extend(_past_line(v, tr) for v in past[:MAX_DEADLINES])
    if folded:
        lines.append(
            tr.ngettext(
                "{n} deadline has passed; ask “hạn đã qua” or send /hanchot cu to see it.",
                "{n} deadlines have passed; ask “hạn đã qua” or send /hanchot cu to see them.",
                folded,
            ).format(n=folded)
        )
    elif len(ans.deadlines) > len(shown) + min(len(summarised), MAX_DEADLINES):
        lines.append(
            _("…and {n} more.").format(
                n=len(ans.deadlines) - len(shown) - min(len(summarised), MAX_DEADLINES)
            )
        )
    if (
        ans.deadlines
        and all(v.status == "past" for v in ans.deadlines)
        and not folded
        and not summarised
    ):
        lines.append(_("All of these deadlines have passed."))
    for plan in ans.undated_plans:
        lines.append(
            _(
                "The documents I have give no deadline for the current {plan}; ask the focal"
                " department (Sở Nông nghiệp và Môi trường)."
            ).format(plan=plan_short(plan, tr))
        )
    lines.append(sources_line(ans.sources, tr))
    return lines


def _former_level(agencies: dict[str, Agency]) -> tuple[Agency | None, frozenset[str]]:
    """The abolished district level's group, and the folded names the 2024 plan wrote it under."""
    from kb.normalize import normalize

    for a in agencies.values():
        if a.is_group and a.succeeded_by and DISTRICT in a.member_types:
            return a, frozenset(normalize(n) for n in (a.name, *a.aliases))
    return None, frozenset()


def _task_lines(views, tr: Translator, tails: bool) -> list[str]:
    _ = tr.gettext
    lines: list[str] = []
    last = None
    for view in views:
        header = (
            _("Component index {code} “{name}”:").format(
                code=view.component.code, name=view.component.name
            )
            if view.component is not None
            else _("Organisation of implementation (section III):")
        )
        if header != last:
            lines.append(header)
            last = header
        tail = ""
        if tails and view.via is not None:
            tail = " " + _("(as one of “{group}”)").format(
                group=view.written[0] if view.written else view.via.name
            )
        elif tails and view.written:
            tail = " " + _("(assigned to {old})").format(old=", ".join(view.written))
        for i, task in enumerate(view.tasks):
            lines.append(f"• {' '.join(task.split())}" + (tail if i == 0 else ""))
    return lines


def _tasks(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    doc = ans.plan
    if doc is None:
        return [_("The knowledge base has no task plan.")]
    if ans.problem == "need_agency_for_tasks":
        return _purpose(ans, tr)
    if ans.agency is None and ans.matches:
        from bot.core.render_more import task_matches

        return [*task_matches(ans, tr, short(doc.title, 120)), sources_line([doc], tr)]
    assert ans.agency is not None
    lines = _name_notes(ans, tr)
    lines.append(
        _("Tasks of {agency} in {document}:").format(
            agency=ans.agency.name, document=short(doc.title, 120)
        )
    )
    if not ans.tasks:
        lines.append(
            _("{agency} has no task of its own in this plan.").format(agency=ans.agency.name)
        )
    from kb.normalize import normalize

    former, names = _former_level(agencies)
    inherited = [
        v
        for v in ans.tasks
        if former is not None and any(normalize(w) in names for w in v.written)
    ]
    lines.extend(_task_lines([v for v in ans.tasks if v not in inherited], tr, True))
    if inherited and former is not None:
        lines.append(
            _(
                "Inherited from the former district level: the plan assigned these to “{group}”,"
                " which stopped operating in {since}; they now fall to the communes and wards."
            ).format(group=former.name, since=since_text(former, tr))
        )
        lines.extend(_task_lines(inherited, tr, False))
    lines.append(sources_line([doc], tr))
    return lines


def _purpose(ans: Answer, tr: Translator) -> list[str]:
    _ = tr.gettext
    doc = ans.plan
    assert doc is not None
    lines = [_("{document} — purpose:").format(document=doc.title)]
    lines.extend(f"• {short(p, TASK_WIDTH)}" for p in ans.purpose)
    for comp in ans.goals:
        lines.append(
            _("Component index {code} “{name}”:").format(code=comp.code, name=comp.name)
            + f" {comp.goal}"
        )
    lines.append(_("Ask for an agency's tasks, e.g. “Sở Xây dựng có nhiệm vụ gì?”."))
    lines.append(sources_line([doc], tr))
    return lines


def _data_requests(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    doc = ans.plan
    if doc is None:
        return [_("The knowledge base has no data request.")]
    lines = _name_notes(ans, tr)
    if ans.matches and ans.agency is None:
        lines.append(_("Asked for in {document}:").format(document=short(doc.title, 120)))
        for names, item in ans.matches:
            lines.append(
                "• " + _("{item} — to be provided by {agencies}").format(item=item, agencies=names)
            )
    elif ans.problem == "need_agency_for_data":
        lines.append(
            _(
                "{document}: ask with your agency's name to see the data it must provide, e.g. “Sở"
                " Xây dựng cần cung cấp số liệu gì?”."
            ).format(document=doc.title)
        )
    else:
        assert ans.agency is not None
        lines.append(
            _("Data {agency} was asked to provide ({document}):").format(
                agency=ans.agency.name, document=short(doc.title, 120)
            )
        )
        if not ans.data:
            lines.append(
                _("{agency} was not asked for data in this letter.").format(agency=ans.agency.name)
            )
        for view in ans.data:
            if view.via is not None or view.written:
                lines.append(_("Asked of {names}:").format(names=", ".join(view.written)))
            for data_item in view.items:
                form = ", ".join(x for x in (data_item.form, data_item.index) if x)
                lines.append(f"• {short(data_item.text, 200)}" + (f" — {form}" if form else ""))
    for v in ans.deadlines:
        lines.append(_("Deadline: {line}").format(line=_deadline_line(v, tr)[2:]))
    if ans.contact is not None:
        lines.append(
            _("Contact: {phone} ({unit})").format(phone=ans.contact.phone, unit=ans.contact.unit)
        )
    lines.append(sources_line([doc], tr))
    return lines


def examples(tr: Translator) -> list[str]:
    _ = tr.gettext
    return [
        _("• “Sở Xây dựng chủ trì chỉ số nào?” — an agency's indicators"),
        _("• “Ai chủ trì chỉ số 1.5?” — who leads or coordinates an indicator"),
        _("• “Hạn nộp báo cáo khi nào?” — deadlines"),
        _("• “Điểm PGI 2023 của tỉnh?” — scores and targets"),
        _("• “Sở Công Thương có nhiệm vụ gì?” — tasks in the plan"),
        _("• “Sở Y tế cần cung cấp số liệu gì?” — data requests"),
    ]


def _help(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    return [
        _(
            "I answer questions about Lạng Sơn's plans to improve the Provincial Green Index"
            " (PGI), from the plan documents. You can ask, even without diacritics:"
        ),
        *examples(tr),
    ]


def _not_held(ans: Answer, tr: Translator) -> list[str]:
    _ = tr.gettext
    what = ans.problem_detail
    detail = dict(ans.facts).get("detail", "")
    if what == "year":
        lines = [_("The documents hold no PGI results for {year}.").format(year=detail)]
    elif what == "other_province":
        lines = [
            _(
                "The documents hold no PGI figures for other provinces ({name}); they give only"
                " Lạng Sơn's own results, rank and the national median."
            ).format(name=detail or _("any other province"))
        ]
    elif what == "other_province_plan":
        lines = [
            _(
                "The documents are Lạng Sơn's own plans: they hold no plan, assignment or result"
                " of another province ({name})."
            ).format(name=detail)
        ]
    elif what == "agency_score":
        lines = [
            _(
                "PGI scores belong to the province, not to {agency}; the documents hold no score"
                " of an agency."
            ).format(agency=detail)
        ]
    else:
        lines = [_("The documents name no person, phone number or address for that.")]
        if ans.contact is not None:
            lines.append(
                _(
                    "The only contact they give is for the 2022 environmental-protection data"
                    " request: {phone} ({unit})."
                ).format(phone=ans.contact.phone, unit=ans.contact.unit)
            )
        return lines
    plan = ans.plan
    if plan is not None and ans.scores:
        s = ans.scores[0].scores
        lines.append(
            _(
                "What they hold: Lạng Sơn's {year} results and {target} targets — total PGI"
                " {year}: {score}, rank {rank}; {target} target: {goal}, target rank {trank}."
            ).format(
                year=plan.result_year,
                target=plan.target_year,
                score=_measure(s.score, tr, True),
                rank=_rank(s.rank),
                goal=_measure(s.target, tr, True),
                trank=_rank(s.target_rank),
            )
        )
        lines.append(sources_line(ans.sources, tr))
    return lines


def _documents(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    return document_lines(ans, tr, doc_label, sources_line)


def _clarify(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    """The question only: the candidates travel as the reply's choices, drawn once by each
    channel."""
    _ = tr.gettext
    if ans.problem == "partial":
        from bot.core.render_partial import partial_lines

        return partial_lines(ans, tr, lambda inner: render(inner, tr, agencies))
    if ans.problem == "unknown_place":
        return [
            _(
                "Lạng Sơn has no commune or ward called “{name}” since 1/7/2025 (65 communes and"
                " wards). Which one do you mean? Write its current name."
            ).format(name=ans.problem_detail)
        ]
    if ans.problem in ("unlisted_or_registered", "did_you_mean"):
        return [_("Which body do you mean? I will not answer for another agency without asking.")]
    return [_("Which one do you mean?")]


def _unknown(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    if ans.problem == "unknown_code" and ans.plan is not None:
        return [
            _("There is no indicator {code} in {plan}.").format(
                code=ans.problem_detail, plan=plan_short(ans.plan, tr)
            ),
            _("Its indicators are numbered {ranges}.").format(ranges=ranges_text(ans)),
        ]
    if ans.problem == "unknown_component" and ans.plan is not None:
        return [
            _("There is no component index {code} in {plan}.").format(
                code=ans.problem_detail, plan=plan_short(ans.plan, tr)
            ),
            _("Its indicators are numbered {ranges}.").format(ranges=ranges_text(ans)),
        ]
    from bot.core.render_more import more_lines

    more = more_lines(
        ans, tr, lambda: _scores(ans, tr, agencies), lambda: _documents(ans, tr, agencies)
    )
    if more:
        return more
    if ans.problem == "not_held":
        return _not_held(ans, tr)
    if ans.problem == "need_agency":
        return [
            _(
                "Which agency do you mean? Ask with its name, e.g. “Sở Xây dựng chủ trì chỉ số"
                " nào?”, or sign up with /dangky so I know your agency."
            )
        ]
    return [
        _("I can't answer that from the plan documents I have. I can tell you:"),
        *examples(tr),
    ]


def ranges_text(ans: Answer) -> str:
    """ "1.1–1.15, 2.1–2.11, …": the first and last code of each component index."""
    by_component: dict[str, list[str]] = {}
    for code in ans.valid_codes:
        by_component.setdefault(code.split(".")[0], []).append(code)
    return ", ".join(
        f"{codes[0]}–{codes[-1]}" if len(codes) > 1 else codes[0]
        for codes in by_component.values()
    )


_RENDERERS = {
    "agency_indicators": _agency_indicators,
    "indicator_agencies": _indicator_agencies,
    "scores": _scores,
    "deadlines": _deadlines,
    "tasks": _tasks,
    "data_requests": _data_requests,
    "help": _help,
    "clarify": _clarify,
    "unknown": _unknown,
    "documents": _documents,
}


def indicator_json(ind: Indicator, agencies: dict[str, Agency]) -> dict:
    def names(cell: tuple[Assignment, ...], skip: frozenset[str] = frozenset()) -> list[str]:
        out: list[str] = []
        for a in cell:
            if a.agency_id in skip:
                continue
            agency = agencies.get(a.agency_id)
            name = current_name(agency, agencies) if agency else a.written
            if name not in out:
                out.append(name)
        return out

    leads = frozenset(a.agency_id for a in ind.lead)
    return {
        "code": ind.code,
        "name": ind.name,
        "lead": names(ind.lead),
        "coordinate": names(ind.coordinate, leads),
    }


def choices_of(ans: Answer) -> list[Choice]:
    """The answer's clarifying choices, as every channel draws them (once, under the text)."""
    return [
        Choice(short(c.label, MAX_CHOICE_LABEL), f"pick:{i}") for i, c in enumerate(ans.choices)
    ]


def to_json(ans: Answer, text: str, agencies: dict[str, Agency]) -> dict:
    """The ``ask --json`` contract (see ../shared/eval/score.py)."""
    agency = None
    if ans.agency is not None:
        agency = (
            ans.named_as.name
            if ans.named_as is not None and ans.named_as.type == "commune"
            else ans.agency.name
        )
    return {
        "intent": ans.intent,
        "agency": agency,
        "indicators": (
            [
                {
                    "code": r.indicator.code,
                    "role": r.role,
                    "via": r.via.name if r.via is not None else None,
                }
                for r in ans.roles
            ]
            if ans.intent == "agency_indicators"
            else []
        ),
        "indicator": (
            indicator_json(ans.indicator, agencies) if ans.indicator is not None else None
        ),
        "deadlines": [
            {"date": v.deadline.date.isoformat(), "title": v.deadline.title, "status": v.status}
            for v in ans.deadlines
        ],
        "text": numbered(text, choices_of(ans)),  # as a channel without buttons shows it
        "understood": _understood_json(ans),
    }


def _understood_json(ans: Answer) -> dict | None:
    """For a question understood in part: what the answer given is about, and the words not
    understood."""
    inner = ans.understood
    if ans.problem != "partial" or inner is None:
        return None
    return {
        "intent": inner.intent,
        "indicator": inner.indicator.code if inner.indicator else None,
        "agency": inner.agency.name if inner.agency else None,
        "not_understood": ans.leftover,
    }
