"""One ranked text index over every text the knowledge base holds, built once per KB version.

Indicator and component names, the lexicon's everyday words for them (kb/data/lexicon.yaml), scope
notes, every task of the task plan, every data item of the data request (with its form and unit),
footnotes, deadlines and document titles. Texts and questions are tokenised alike: folded
Vietnamese (kb/normalize.py), the synonym groups of kb/words/synonyms.py applied (the words are
kept and the group's tag added), syllable unigrams and bigrams, no stop words. Ranking is BM25 (the
`bm25s` library); a hit also says which of the question's words it explains (``matched``), so the
caller can tell a question it understood from one it only partly understood.
"""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import bm25s
import numpy as np

from kb.model import KnowledgeBase
from kb.normalize import normalize
from kb.words.synonyms import FILLER, tag

# bm25s logs every index build at DEBUG on its own handler; a KB version's build is no news
logging.getLogger("bm25s").setLevel(logging.WARNING)

# how much a text counts for the thing it describes
WEIGHTS = {"name": 1.0, "lexicon": 0.9, "scope": 0.6, "component": 0.3, "text": 1.0}
# a word the official name has counts more than one only the lexicon's paraphrase has
COVER_WEIGHTS = {"name": 1.0, "lexicon": 0.75, "scope": 0.6}
CLEAR, WEAK, MARGIN, COVER_MARGIN = 0.6, 0.34, 0.15, 0.25
# a rival explaining as much of the question with far rarer weight (common words) is no rival
RIVAL = 0.4
# a winner explaining at least this share, ranked this many times above every other, is clear too
HALF_CLEAR, DOMINANT = 0.4, 3.0
# how the firm survey frames every item ("tỷ lệ DN thấy …", "% đồng ý"): no subject of its own
SURVEY_FRAME = frozenset(
    normalize(
        "tỷ lệ thấy cho rằng đồng ý nhận định đánh giá think thinks believe believes agree agrees "
        "that say says share percentage proportion rate per cent"
    ).split()
)
CONTEXT_TAGS = frozenset({"#business"})
_UNIT = re.compile(r"\(([^()]*)\)\s*$")


@dataclass(frozen=True)
class Text:
    kind: (
        str  # indicator | component | task | data_item | footnote | deadline | document | purpose
    )
    plan_id: str  # the document the text belongs to
    key: str  # indicator / component code, "section.ref.n" of a task, "ref.n" of a data item, …
    field: str  # name | lexicon | scope | component | text
    text: str


@dataclass(frozen=True)
class Hit:
    kind: str
    plan_id: str
    key: str
    score: float  # weighted BM25, for ranking
    cover: float  # share of the question's term weight the thing's texts explain (0..1)
    matched: frozenset[str]  # the question's words its texts contain


def unit_of(text: str) -> str | None:
    """The unit a data item or indicator states at its end: "(%)" → "%"; None when it states
    none."""
    m = _UNIT.search(text or "")
    if not m:
        return None
    inner = m.group(1).split(",")[-1].strip()
    return inner or None


_SENTENCE = re.compile(r"(?<=[;.:])\s+(?=[A-ZĐÂĂÊÔƠƯa-zđ(])")


def task_key(t, n: int) -> str:
    """The text index's key of the n-th task of a task-plan row."""
    return f"{t.section}.{t.component or ''}.{t.ref}.{n}"


def _passages(kb: KnowledgeBase) -> list[Text]:
    """The documents' own sentences: footnotes, purposes and requirements, the background's."""
    out: list[Text] = []
    for doc_id, texts in kb.texts.items():
        for n, note in enumerate(texts.get("footnotes", ())):
            out.append(Text("footnote", doc_id, str(n), "text", note))
        for n, p in enumerate((*texts.get("purpose", ()), *texts.get("requirements", ()))):
            out.append(Text("purpose", doc_id, str(n), "text", p))
        sentences = [
            x
            for b in texts.get("background", ())
            for x in _SENTENCE.split(b)
            if len(x.split()) >= 4
        ]
        out.extend(Text("passage", doc_id, str(n), "text", x) for n, x in enumerate(sentences))
    return out


