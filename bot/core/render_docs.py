"""Replies about the documents themselves: which plan is current, who issued and signed it, what
it holds."""

from __future__ import annotations

from bot.app.i18n import Translator
from kb.ask.answers import Answer


def document_lines(ans: Answer, tr: Translator, doc_label, sources_line) -> list[str]:
    _ = tr.gettext
    kind = ans.problem_detail
    docs = ans.sources
    lines: list[str] = []
    if kind == "current":
        plan = next((d for d in docs if d.current), docs[0] if docs else None)
        if plan is not None:
            lines.append(_("The current plan is {document}.").format(document=doc_label(plan, tr)))
            lines.append(
                _(
                    "It assigns the lead and coordinating agencies of each indicator; the"
                    " documents give no deadlines for it."
                )
            )
    elif kind in ("issued", "signed"):
        for d in docs:
            when = tr.date(d.date) if d.date else (d.date_note or _("date not given"))
            number = d.number or (d.number_note or _("number not given"))
            lines.append(
                _("{title}: number {number}, issued {when} by {issuer}.").format(
                    title=d.title, number=number, when=when, issuer=d.issuer
                )
            )
            if kind == "signed":
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
    elif kind == "count":
        for d in docs:
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
    elif kind in ("evaluator", "change", "focal"):
        texts = ans_texts(ans)
        for d in docs:
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
    elif kind == "passage":
        for d in docs:
            lines.append(_("As {document} says:").format(document=d.title))
        lines.extend(f"“{text}”" for k, text in ans.facts if k == "passage")
    if not lines:
        lines.append(_("The documents I have do not say that."))
    lines.append(sources_line(docs, tr))
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
