"""Replies about the documents themselves: which plan is current, who issued and signed it, what
it holds."""

from __future__ import annotations

import re

from bot.app.i18n import Translator
from bot.core.render.formatting import doc_label, sources_line
from kb.ask.answers import Answer


def _current(ans: Answer, tr: Translator) -> list[str]:
    _ = tr.gettext
    docs = ans.sources
    plan = next((d for d in docs if d.current), docs[0] if docs else None)
    if plan is None:
        return []
    return [
        _("The current plan is {document}.").format(document=doc_label(plan, tr)),
        _(
            "It assigns the lead and coordinating agencies of each indicator; the"
            " documents give no deadlines for it."
        ),
    ]


def _issued(ans: Answer, tr: Translator, signed: bool) -> list[str]:
    _ = tr.gettext
    lines = []
    for d in ans.sources:
        when = tr.date(d.date) if d.date else (d.date_note or _("date not given"))
        # a note that quotes the number line ("Số: …/STNMT-BVMT") under the reply's own "số"
        number = d.number or re.sub(r"^\s*số\s*:?\s*", "", d.number_note or "", flags=re.I)
        number = number or _("number not given")
        lines.append(
            _("{title}: number {number}, issued {when} by {issuer}.").format(
                title=d.title, number=number, when=when, issuer=d.issuer
            )
        )
        now = ans.issuers_now.get(d.id)
        if now is not None:
            lines.append("  " + _("That body is now {agency}.").format(agency=now.name))
        if signed:
            lines.append(
                "  "
                + (
                    _("Signed by: {signer}").format(signer=d.signer)
                    if d.signer
                    else _(
                        "The documents I have do not show who signed it (only its appendix is"
                        " held)."
                    )
                )
            )
    return lines


def _count(ans: Answer, tr: Translator) -> list[str]:
    if ans.component is not None:
        return _component_count(ans, tr)
    lines = []
    for d in ans.sources:
        comps = [c for c in ans_components(ans, d.id)]
        n = sum(1 for i in ans_indicators(ans, d.id))
        if not comps:
            continue
        lines.append(
            tr.ngettext(
                "{document}: {c} component index, {n} indicators:",
                "{document}: {c} component indices, {n} indicators:",
                len(comps),
            ).format(document=doc_label(d, tr), c=len(comps), n=n)
        )
        for c, k in comps:
            lines.append(
                "• "
                + tr.ngettext(
                    "Component index {code} “{name}” ({n} indicator)",
                    "Component index {code} “{name}” ({n} indicators)",
                    k,
                ).format(code=c.code, name=c.name, n=k)
            )
    return lines


def _component_count(ans: Answer, tr: Translator) -> list[str]:
    """How many indicators one component index has, and which."""
    comp = ans.component
    assert comp is not None
    doc = next((d for d in ans.sources if d.id == comp.plan_id), None)
    inds = [i for i in ans_indicators(ans, comp.plan_id) if i.component == comp.code]
    lines = [
        tr.ngettext(
            "{document}, component index {code} “{name}”: {n} indicator:",
            "{document}, component index {code} “{name}”: {n} indicators:",
            len(inds),
        ).format(
            document=doc_label(doc, tr) if doc else "", code=comp.code, name=comp.name, n=len(inds)
        )
    ]
    lines.extend(f"• {i.code} {i.name}" for i in inds)
    return lines


def _quoted(ans: Answer, tr: Translator, kind: str) -> list[str]:
    """What the documents say of the evaluator, of the change of plan or of the focal
    department, in their own words."""
    _ = tr.gettext
    texts = ans_texts(ans)
    lines = []
    for d in ans.sources:
        t = texts.get(d.id, {})
        if kind == "evaluator":
            lines.append(_("As {document} says:").format(document=d.title))
            lines.extend(f"“{x}”" for x in t.get("background", ())[:1])
        elif kind == "change":
            lines.append(_("As {document} says:").format(document=d.title))
            lines.extend(f"“{x}”" for x in t.get("background", ())[:1])
            lines.extend(f"• {x}" for x in t.get("footnotes", ())[:1])
            lines.extend(f"• {g}" for g in ans_goals(ans, d.id))
        else:
            lines.append(
                _(
                    "As {document} says (section III.5), the focal department is Sở Tài nguyên"
                    " và Môi trường, now Sở Nông nghiệp và Môi trường:"
                ).format(document=d.title)
            )
            lines.extend(f"“{x}”" for x in ans_focal(ans, d.id))
    return lines


