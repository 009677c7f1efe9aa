"""Questions as officials type them (tests/data/official_questions.jsonl), each with its answer
from the seeds.

Every answer is right, wrong, or confidently wrong: an answer that states indicators, an indicator,
scores or an agency other than the expected ones without asking or declining. Confident wrong
answers must be zero; the right share must stay at or above the floor.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.engine_ask import ask
from tests.support.questions import check_answer, classify

DATA = Path(__file__).parent / "data" / "official_questions.jsonl"
RIGHT_FLOOR = 0.9


def run() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"right": [], "wrong": [], "confident_wrong": []}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        ans = ask(
            row["q"], as_agency=row.get("as"), now=row.get("now"), lang=row.get("lang", "vi")
        )
        kind = classify(row["expect"], ans)
        out[kind].append(
            f"{row['q']!r}: {check_answer(row['expect'], ans)}" if kind != "right" else row["q"]
        )
    return out


def test_official_questions_have_no_confident_wrong_answer_and_enough_right_ones():
    """No confident wrong answer; at least RIGHT_FLOOR of the questions answered right."""
    result = run()
    total = sum(len(v) for v in result.values())
    report = {k: len(v) for k, v in result.items()}
    print(f"official questions: {report} of {total}")
    assert [] == result["confident_wrong"]
    assert len(result["right"]) / total >= RIGHT_FLOOR, result["wrong"]


if __name__ == "__main__":
    r = run()
    print({k: len(v) for k, v in r.items()})
    for k in ("wrong", "confident_wrong"):
        for x in r[k]:
            print(k.upper(), x)
