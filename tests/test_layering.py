"""The layers import one way: kb/ and the conversation core never import Telegram, handlers or SQL."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "kb": ("telegram", "handlers", "storage", "sqlalchemy", "bot", "alembic"),
    "bot/core.py": ("telegram", "handlers", "sqlalchemy"),
    "bot/render.py": ("telegram", "handlers", "sqlalchemy", "storage"),
    "bot/i18n.py": ("telegram", "handlers", "sqlalchemy", "storage"),
    "storage": ("telegram", "handlers", "bot"),
    "handlers/web": ("telegram", "sqlalchemy"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def test_layers_import_one_way():
    """No module imports a layer above it."""
    bad = []
    for target, forbidden in FORBIDDEN.items():
        path = ROOT / target
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for f in files:
            for name in _imports(f) & set(forbidden):
                bad.append(f"{f.relative_to(ROOT)} imports {name}")
    assert [] == bad
