"""Helpers for the import tests: compare an imported plan with the shipped one through the model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kb.loader import DATA_DIR, load, read_sources
from kb.model import Indicator, KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
PLAN = "plan-18-2026"


def shipped() -> KnowledgeBase:
    return load(read_sources(DATA_DIR))


def cells(kb: KnowledgeBase, plan: str = PLAN) -> dict[str, dict[str, object]]:
    """Indicator code → its name, leads (agency, scope) and coordinators (agency, scope)."""
    out = {}
    for i in kb.indicators:
        if i.plan_id == plan:
            out[i.code] = {"name": i.name, "lead": _assign(i, "lead"), "coordinate": _assign(i, "coordinate")}
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
    cmd = [sys.executable, "-m", "bot", "kb", "import", *map(str, sources), "--out", str(out),
           "--report", str(report), "--kb", str(DATA_DIR)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)


def flagged(report: Path) -> set[str]:
    return {f["indicator"] for f in json.loads(report.read_text(encoding="utf-8"))}
