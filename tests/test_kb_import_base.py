"""`kb import` builds on the knowledge-base version active in the database, as the console does;
`--kb DIR` (or `--kb` alone: PGI_KB_DIR) builds on a folder instead."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kb.loader import DATA_DIR, read_sources
from tests.support.kb_import import APPENDIX, ROOT

MARK = "# loaded into the database by the test\n"


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request, tmp_path):
    """Environment of a bot whose database holds an active version that differs from PGI_KB_DIR
    (its places.yaml carries a marker line)."""
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PGI_KB_DIR")}
    base["PGI_DATA_DIR"] = str(tmp_path / "data")
    base["PGI_KB_DIR"] = str(DATA_DIR)
    if request.param == "postgresql":
        base["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    marked = tmp_path / "marked"
    marked.mkdir()
    for name, body in read_sources(DATA_DIR).items():
        (marked / name).write_text(MARK + body if name == "places.yaml" else body, "utf-8")
    done = _cli("kb", "load", str(marked), env=base)
    assert done.returncode == 0, done.stdout + done.stderr
    return base


def _import(tmp_path, env, *extra: str) -> tuple[subprocess.CompletedProcess, str]:
    source = tmp_path / "phu-luc.txt"
    source.write_text(APPENDIX, encoding="utf-8")
    out = tmp_path / "out"
    done = _cli("kb", "import", str(source), "--out", str(out), *extra, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done, (out / "places.yaml").read_text(encoding="utf-8")


def test_import_builds_on_the_active_version_in_the_database(tmp_path, env):
    done, places = _import(tmp_path, env)
    assert places.startswith(MARK)
    assert "building on the active knowledge-base version" in done.stdout


def test_import_with_kb_alone_builds_on_pgi_kb_dir(tmp_path, env):
    done, places = _import(tmp_path, env, "--kb")
    assert places == read_sources(DATA_DIR)["places.yaml"]
    assert f"building on the folder {DATA_DIR}" in done.stdout


def test_import_without_a_database_builds_on_pgi_kb_dir(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PGI_KB_DIR")}
    env["PGI_DATA_DIR"] = str(tmp_path / "nodb")
    env["PGI_KB_DIR"] = str(DATA_DIR)
    done, places = _import(tmp_path, env)
    assert places == read_sources(DATA_DIR)["places.yaml"]
    assert "no active version in a database" in done.stdout
    assert not (tmp_path / "nodb" / "pgi.sqlite3").exists()  # an import creates no database
