"""Distinctive phrases: the word runs of an indicator's texts that no other indicator has.

The topic index (kb/words/topics.py) weighs a question's words one by one and drops grammar words,
so "không biết đầu tư xanh là gì" and "đầu tư xanh" look alike to it, although the plan's
indicators tell them apart by exactly those dropped words ("Không đầu tư xanh vì thiếu nhận
thức"). This index keeps every run of MIN_RUN to MAX_RUN syllables of each indicator's name and
everyday phrases (kb/data/lexicon.yaml), folded, and only the runs that one indicator alone has.
A question holding such a run names that indicator; the longest run found decides.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kb.normalize import normalize

MIN_RUN = 4  # syllables: two Vietnamese words; shorter runs are shared words, not phrases
MAX_RUN = 10
# the function words that change what a phrase says and that a bag of content words loses:
# negation, cause, the passive, lack, before/after ("không đầu tư xanh vì thiếu nhận thức")
TURNING = frozenset(
    normalize("không chưa chẳng chả vì do bị được thiếu trước sau khó dễ ít").split()
)


@dataclass(frozen=True)
class PhraseHit:
    code: str
    length: int  # syllables of the run
    grammar: bool  # the run holds a TURNING word ("không", "vì", "thiếu") before its last word


class PhraseIndex:
    def __init__(self, texts: dict[str, list[str]]):
        """``texts``: indicator code → its name and everyday phrases."""
        owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for code, values in texts.items():
            for text in values:
                toks = normalize(text).split()
                for n in range(MIN_RUN, min(MAX_RUN, len(toks)) + 1):
                    for i in range(len(toks) - n + 1):
                        owners[tuple(toks[i : i + n])].add(code)
        self.runs = {run: next(iter(c)) for run, c in owners.items() if len(c) == 1}

    def best(self, words: list[str]) -> PhraseHit | None:
        """The longest distinctive run the question's words hold, when every run of that length
        names the same indicator; None otherwise."""
        for n in range(min(MAX_RUN, len(words)), MIN_RUN - 1, -1):
            found = {tuple(words[i : i + n]) for i in range(len(words) - n + 1)} & self.runs.keys()
            codes = {self.runs[run] for run in found}
            if len(codes) == 1:
                # a turning word the run ends on turns nothing it holds ("tỷ lệ doanh nghiệp bị":
                # bị what?)
                grammar = any(w in TURNING for run in found for w in run[:-1])
                return PhraseHit(codes.pop(), n, grammar)
            if codes:
                return None
        return None
