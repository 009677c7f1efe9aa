"""The consolidated report to UBND tỉnh as an official document: a .docx in the layout of Decree
30/2020/NĐ-CP (``bot/reporting/decree30.py``), with the workbook as its appendix.

Every number comes from the same :class:`~bot.reporting.report.ReportData` as the workbook (the
board of ``status.py``: nothing is counted twice), every name from the knowledge base and the
database. The document is Vietnamese whatever the reader's chat language: it is addressed to a
Vietnamese state body, its fixed parts (national name, motto, "Nơi nhận") are prescribed words, and
its status labels and status rule are the catalog's Vietnamese texts, the workbook's own. The
number, the day and month of issue and the signature are left for the clerk and the signer; the
signer's name appears only when given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from docx.shared import Pt

from bot.app.i18n import Translator
from bot.core.access import FOCAL_AGENCY_ID
from bot.core.render import doc_label
from bot.reporting import decree30 as d30
from bot.reporting import official_tables as tables
from bot.reporting.report import ReportData, status_label, status_rule_text
from bot.reporting.status import (
    AT_RISK,
    DONE,
    NOT_REPORTED,
    ON_TRACK,
    ORDER,
    OVERDUE,
)
from kb.model import COMMUNE, Agency

# "BC" (báo cáo) and the focal department's abbreviation (its alias SNNMT in agencies.yaml)
SYMBOL = "BC-SNNMT"
FOCAL_NAME = (  # used only when the knowledge base lacks the focal agency
    "Sở Nông nghiệp và Môi trường"
)
PROVINCE = "Lạng Sơn"  # the place of issue when the plan's issuer does not name its province
DIRECTOR = ("GIÁM ĐỐC",)
DEPUTY = ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")


@dataclass(frozen=True)
class Signer:
    position: tuple[str, ...] = DIRECTOR
    name: str | None = None  # printed only when known: never made up


def _province(issuer: str) -> str:
    found = re.search(r"tỉnh\s+(.+)$", issuer)
    return found.group(1).strip() if found else PROVINCE


def _full_body_name(name: str) -> str:
    """ "UBND tỉnh Lạng Sơn" -> "Ủy ban nhân dân tỉnh Lạng Sơn" (the addressee is written in
    full)."""
    return re.sub(r"^UBND\b", "Ủy ban nhân dân", name)


class _Writer:
    def __init__(
        self, vi: Translator, data: ReportData, appendix: str, signer: Signer, tz: ZoneInfo
    ):
        self.vi, self.data, self.appendix, self.signer, self.tz = vi, data, appendix, signer, tz
        self.board = data.board
        focal = data.agencies.get(FOCAL_AGENCY_ID)
        self.issuer = focal.name if focal is not None else FOCAL_NAME
        plan = self.board.plan
        self.plan_issuer = plan.issuer
        self.province = _province(plan.issuer)
        self.status_headers = [status_label(vi, s) for s in ORDER]
        self.communes = sum(1 for a in self.board.agencies if a.type == COMMUNE)

    # --- parts ---------------------------------------------------------------------------------
    def subject(self) -> str:
        plan = self.board.plan
        if plan.number and plan.date:
            return (
                f"Tình hình thực hiện Kế hoạch số {plan.number} ngày {self.vi.date(plan.date)} của"
                f" {plan.issuer} về cải thiện, nâng cao Chỉ số xanh cấp tỉnh (PGI)"
            )
        return "Tình hình thực hiện kế hoạch cải thiện, nâng cao Chỉ số xanh cấp tỉnh (PGI)"

    def write(self, path: Path) -> Path:
        vi, board = self.vi, self.board
        doc = d30.new_document(f"Báo cáo {self.subject()}", self.issuer)
        d30.letterhead(
            doc,
            d30.Letterhead(
                parent=(
                    self.plan_issuer
                    if self.plan_issuer.startswith("UBND tỉnh")
                    else f"UBND tỉnh {self.province}"
                ),
                issuer=self.issuer,
                symbol=SYMBOL,
                place=self.province,
                year=board.today.year,
            ),
        )
        d30.title(doc, "Báo cáo", self.subject())
        addressee = _full_body_name(f"UBND tỉnh {self.province}")
        p = d30.para(doc, f"Kính gửi: {addressee}.", space_after=12)
        p.paragraph_format.space_before = Pt(6)
        d30.body(
            doc,
            f"Thực hiện {doc_label(board.plan, vi)}, {self.issuer} (cơ quan đầu mối theo dõi, tổng"
            f" hợp) báo cáo tình hình thực hiện tính đến ngày {vi.date(board.today)} như sau:",
        )
        self.general(doc)
        self.agencies(doc)
        self.overdue(doc)
        self.at_risk(doc)
        self.explanations(doc)
        closing = d30.body(
            doc,
            f"Trên đây là báo cáo tình hình thực hiện của {self.issuer}, kính báo cáo {addressee}"
            " xem xét, chỉ đạo./.",
        )
        closing.paragraph_format.keep_with_next = (
            True  # the signature never stands alone on a page
        )
        d30.signature(doc, ["Như trên", "Lưu: VT"], self.signer.position, self.signer.name)
        path = Path(path)
        doc.save(str(path))
        return path

    def general(self, doc) -> None:
        vi, board = self.vi, self.board
        t = board.tally()
        d30.heading(doc, "I. TÌNH HÌNH CHUNG")
        d30.body(
            doc,
            f"Kế hoạch có {len(board.components)} chỉ số thành phần với {len(board.indicators)}"
            f" chỉ số; {len(board.agencies)} cơ quan, đơn vị được giao chủ trì hoặc phối hợp, tổng"
            f" cộng {t.held} lượt (không tính các vai trò chỉ được giao qua nhóm chung như “Các"
            " Sở, ban, ngành liên quan”).",
        )
        d30.body(
            doc,
            f"Đến ngày {vi.date(board.today)}: {t.reported} lượt đã báo cáo tiến độ, {t.confirmed}"
            f" lượt đã được cơ quan đầu mối xác nhận; {t.count(DONE)} lượt hoàn thành,"
            f" {t.count(ON_TRACK)} lượt đúng tiến độ, {t.count(NOT_REPORTED)} lượt chưa báo cáo,"
            f" {t.count(AT_RISK)} lượt có nguy cơ chậm, {t.count(OVERDUE)} lượt quá hạn;"
            f" {t.open_requests} yêu cầu giải trình chưa được trả lời.",
        )
        d30.caption(doc, "Bảng 1. Tổng hợp theo chỉ số thành phần")
        rows = tables.component_rows(board)
        d30.data_table(
            doc,
            ["STT", "Chỉ số thành phần", "Số chỉ số", "Số lượt giao", *self.status_headers],
            rows,
            [1.1, 4.4, 1.3, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6],
            bold_rows=frozenset({len(rows) - 1}),
        )
        d30.body(
            doc,
            "Chi tiết từng chỉ số, từng cơ quan, đơn vị, các thời hạn và lượt nhắc việc tại Phụ"
            f" lục: bảng tổng hợp {self.appendix} kèm theo Báo cáo này.",
            italic=True,
        )
        d30.body(
            doc, "Cách xác định trạng thái: " + status_rule_text(vi, board.rules), italic=True
        )

    def agencies(self, doc) -> None:
        board = self.board
        d30.heading(doc, "II. TÌNH HÌNH THỰC HIỆN CỦA CÁC CƠ QUAN, ĐƠN VỊ")
        d30.caption(doc, "Bảng 2. Tổng hợp theo cơ quan, đơn vị")
        rows, bold = tables.agency_rows(board)
        d30.data_table(
            doc,
            [
                "STT",
                "Cơ quan, đơn vị",
                "Số lượt giao",
                *self.status_headers,
                "Yêu cầu giải trình chưa trả lời",
            ],
            rows,
            [1.1, 4.9, 1.3, 1.5, 1.5, 1.5, 1.5, 1.5, 1.6],
            size=11,
            bold_rows=bold,
        )
        missing = [a for a in board.agencies if not board.is_registered(a)]
        if missing:
            d30.body(
                doc,
                f"Có {len(missing)}/{len(board.agencies)} cơ quan, đơn vị chưa có cán bộ đăng ký"
                " hoặc nhóm trò chuyện được liên kết để nhận nhắc việc, nên các thông báo, nhắc"
                " hạn chưa đến được: " + self.names(missing) + ".",
            )
        else:
            d30.body(
                doc,
                "Tất cả cơ quan, đơn vị đã có cán bộ đăng ký hoặc nhóm trò chuyện được liên kết để"
                " nhận nhắc việc.",
            )

    def names(self, agencies: list[Agency]) -> str:
        """Agency names, "; "-separated; every commune and ward of the board at once is said so,
        not listed."""
        communes = [a for a in agencies if a.type == COMMUNE]
        if communes and len(communes) == self.communes:
            shown = [a.name for a in agencies if a.type != COMMUNE] + [
                f"tất cả {len(communes)} UBND xã, phường"
            ]
        else:
            shown = [a.name for a in agencies]
        return "; ".join(shown)

    def overdue(self, doc) -> None:
        vi, board = self.vi, self.board
        d30.heading(doc, "III. CÁC CHỈ SỐ QUÁ HẠN")
        late = [p for p in board.pairs if p.status == OVERDUE]
        if not late:
            d30.body(doc, "Không có chỉ số nào quá hạn.")
            return
        rows_by = tables.overdue_rows(vi, late)
        agencies = len({p.agency.id for p in late})
        d30.body(
            doc,
            f"Có {len(late)} lượt chỉ số quá hạn của {agencies} cơ quan, đơn vị (đã qua thời hạn"
            " mà không có báo cáo tiến độ):",
        )
        self.grouped_table(
            doc, "Bảng 3. Các chỉ số quá hạn", "Thời hạn đã qua", rows_by, [1.1, 5.4, 3.6, 6.3]
        )

    def grouped_table(
        self,
        doc,
        caption: str,
        last: str,
        rows_by: tables.GroupedRows,
        widths: list[float],
    ) -> None:
        """A numbered table of agencies that share the same codes and the same last cell."""
        rows = [
            [i, self.names(agencies), codes, extra]
            for i, ((codes, extra), agencies) in enumerate(rows_by.items(), 1)
        ]
        d30.caption(doc, caption)
        d30.data_table(
            doc,
            ["STT", "Cơ quan, đơn vị", "Chỉ số", last],
            rows,
            widths,
            left_columns=frozenset({1, 2, 3}),
        )

    def at_risk(self, doc) -> None:
        vi, board = self.vi, self.board
        d30.heading(doc, "IV. CÁC CHỈ SỐ CÓ NGUY CƠ CHẬM")
        risky = [p for p in board.pairs if p.status == AT_RISK]
        if not risky:
            d30.body(doc, "Không có chỉ số nào có nguy cơ chậm.")
            return
        rows_by = tables.risk_rows(vi, risky, board.rules.at_risk_percent)
        d30.body(
            doc,
            f"Có {len(risky)} lượt chỉ số có nguy cơ chậm của {len({p.agency.id for p in risky})}"
            " cơ quan, đơn vị:",
        )
        self.grouped_table(
            doc, "Bảng 4. Các chỉ số có nguy cơ chậm", "Lý do", rows_by, [1.1, 5.4, 3.0, 6.9]
        )

    def explanations(self, doc) -> None:
        vi, board, data = self.vi, self.board, self.data
        d30.heading(doc, "V. YÊU CẦU GIẢI TRÌNH")
        requests = tables.all_requests(data)
        if not requests:
            d30.body(doc, "Cơ quan đầu mối chưa gửi yêu cầu giải trình nào.")
            return
        waiting = [q for q in data.requests if q.is_open]
        late = [q for q in waiting if q.due_date < board.today]
        d30.body(
            doc,
            f"Cơ quan đầu mối đã gửi {len(requests)} yêu cầu giải trình: {len(data.answered)} đã"
            f" được trả lời, {len(waiting)} chưa được trả lời (trong đó {len(late)} đã quá hạn trả"
            " lời).",
        )
        rows = tables.request_rows(vi, requests, board.today, self.tz)
        d30.caption(doc, "Bảng 5. Các yêu cầu giải trình")
        d30.data_table(
            doc,
            ["STT", "Cơ quan, đơn vị", "Chỉ số", "Nội dung yêu cầu", "Hạn trả lời", "Kết quả"],
            rows,
            [1.1, 3.3, 1.2, 4.3, 2.2, 4.3],
            left_columns=frozenset({1, 3, 5}),
        )


def write_official_report(
    vi: Translator,
    data: ReportData,
    path: Path | str,
    tz: ZoneInfo,
    *,
    appendix: str,
    signer: Signer | None = None,
) -> Path:
    """The report as a .docx at ``path``; ``appendix`` is the workbook's file name, cited as the
    appendix; ``vi`` the Vietnamese translator (status labels and the status rule as the workbook
    prints them).
    """
    return _Writer(vi, data, appendix, signer or Signer(), tz).write(Path(path))
