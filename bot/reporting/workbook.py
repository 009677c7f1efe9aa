"""The consolidated report as an Excel workbook (openpyxl): a summary sheet, one sheet per
component index, the deadlines with their reminders, the open requests for explanation, and the
sources.

Headers in the reader's language (Vietnamese for the province), dates as real dates shown
dd/mm/yyyy, the header row frozen, filters on, widths set, every sheet printable on A4 landscape.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.app.i18n import Translator
from bot.core.audience import Audience
from bot.core.render.formatting import doc_label
from bot.core.render.roles import _names
from bot.reporting.report import ReportData, status_label, status_rule_text
from bot.reporting.status import HEX, ORDER, Tally

DATE_FORMAT = "DD/MM/YYYY"
HEADER_FILL = PatternFill("solid", fgColor="FFDCE6F1")
WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(
    wb: Workbook, title: str, headers: list[tuple[str, int]], first: bool = False
) -> Worksheet:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    ws.append([h for h, _ in headers])
    for i, (_, width) in enumerate(headers, 1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    return ws


def _finish(ws: Worksheet) -> None:
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{max(ws.max_row, 1)}"
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = DATE_FORMAT
            cell.alignment = WRAP


def _paint(cell, status: str) -> None:
    cell.fill = PatternFill("solid", fgColor="FF" + HEX[status])


def _tally_row(kind: str, name: str, t: Tally) -> list:
    return [
        kind,
        name,
        t.held,
        t.reported,
        t.confirmed,
        t.count("at_risk"),
        t.count("overdue"),
        t.count("done"),
        t.count("not_reported"),
        t.open_requests,
    ]


def write_workbook(tr: Translator, data: ReportData, path: Path | str, tz: ZoneInfo) -> Path:
    _ = tr.gettext
    board = data.board
    wb = Workbook()
    wb.properties.title = _("PGI progress report — plan {plan}, as of {date}").format(
        plan=board.plan.number or board.plan.title, date=tr.date(board.today)
    )

    ws = _sheet(
        wb,
        _("Summary"),
        [
            (_("Level"), 18),
            (_("Name"), 48),
            (_("Indicators held"), 12),
            (_("Reported"), 12),
            (_("Confirmed"), 12),
            (_("At risk"), 12),
            (_("Overdue"), 12),
            (_("Done (confirmed)"), 12),
            (_("Not reported"), 12),
            (_("Open requests for explanation"), 14),
            (_("Signed up"), 16),
        ],
        first=True,
    )
    ws.append(_tally_row(_("Province"), _("All agencies"), board.tally()))
    for comp, t in board.by_component():
        ws.append(_tally_row(_("Component index"), f"{comp.code}. {comp.name}", t))
    for agency, t in board.by_agency():
        registered = board.is_registered(agency)
        ws.append(
            [
                *_tally_row(_("Agency"), agency.name, t),
                _("yes") if registered else _("no one registered yet"),
            ]
        )
        if not registered:
            ws.cell(row=ws.max_row, column=11).font = Font(italic=True, color="FF8A8A8A")
    _finish(ws)

    for comp in board.components:
        ws = _sheet(
            wb,
            _("CSTP {code}").format(code=comp.code),
            [
                (_("Code"), 7),
                (_("Indicator"), 40),
                (_("Lead agencies"), 30),
                (_("Coordinating agencies"), 30),
                (_("Confirmed progress (%)"), 11),
                (_("Confirmed update of"), 12),
                (_("Reported by"), 22),
                (_("Note"), 30),
                (_("Status"), 14),
                (_("Agencies by status"), 26),
                (_("Evidence files"), 10),
                (_("Open requests for explanation"), 12),
                (_("Source"), 16),
            ],
        )
        for row in board.rows(comp.code):
            ind = row.indicator
            latest = (
                row.latest.facts.confirmed
                if row.latest is not None and row.latest.facts is not None
                else None
            )
            spread = "; ".join(
                f"{status_label(tr, s)} {n}"
                for s in ORDER
                if (n := sum(1 for p in row.pairs if p.status == s))
            )
            ws.append(
                [
                    ind.code,
                    ind.name,
                    _names(ind.lead, data.agencies, tr),
                    _names(ind.coordinate, data.agencies, tr),
                    latest.percent if latest else None,
                    latest.created_at.astimezone(tz).date() if latest else None,
                    row.latest.agency.name if latest and row.latest else None,
                    latest.note if latest else None,
                    status_label(tr, row.status),
                    spread,
                    row.evidence,
                    row.open_requests,
                    ind.source,
                ]
            )
            _paint(ws.cell(row=ws.max_row, column=9), row.status)
        _finish(ws)

    ws = _sheet(
        wb,
        _("Deadlines"),
        [
            (_("Due"), 12),
            (_("Deadline"), 60),
            (_("For"), 36),
            (_("Origin"), 22),
            (_("Reminders sent"), 12),
            (_("Agencies that acknowledged"), 14),
        ],
    )
    for item in sorted(board.deadlines, key=lambda d: d.due):
        origin = data.deadline_sources.get(item.key) or _("Added in chat")
        ws.append(
            [
                item.due,
                item.title,
                Audience(item.audience.spec).describe(tr),
                origin,
                data.reminders_sent.get(item.key, 0),
                len(data.acknowledged.get(item.key, ())),
            ]
        )
    _finish(ws)

    ws = _sheet(
        wb,
        _("Explanations"),
        [
            (_("Due"), 12),
            (_("Agency"), 36),
            (_("Code"), 8),
            (_("Request"), 60),
            (_("Requested on"), 12),
        ],
    )
    for q in data.requests:
        ws.append(
            [
                q.due_date,
                q.agency_name,
                q.indicator_code,
                q.text,
                q.requested_at.astimezone(tz).date(),
            ]
        )
    _finish(ws)

    ws = _sheet(
        wb,
        _("Extensions"),
        [
            (_("Agency"), 36),
            (_("Deadline"), 50),
            (_("Due before"), 12),
            (_("Asked for"), 12),
            (_("Reason"), 40),
            (_("Decision"), 14),
            (_("Reason of the refusal"), 30),
            (_("Requested on"), 12),
        ],
    )
    decisions = {"pending": _("pending"), "approved": _("approved"), "refused": _("refused")}
    for x in data.extensions:
        ws.append(
            [
                x.agency_name,
                x.title,
                x.old_date,
                x.new_date,
                x.reason,
                decisions.get(x.status, x.status),
                x.decision_reason or "",
                x.requested_at.astimezone(tz).date(),
            ]
        )
    _finish(ws)

    ws = _sheet(wb, _("Sources"), [(_("Item"), 30), (_("Value"), 100)])
    rules = board.rules
    ws.append([_("Report as of"), board.today])
    for d in data.documents:
        ws.append([_("Source"), doc_label(d, tr)])
    ws.append([_("Status rule"), status_rule_text(tr, rules)])
    _finish(ws)

    path = Path(path)
    wb.save(path)
    return path
