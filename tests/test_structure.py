"""The structure figures of issue 17, kept: no module over 400 lines, no function over 60 lines,
McCabe complexity at most 20 (ruff's C901, configured in pyproject.toml), at most 15 modules per
folder, in the four packages the application is made of (import cycles: tests/test_layering.py;
types: tests/test_lint.py)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "kb", "storage")
MODULE_LINES, FUNCTION_LINES, FOLDER_MODULES = 400, 60, 15


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_no_module_over_400_lines():
    long = {_name(p): n for p in _modules() if (n := p.read_text().count("\n")) > MODULE_LINES}
    assert not long, long


def test_no_function_over_60_lines():
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > FUNCTION_LINES:
                    long[f"{_name(path)}:{node.lineno} {node.name}"] = lines
    assert not long, long


def test_no_folder_over_15_modules():
    folders = Counter(_name(p.parent) for p in _modules())
    crowded = {folder: n for folder, n in folders.items() if n > FOLDER_MODULES}
    assert not crowded, crowded
