"""`python -m bot kb check` as an admin meets it (issue 19, item 14): every problem with its
file and line, a date that does not exist called so, and one file checked against the shipped
registry."""

from __future__ import annotations

import re

import pytest

from kb.loader import DATA_DIR
from tests.support.process import run

PLAN = "plan_18_kh_ubnd_2026.yaml"
PROBLEM_LINE = re.compile(r"^  (?P<file>[\w.-]+\.ya?ml):(?P<line>\d+)(?::\d+)?: ")


def _problem_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("  ")]


def test_every_problem_names_its_file_and_line(tmp_path, kb_dir):
    """Problems of several kinds in two files each come as ``file:line:``, the line being the
    one that holds the mistake."""
    plan = kb_dir / PLAN
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace('"Công an tỉnh"', '"Cong an huyen"', 1).replace(
            "date: 2026-01-21", "date: 2026-1-21"
        ),
        encoding="utf-8",
    )
    scores = kb_dir / "plan_86_kh_stnmt_2024.yaml"
    scores.write_text(
        scores.read_text(encoding="utf-8").replace('score: "4,84"', 'score: "4.84x"', 1),
        encoding="utf-8",
    )
    bad = run(["kb", "check", str(kb_dir)], tmp_path)
    assert 1 == bad.returncode
    lines = _problem_lines(bad.stdout)
    assert len(lines) >= 3 and all(PROBLEM_LINE.match(line) for line in lines), bad.stdout
    written = plan.read_text(encoding="utf-8").splitlines()
    for line in lines:
        m = PROBLEM_LINE.match(line)
        assert m is not None
        if "Cong an huyen" in line:
            assert "Cong an huyen" in written[int(m["line"]) - 1]
        if "2026-1-21" in line:
            assert (
                "date: 2026-1-21" in written[int(m["line"]) - 1]
                and "write it as YYYY-MM-DD" in line
            )
    assert any(
        line.startswith("  plan_86_kh_stnmt_2024.yaml:") and "4.84x" in line for line in lines
    )


@pytest.mark.parametrize(
    "written, days",
    [("2026-02-31", 28), ("2026-02-30", 28), ("2026-04-31", 30), ("2025-02-29", 28)],
)
def test_a_date_that_does_not_exist_is_called_so(tmp_path, kb_dir, written, days):
    """31 February, 30 February, 31 April and 29 February of a year that is not a leap year are
    dates that do not exist (with the month's length), not dates in a wrong format."""
    plan = kb_dir / PLAN
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("date: 2026-01-21", f"date: {written}"),
        encoding="utf-8",
    )
    bad = run(["kb", "check", str(kb_dir)], tmp_path)
    assert 1 == bad.returncode
    month, year = written[5:7], written[:4]
    assert (
        f"the date '{written}' does not exist: month {month}/{year} has {days} days" in bad.stdout
    )
    assert "bad date" not in bad.stdout


def test_29_february_of_a_leap_year_is_a_date(tmp_path, kb_dir):
    """2024-02-29 exists: the file passes."""
    plan = kb_dir / PLAN
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("date: 2026-01-21", "date: 2024-02-29"),
        encoding="utf-8",
    )
    ok = run(["kb", "check", str(kb_dir)], tmp_path)
    assert 0 == ok.returncode, ok.stdout


def test_one_file_is_checked_with_the_shipped_registry(tmp_path):
    """`kb check` on the plan's file alone (in a folder of its own, or named directly) checks it
    with the shipped agency registry and communes: no unknown agencies, and it says which files it
    borrowed.
    """
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / PLAN).write_text((DATA_DIR / PLAN).read_text(encoding="utf-8"), encoding="utf-8")
    for target in (alone / PLAN, alone, DATA_DIR / PLAN):
        ok = run(["kb", "check", str(target)], tmp_path)
        assert 0 == ok.returncode, ok.stdout
        assert "unknown agency" not in ok.stdout
        assert (
            "agencies.yaml" in ok.stdout.splitlines()[0]
            and "places.yaml" in ok.stdout.splitlines()[0]
        )


def test_one_broken_file_lists_only_its_own_problems(tmp_path):
    """A single file with one misspelt agency gets that one problem, with its line, not
    hundreds."""
    alone = tmp_path / "alone"
    alone.mkdir()
    text = (DATA_DIR / PLAN).read_text(encoding="utf-8")
    (alone / PLAN).write_text(
        text.replace('"Công an tỉnh"', '"Công an tinh x"', 1), encoding="utf-8"
    )
    bad = run(["kb", "check", str(alone / PLAN)], tmp_path)
    assert 1 == bad.returncode
    lines = _problem_lines(bad.stdout)
    assert 1 == len(lines) and "unknown agency 'Công an tinh x'" in lines[0]
    assert PROBLEM_LINE.match(lines[0]) and lines[0].startswith(f"  {PLAN}:")
