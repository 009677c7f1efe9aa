"""The in-memory index the engine answers from, built once per knowledge-base version.

It holds only derived, read-only lookups (aliases, role tables, vocabulary), so a new version is
built aside and swapped in with one reference assignment.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from kb.model import (
    COMMUNE,
    DISTRICT,
    GROUP,
    Agency,
    Component,
    Document,
    Indicator,
    KnowledgeBase,
)
from kb.normalize import normalize

_DROP_TAIL = (("tinh", "lang", "son"), ("lang", "son"), ("tinh",))
_SKIP = frozenset({"va", "cac", "cua", "and", "of"})


def short_forms(name: str, agency_type: str) -> set[str]:
    """Forms officials write for a registered name: without "tỉnh (Lạng Sơn)", abbreviated by
    initials ("Sở Văn hóa, Thể thao và Du lịch" → "sở vhttdl"), a company by its trade
    ("Công ty cổ phần cấp thoát nước Lạng Sơn" → "cấp thoát nước"), "Trung tâm" → "TT"."""
    toks = name.split()
    out: set[str] = set()
    if agency_type == GROUP or len(toks) < 2:
        return out
    bases = [toks]
    for tail in _DROP_TAIL:
        if tuple(toks[-len(tail) :]) == tail and len(toks) > len(tail) + 1:
            bases.append(toks[: -len(tail)])
            break
    for base in bases:
        out.add(" ".join(base))
        head, rest = base[0], base[1:]
        if head in ("so", "ban", "trung", "cong", "dai", "cuc") and len(rest) >= 2:
            if head == "trung" and rest[0] == "tam":
                rest = rest[1:]
                out.add(" ".join(["tt", *rest]))
            if head == "cong" and rest[0] == "ty":
                rest = [t for t in rest[1:] if t not in ("co", "phan", "cp")]
                if len(rest) >= 2:
                    out.update(
                        {" ".join(rest), " ".join(["cty", *rest]), " ".join(["cong", "ty", *rest])}
                    )
            initials = "".join(t[0] for t in rest if t not in _SKIP)
            if len(initials) >= 3 and head != "cong":
                out.add(f"{head} {initials}" if head != "trung" else f"tt {initials}")
                if head == "so":
                    out.add(f"s{initials}")
    return {o for o in out if len(o) >= 4}


@dataclass(frozen=True)
class NameEntry:
    """One indicator or component name prepared for word matching."""

    key: tuple[str, str]  # (plan id, code); component codes have no dot
    tokens: frozenset[str]
    bigrams: frozenset[tuple[str, str]]


class KbIndex:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.agencies = kb.agencies
        # alias (normalized) -> agency ids; aliases grouped by their first token for scanning
        self.alias_ids: dict[str, frozenset[str]] = {}
        by_first: dict[str, set[int]] = defaultdict(set)
        for agency in kb.agencies.values():
            for alias in (agency.name, *agency.aliases):
                key = normalize(alias)
                if key:
                    self.alias_ids[key] = self.alias_ids.get(key, frozenset()) | {agency.id}
        # short forms generated from the registry; one that would name two agencies is dropped
        generated: dict[str, set[str]] = defaultdict(set)
        for agency in kb.agencies.values():
            for alias in (agency.name, *agency.aliases):
                for form in short_forms(normalize(alias), agency.type):
                    if form not in self.alias_ids:
                        generated[form].add(agency.id)
        for form, ids in generated.items():
            if len(ids) == 1:
                self.alias_ids[form] = frozenset(ids)
        self.alias_keys: list[str] = sorted(self.alias_ids)
        self.alias_words: frozenset[str] = frozenset(w for k in self.alias_keys for w in k.split())
        self.text_words: frozenset[str] = text_words(kb)
        self.text_bigrams: frozenset[tuple[str, str]] = text_bigrams(kb)
        self.alias_keys_by_head: dict[str, list[str]] = defaultdict(list)
        for key in self.alias_keys:
            self.alias_keys_by_head[key.split()[0]].append(key)
        for i, key in enumerate(self.alias_keys):
            by_first[key.split()[0]].add(i)
        self.alias_by_first: dict[str, tuple[int, ...]] = {
            k: tuple(sorted(v)) for k, v in by_first.items()
        }
        self.heads: list[str] = sorted(self.alias_by_first)
        self.max_alias_len = max((len(k.split()) for k in self.alias_keys), default=1)
        # longest alias (in tokens) per head word: an exact scan need not try longer phrases
        self.max_len_by_head: dict[str, int] = {}
        for key in self.alias_keys:
            toks = key.split()
            self.max_len_by_head[toks[0]] = max(self.max_len_by_head.get(toks[0], 0), len(toks))
        # alias keys per agency id (sorted like alias_keys), for the typo check of a fuzzy match
        self.alias_keys_of: dict[str, list[str]] = defaultdict(list)
        for key in self.alias_keys:
            for aid in self.alias_ids[key]:
                self.alias_keys_of[aid].append(key)
        self.alias_keys_of = dict(self.alias_keys_of)
        # phrase head word -> multi-word aliases the fuzzy step compares against (see
        # resolve._fuzzy); filled lazily per word, bounded, and like everything here valid for this
        # KB version only
        self.fuzzy_aliases: dict[str, tuple[str, ...]] = {}

        self.predecessors: dict[str, frozenset[str]] = {}
        for aid in kb.agencies:
            self.predecessors[aid] = frozenset(
                a for a in kb.agencies if self.current_id(a) == aid and a != aid
            )

        self._tables(kb)
        self._names(kb)

    def _tables(self, kb: KnowledgeBase) -> None:
        """Documents, indicators and components by plan, and the cells naming each agency."""
        self.documents: dict[str, Document] = dict(kb.documents)
        self.plans = [d for d in kb.documents.values() if d.kind == "assignment_plan"]
        self.current_plan = next(
            (d for d in self.plans if d.current), self.plans[0] if self.plans else None
        )
        self.indicators: dict[str, dict[str, Indicator]] = defaultdict(dict)
        # plan id -> agency id -> indicators whose lead or coordinate cell names that agency
        self.cells: dict[str, dict[str, list[Indicator]]] = defaultdict(lambda: defaultdict(list))
        for ind in kb.indicators:
            self.indicators[ind.plan_id][ind.code] = ind
            for a in {x.agency_id for x in (*ind.lead, *ind.coordinate)}:
                self.cells[ind.plan_id][a].append(ind)
        self._groups: dict[tuple[str, str, tuple[str, ...]], list[Agency]] = {}
        self.components: dict[str, dict[str, Component]] = defaultdict(dict)
        for comp in kb.components:
            self.components[comp.plan_id][comp.code] = comp

    def _names(self, kb: KnowledgeBase) -> None:
        """Word statistics over indicator and component names, and the names of communes and
        districts."""
        self.names: dict[str, list[NameEntry]] = defaultdict(list)
        df: dict[str, int] = defaultdict(int)
        total = 0
        for ind in kb.indicators:
            entry = _entry((ind.plan_id, ind.code), ind.name)
            self.names[ind.plan_id].append(entry)
            for t in entry.tokens:
                df[t] += 1
            total += 1
        for comp in kb.components:
            entry = _entry((comp.plan_id, comp.code), comp.name)
            self.names[comp.plan_id].append(entry)
        self.idf = {t: math.log(1 + total / n) for t, n in df.items()}
        self.default_idf = math.log(1 + total)
        self.vocabulary: list[str] = sorted(
            t for t in self.idf if len(t) >= 3 and not t[0].isdigit()
        )

        # communes and wards since 1/7/2025, and the former districts
        self.place_names: dict[tuple[str, ...], tuple[str, str]] = {}
        for place in kb.places.units:
            self.place_names[tuple(normalize(place.name).split())] = (place.name, place.kind)
        self.former_names: dict[tuple[str, ...], tuple[str, str]] = {
            tuple(normalize(p.name).split()): (p.name, p.kind) for p in kb.places.former
        }

    def place(self, name: list[str], kind: str) -> tuple[list[str], str, str] | None:
        """The unit a typed name stands for (typos allowed): (tokens, name,
        "xa"|"phuong"|"huyen"…)."""
        table = self.place_names if kind == COMMUNE else self.former_names
        if not table:
            return None
        for length in range(len(name), 0, -1):
            key = tuple(name[:length])
            if key in table:
                return list(key), *table[key]
        text = " ".join(name)
        for length in range(len(name), 0, -1):
            cand = " ".join(name[:length])
            best = process.extractOne(
                cand,
                [" ".join(k) for k in table],
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=0.8,
            )
            if best is not None and len(cand) >= 5:
                key = tuple(best[0].split())
                return list(key), *table[key]
        del text
        return None

    def place_guesses(self, name: list[str], kind: str, limit: int = 3) -> list[str]:
        table = self.place_names if kind == COMMUNE else self.former_names
        hits = process.extract(
            " ".join(name),
            [" ".join(k) for k in table],
            scorer=fuzz.WRatio,
            limit=limit,
            score_cutoff=70,
        )
        return [table[tuple(h[0].split())][0] for h in hits]

    # --- plans ---------------------------------------------------------------------------------
    def require_plan(self) -> Document:
        """The current assignment plan, which every valid knowledge base has (kb/check/validate.py
        refuses one without, or with two); an error saying so for an index built from one that was
        not validated."""
        if self.current_plan is None:
            raise LookupError(
                "the knowledge base has no assignment_plan document: it was not validated"
                " (kb/check/validate.py refuses it)"
            )
        return self.current_plan

    # --- agencies ------------------------------------------------------------------------------
    def current_id(self, agency_id: str) -> str:
        seen = set()
        cur = agency_id
        while cur in self.agencies and self.agencies[cur].succeeded_by and cur not in seen:
            seen.add(cur)
            cur = self.agencies[cur].succeeded_by or cur
        return cur

    def identities(self, agency: Agency) -> frozenset[str]:
        """The ids under which the documents may name this agency: itself and its predecessors."""
        return frozenset({agency.id}) | self.predecessors.get(agency.id, frozenset())

    def groups_of(self, agency: Agency) -> list[Agency]:
        """Groups the agency belongs to (and their predecessors), non-catch-all first."""
        key = (agency.id, agency.type, agency.members)
        cached = self._groups.get(key)
        if cached is None:
            cached = self._groups[key] = self._find_groups(agency)
        return cached

    def _find_groups(self, agency: Agency) -> list[Agency]:
        out: dict[str, Agency] = {}
        for group in self.agencies.values():
            if not group.is_group or group.succeeded_by:
                continue
            if agency.type in group.member_types or agency.id in group.members:
                if group.id == agency.id:
                    continue
                out[group.id] = group
                for pred in self.predecessors.get(group.id, ()):
                    out.setdefault(pred, self.agencies[pred])
        return sorted(
            out.values(), key=lambda g: (g.catch_all, g.succeeded_by is not None, g.name)
        )

    def commune_group(self) -> Agency | None:
        for group in self.agencies.values():
            if group.is_group and not group.succeeded_by and COMMUNE in group.member_types:
                return group
        return None

    def district_group(self) -> Agency | None:
        for group in self.agencies.values():
            if group.is_group and DISTRICT in group.member_types:
                return group
        return None

    def plan_indicators(self, plan_id: str) -> list[Indicator]:
        return list(self.indicators.get(plan_id, {}).values())


def text_words(kb: KnowledgeBase) -> frozenset[str]:
    """Every word of the documents' texts (indicator and component names, tasks, data items,
    deadlines)."""
    return frozenset(w for text in _texts(kb) for w in normalize(text).split() if len(w) >= 2)


def text_bigrams(kb: KnowledgeBase) -> frozenset[tuple[str, str]]:
    """Every two words in a row of the documents' texts, their titles and passages too ("công
    văn", "công bằng")."""
    texts = [
        *_texts(kb),
        *(d.title for d in kb.documents.values()),
        *(x for parts in kb.texts.values() for xs in parts.values() for x in xs),
    ]
    out: set[tuple[str, str]] = set()
    for text in texts:
        toks = normalize(text).split()
        out.update(zip(toks, toks[1:], strict=False))
    return frozenset(out)


def _texts(kb: KnowledgeBase) -> list[str]:
    return [
        *(i.name for i in kb.indicators),
        *(c.name for c in kb.components),
        *(x for t in kb.tasks for x in t.tasks),
        *(i.text for r in kb.data_requests for i in r.items),
        *(d.title for d in kb.deadlines),
        *(p for e in kb.lexicon for p in e.phrases),
    ]


def _entry(key: tuple[str, str], name: str) -> NameEntry:
    toks = normalize(name).split()
    return NameEntry(
        key=key, tokens=frozenset(toks), bigrams=frozenset(zip(toks, toks[1:], strict=False))
    )
