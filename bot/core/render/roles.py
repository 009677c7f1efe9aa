"""Who does what: an agency's indicators, the lead and coordinating agencies of an indicator, the
indicators of a component index."""

from __future__ import annotations

from bot.app.i18n import Translator
from bot.core.render.formatting import (
    NAME_WIDTH,
    current_name,
    name_notes,
    plan_short,
    short,
    sources_line,
)
from kb.ask.answers import BOTH, COORDINATE, LEAD, Answer, Role
from kb.model import Agency, Assignment


def _indicator_line(role: Role, tr: Translator) -> str:
    ind = role.indicator
    extra = []
    if role.scope:
        extra.append(role.scope)
    if role.written:
        extra.append(tr.gettext("as {name}").format(name=role.written))
    tail = f" ({'; '.join(extra)})" if extra else ""
    return f"• {ind.code} {short(ind.name, NAME_WIDTH)}{tail}"


def agency_indicator_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    assert ans.agency is not None and ans.plan is not None
    name = (
        ans.named_as.name
        if ans.named_as is not None and ans.named_as.type == "commune"
        else ans.agency.name
    )
    lines = name_notes(ans, tr)
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


def indicator_agency_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    if ans.component is not None:
        return component_lines(ans, tr, agencies)
    if ans.criterion is not None and ans.criterion.startswith("agencies:"):
        return role_count_lines(ans, tr, agencies)
    ind = ans.indicator
    assert ind is not None and ans.plan is not None
    lines = [
        _("Indicator {code}: {name}").format(code=ind.code, name=ind.name),
        _("Component index {code}").format(code=ind.component) + f" — {plan_short(ans.plan, tr)}",
    ]
    lines.extend(name_notes(ans, tr))
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
    lines.extend(_counts(ans, tr, agencies))
    if ind.note:
        lines.append(_("Note: {note}").format(note=ind.note))
    if ans.matches:
        lines.append(_("Tasks on this subject in the 2024 plan:"))
        lines.extend(f"• {names}: {' '.join(task.split())}" for names, task in ans.matches)
    lines.append(sources_line(ans.sources, tr))
    return lines


def _counts(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    """How many agencies lead and coordinate, when the question asked how many; a group ("UBND
    các xã, phường") is one entry of its cell, said so."""
    ind = ans.indicator
    assert ind is not None
    leads = {a.agency_id for a in ind.lead}
    coordinators = {a.agency_id for a in ind.coordinate} - leads

    def grouped(ids: set[str]) -> bool:
        return any(agencies[i].is_group for i in ids if i in agencies)

    out = []
    if ans.count is not None:
        n = ans.count
        out.append(
            tr.gettext("{n} agencies or groups lead it.").format(n=n)
            if grouped(leads)
            else tr.ngettext("{n} agency leads it.", "{n} agencies lead it.", n).format(n=n)
        )
    if ans.count_coordinate is not None:
        n = ans.count_coordinate
        out.append(
            tr.gettext("{n} agencies or groups coordinate it.").format(n=n)
            if grouped(coordinators)
            else tr.ngettext(
                "{n} agency coordinates it.", "{n} agencies coordinate it.", n
            ).format(n=n)
        )
    return out


def component_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
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


def role_count_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    """The indicators whose number of lead (or coordinating) agencies the question asked for,
    each with that number and the agencies."""
    _ = tr.gettext
    assert ans.plan is not None and ans.criterion is not None
    coordinate = ans.role == COORDINATE
    if ":agency:" in ans.criterion:
        return _per_agency_lines(ans, tr)
    head = (
        _("Indicators of {plan} by their number of coordinating agencies:")
        if coordinate
        else _("Indicators of {plan} by their number of lead agencies:")
    )
    lines = [head.format(plan=plan_short(ans.plan, tr))]
    for ind in ans.component_indicators:
        cell = ind.coordinate if coordinate else ind.lead
        n = len({a.agency_id for a in cell})
        lines.append(f"• {ind.code} {short(ind.name, 70)} — {n}: {_names(cell, agencies, tr)}")
    if not ans.component_indicators:
        lines.append(_("No indicator of the plan has that many."))
    lines.append(sources_line(ans.sources, tr))
    return lines


def _per_agency_lines(ans: Answer, tr: Translator) -> list[str]:
    """The agencies holding the most (or fewest) indicators of the plan in the role asked."""
    _ = tr.gettext
    assert ans.plan is not None and ans.criterion is not None
    fewest = ans.criterion.endswith(":min")
    if ans.role == COORDINATE:
        head = (
            _("Agencies coordinating the fewest indicators of {plan} ({n} indicators):")
            if fewest
            else _("Agencies coordinating the most indicators of {plan} ({n} indicators):")
        )
    else:
        head = (
            _("Agencies leading the fewest indicators of {plan} ({n} indicators):")
            if fewest
            else _("Agencies leading the most indicators of {plan} ({n} indicators):")
        )
    lines = [head.format(plan=plan_short(ans.plan, tr), n=len(ans.component_indicators))]
    for agency, n in ans.agency_counts:
        lines.append(
            "• "
            + tr.ngettext("{agency}: {n} indicator", "{agency}: {n} indicators", n).format(
                agency=agency.name, n=n
            )
        )
    if not ans.agency_counts:
        lines.append(_("No indicator of the plan has that many."))
    lines.append(sources_line(ans.sources, tr))
    return lines
