"""Finding indicators by their subject: name, scope notes, component and a synonym list.

Each indicator is a bag of weighted words and subject tags (see kb/words/synonyms.py): words of its
name weigh most, the scope notes of its lead and coordinating cells ("nước sạch đô thị", "quản lý
việc xử lý chất thải tại các Khu công nghiệp") less, its component's name least. A question's topic
words are scored by inverse document frequency; the caller answers a clear winner, offers the close
ones as choices and declines a weak match.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from kb.model import Component, Indicator
from kb.normalize import normalize
from kb.words.judgements import JUDGEMENTS
from kb.words.phrases import PhraseIndex
from kb.words.synonyms import FILLER, tag

NAME, SCOPE, COMPONENT = 1.0, 0.7, 0.3
LEXICON = 0.8  # the lexicon's everyday words for an indicator (kb/data/lexicon.yaml)
CLEAR = 0.55  # a winner needs at least this much of the question's topic covered
WEAK = 0.5  # below this nothing is offered
MARGIN = 0.12  # a winner must lead the next one by this much


# the survey's judgements tell apart the items about one subject ("thanh tra … công bằng" from
# "thanh tra … đón tiếp"): a judgement a question states weighs more than a subject word
JUDGED = 1.5
# how an inspection is done (jointly, "liên ngành") judges it as the survey's judgements do
_JUDGEMENT_TAGS = frozenset("#" + k for k in (*JUDGEMENTS, "interagency"))


def _stress(term: str) -> float:
    return JUDGED if term in _JUDGEMENT_TAGS else 1.0


@dataclass(frozen=True)
class Hit:
    key: str  # indicator code, or component code (no dot)
    score: float


class TopicIndex:
    def __init__(
        self,
        indicators: list[Indicator],
        components: list[Component],
        stop: frozenset[str],
        lexicon: dict[str, tuple[str, ...]] | None = None,
    ):
        self.stop = stop | FILLER
        self._fixed: dict[str, str] = {}
        self.weights: dict[str, dict[str, float]] = {}
        self.bigrams: dict[str, frozenset[tuple[str, str]]] = {}
        df: dict[str, int] = defaultdict(int)
        texts: dict[str, list[str]] = {}
        comp_names = {c.code: c.name for c in components}
        for ind in indicators:
            w: dict[str, float] = {}
            self._add(w, comp_names.get(ind.component, ""), COMPONENT)
            scopes = (
                " ".join(a.scope or "" for a in (*ind.lead, *ind.coordinate))
                + " "
                + (ind.note or "")
            )
            self._add(w, scopes, SCOPE)
            phrases = (lexicon or {}).get(ind.code, ())
            for phrase in phrases:
                self._add(w, phrase, LEXICON)
            self._add(w, ind.name, NAME)
            self.weights[ind.code] = w
            pairs: set[tuple[str, str]] = set()
            for text in (ind.name, *phrases):
                seq = [t for t in tag(normalize(text).split()) if t not in self.stop]
                pairs.update(zip(seq, seq[1:], strict=False))
            self.bigrams[ind.code] = frozenset(pairs)
            texts[ind.code] = [ind.name, *phrases]
        for comp in components:
            w = {}
            for phrase in (lexicon or {}).get(comp.code, ()):
                self._add(w, phrase, LEXICON)
            self._add(w, comp.name, NAME)
            self.weights[comp.code] = w
        for code, w in self.weights.items():
            if "." in code:
                for t in w:
                    df[t] += 1
        self._index()
        self.phrases = PhraseIndex(texts)
        n = max(1, sum(1 for c in self.weights if "." in c))
        self.idf = {t: math.log(1 + n / k) * _stress(t) for t, k in df.items()}
        self.default_idf = math.log(1 + n)
        self.vocabulary = sorted(
            t for t in self.idf if len(t) >= 4 and not t.startswith("#") and not t[0].isdigit()
        )

    def _index(self) -> None:
        """Inverted lists, built once per KB version so that a search touches only the entries
        sharing a word (or a word pair) with the question instead of scanning every entry.
        Positions follow ``weights`` order, the order a full scan meets the entries in."""
        self._keys: list[str] = list(self.weights)
        # components included / not
        self._postings: dict[bool, dict[str, list[tuple[int, float]]]] = {
            True: defaultdict(list),
            False: defaultdict(list),
        }
        self._pair_postings: dict[tuple[str, str], list[int]] = defaultdict(list)
        for pos, (code, w) in enumerate(self.weights.items()):
            for t, weight in w.items():
                self._postings[True][t].append((pos, weight))
                if "." in code:
                    self._postings[False][t].append((pos, weight))
            for pair in self.bigrams.get(code, ()):
                self._pair_postings[pair].append(pos)

    def _add(self, w: dict[str, float], text: str, weight: float) -> None:
        toks = normalize(text).split()
        for t in tag(toks, keep_words=True):
            if t in self.stop:
                continue
            if w.get(t, 0.0) < weight:
                w[t] = weight

    def topic(self, tokens: list[str]) -> list[str]:
        """The question's topic: tags for synonym phrases, other words typo-corrected, no
        fillers."""
        out = []
        for t in tag(tokens):
            if t in self.stop or t.isdigit() or len(t) < 2:
                continue
            out.append(t if t.startswith("#") else self._correct(t))
        return list(dict.fromkeys(out))

    def _correct(self, tok: str) -> str:
        if tok in self.idf or len(tok) < 4 or not self.vocabulary:
            return tok
        fixed = self._fixed.get(tok)
        if fixed is None:
            hit = process.extractOne(
                tok, self.vocabulary, scorer=Levenshtein.normalized_similarity, score_cutoff=0.8
            )
            fixed = hit[0] if hit else tok
            if len(self._fixed) < 20000:  # typo corrections of one KB version, bounded
                self._fixed[tok] = fixed
        return fixed

    def search(
        self, tokens: list[str], components: bool = False, limit: int | None = None
    ) -> list[Hit]:
        """Entries sharing topic words with the question, best first (ties in entry order).

        ``limit``: only the best ``limit`` hits, the same as the full list's first ``limit``.
        """
        words = self.topic(tokens)
        if not words:
            return []
        known = [w for w in words if w in self.idf]
        if not known:
            return []
        total = sum(self.idf.get(w, self.default_idf) for w in words)
        pairs = set(zip(words, words[1:], strict=False))
        # each entry's terms idf(t) * weight(t), in the question's word order
        postings = self._postings[components]
        terms: dict[int, list[float]] = {}
        for t in words:
            idf = self.idf.get(t, self.default_idf)
            for pos, weight in postings.get(t, ()):
                found = terms.get(pos)
                if found is None:
                    terms[pos] = [idf * weight]
                else:
                    found.append(idf * weight)
        shared: dict[int, int] = {}  # entry -> how many of the question's word pairs its name has
        for pair in pairs:
            for pos in self._pair_postings.get(pair, ()):
                shared[pos] = shared.get(pos, 0) + 1
        keys = self._keys
        scored: list[tuple[str, float]] = []
        for pos in sorted(terms):
            got = sum(terms[pos])
            if got:
                cover = got / total
                if pairs:
                    cover = 0.85 * cover + 0.15 * shared.get(pos, 0) / len(pairs)
                scored.append((keys[pos], cover))
        if limit is not None:
            return [Hit(k, c) for k, c in heapq.nsmallest(limit, scored, key=lambda kc: -kc[1])]
        hits = [Hit(k, c) for k, c in scored]
        hits.sort(key=lambda h: -h.score)
        return hits


DECIDE_TOP = (
    5  # decide() looks at the first five hits only: search(..., limit=DECIDE_TOP) is enough
)


def decide(hits: list[Hit]) -> tuple[str, list[Hit]]:
    """("one", [winner]) | ("choose", close hits) | ("none", [])."""
    if not hits or hits[0].score < WEAK:
        return "none", []
    top = hits[0].score
    close = [h for h in hits[1:DECIDE_TOP] if h.score >= top - MARGIN]
    if top >= CLEAR and not close:
        return "one", [hits[0]]
    return "choose", [hits[0], *close][:4]
