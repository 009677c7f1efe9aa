"""Questions written by someone who never read the engine (tests/data/fresh_questions.jsonl).

208 questions in nine kinds (tests/data/fresh_questions.cats, one letter a line: everyday words for
indicators, agency × something else, the verb's kind, reverse look-ups, computations, premises,
fine detail, names, trick questions). Same classification and checker as
tests/test_official_questions.py: right, wrong (declined or asked back when an answer was expected,
or a wrong answer under "clarify"), or confidently wrong (an answer that states something other
than what the seeds say without asking or declining). Kept as a regression set: confident wrong
answers at most CONFIDENT_WRONG_MAX, right ones at least RIGHT_MIN.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import tests.test_official_questions as official
from tests.support.engine_ask import ask

DATA = Path(__file__).parent / "data" / "fresh_questions.jsonl"
CATS = Path(__file__).parent / "data" / "fresh_questions.cats"
# first score, of the engine before it was rebuilt (issue 14): 108 right, 47 wrong, 53 confident wrong;
# after the rebuild: 177 right, 27 wrong, 4 confident wrong (see the README for the four)
RIGHT_MIN = 177
CONFIDENT_WRONG_MAX = 4


def _rows() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def run() -> dict[str, list[str]]:
    import score  # noqa: F401  - the dev score's checker must be there: without it nothing is checked

    cats = CATS.read_text(encoding="utf-8").split()
    out: dict[str, list[str]] = {"right": [], "wrong": [], "confident_wrong": []}
    for cat, row in zip(cats, _rows(), strict=True):
        ans = ask(row["q"], as_agency=row.get("as"), now=row.get("now"), lang=row.get("lang", "vi"))
        kind = official.classify(row["expect"], ans)
        why = official._check(row["expect"], ans)
        out[kind].append(f"({cat}) {row['q']!r}: {why}" if kind != "right" else f"({cat}) {row['q']}")
    return out


def test_fresh_questions_stay_at_least_as_good_as_recorded():
    """No more confident wrong answers than recorded, and at least as many right ones."""
    result = run()
    print(f"fresh questions: { {k: len(v) for k, v in result.items()} } of {sum(map(len, result.values()))}")
    assert len(result["confident_wrong"]) <= CONFIDENT_WRONG_MAX, result["confident_wrong"]
    assert len(result["right"]) >= RIGHT_MIN, result["wrong"]


if __name__ == "__main__":
    r = run()
    print({k: len(v) for k, v in r.items()})
    by_cat = {k: Counter(x[1] for x in v) for k, v in r.items()}
    print("by kind:", {c: {k: by_cat[k].get(c, 0) for k in r} for c in "abcdefghi"})
    for k in ("wrong", "confident_wrong"):
        for x in r[k]:
            print(k.upper(), x)
