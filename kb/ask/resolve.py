"""Entity resolution: which agencies, indicators, components and plans a question names."""

from __future__ import annotations

from bisect import bisect_left

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from kb.ask.communes import find_places
from kb.index import KbIndex
from kb.model import COMMUNE, Agency, Place
from kb.normalize import normalize
from kb.words import nicknames, synonyms
from kb.words.marks import aligned, marked, typo_close, written_otherwise
from kb.words.mentions import GENERIC, PHRASE_END, AgencyMention, AgencyResolution
from kb.words.unlisted import unlisted


def find_agencies(index: KbIndex, toks: list[str], original: str) -> AgencyResolution:
    res = AgencyResolution()
    _exact(index, toks, res, original)
    _communes(index, toks, original, res)
    unlisted(index, toks, original, res)
    if not res.mentions and not res.ambiguous:
        named = nicknames.find(index, toks, res.covered) or nicknames.bare_level(index, toks)
        if named is not None:
            res.mentions.append(AgencyMention(named[0], named[1], named[2], exact=False))
            res.covered.update(range(named[1], named[2]))
    if not res.mentions and not res.ambiguous and res.unknown_place is None:
        _fuzzy(index, toks, res, original)
        if len(res.ambiguous) > 1 and nicknames.a_class(toks, res.ambiguous):
            res.ambiguous, res.span = [], None
    if not res.mentions and not res.ambiguous and res.unknown_place is None:
        bare = nicknames.bare_head(index, toks)
        if bare is not None:
            res.ambiguous, res.span = bare
    res.mentions.sort(key=lambda m: m.start)
    # "Kính gửi Sở NN&MT. … xã chúng tôi …": the letter's addressee is no body asked about; its
    # words stay accounted for
    res.mentions = [m for m in res.mentions if tuple(toks[max(0, m.start - 2) : m.start]) != _TO]
    return res


_TO = ("kinh", "gui")


def _communes(index: KbIndex, toks: list[str], original: str, res: AgencyResolution) -> None:
    """The local committees named (kb/ask/communes.py), added to the resolution."""
    places = find_places(index, toks, original, res.covered)
    res.mentions.extend(AgencyMention(a, s, e, near=near) for a, s, e, near in places.found)
    res.covered |= places.covered
    res.unknown_place, res.place_guesses = places.unknown_place, places.place_guesses


def _exact(index: KbIndex, toks: list[str], res: AgencyResolution, original: str = "") -> None:
    n = len(toks)
    i = 0
    longest = index.max_len_by_head
    written = aligned(original, toks)
    while i < n:
        best = None
        # an alias starting here starts with this token: only lengths up to its longest alias
        for length in range(min(longest.get(toks[i], 0), n - i), 0, -1):
            ids = index.alias_ids.get(" ".join(toks[i : i + length]))
            if ids:
                best = (length, ids)
                break
        if best is None:
            i += 1
            continue
        length, ids = best
        # "đôn đốc" (urge) folds to "don doc": no "DOC" (a department's English abbreviation)
        if nicknames.activity(toks, i, length) or (length == 1 and marked(original, toks[i])):
            i += length
            continue
        if _written_otherwise(index, ids, written[i : i + length]):
            i += 1  # "chỉ số hỏi DN …" asks (hỏi), it names no "Hội DN"
            continue
        agency = index.agencies[sorted(ids)[0]]
        res.mentions.append(AgencyMention(agency, i, i + length))
        res.covered.update(range(i, i + length))
        i += length


def _subject(phrase: list[str]) -> bool:
    """Whether a phrase is a subject of the documents ("water supply" = "cấp nước"), never a
    truncated name ("Water Supply and Drainage Company")."""
    return synonyms.TABLE.get(tuple(phrase)) is not None


def _written_otherwise(index: KbIndex, ids: frozenset[str], written: list[str | None]) -> bool:
    """Whether the question writes a word of a name it matched, folded, with diacritics that no
    name of those agencies has: another word ("hỏi" is not "Hội")."""
    texts = [t for a in ids for t in (index.agencies[a].name, *index.agencies[a].aliases)]
    return written_otherwise(written, texts)


def _phrase(toks: list[str], start: int, limit: int = 10) -> list[str]:
    out: list[str] = []
    for t in toks[start : start + limit]:
        if out and t in PHRASE_END:
            break
        out.append(t)
    return out


def commune_agency(place: Place) -> Agency:
    """The people's committee of a commune or ward, as questions and sign-up name it."""
    label = "phường" if place.kind == "phuong" else "xã"
    return Agency(
        id=f"{COMMUNE}:{'-'.join(normalize(place.name).split())}",
        name=f"UBND {label} {place.name}",
        type=COMMUNE,
    )


_FUZZY_CACHE_MAX = 20000  # distinct question words remembered per KB version


