"""Data requests: what an agency was asked to provide, by when, and whom to contact."""

from __future__ import annotations

from bot.app.i18n import Translator
from bot.core.render.deadlines import deadline_line
from bot.core.render.formatting import name_notes, short, sources_line
from kb.ask.answers import Answer
from kb.model import Agency


def data_request_lines(ans: Answer, tr: Translator, agencies: dict[str, Agency]) -> list[str]:
    _ = tr.gettext
    doc = ans.plan
    if doc is None:
        return [_("The knowledge base has no data request.")]
    lines = name_notes(ans, tr)
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
        lines.append(_("Deadline: {line}").format(line=deadline_line(v, tr)[2:]))
    if ans.contact is not None:
        lines.append(
            _("Contact: {phone} ({unit})").format(phone=ans.contact.phone, unit=ans.contact.unit)
        )
    lines.append(sources_line([doc], tr))
    return lines
