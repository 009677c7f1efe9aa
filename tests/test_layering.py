"""The layers import one way, and no module imports itself back through others.

Every module of ``kb/``, ``bot/``, ``storage/`` and ``handlers/`` is read (imports anywhere in the
file count: at the top, inside functions, and under ``if TYPE_CHECKING:``). Two checks:

- the engine and the conversation core know no channel, no HTTP client and no SQL driver;
  ``handlers/`` is where channels live;
- the module graph has no cycle: the dispatcher imports the flows, the flows import the types,
  nothing imports the dispatcher back.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "kb", "storage")
CHANNEL_LIBRARIES = ("telegram", "httpx", "starlette", "uvicorn", "handlers")
FORBIDDEN = {
    "kb": (*CHANNEL_LIBRARIES, "storage", "sqlalchemy", "bot", "alembic"),
    "bot": (*CHANNEL_LIBRARIES, "sqlalchemy"),
    "storage": (*CHANNEL_LIBRARIES, "bot"),
    "handlers/web": ("telegram", "sqlalchemy"),
}
# the command line starts the channels, so it may import their package (lazily, when asked to run)
ENTRY_POINTS = {"bot/app/cli.py": ("handlers",)}


def _import_nodes(source: str) -> list[ast.Import | ast.ImportFrom]:
    return [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import | ast.ImportFrom)]


def imports_of(source: str) -> set[str]:
    """The top-level packages a module imports."""
    out = set()
    for node in _import_nodes(source):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def violations(root: Path) -> list[str]:
    bad = []
    for layer, forbidden in FORBIDDEN.items():
        for f in sorted((root / layer).rglob("*.py")):
            rel = f.relative_to(root).as_posix()
            allowed = set(ENTRY_POINTS.get(rel, ()))
            for name in sorted(
                imports_of(f.read_text(encoding="utf-8")) & (set(forbidden) - allowed)
            ):
                bad.append(f"{rel} imports {name}")
    return bad


def module_files(root: Path) -> dict[str, Path]:
    """Every module of the project's packages, by dotted name (a package by its ``__init__``)."""
    out = {}
    for package in PACKAGES:
        for f in sorted((root / package).rglob("*.py")):
            parts = list(f.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = f
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module an imported name stands for (``a.b.c`` may be a module or a name in
    ``a.b``)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(root: Path) -> dict[str, set[str]]:
    """module -> the project modules it imports; ``from pkg import mod`` counts as importing
    ``pkg.mod``."""
    modules = module_files(root)
    graph: dict[str, set[str]] = {}
    for name, f in modules.items():
        package = name if f.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in _import_nodes(f.read_text(encoding="utf-8")):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                targets = [f"{base}.{a.name}" for a in node.names] or [base]
            for target in targets:
                found = _resolve(target, modules)
                if found is not None and found != name:
                    edges.add(found)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_layers_import_one_way():
    """No module of the engine, the core or storage imports a channel, an HTTP client or a layer
    above it."""
    assert [] == violations(ROOT)


def test_a_core_module_importing_a_channel_is_caught(tmp_path):
    """The check can fail: a core module that imports telegram, httpx or a channel adapter is
    reported."""
    for layer in FORBIDDEN:
        (tmp_path / layer).mkdir(parents=True)
    (tmp_path / "bot" / "flows.py").write_text(
        "def f():\n    import httpx\n    from handlers.zalo.bot import ZaloBot\n"
    )
    (tmp_path / "bot" / "sub").mkdir()
    (tmp_path / "bot" / "sub" / "deep.py").write_text("from telegram import Update\n")
    assert [
        "bot/flows.py imports handlers",
        "bot/flows.py imports httpx",
        "bot/sub/deep.py imports telegram",
    ] == violations(tmp_path)


def test_no_import_cycle():
    """No module imports itself back, through any chain, counting lazy and type-checking
    imports."""
    graph = import_graph(ROOT)
    assert len(graph) > 100  # every module of the four packages is read
    assert {
        "bot.core.dispatch",
        "bot.core.turn",
        "bot.flows.people.signup",
        "handlers.runner",
    } <= set(graph)
    assert [] == cycles(graph)


def test_the_dispatcher_imports_the_flows_and_nothing_imports_it_back():
    graph = import_graph(ROOT)
    assert "bot.flows.people.signup" in graph["bot.core.dispatch"]
    importers = sorted(m for m, edges in graph.items() if "bot.core.dispatch" in edges)
    assert importers == [
        "bot.app.services",
        "bot.app.terminal",
    ]  # the application's start, above the core


def test_a_cycle_is_caught_however_it_is_imported(tmp_path):
    """The check can fail: a cycle closed by a function-local import, a `TYPE_CHECKING` import or a
    relative import is reported; a one-way chain is not."""
    for package in PACKAGES:
        (tmp_path / package).mkdir()
    core = tmp_path / "bot" / "core"
    core.mkdir()
    (core / "__init__.py").write_text("")
    (core / "dispatch.py").write_text("from bot.core import turn\nfrom bot.flows import signup\n")
    (core / "turn.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.core.dispatch"
        " import X\n"
    )
    (tmp_path / "bot" / "flows").mkdir()
    (tmp_path / "bot" / "flows" / "signup.py").write_text(
        "def f():\n    from ..core.turn import Turn\n"
    )
    (tmp_path / "storage" / "a.py").write_text("def f():\n    import storage.b\n")
    (tmp_path / "storage" / "b.py").write_text("from storage import a\n")
    (tmp_path / "kb" / "one.py").write_text("import kb.two\n")
    (tmp_path / "kb" / "two.py").write_text("x = 1\n")
    graph = import_graph(tmp_path)
    assert graph["bot.flows.signup"] == {"bot.core.turn"}
    assert [
        ["bot.core.dispatch", "bot.core.turn", "bot.flows.signup"],
        ["storage.a", "storage.b"],
    ] == cycles(graph)