def _fuzzy_aliases(index: KbIndex, tok: str) -> list[str] | tuple[str, ...] | None:
    """The multi-word aliases whose head word is ``tok`` or close to it (a typo in the first word),
    in alias order; None when no alias head is close. Depends only on the word and the KB version,
    so it is kept in the index instead of being recomputed for each question."""
    cached = index.fuzzy_aliases.get(tok)
    if cached is not None:
        return cached or None
    candidates = set(index.alias_by_first.get(tok, ()))
    if len(tok) >= 3:  # a typo in the first word too
        for other, _score, _ in process.extract(
            tok, index.heads, scorer=Levenshtein.normalized_similarity, limit=3, score_cutoff=0.75
        ):
            candidates.update(index.alias_by_first[other])
    # alias_keys is sorted, so these are too (the prefix scan in _fuzzy relies on it)
    aliases = (
        tuple(index.alias_keys[j] for j in sorted(candidates) if " " in index.alias_keys[j])
        if candidates
        else ()
    )
    if len(index.fuzzy_aliases) < _FUZZY_CACHE_MAX:
        index.fuzzy_aliases[tok] = aliases
    return aliases if candidates else None


def _ordinary_words(index: KbIndex, phrase: list[str], alias: list[str]) -> bool:
    """Whether the words where a phrase differs from an alias are ordinary words of the documents
    ("công bằng" is no typo of "công an"): such a phrase is not a misspelt name."""
    pairs = list(zip(phrase, alias, strict=False))
    differing = [n for n, (a, b) in enumerate(pairs) if a != b]
    return bool(differing) and all(
        phrase[n] in index.text_words
        and (
            phrase[n] not in index.alias_words
            # "công văn" is no "công an": the documents write the two words in a row
            or (n > 0 and (phrase[n - 1], phrase[n]) in index.text_bigrams)
        )
        for n in differing
    )


def _best_fuzzy(index: KbIndex, toks: list[str], res: AgencyResolution, best: dict) -> None:
    """The closest name: taken when it is a typo of it, asked about when not or when others are as
    close."""
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    top_id, (top_score, start, end, matched) = ranked[0]
    close = [v[3] for _aid, v in ranked[1:] if v[0] >= top_score - 3]
    if close:
        res.ambiguous = [index.agencies[a] for a in [matched, *close]]
        res.span = (start, end)
        return
    if not typo_close(
        toks[start:end],
        sorted(
            index.alias_keys_of[matched],
            key=lambda k: -fuzz.ratio(k, " ".join(toks[start:end])),
        )[0].split(),
    ):
        res.ambiguous = [index.agencies[matched]]
        res.span = (start, end)
        return
    res.mentions.append(AgencyMention(index.agencies[matched], start, end, exact=False))
    res.covered.update(range(start, end))


# ordinary nouns that open an everyday name ("nhà máy" of "nhà máy nước"): a factory, not the
# water company cut short
_ORDINARY_OPENINGS = frozenset({("nha", "may"), ("nha", "may", "dien"), ("tram",)})


def _fuzzy(index: KbIndex, toks: list[str], res: AgencyResolution, original: str = "") -> None:
    written = aligned(original, toks)
    """Typos and truncated names: compare the phrase starting at each alias head word.

    Candidates are keyed by the agency's current name, so an old and a new name of one agency
    never make a question ambiguous; the name the user came closest to is kept for the reply.
    """
    best: dict[str, tuple[float, int, int, str]] = {}
    prefix_hits: dict[str, tuple[int, int, str]] = {}
    for i, tok in enumerate(toks):
        if i in res.covered:
            continue
        aliases = _fuzzy_aliases(index, tok)
        if aliases is None:
            continue
        phrase = _phrase(toks, i)
        if len(phrase) < 2 or all(t in GENERIC for t in phrase) or nicknames.activity(toks, i, 2):
            continue  # "bị thanh tra": the activity, as in _exact
        text = " ".join(phrase)
        for alias, score, _ in process.extract(
            text, aliases, scorer=fuzz.ratio, score_cutoff=86, limit=None
        ):
            if _ordinary_words(index, phrase, alias.split()) or _written_otherwise(
                index, index.alias_ids[alias], written[i : i + len(phrase)]
            ):
                continue
            matched = sorted(index.alias_ids[alias])[0]
            aid = index.current_id(matched)
            if score > best.get(aid, (0.0, 0, 0, ""))[0]:
                best[aid] = (score, i, i + min(len(alias.split()), len(phrase)), matched)
        if (
            len(text) >= 5
            and not nicknames.is_head(phrase)
            and not _subject(phrase)
            and tuple(phrase) not in _ORDINARY_OPENINGS
        ):
            # a bare head ("trung tâm") is a kind of body, never a truncated name (bare_head asks)
            # aliases are sorted, so those starting with the phrase are one run from its insertion
            # point
            prefix = text + " "
            for j in range(bisect_left(aliases, prefix), len(aliases)):
                alias = aliases[j]
                if not alias.startswith(prefix):
                    break
                if _written_otherwise(index, index.alias_ids[alias], written[i : i + len(phrase)]):
                    continue
                matched = sorted(index.alias_ids[alias])[0]
                prefix_hits.setdefault(index.current_id(matched), (i, i + len(phrase), matched))
    if best:
        _best_fuzzy(index, toks, res, best)
        return
    if len(prefix_hits) == 1:
        start, end, matched = next(iter(prefix_hits.values()))
        res.mentions.append(AgencyMention(index.agencies[matched], start, end, exact=False))
        res.covered.update(range(start, end))
    elif len(prefix_hits) > 1:
        res.ambiguous = sorted(
            (index.agencies[m] for _s, _e, m in prefix_hits.values()), key=lambda a: a.name
        )