def _passage(ans: Answer, tr: Translator) -> list[str]:
    lines = [tr.gettext("As {document} says:").format(document=d.title) for d in ans.sources]
    lines.extend(f"“{text}”" for k, text in ans.facts if k == "passage")
    return lines


def _abbreviation(ans: Answer, tr: Translator) -> list[str]:
    facts = dict(ans.facts)
    if "stands_for" not in facts:
        return []
    return [
        tr.gettext("{short} stands for “{full}”.").format(
            short=facts.get("short", ""), full=facts["stands_for"]
        )
    ]


def _years(ans: Answer, tr: Translator) -> list[str]:
    return [
        tr.gettext("{title}: the years {years}.").format(
            title=d.title, years=", ".join(str(y) for y in d.years)
        )
        for d in ans.sources
        if d.years
    ]


def _units(ans: Answer, tr: Translator) -> list[str]:
    facts = dict(ans.facts)
    return [
        tr.gettext(
            "The province has {count} communes and wards: {wards} wards and {communes}"
            " communes (according to {source})."
        ).format(
            count=ans.count,
            wards=facts.get("wards", ""),
            communes=facts.get("communes", ""),
            source=facts.get("places_source", ""),
        )
    ]


def document_lines(ans: Answer, tr: Translator) -> list[str]:
    kind = ans.problem_detail
    lines: list[str] = []
    if kind == "current":
        lines = _current(ans, tr)
    elif kind in ("issued", "signed"):
        lines = _issued(ans, tr, kind == "signed")
    elif kind == "count":
        lines = _count(ans, tr)
    elif kind in ("evaluator", "change", "focal"):
        lines = _quoted(ans, tr, kind)
    elif kind == "passage":
        lines = _passage(ans, tr)
    elif kind == "abbreviation":
        lines = _abbreviation(ans, tr)
    elif kind == "years":
        lines = _years(ans, tr)
    elif kind == "units":
        lines = _units(ans, tr)
    if not lines:
        lines.append(tr.gettext("The documents I have do not say that."))
    lines.append(sources_line(ans.sources, tr))
    return lines


# The engine puts the documents' own text on the answer through its index; these read it back.
def _kb(ans: Answer):
    return getattr(ans, "kb", None)


def ans_components(ans: Answer, doc_id: str):
    kb = _kb(ans)
    if kb is None:
        return []
    comps = [c for c in kb.components if c.plan_id == doc_id]
    return [
        (c, sum(1 for i in kb.indicators if i.plan_id == doc_id and i.component == c.code))
        for c in comps
    ]


def ans_indicators(ans: Answer, doc_id: str):
    kb = _kb(ans)
    return [i for i in kb.indicators if i.plan_id == doc_id] if kb is not None else []


def ans_texts(ans: Answer):
    kb = _kb(ans)
    return kb.texts if kb is not None else {}


def ans_goals(ans: Answer, doc_id: str):
    kb = _kb(ans)
    return (
        [f"{c.name}: {c.goal}" for c in kb.components if c.plan_id == doc_id and c.goal]
        if kb is not None
        else []
    )


def ans_focal(ans: Answer, doc_id: str):
    kb = _kb(ans)
    if kb is None:
        return []
    return [
        x
        for t in kb.tasks
        if t.doc_id == doc_id and t.section == "III"
        for x in t.tasks
        if "đầu mối" in x
    ]