def _texts(kb: KnowledgeBase, lexicon: dict[str, dict[str, tuple[str, ...]]]) -> list[Text]:
    out: list[Text] = []
    comp_names = {(c.plan_id, c.code): c.name for c in kb.components}
    for c in kb.components:
        out.append(Text("component", c.plan_id, c.code, "name", c.name))
    for ind in kb.indicators:
        out.append(Text("indicator", ind.plan_id, ind.code, "name", ind.name))
        scopes = [a.scope for a in (*ind.lead, *ind.coordinate) if a.scope]
        if scopes or ind.note:
            out.append(
                Text(
                    "indicator",
                    ind.plan_id,
                    ind.code,
                    "scope",
                    " ".join([*scopes, ind.note or ""]),
                )
            )
        out.append(
            Text(
                "indicator",
                ind.plan_id,
                ind.code,
                "component",
                comp_names.get((ind.plan_id, ind.component), ""),
            )
        )
    for plan_id, by_code in lexicon.items():
        for code, phrases in by_code.items():
            kind = "indicator" if "." in code else "component"
            out.extend(Text(kind, plan_id, code, "lexicon", phrase) for phrase in phrases)
    for t in kb.tasks:
        for n, task in enumerate(t.tasks):
            out.append(Text("task", t.doc_id, task_key(t, n), "text", task))
    for r in kb.data_requests:
        for n, item in enumerate(r.items):
            extra = " ".join(x for x in (item.form, item.index, item.note) if x)
            out.append(
                Text("data_item", r.doc_id, f"{r.ref}.{n}", "text", f"{item.text} {extra}".strip())
            )
    out.extend(_passages(kb))
    for d in kb.deadlines:
        out.append(Text("deadline", d.doc_id, d.id, "text", d.title))
    for doc in kb.documents.values():
        out.append(
            Text(
                "document",
                doc.id,
                doc.id,
                "text",
                " ".join(x for x in (doc.title, doc.number or "") if x),
            )
        )
    return out


