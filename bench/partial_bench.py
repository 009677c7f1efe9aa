"""What the "every word accounted for" rule costs and saves: for the partial answers the engine
gives on a question set ("Tôi hiểu là bạn hỏi …"), whether the part it understood would have been
right had it been stated as the answer.

    python bench/partial_bench.py tests/data/sixth_questions.jsonl:even \
        tests/data/fifth_questions.jsonl

``FILE:odd`` or ``FILE:even`` takes one half (the 1st, 3rd, … question is odd-numbered). For each
number of words left unexplained (1, 2, 3 or more) it prints how many partial answers understood
the question as expected (they would be right if stated), how many understood another kind,
indicator or agency (they would be confidently wrong), and how many were questions to decline.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.engine_ask import ask  # noqa: E402


def _rows(spec: str) -> list[dict]:
    path, _, half = spec.partition(":")
    rows = [
        json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line
    ]
    if half in ("odd", "even"):
        rows = rows[0 if half == "odd" else 1 :: 2]
    return rows


def verdict(expect: dict, understood: dict) -> str:
    """What stating the understood part would have been: "right", "wrong" or "declined"."""
    if expect.get("decline"):
        return "declined"
    for key in ("intent", "indicator", "agency"):
        if key in expect and (understood.get(key) or None) != expect[key]:
            return "wrong"
    return "right"


def main(specs: list[str]) -> None:
    counts: Counter[tuple[int, str]] = Counter()
    for spec in specs:
        for row in _rows(spec):
            ans = ask(
                row["q"], as_agency=row.get("as"), now=row.get("now"), lang=row.get("lang", "vi")
            )
            understood = ans.get("understood")
            if ans["intent"] != "clarify" or not understood:
                continue
            words = min(3, len(understood.get("not_understood") or []))
            counts[(words, verdict(row["expect"], understood))] += 1
    for words in (1, 2, 3):
        got = {v: counts[(words, v)] for v in ("right", "wrong", "declined")}
        label = f"{words}{'+' if words == 3 else ''} word(s) left"
        print(
            f"{label}: {sum(got.values())} partial answers; stated, {got['right']} would be right,"
            f" {got['wrong']} confidently wrong, {got['declined']} a decline made an answer"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
