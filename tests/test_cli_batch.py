"""`python -m bot ask --batch`: an unusable file is one clear line and exit code 2; an unusable
line gets an error object naming the line and the field while the other lines are answered (exit
code 1); no traceback; "-" reads standard input; a reader that stops early ends nothing in a
traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.process import ROOT, run


def batch(tmp_path, content: bytes, name: str = "q.jsonl") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def refused(p: subprocess.CompletedProcess) -> str:
    assert (2, "", "Traceback" in p.stderr) == (p.returncode, p.stdout, False), p.stderr
    lines = p.stderr.splitlines()
    assert 1 == len(lines), p.stderr
    return lines[0]


def line_refused(p: subprocess.CompletedProcess, bad: int, total: int) -> str:
    """The error of line ``bad``: an object in its place on standard output, the others
    answered."""
    assert (1, False) == (p.returncode, "Traceback" in p.stderr), p.stderr
    out = [json.loads(line) for line in p.stdout.splitlines()]
    assert total == len(out), p.stdout
    assert [bad] == [o["line"] for o in out if "error" in o]
    assert all("intent" in o for o in out if "error" not in o)
    error = next(o["error"] for o in out if "error" in o)
    assert [error] == p.stderr.splitlines()
    return error


@pytest.mark.parametrize(
    "row,expected",
    [
        ({"q": "a", "as": 5}, 'field "as" must be a text, not a number'),
        ({"q": "a", "now": 20240705}, 'field "now" must be a text, not a number'),
        ({"q": "a", "lang": ["vi"]}, 'field "lang" must be a text, not a list'),
        (
            {"q": "a", "now": "2024-13-45"},
            "field \"now\": '2024-13-45' is not a date; write YYYY-MM-DD",
        ),
        ({"q": "a", "lang": "fr"}, "field \"lang\": 'fr' is not a language; use vi or en"),
    ],
)
def test_bad_fields_are_named_with_their_line(tmp_path, row, expected):
    """A field of the wrong kind, a date that does not exist or an unknown language names the
    line and the field."""
    path = batch(
        tmp_path,
        (json.dumps({"q": "ai chủ trì chỉ số 1.5"}) + "\n" + json.dumps(row) + "\n").encode(),
    )
    assert f"{path}:2: {expected}" == line_refused(
        run(["ask", "--json", "--batch", path], tmp_path), 2, 2
    )


def test_missing_file_and_folder(tmp_path):
    """A missing file and a folder are each one line."""
    missing = str(tmp_path / "nothere.jsonl")
    assert f"{missing}: no such file; give a JSON-lines file, or - for standard input" == refused(
        run(["ask", "--json", "--batch", missing], tmp_path)
    )
    assert f"{tmp_path}: is a folder; give a JSON-lines file, or - for standard input" == refused(
        run(["ask", "--json", "--batch", str(tmp_path)], tmp_path)
    )


def test_invalid_utf8_and_deep_nesting(tmp_path):
    """Bytes that are not UTF-8 and JSON nested 100 000 deep are named by line."""
    bad = batch(tmp_path, b'{"q": "a"}\n{"q": "\xff\xfe"}\n{"q": "1.5"}\n', "bad.jsonl")
    assert f"{bad}:2: not UTF-8 text (byte 8 of the line); save the file as UTF-8" == line_refused(
        run(["ask", "--json", "--batch", bad], tmp_path), 2, 3
    )
    deep = batch(tmp_path, b"[" * 100_000 + b'\n{"q": "1.5"}\n', "deep.jsonl")
    assert (
        f'{deep}:1: the JSON is nested too deeply; each line must be like {{"q": "..."}}'
        == line_refused(run(["ask", "--json", "--batch", deep], tmp_path), 1, 2)
    )


def test_dash_reads_standard_input(tmp_path):
    """`--batch -` reads the questions from standard input."""
    p = run(["ask", "--json", "--batch", "-"], tmp_path, stdin='{"q": "ai chủ trì chỉ số 1.9"}\n')
    assert 0 == p.returncode, p.stderr
    assert ["1.9"] == [json.loads(line)["indicator"]["code"] for line in p.stdout.splitlines()]
    assert '<stdin>:1: field "as" must be a text, not true/false' == line_refused(
        run(["ask", "--json", "--batch", "-"], tmp_path, stdin='{"q": "a", "as": true}\n'), 1, 1
    )


def test_reader_that_stops_early_ends_without_traceback(tmp_path):
    """`ask --batch … | head -1`: the bot stops quietly when the pipe closes."""
    path = batch(tmp_path, (json.dumps({"q": "ai chủ trì chỉ số 1.5"}) + "\n").encode() * 2000)
    env_cmd = f"{sys.executable} -m bot ask --json --batch {path} | head -1"
    env = {**os.environ, "PGI_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    p = subprocess.run(
        ["bash", "-o", "pipefail", "-c", env_cmd],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert 1 == len(p.stdout.splitlines())
    assert "" == p.stderr
    assert 1 == p.returncode