class TextIndex:
    def __init__(
        self,
        kb: KnowledgeBase,
        stop: frozenset[str] = frozenset(),
        lexicon: dict[str, dict[str, tuple[str, ...]]] | None = None,
    ):
        """``lexicon``: plan id → code → everyday phrases (kb/data/lexicon.yaml, per plan
        numbering)."""
        self.stop = frozenset(stop) | FILLER | SURVEY_FRAME
        self.texts = _texts(kb, lexicon or {})
        corpus = [self.terms(normalize(t.text).split()) for t in self.texts]
        self._words = [frozenset(t for t in terms if " " not in t) for terms in corpus]
        self._pairs = [frozenset(t for t in terms if " " in t) for terms in corpus]
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        vocab = self._bm25.vocab_dict
        self._vocab = frozenset(vocab)
        df: dict[str, int] = defaultdict(int)
        for terms in corpus:
            for t in set(terms):
                df[t] += 1
        n = len(corpus)
        self.idf = {t: math.log(1 + n / k) for t, k in df.items()}
        self.default_idf = math.log(1 + n)
        self._weights = np.array([WEIGHTS.get(t.field, 1.0) for t in self.texts])
        self._groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for i, text in enumerate(self.texts):
            self._groups[(text.kind, text.plan_id, text.key)].append(i)

    def terms(self, tokens: list[str]) -> list[str]:
        """Index terms of a token list: words and synonym tags (no stop words), and their
        bigrams."""
        seq = [t for t in tag(tokens, keep_words=True) if t not in self.stop and not t.isdigit()]
        return seq + [f"{a} {b}" for a, b in zip(seq, seq[1:], strict=False)]

    def search(
        self,
        tokens: list[str],
        kinds: Iterable[str] = ("indicator",),
        plan_id: str | None = None,
        limit: int = 5,
    ) -> list[Hit]:
        """The things (indicators, tasks, …) best described by the question's words, best first."""
        terms = self.terms(tokens)
        query = [t for t in terms if t in self._vocab]
        if not query:
            return []
        raw = self._bm25.get_scores(query) * self._weights
        wanted = frozenset(kinds)
        qwords = {t for t in query if " " not in t}
        # words the KB never uses count fully against the cover: "giá vàng" is not about prices of
        # green goods
        total = sum(self.idf.get(t, self.default_idf) for t in terms if " " not in t) or 1.0
        best: dict[tuple[str, str, str], float] = {}
        for i in np.flatnonzero(raw > 0):
            t = self.texts[i]
            if t.kind not in wanted or (plan_id is not None and t.plan_id != plan_id):
                continue
            k = (t.kind, t.plan_id, t.key)
            if raw[i] > best.get(k, 0.0):
                best[k] = float(raw[i])
        hits = []
        for k, score in sorted(best.items(), key=lambda kv: -kv[1])[: limit * 2]:
            matched = frozenset(
                w
                for i in self._groups[k]
                if self.texts[i].field != "component"
                for w in qwords & self._words[i]
            )
            cover = sum(self.idf.get(t, 0.0) for t in matched) / total
            hits.append(Hit(k[0], k[1], k[2], score, cover, matched))
        hits.sort(key=lambda h: (-(h.score * (0.5 + h.cover)), h.key))
        return hits[:limit]

    def covers(
        self,
        tokens: list[str],
        plan_id: str,
        kind: str = "indicator",
        fields: tuple[str, ...] = ("name", "lexicon"),
    ) -> dict[str, tuple[float, frozenset[str]]]:
        """Each thing of a plan whose named fields share words with the question: key → (cover,
        words).

        The cover is the share of the question's topic weight (idf) those texts explain; a filter
        ("Sở X's indicators about water") keeps the things that explain the most.
        """
        # a synonym phrase counts once, as its tag: "khu, cụm công nghiệp" is one subject, not four
        # words
        terms = [t for t in tag(tokens) if t not in self.stop and not t.isdigit()]
        total = sum(self.idf.get(t, self.default_idf) for t in set(terms)) or 1.0
        qwords = frozenset(terms)
        qpairs = frozenset(t for t in self.terms(tokens) if " " in t)
        out: dict[str, tuple[float, frozenset[str]]] = {}
        for (k, plan, key), rows in self._groups.items():
            if k != kind or plan != plan_id:
                continue
            weight: dict[str, float] = {}
            strong = (
                False  # a subject tag or two syllables in a row: one shared syllable is no subject
            )
            for i in rows:
                field = self.texts[i].field
                if field in fields:
                    for w in qwords & self._words[i]:
                        weight[w] = max(weight.get(w, 0.0), COVER_WEIGHTS.get(field, 1.0))
                        strong = strong or w.startswith("#")
                    strong = strong or not qpairs.isdisjoint(self._pairs[i])
            if weight and strong:
                out[key] = (
                    sum(self.idf.get(t, 0.0) * k for t, k in weight.items()) / total,
                    frozenset(weight),
                )
        return out

    def text_of(self, hit: Hit, field: str = "name") -> str:
        for i in self._groups[(hit.kind, hit.plan_id, hit.key)]:
            if self.texts[i].field == field:
                return self.texts[i].text
        return ""


def _dominant(hits: list[Hit]) -> bool:
    """A winner explaining less of the question (a long complaint around the indicator's words)
    that outranks every other text many times over."""
    rest = max((h.score for h in hits[1:]), default=0.0)
    return hits[0].cover >= HALF_CLEAR and hits[0].score >= rest * DOMINANT


def decide(hits: list[Hit]) -> tuple[str, list[Hit]]:
    """("one", [winner]) | ("choose", close hits) | ("none", []): a clear winner, close ones, or
    weak."""
    if not hits or hits[0].cover < WEAK:
        return "none", []
    top = hits[0].score * (0.5 + hits[0].cover)
    # close: nearly as well ranked, or explaining nearly as much of the question
    close = [
        h
        for h in hits[1:]
        if h.score * (0.5 + h.cover) >= top * (1 - MARGIN)
        or (h.cover >= hits[0].cover - COVER_MARGIN and h.score >= hits[0].score * RIVAL)
    ]
    # a close one that names no subject of its own, where the winner names one it lacks ("công
    # bằng" beside "đoàn kiểm tra"), is no rival: firms are every indicator's context
    concepts = {w for w in hits[0].matched if w.startswith("#")} - CONTEXT_TAGS
    close = [
        h
        for h in close
        if not ({w for w in h.matched if w.startswith("#")} - CONTEXT_TAGS < concepts)
    ]
    if not close and (hits[0].cover >= CLEAR or _dominant(hits)):
        return "one", [hits[0]]
    return "choose", [hits[0], *close][:4]
