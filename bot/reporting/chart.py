"""The report's chart (matplotlib, headless): progress by component index, and the agency ×
indicator status grid in the status colours (red, amber, grey, green, blue; white where the agency
has no role).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.app.i18n import Translator
from bot.reporting.board import Board
from bot.reporting.report import status_label
from bot.reporting.status import HEX, ORDER, RANK
from kb.codes import code_key

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 80  # 1,440 px wide: readable on a screen and printed on A4, at a third less memory than 100


CODE_FONT = 9  # points: the indicator codes under the grid, readable at the size the PNG is sent
NAME_FONT = 8  # points: the agencies' names beside it
ROW = 0.17  # inches per agency row: a little more than the names' line height
TITLE_ROOM = 0.9  # inches above the panels for the figure's title, so it never meets theirs
UNREGISTERED = "#8a8a8a"  # the name of an agency from which no one has signed up yet


def build_chart(tr: Translator, board: Board) -> Figure:
    """The chart as a figure (the object API with the Agg canvas: no pyplot, no display)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    height = max(6.0, 2.6 + ROW * len(board.agencies))
    fig = Figure(figsize=(18, height))
    FigureCanvasAgg(fig)
    bars, heat = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2.2]})
    fig.suptitle(
        tr.gettext("PGI progress report — plan {plan}, as of {date}").format(
            plan=board.plan.number or board.plan.title, date=tr.date(board.today)
        ),
        y=1 - 0.25 / height,
        fontsize=14,
    )
    _progress_bars(bars, tr, board)
    _status_grid(heat, tr, board)
    handles = [Patch(color="#" + HEX[s], label=status_label(tr, s)) for s in ORDER]
    handles.append(Patch(color="white", label=tr.gettext("grey name: no one registered yet")))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles))
    # fixed margins (tight_layout would draw the figure once more just to measure the labels): room
    # in inches for the title above, and for the codes and the legend below
    fig.subplots_adjust(
        left=0.06, right=0.99, bottom=1.2 / height, top=1 - TITLE_ROOM / height, wspace=0.5
    )
    return fig


def _progress_bars(bars: Axes, tr: Translator, board: Board) -> None:
    """Left panel: each component index's assignments, stacked by status."""
    comps = board.by_component()
    labels = [tr.gettext("CSTP {code}").format(code=c.code) for c, _ in comps]
    left = [0] * len(comps)
    for status in ORDER:
        counts = [t.count(status) for _, t in comps]
        bars.barh(
            labels, counts, left=left, color="#" + HEX[status], label=status_label(tr, status)
        )
        left = [a + b for a, b in zip(left, counts, strict=True)]
    bars.invert_yaxis()
    bars.set_xlabel(tr.gettext("Indicator assignments"))
    bars.set_title(tr.gettext("Progress by component index"))


def _status_grid(heat: Axes, tr: Translator, board: Board) -> None:
    """Right panel: agencies × indicators in the status colours, white where there is no role;
    the names of agencies nobody signed up from in grey italics."""
    from matplotlib.colors import Colormap, ListedColormap

    codes = [i.code for i in sorted(board.indicators, key=lambda i: code_key(i.code))]
    agencies = list(board.agencies)
    col = {c: i for i, c in enumerate(codes)}
    row = {a.id: i for i, a in enumerate(agencies)}
    grid = [[float("nan")] * len(codes) for _ in agencies]
    for p in board.pairs:
        grid[row[p.agency.id]][col[p.indicator.code]] = RANK[p.status]
    cmap: Colormap = ListedColormap(["#" + HEX[s] for s in ORDER])
    cmap = cmap.with_extremes(bad="white")
    heat.imshow(
        grid, cmap=cmap, vmin=-0.5, vmax=len(ORDER) - 0.5, aspect="auto", interpolation="nearest"
    )
    heat.set_xticks(range(len(codes)), codes, rotation=90, fontsize=CODE_FONT)
    heat.set_yticks(range(len(agencies)), [a.name for a in agencies], fontsize=NAME_FONT)
    for label, agency in zip(heat.get_yticklabels(), agencies, strict=True):
        if not board.is_registered(agency):
            label.set_color(UNREGISTERED)
            label.set_fontstyle("italic")
    heat.set_title(tr.gettext("Status of each agency on each indicator"))


def write_chart(tr: Translator, board: Board, path: Path | str) -> Path:
    path = Path(path)
    build_chart(tr, board).savefig(path, dpi=DPI, pil_kwargs={"compress_level": 3})
    return path
