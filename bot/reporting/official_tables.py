"""What the tables of the official report hold, from the board and the report's data: the rows of
tables 1–5, in Vietnamese (the document is Vietnamese whatever the reader's chat language).

Agencies in the same situation (late on the same indicators for the same deadlines, at risk on the
same indicators for the same reason) share one row; :mod:`bot.reporting.official` lays them out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from zoneinfo import ZoneInfo

from bot.app.i18n import Translator
from bot.reporting.board import Board, PairStatus, Tally
from bot.reporting.report import ReportData
from bot.reporting.status import BLOCKED, ORDER, STALE
from kb.codes import code_key
from kb.model import COMMUNE, Agency
from storage.tracking.explanations import ExplanationInfo

GroupedRows = dict[tuple[str, str], list[Agency]]  # (codes, last cell) -> the agencies sharing it


def status_cells(t: Tally) -> list[int]:
    return [t.count(s) for s in ORDER]


def codes_of(pairs: list[PairStatus]) -> str:
    return ", ".join(sorted({p.indicator.code for p in pairs}, key=code_key))


def component_rows(board: Board) -> list[list[object]]:
    """Table 1: each component index, then the total (the last row)."""
    t = board.tally()
    rows: list[list[object]] = []
    for i, (comp, ct) in enumerate(board.by_component(), 1):
        rows.append(
            [
                i,
                f"{comp.code}. {comp.name}",
                len(board.rows(comp.code)),
                ct.held,
                *status_cells(ct),
            ]
        )
    rows.append(["", "Tổng cộng", len(board.indicators), t.held, *status_cells(t)])
    return rows


def agency_rows(board: Board) -> tuple[list[list[object]], frozenset[int]]:
    """Table 2: the provincial agencies (A), then the communes and wards (B), each group under
    its subtotal; and the indices of the subtotal rows (shown bold)."""
    groups = [
        (
            "A",
            "Các sở, ban, ngành, đơn vị cấp tỉnh",
            [x for x in board.by_agency() if x[0].type != COMMUNE],
        ),
        ("B", "UBND các xã, phường", [x for x in board.by_agency() if x[0].type == COMMUNE]),
    ]
    rows: list[list[object]] = []
    bold: set[int] = set()
    for letter, label, members in groups:
        if not members:
            continue
        ids = {a.id for a, _ in members}
        sub = Tally.of(p for p in board.pairs if p.agency.id in ids)
        bold.add(len(rows))
        rows.append(
            [letter, f"{label} ({len(members)})", sub.held, *status_cells(sub), sub.open_requests]
        )
        for i, (agency, at) in enumerate(members, 1):
            rows.append([i, agency.name, at.held, *status_cells(at), at.open_requests])
    return rows, frozenset(bold)


def overdue_rows(vi: Translator, late: list[PairStatus]) -> GroupedRows:
    """Table 3: agencies late on the same indicators for the same deadlines share one row."""
    by_agency: dict[str, list[PairStatus]] = defaultdict(list)
    for p in late:
        by_agency[p.agency.id].append(p)
    rows_by: GroupedRows = defaultdict(list)
    for pairs in by_agency.values():
        deadlines = {
            p.verdict.deadline.key: p.verdict.deadline
            for p in pairs
            if p.verdict.deadline is not None
        }
        missed = "\n".join(
            f"{vi.date(x.due)}: {x.title}" for x in sorted(deadlines.values(), key=lambda x: x.due)
        )
        rows_by[(codes_of(pairs), missed)].append(pairs[0].agency)
    return rows_by


def risk_reason(vi: Translator, p: PairStatus, percent: int) -> str:
    v = p.verdict
    if v.reason == BLOCKED:
        return "báo cáo gặp khó khăn, vướng mắc"
    if v.reason == STALE:
        return f"chưa cập nhật tiến độ {v.days_since_report} ngày"
    due = (
        f"sắp đến hạn {vi.date(v.deadline.due)} ({v.deadline.title})"
        if v.deadline is not None
        else "sắp đến hạn"
    )
    if v.days_since_report is None:
        return f"{due}, chưa báo cáo"
    return f"{due}, tiến độ đã xác nhận dưới {percent}%"


def risk_rows(vi: Translator, risky: list[PairStatus], percent: int) -> GroupedRows:
    """Table 4: agencies at risk on the same indicators for the same reason share one row."""
    by_agency: dict[tuple[str, str], list[PairStatus]] = defaultdict(list)
    for p in risky:
        by_agency[(p.agency.id, risk_reason(vi, p, percent))].append(p)
    rows_by: GroupedRows = defaultdict(list)
    for (_, reason), pairs in by_agency.items():
        rows_by[(codes_of(pairs), reason)].append(pairs[0].agency)
    return rows_by


def all_requests(data: ReportData) -> list[ExplanationInfo]:
    """Every request for explanation, answered or not, by due date."""
    return sorted([*data.requests, *data.answered], key=lambda q: (q.due_date, q.id))


def request_rows(
    vi: Translator, requests: list[ExplanationInfo], today: date, tz: ZoneInfo
) -> list[list[object]]:
    """Table 5: each request (:func:`all_requests`) and what became of it."""
    rows: list[list[object]] = []
    for i, q in enumerate(requests, 1):
        if q.answered_at is not None:
            state = (
                f"Đã trả lời ngày {vi.date(q.answered_at.astimezone(tz).date())}: {q.answer or ''}"
            )
        elif q.due_date < today:
            state = f"Chưa trả lời, quá hạn {(today - q.due_date).days} ngày"
        else:
            state = "Chưa trả lời"
        rows.append([i, q.agency_name, q.indicator_code, q.text, vi.date(q.due_date), state])
    return rows
