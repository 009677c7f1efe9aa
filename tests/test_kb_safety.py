"""The knowledge-base loader reads only the KB folder, says which files it skipped, and bounds
texts and dates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.loader import KbError, read_sources, validate

ROOT = Path(__file__).resolve().parent.parent
PLAN = "plan_18_kh_ubnd_2026.yaml"


def problems_of(kb_dir: Path) -> list[str]:
    with pytest.raises(KbError) as caught:
        read_sources(kb_dir)
    return [str(p) for p in caught.value.problems]


def test_symlink_to_a_system_file_is_not_read(kb_dir):
    """A link to /etc/passwd named like a KB file is a problem, and the file outside is not
    read."""
    (kb_dir / "extra.yaml").symlink_to("/etc/passwd")
    assert [
        "extra.yaml: is a symbolic link to a file outside the knowledge-base folder; copy the file"
        " into the folder instead"
    ] == problems_of(kb_dir)


def test_symlink_loop_and_dangling_link_are_reported(kb_dir):
    """A link that loops and a link to a missing file are each named, not skipped silently."""
    (kb_dir / "a.yaml").symlink_to(kb_dir / "b.yaml")
    (kb_dir / "b.yaml").symlink_to(kb_dir / "a.yaml")
    (kb_dir / "gone.yaml").symlink_to(kb_dir / "missing.yaml")
    found = problems_of(kb_dir)
    assert [
        "a.yaml: is a symbolic link that loops; replace it with the file itself",
        "b.yaml: is a symbolic link that loops; replace it with the file itself",
        (
            "gone.yaml: is a symbolic link to nothing (the file it names is missing); remove it or"
            " copy the file here"
        ),
    ] == found


def test_link_inside_the_folder_and_a_directory_named_yaml(kb_dir):
    """A link to a file inside the folder is read; a directory named like a YAML file is
    reported."""
    (kb_dir / "sub").mkdir()
    (kb_dir / "sub" / "agencies.yaml").write_text(
        (kb_dir / "agencies.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (kb_dir / "agencies.yaml").unlink()
    (kb_dir / "agencies.yaml").symlink_to(kb_dir / "sub" / "agencies.yaml")
    assert "agencies" in read_sources(kb_dir)["agencies.yaml"]
    (kb_dir / "odd.yaml").mkdir()
    assert [
        "odd.yaml: is not a regular file; knowledge-base files must be YAML files in the folder"
    ] == problems_of(kb_dir)


def test_megabyte_indicator_name_is_refused(shipped_sources):
    """An indicator name of a million characters is a problem naming file, path and the limit."""
    src = dict(shipped_sources)
    src[PLAN] = src[PLAN].replace('name: "', 'name: "' + "x" * 1_000_000, 1)
    kb, problems = validate(src)
    assert kb is None
    assert any(
        str(p).startswith(f"{PLAN}: components[0].name: is too long (10000")
        and "at most 500" in str(p)
        for p in problems
    ), [str(p)[:200] for p in problems]


@pytest.mark.parametrize("when", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
def test_deadline_dates_outside_2000_2100_are_refused(kb_dir, shipped_sources, when):
    """A KB deadline dated 0001-01-01 or 9999-12-31 is a problem naming the file and the path."""
    name = "plan_pgi_2024_ubnd.yaml"
    src = dict(shipped_sources)
    src[name] = src[name].replace("date: 2024-07-20", f"date: {when}", 1)
    assert src[name] != shipped_sources[name]
    kb, problems = validate(src)
    assert kb is None
    assert [f"date {when} is outside 2000–2100; check the year"] == [p.message for p in problems]
    assert (name, True) == (problems[0].file, problems[0].path.startswith("deadlines["))


def test_missing_kb_folder_on_a_fresh_database_is_one_line(tmp_path):
    """`python -m bot` with a missing PGI_KB_DIR and an empty database exits 2 with one line, no
    traceback."""
    env = {
        **os.environ,
        "PGI_DATA_DIR": str(tmp_path / "data"),
        "PGI_KB_DIR": str(tmp_path / "nowhere"),
    }
    env.pop("DATABASE_URL", None)
    env.pop("TELEGRAM_BOT_TOKEN", None)
    p = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert 2 == p.returncode
    assert "" == p.stdout
    assert [
        f"no knowledge base is loaded and none could be read: {tmp_path / 'nowhere'}: no such file"
        f" or directory; give the knowledge-base folder (PGI_KB_DIR={tmp_path / 'nowhere'})"
    ] == p.stderr.splitlines()
