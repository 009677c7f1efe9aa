"""`python -m bot ask --batch`: every unusable input is one clear line naming the line and the field,
exit code 2, no traceback; "-" reads standard input; a reader that stops early ends nothing in a traceback."""

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


@pytest.mark.parametrize("row,expected", [
    ({"q": "a", "as": 5}, 'field "as" must be a text, not a number'),
    ({"q": "a", "now": 20240705}, 'field "now" must be a text, not a number'),
    ({"q": "a", "lang": ["vi"]}, 'field "lang" must be a text, not a list'),
    ({"q": "a", "now": "2024-13-45"}, "field \"now\": '2024-13-45' is not a date; write YYYY-MM-DD"),
    ({"q": "a", "lang": "fr"}, "field \"lang\": 'fr' is not a language; use vi or en"),
])
def test_bad_fields_are_named_with_their_line(tmp_path, row, expected):
    """A field of the wrong kind, a date that does not exist or an unknown language names the line and the field."""
    path = batch(tmp_path, (json.dumps({"q": "ai chủ trì chỉ số 1.5"}) + "\n" + json.dumps(row) + "\n").encode())
    assert f"{path}:2: {expected}" == refused(run(["ask", "--json", "--batch", path], tmp_path))


def test_missing_file_and_folder(tmp_path):
    """A missing file and a folder are each one line."""
    missing = str(tmp_path / "nothere.jsonl")
    assert f"{missing}: no such file; give a JSON-lines file, or - for standard input" == refused(
        run(["ask", "--json", "--batch", missing], tmp_path))
    assert f"{tmp_path}: is a folder; give a JSON-lines file, or - for standard input" == refused(
        run(["ask", "--json", "--batch", str(tmp_path)], tmp_path))


def test_invalid_utf8_and_deep_nesting(tmp_path):
    """Bytes that are not UTF-8 and JSON nested 100 000 deep are named by line."""
    bad = batch(tmp_path, b'{"q": "a"}\n{"q": "\xff\xfe"}\n', "bad.jsonl")
    assert f"{bad}:2: not UTF-8 text (byte 8 of the line); save the file as UTF-8" == refused(
        run(["ask", "--json", "--batch", bad], tmp_path))
    deep = batch(tmp_path, b"[" * 100_000 + b"\n", "deep.jsonl")
    assert f'{deep}:1: the JSON is nested too deeply; each line must be like {{"q": "..."}}' == refused(
        run(["ask", "--json", "--batch", deep], tmp_path))


def test_dash_reads_standard_input(tmp_path):
    """`--batch -` reads the questions from standard input."""
    p = run(["ask", "--json", "--batch", "-"], tmp_path, stdin='{"q": "ai chủ trì chỉ số 1.9"}\n')
    assert 0 == p.returncode, p.stderr
    assert ["1.9"] == [json.loads(line)["indicator"]["code"] for line in p.stdout.splitlines()]
    assert "<stdin>:1: field \"as\" must be a text, not true/false" == refused(
        run(["ask", "--json", "--batch", "-"], tmp_path, stdin='{"q": "a", "as": true}\n'))


def test_reader_that_stops_early_ends_without_traceback(tmp_path):
    """`ask --batch … | head -1`: the bot stops quietly when the pipe closes."""
    path = batch(tmp_path, (json.dumps({"q": "ai chủ trì chỉ số 1.5"}) + "\n").encode() * 2000)
    env_cmd = f"{sys.executable} -m bot ask --json --batch {path} | head -1"
    env = {**os.environ, "PGI_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    p = subprocess.run(["bash", "-o", "pipefail", "-c", env_cmd], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert 1 == len(p.stdout.splitlines())
    assert "" == p.stderr
    assert 1 == p.returncode
