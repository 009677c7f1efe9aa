"""Helpers for the import tests: an imported plan compared with the shipped one, by the model;
sources made from the shipped KB (a Word table, page images, a PDF) and a next year's appendix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kb.loader import DATA_DIR, load, read_sources
from kb.model import Indicator, KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
PLAN = "plan-18-2026"


def shipped() -> KnowledgeBase:
    return load(read_sources(DATA_DIR))


def cells(kb: KnowledgeBase, plan: str = PLAN) -> dict[str, dict[str, object]]:
    """Indicator code → its name, leads (agency, scope) and coordinators (agency, scope)."""
    out = {}
    for i in kb.indicators:
        if i.plan_id == plan:
            out[i.code] = {
                "name": i.name,
                "lead": _assign(i, "lead"),
                "coordinate": _assign(i, "coordinate"),
            }
    return out


def _assign(i: Indicator, role: str) -> tuple[tuple[str, str | None], ...]:
    return tuple((a.agency_id, a.scope) for a in getattr(i, role))


def compare(got: KnowledgeBase, want: KnowledgeBase) -> tuple[int, int, set[str]]:
    """(cells right, cells in all, codes of indicators with a wrong or missing cell)."""
    g, w = cells(got), cells(want)
    right, wrong = 0, set()
    for code, fields in w.items():
        for name, value in fields.items():
            if g.get(code, {}).get(name) == value:
                right += 1
            else:
                wrong.add(code)
    return right, 3 * len(w), wrong


def run_import(sources: list[Path], out: Path, report: Path) -> subprocess.CompletedProcess:
    cmd = [
        sys.executable,
        "-m",
        "bot",
        "kb",
        "import",
        *map(str, sources),
        "--out",
        str(out),
        "--report",
        str(report),
        "--kb",
        str(DATA_DIR),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)


def flagged(report: Path) -> set[str]:
    return {f["indicator"] for f in json.loads(report.read_text(encoding="utf-8"))}


ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
HEADER = (
    "PHỤ LỤC",
    "TRIỂN KHAI CẢI THIỆN, NÂNG CAO CHỈ SỐ XANH (PGI) CẤP TỈNH NĂM 2026",
    "VÀ NHỮNG NĂM TIẾP THEO TRÊN ĐỊA BÀN TỈNH LẠNG SƠN",
    "(Kèm theo Kế hoạch số: 18/KH-UBND ngày 21 tháng 01 năm 2026 của UBND tỉnh Lạng Sơn)",
)


def _cell_lines(assignments, note: str | None = None) -> list[str]:
    lines = []
    for a in assignments:
        lines.append(f"- {a.written} ({a.scope});" if a.scope else f"- {a.written};")
    if note and lines:
        lines[-1] = lines[-1].rstrip(";") + f" {note}."
    return lines


def make_docx(kb: KnowledgeBase, path: Path, plan: str = PLAN) -> None:
    """The plan's appendix as a Word table, the way a provincial office writes one."""
    import docx

    d = docx.Document()
    for line in HEADER:
        d.add_paragraph(line)
    table = d.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells,
        ("STT", "CHỈ SỐ THÀNH PHẦN", "CƠ QUAN CHỦ TRÌ THỰC HIỆN", "CƠ QUAN PHỐI HỢP THỰC HIỆN"),
        strict=True,
    ):
        cell.text = text
    for comp in (c for c in kb.components if c.plan_id == plan):
        row = table.add_row().cells
        row[0].text = ROMAN[int(comp.code)]
        merged = row[1].merge(row[3])
        merged.text = f"CSTP {comp.code}. {comp.name}"
        for ind in (i for i in kb.indicators if i.plan_id == plan and i.component == comp.code):
            cells = table.add_row().cells
            cells[0].text = ind.code.split(".")[1]
            cells[1].text = ind.name
            cells[2].text = "\n".join(_cell_lines(ind.lead))
            cells[3].text = "\n".join(_cell_lines(ind.coordinate, ind.note))
    d.add_paragraph('Ghi chú: viết tắt "CSTP": Chỉ số thành phần.')
    d.save(str(path))


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
A4 = (1654, 2339)  # pixels at 200 dpi


def render_pages(text: str, folder: Path, size: int = 30, margin: int = 120) -> list[Path]:
    """The text drawn line by line on A4 pages (Pillow, DejaVu Sans), as a scan would give it."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), size)
    step = int(size * 1.45)
    per_page = (A4[1] - 2 * margin) // step
    lines = text.split("\n")
    paths = []
    for k in range(0, len(lines), per_page):
        img = Image.new("L", A4, 255)
        draw = ImageDraw.Draw(img)
        for j, line in enumerate(lines[k : k + per_page]):
            draw.text((margin, margin + j * step), line.rstrip(), font=font, fill=0)
        path = folder / f"page_{len(paths) + 1:02d}.png"
        img.save(path)
        paths.append(path)
    return paths


def make_pdf(text: str, path: Path, per_page: int = 58) -> None:
    """The text laid out line by line on A4 pages of a PDF with a text layer (matplotlib, DejaVu
    Sans embedded as TrueType so the text can be extracted)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    lines = text.split("\n")
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(str(path)) as pdf:
        for k in range(0, len(lines), per_page):
            fig = Figure(figsize=(8.27, 11.69))
            for j, line in enumerate(lines[k : k + per_page]):
                if line.strip():
                    fig.text(
                        0.07, 0.95 - j * 0.0155, line.rstrip(), fontsize=8, family="DejaVu Sans"
                    )
            pdf.savefig(fig)


# A next year's appendix as plain text: an old name (Sở Tài nguyên và Môi trường), a name the
# registry does not know (Sở Ngoại vụ), a new indicator, a scope, and deadlines in its note.
APPENDIX = """PHỤ LỤC
PHÂN CÔNG THỰC HIỆN CHỈ SỐ XANH NĂM 2027
(Kèm theo Kế hoạch số: 7/KH-UBND ngày 5 tháng 3 năm 2027 của UBND tỉnh Lạng Sơn)

STT CHỈ SỐ THÀNH PHẦN CƠ QUAN CHỦ TRÌ CƠ QUAN PHỐI HỢP

I CSTP 1. Giảm thiểu ô nhiễm môi trường và thiên tai

1 Chất lượng môi trường tốt hoặc rất tốt (%) Sở Tài nguyên và Môi trường

Sở Ngoại vụ; UBND các xã, phường.

2 Một chỉ số mới của năm 2027 (%) Sở Xây dựng (đô thị)

Các Sở, ban, ngành liên quan.

Ghi chú: các cơ quan báo cáo định kỳ hằng quý; tổng hợp trước ngày 20/12/2027.
"""
