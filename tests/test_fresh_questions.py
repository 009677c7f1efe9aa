"""Questions written by someone who never read the engine (tests/data/fresh_questions.jsonl).

208 questions in nine kinds (tests/data/fresh_questions.cats, one letter a line: everyday words for
indicators, agency × something else, the verb's kind, reverse look-ups, computations, premises,
fine detail, names, trick questions). Same classification and checker as
tests/test_official_questions.py: right, wrong (declined or asked back when an answer was expected,
or a wrong answer under "clarify"), or confidently wrong (an answer that states something other
than what the seeds say without asking or declining). Kept as a regression set: confident wrong
answers at most, and right ones at least, the figures recorded for each set (``Recorded``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.engine_ask import ask
from tests.support.questions import check_answer, classify

HERE = Path(__file__).parent / "data"
DATA = HERE / "fresh_questions.jsonl"
CATS = HERE / "fresh_questions.cats"


@dataclass(frozen=True)
class Recorded:
    """A question set in tests/data/ (``{name}_questions.jsonl`` and ``.cats``) and the figures it
    keeps: right answers at least ``right_min``, confident wrong ones at most
    ``confident_wrong_max``."""

    name: str
    right_min: int
    confident_wrong_max: int

    @property
    def data(self) -> Path:
        return HERE / f"{self.name}_questions.jsonl"

    @property
    def cats(self) -> Path:
        return HERE / f"{self.name}_questions.cats"


# first score, of the engine before it was rebuilt (issue 14): 108 right, 47 wrong, 53 confident
# wrong; after the rebuild: 177 right, 27 wrong, 4 confident wrong; after the context, frame and
# name work of the third set (issue 14): 184 right, 23 wrong, 1 confident wrong (see the README for
# it); after the work making the engine less sure when it should be: 185 right, 22 wrong, 1
# confident wrong (a department the registry does not have, "Sở Lao động Thương binh và Xã hội",
# answered with the roles of the groups it belongs to, as the official set expects for "Sở Lao
# động Thương binh và Xã hội phụ trách gì"); "tổng điểm PGI phải tăng thêm bao nhiêu để đạt mục
# tiêu 2024" is now a partial answer (the difference is not computed for the total): it was right
# only because CSTP 4's median happens to be 5,04, the difference asked; after the work on
# reading (issue 14: diacritics read as written, a lone syllable of a cue no cue, months named,
# "tỉnh nào", the total's difference computed, abbreviations, units, the years of a document,
# two rankings that agree, everyday words of eight indicators): 202 right, 5 wrong, 1 confident
# wrong (the same department); after the distinctive-phrase index and the broader lexicon: 204
# right, 3 wrong, 1 confident wrong
FRESH = Recorded("fresh", 204, 1)
# a second set by the same author, sealed from the engine's rebuild and scored only before and
# after it: 42 right, 18 wrong, 21 confident wrong before; 65 right, 13 wrong, 3 confident wrong
# after; 73 right, 8 wrong, 0 confident wrong after the work on the third set; 76 right, 5 wrong,
# 0 confident wrong after the work on reading; 78 right, 3 wrong, 0 confident wrong after the work
# on the fourth set's studied half (counts of an indicator's agencies, everyday words)
HOLDOUT = Recorded("holdout", 78, 0)
# a third set, 132 questions by someone who never saw the engine (one category letter a line in
# tests/data/third_questions.cats, described in tests/data/third_questions_categories.md): first
# score of the whole set before any engine work on it, 83 right, 39 wrong, 10 confident wrong. Its
# odd-numbered half was then studied; the even-numbered half, sealed, scored 41/19/6 before that
# work and 46/12/8 after it (two new confident wrong answers, from self-introductions and the
# documents executor answering for scores, deadlines and data); after the work making the engine
# less sure when it should be (kb/ask/asked.py, bare head names, another province, introductions
# that the question does not point back at, everyday words, a component's change quoted from the
# plan, a clear winner of the text index by a wide margin): studied half 66/0/0, formerly sealed
# half 64/2/0, whole 130/2/0; unchanged (130/2/0) after the work on reading; 132/0/0 after the
# rounds on the sixth, seventh and eighth sets
THIRD = Recorded("third", 132, 0)
# a fourth set, 219 questions by someone who read the domain, the seeds and the KB data but never
# the engine (same category letters, tests/data/fourth_questions.cats): first score before any
# engine work on it 176 right, 38 wrong, 5 confident wrong (odd-numbered half 90/19/1, even
# 86/19/4); after a round that never saw it 185/32/2 (94/16/0, 91/16/2); after a round that studied
# only the odd-numbered half 109/1/0 and, sealed, 96/10/3 (one confident wrong more on unseen
# questions: a count per agency fell through to the documents executor); after a round that read
# the whole set's remaining failures (counts per agency, "của đơn vị" pointing back at the asker,
# the assignment table chosen by "bảng phân công" or its year, openings and remarks about the past
# as background) 213/6/0; after the distinctive-phrase index and the broader lexicon 214/5/0;
# 217/2/0 after the rounds on the sixth, seventh and eighth sets, 218/1/0 after the ninth's
FOURTH = Recorded("fourth", 218, 0)
# a fifth set, 177 questions by another session that never read the engine: first score 149 right,
# 19 wrong, 9 confident wrong (odd-numbered half 74/11/4, even 75/8/5); after a round that studied
# only the odd-numbered half 87/2/0 and, sealed, 75/8/5 (none of the sealed half's confident wrong
# answers shared a mechanism with the studied ones); after a round on the whole set's remaining
# confident wrong answers 163/12/2. The two left are, we judge, the author's: "Đài Khí tượng Thủy
# văn tỉnh chủ trì những chỉ số gì" expects the coordinated indicators too (DOMAIN.md: "chủ trì"
# asks for the leads alone, as the dev set's "chúng tôi chủ trì chỉ số nào"), and "cho tôi xem hạn"
# expects a decline where the bot lists the deadlines; the file is kept as its author wrote it;
# after the distinctive-phrase index and the broader lexicon (neither saw the set) 169/6/2; 170/5/2
# after the rounds on the sixth, seventh and eighth sets; 172/4/1 after the tenth's to
# thirteenth's
FIFTH = Recorded("fifth", 172, 1)


def _rows(data: Path = DATA) -> list[dict]:
    return [
        json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def run(data: Path = DATA, cats_file: Path = CATS) -> dict[str, list[str]]:
    import score  # noqa: F401  - the dev score's checker must be there: without it nothing is checked

    cats = cats_file.read_text(encoding="utf-8").split()
    out: dict[str, list[str]] = {"right": [], "wrong": [], "confident_wrong": []}
    for cat, row in zip(cats, _rows(data), strict=True):
        ans = ask(
            row["q"], as_agency=row.get("as"), now=row.get("now"), lang=row.get("lang", "vi")
        )
        kind = classify(row["expect"], ans)
        why = check_answer(row["expect"], ans)
        out[kind].append(
            f"({cat}) {row['q']!r}: {why}" if kind != "right" else f"({cat}) {row['q']}"
        )
    return out


# a sixth set, 126 questions by another session that never read the engine: first score 109
# right, 15 wrong, 2 confident wrong (odd-numbered half 55/6/2, even 54/9/0); after a round that
# studied only the odd-numbered half, studied half 62/0/1 (the one confident wrong: "Sở Biển và
# Hải đảo", a department no province inland has, answered as a provincial body the plans do not
# name, with the groups' roles) and, sealed, 55/8/0 after this round and the seventh's and
# eighth's (54/9/0 after its own round alone), 56/7/0 after the ninth's: whole 118/7/1; whole
# 120/5/1 after the tenth's. The even half's failures were printed once, by mistake, at the start
# of the tenth's round (see the README): from then on it is no sealed half; 122/4/0 after the
# rounds on the tenth to thirteenth sets
SIXTH = Recorded("sixth", 122, 0)
# a seventh set, 164 questions by another session that never read the engine, written while the
# sixth set's round was under way and scored first at its end: 135 right, 22 wrong, 7 confident
# wrong (odd-numbered half 68/13/1, even 67/9/6); after a round that studied only the
# odd-numbered half, studied half 80/2/0 and, sealed, 67/9/6 (unchanged by that round), 69/7/6
# after the eighth's round: whole 149/9/6; 154/6/4 after the rounds on the tenth to thirteenth
# sets (the even half's failures were printed once at the start of the tenth's round, as the
# sixth's)
SEVENTH = Recorded("seventh", 154, 4)
# an eighth set, 122 questions by another session that never read the engine, written after the
# sixth's and seventh's rounds and scored first at their end: 102 right, 15 wrong, 5 confident
# wrong (odd-numbered half 47/12/2, even 55/3/3); after a round that studied only the odd-numbered
# half, studied half 59/2/0 and, sealed, 55/3/3: whole 114/5/3; 118/3/1 after the rounds on the
# tenth to thirteenth sets (its even half seen once, as the sixth's)
EIGHTH = Recorded("eighth", 118, 1)
# a ninth set, 111 questions by another session that never read the engine, written after the
# eighth's round and scored first at its end: 93 right, 14 wrong, 4 confident wrong (odd-numbered
# half 46/6/3, even 47/8/1); after a round that studied only the odd-numbered half, studied half
# 55/0/0 and, sealed, 47/8/1: whole 102/8/1; 103/7/1 after the tenth's (its even half no longer
# sealed since then, as the sixth's), 104/6/1 after the thirteenth's, 105/6/0 after the
# fourteenth's
NINTH = Recorded("ninth", 105, 0)
# a tenth set, 127 questions by another session that never read the engine, written and scored
# first at the start of its round (engine of 28124c4): 109 right, 13 wrong, 5 confident wrong
# (odd-numbered half, counting from 0, 51/9/3; even 58/4/2); after a round that studied only the
# odd-numbered half, studied half 62/1/0 and, sealed, 59/3/2: whole 121/4/2; after the rounds on
# the eleventh to thirteenth sets, studied 62/1/0, sealed 62/1/1: whole 124/2/1
TENTH = Recorded("tenth", 124, 1)
# an eleventh set, 129 questions leaning on everyday words, long messages, ambiguity, declines and
# computations, by another session that never read the engine; first score (f384e17): 83 right,
# 40 wrong, 6 confident wrong (odd-numbered half 40/18/6, even 43/22/0); after a round that
# studied only the odd-numbered half, studied 59/5/0 and, sealed, 45/20/0: whole 104/25/0
ELEVENTH = Recorded("eleventh", 104, 0)
# a twelfth set, 125 questions written as five kinds of official would type them, by another
# session; first score (f384e17 with the deadline change): 108/11/6 (odd 54/5/3, even 54/6/3);
# after the round on its odd half, studied 61/1/0, sealed 55/5/3: whole 116/6/3
TWELFTH = Recorded("twelfth", 116, 3)
# a thirteenth set, 127 questions by another session, written after the rounds on the tenth to
# twelfth sets and first scored at 7ec1c24: 113 right, 14 wrong, 0 confident wrong (odd 58/5/0,
# even 55/9/0); after a round on its odd half, studied 63/0/0, sealed 55/9/0: whole 118/9/0
THIRTEENTH = Recorded("thirteenth", 118, 0)
# a fourteenth set, 128 questions by another session, written after the rounds on the tenth to
# thirteenth sets and first scored at 5cf52e0: 111 right, 12 wrong, 5 confident wrong (odd
# 58/4/2, even 53/8/3); after a round on its odd half, studied 63/1/0, sealed 54/8/2: whole
# 117/9/2
FOURTEENTH = Recorded("fourteenth", 117, 2)
# a fifteenth set, 119 common questions asked many ways, by another session, first scored at
# ab2b7b7: 105 right, 5 wrong, 9 confident wrong as written; six of its rows (old names: "Sở
# GTVT", "Đài PT-TH", "Sở NN&PTNT", "Thanh tra Sở TN&MT", "Sở Kế hoạch và Đầu tư", "stnmt")
# expected the old name's own empty lists, against DOMAIN.md and the dev set ("Sở KH&ĐT phụ
# trách gì" lists the successor's roles): they now check the successor only, and the first
# score with them corrected is 111/5/3 (odd 54/3/2, even 57/2/1); after a round on its odd
# half, studied 56/3/0, sealed 57/2/1: whole 113/5/1
FIFTEENTH = Recorded("fifteenth", 113, 1)

SETS = {
    r.name: r
    for r in (
        FRESH,
        HOLDOUT,
        THIRD,
        FOURTH,
        FIFTH,
        SIXTH,
        SEVENTH,
        EIGHTH,
        NINTH,
        TENTH,
        ELEVENTH,
        TWELFTH,
        THIRTEENTH,
        FOURTEENTH,
        FIFTEENTH,
    )  # fmt: skip
}


@pytest.mark.parametrize("name", list(SETS))
def test_question_set_stays_at_least_as_good_as_recorded(name):
    """No more confident wrong answers than recorded, and at least as many right ones."""
    recorded = SETS[name]
    result = run(recorded.data, recorded.cats)
    print(
        f"{name}: { {k: len(v) for k, v in result.items()} } of {sum(map(len, result.values()))}"
    )
    assert len(result["confident_wrong"]) <= recorded.confident_wrong_max, result[
        "confident_wrong"
    ]
    assert len(result["right"]) >= recorded.right_min, result["wrong"]


if __name__ == "__main__":
    r = run()
    print({k: len(v) for k, v in r.items()})
    by_cat = {k: Counter(x[1] for x in v) for k, v in r.items()}
    print("by kind:", {c: {k: by_cat[k].get(c, 0) for k in r} for c in "abcdefghi"})
    for k in ("wrong", "confident_wrong"):
        for x in r[k]:
            print(k.upper(), x)
