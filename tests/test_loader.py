"""A broken knowledge base is refused with every problem listed, and nothing stored changes."""

from __future__ import annotations

import pytest

from kb.index import KbIndex
from kb.loader import KbError, load, read_sources, validate
from kb.model import KnowledgeBase
from tests.support.yaml_bomb import alias_bomb

PLAN = "plan_18_kh_ubnd_2026.yaml"


def _problems(sources):
    kb, problems = validate(sources)
    assert kb is None
    return [str(p) for p in problems]


def test_shipped_knowledge_base_is_valid(shipped_sources):
    """The files under kb/data pass validation."""
    kb, problems = validate(shipped_sources)
    assert [] == problems
    assert kb is not None


def test_unknown_agency_names_file_path_and_closest(shipped_sources):
    """An unknown agency is reported with its file, its path and the closest known name."""
    src = dict(shipped_sources)
    src[PLAN] = src[PLAN].replace(
        '{agency: "Sở Xây dựng", scope', '{agency: "Sở Xây dựg", scope', 1
    )
    problems = _problems(src)
    assert 1 == len(problems)
    assert problems[0].startswith(
        f"{PLAN}: components[0].indicators[4].lead[0].agency: unknown agency 'Sở Xây dựg'"
    )
    assert "closest: Sở Xây dựng" in problems[0]


def test_all_problems_at_once(shipped_sources):
    """Several mistakes in several files are all reported in one go."""
    src = dict(shipped_sources)
    src[PLAN] = (
        src[PLAN]
        .replace('code: "1.2"', 'code: "1.1"', 1)
        .replace("date: 2026-01-21", "date: 2026-13-45")
    )
    src["plan_86_kh_stnmt_2024.yaml"] = src["plan_86_kh_stnmt_2024.yaml"].replace(
        'score: "4,84"', 'score: "4.84x"'
    )
    problems = _problems(src)
    text = "\n".join(problems)
    assert "duplicate indicator code '1.1'" in text
    assert "'2026-13-45' does not exist: there is no month 13" in text
    assert "plan_86_kh_stnmt_2024.yaml: components[0].score: bad number '4.84x'" in text
    assert len(problems) >= 3


def test_missing_field_and_unknown_field(shipped_sources):
    """A missing required field and a misspelt field name are both named, with a suggestion."""
    src = dict(shipped_sources)
    src[PLAN] = src[PLAN].replace("lead:", "leed:", 1)
    text = "\n".join(_problems(src))
    assert "unknown field (did you mean 'lead'?)" in text
    assert "components[0].indicators[0].lead: missing field; it is required" in text


def test_invalid_yaml_gives_line(shipped_sources):
    """A syntax error names the file and the line."""
    src = dict(shipped_sources)
    src[PLAN] = src[PLAN] + "\n  - : : [\n"
    text = "\n".join(_problems(src))
    assert f"{PLAN}: line" in text and "not valid YAML" in text


def test_missing_registry(shipped_sources):
    """Without agencies.yaml every agency is unknown, and the missing registry is said first."""
    src = {k: v for k, v in shipped_sources.items() if k != "agencies.yaml"}
    problems = _problems(src)
    assert problems[0].startswith("agencies.yaml: the agency registry is missing")


def test_alias_on_two_agencies_is_refused(shipped_sources):
    """One alias may not name two agencies."""
    src = dict(shipped_sources)
    src["agencies.yaml"] = src["agencies.yaml"].replace(
        'aliases: ["SYT",', 'aliases: ["Sở XD", "SYT",', 1
    )
    assert any("names several agencies" in p for p in _problems(src))


def test_unknown_successor_and_cycle(shipped_sources):
    """A successor must exist, and successions may not loop."""
    src = dict(shipped_sources)
    reg = src["agencies.yaml"].replace(
        'succeeded_by: so-nnmt\n    since: "2025-03"\n  - id: so-nnptnt',
        'succeeded_by: so-nowhere\n    since: "2025-03"\n  - id: so-nnptnt',
        1,
    )
    src["agencies.yaml"] = reg
    assert any("unknown agency id 'so-nowhere'" in p for p in _problems(src))


def test_two_current_plans_refused(shipped_sources):
    """Exactly one assignment plan is current."""
    src = dict(shipped_sources)
    src["second.yaml"] = src[PLAN].replace("plan-18-2026", "plan-19-2027")
    assert any(
        "exactly one assignment_plan must have 'current: true'" in p for p in _problems(src)
    )


def test_the_current_plan_is_the_one_marked_current(kb):
    """The index's current plan (what every flow reads) is the plan with 'current: true'."""
    assert "plan-18-2026" == KbIndex(kb).require_plan().id


def test_an_index_without_a_plan_says_it_was_not_validated():
    """An index built from a knowledge base that skipped validation and has no plan says so
    instead of failing later on ``None``."""
    index = KbIndex(KnowledgeBase(agencies={}, documents={}))
    with pytest.raises(LookupError, match="no assignment_plan document"):
        index.require_plan()


def test_load_raises_with_problems(shipped_sources):
    """load() raises KbError carrying the problems."""
    src = dict(shipped_sources)
    src[PLAN] = "document: []\n"
    with pytest.raises(KbError) as exc:
        load(src)
    assert exc.value.problems


def test_not_a_mapping_and_non_utf8(tmp_path):
    """A file that is not a mapping, or not UTF-8, is refused with a message."""
    (tmp_path / "a.yaml").write_bytes(b"\xff\xfe broken")
    with pytest.raises(KbError) as exc:
        read_sources(tmp_path)
    assert "UTF-8" in str(exc.value)
    assert any("must be a YAML mapping" in p for p in _problems({"x.yaml": "- 1\n- 2\n"}))


def test_missing_directory():
    """A path that does not exist is a clear problem, not a traceback."""
    with pytest.raises(KbError) as exc:
        read_sources("/nonexistent/kb")
    assert "no such file or directory" in str(exc.value)


def test_anchors_and_aliases_are_refused_without_expanding_them(shipped_sources):
    """A file with nested aliases (a "billion laughs") is refused at once, with its line, before
    anything is expanded; a lone anchor is refused too."""
    import time

    src = dict(shipped_sources)
    src["agencies.yaml"] = alias_bomb(
        7
    )  # 650 bytes; before the fix: 10 s and 630 MB to quote one date
    started = time.monotonic()
    problems = validate(src)[1]
    assert time.monotonic() - started < 5
    found = [p for p in problems if "anchor" in p.message]
    assert 1 == len(found) and "anchor or alias '&a0'" in found[0].message and 3 == found[0].line
    src["agencies.yaml"] = shipped_sources["agencies.yaml"].replace(
        "agencies:", "agencies: &all", 1
    )
    assert any("anchor or alias '&all'" in p for p in _problems(src))


def test_duplicate_keys_are_problems_with_their_line(shipped_sources):
    """A key written twice in one mapping (a second `lead:`) is a problem naming the file and
    both lines; the rest of the file is still checked."""
    src = dict(shipped_sources)
    lines = src[PLAN].splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("lead:"))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines.insert(at, f'{indent}lead: [{{agency: "Sở Xây dựng"}}]')
    src[PLAN] = "\n".join(lines) + "\n"
    kb, problems = validate(src)
    assert kb is None
    dup = [p for p in problems if "written twice" in p.message]
    assert 1 == len(dup) and PLAN == dup[0].file and at + 2 == dup[0].line
    assert f"first on line {at + 1}" in dup[0].message and "'lead'" in dup[0].message
