"""The house rules for code, checked with the tests: ruff's lint rules and its formatter (one line
length, 99, for code and tests), and mypy's type check (see pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """The tool installed next to this Python (the test extra), run from the project root."""
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        pytest.fail(f"{name} is not installed (it is in the test extra: pip install -e '.[test]')")
    return subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return _tool("ruff", *args)


@pytest.fixture(scope="module")
def mypy() -> subprocess.CompletedProcess:
    """One run of mypy as configured in pyproject.toml (its cache under .mypy_cache makes a second
    run quick)."""
    return _tool("mypy", timeout=900)


def test_ruff_finds_nothing():
    done = _ruff("check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout[-4000:]


def test_the_tree_is_formatted_by_ruff():
    done = _ruff("format", "--no-cache", "--check", ".")
    assert done.returncode == 0, done.stdout[-4000:]


def test_mypy_finds_nothing(mypy):
    assert mypy.returncode == 0, mypy.stdout[-4000:]
