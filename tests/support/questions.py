"""The checker of the question sets (tests/test_official_questions.py,
tests/test_fresh_questions.py): each answer right, wrong, or confidently wrong against what the
seeds say, by the dev score's checker in ../shared/eval."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "shared" / "eval"))


def check_answer(exp: dict, ans: dict) -> str | None:
    """What is wrong with an answer, by the dev score's own checker; None when it is right (or the
    checker is absent)."""
    try:
        from score import check  # the dev score's own checker
    except ImportError:  # pragma: no cover - the shared folder is absent
        return None
    if exp.get("decline"):
        if ans["intent"] not in ("unknown", "clarify"):
            return f"answered as {ans['intent']} instead of declining or asking"
        if ans.get("indicators") or (ans.get("indicator") or {}).get("lead"):
            return "declined with indicators"
        return None
    return check({k: v for k, v in exp.items() if k != "decline"}, ans)


def classify(exp: dict, ans: dict) -> str:
    """Right, wrong (declined or asked back), or confidently wrong (an answer other than the
    expected one, without asking or declining)."""
    why = check_answer(exp, ans)
    if why is None:
        return "right"
    asked = ans["intent"] in ("unknown", "clarify")
    return "wrong" if asked else "confident_wrong"
