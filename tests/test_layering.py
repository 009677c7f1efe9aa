"""The layers import one way: the engine and the conversation core know no channel, no HTTP client and no SQL driver.

Every module of ``kb/`` and ``bot/`` is checked (imports anywhere in the file, lazy ones included);
``handlers/`` is where channels live.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHANNEL_LIBRARIES = ("telegram", "httpx", "starlette", "uvicorn", "handlers")
FORBIDDEN = {
    "kb": (*CHANNEL_LIBRARIES, "storage", "sqlalchemy", "bot", "alembic"),
    "bot": (*CHANNEL_LIBRARIES, "sqlalchemy"),
    "storage": (*CHANNEL_LIBRARIES, "bot"),
    "handlers/web": ("telegram", "sqlalchemy"),
}
# the command line starts the channels, so it may import their package (lazily, when asked to run)
ENTRY_POINTS = {"bot/app/cli.py": ("handlers",)}


def imports_of(source: str) -> set[str]:
    tree = ast.parse(source)
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def violations(root: Path) -> list[str]:
    bad = []
    for layer, forbidden in FORBIDDEN.items():
        for f in sorted((root / layer).rglob("*.py")):
            rel = f.relative_to(root).as_posix()
            allowed = set(ENTRY_POINTS.get(rel, ()))
            for name in sorted(imports_of(f.read_text(encoding="utf-8")) & (set(forbidden) - allowed)):
                bad.append(f"{rel} imports {name}")
    return bad


def test_layers_import_one_way():
    """No module of the engine, the core or storage imports a channel, an HTTP client or a layer above it."""
    assert [] == violations(ROOT)


def test_a_core_module_importing_a_channel_is_caught(tmp_path):
    """The check can fail: a core module that imports telegram, httpx or a channel adapter is reported."""
    for layer in FORBIDDEN:
        (tmp_path / layer).mkdir(parents=True)
    (tmp_path / "bot" / "flows.py").write_text("def f():\n    import httpx\n    from handlers.zalo import ZaloBot\n")
    (tmp_path / "bot" / "sub").mkdir()
    (tmp_path / "bot" / "sub" / "deep.py").write_text("from telegram import Update\n")
    assert ["bot/flows.py imports handlers", "bot/flows.py imports httpx", "bot/sub/deep.py imports telegram"] == violations(tmp_path)
