"""Documents named by number, years, and agency search for sign-up: the parts of name resolution
that are not the scan of a question for agency names (kb/ask/resolve.py)."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz, process

from kb import codes
from kb.ask.resolve import commune_agency, find_agencies
from kb.index import KbIndex
from kb.model import DISTRICT, Agency, Document
from kb.normalize import fold, normalize
from kb.words.mentions import YEAR
from kb.words.unlisted import is_unlisted

find_codes = codes.find_codes


def years(toks: list[str]) -> list[int]:
    return [int(t) for t in toks if YEAR.match(t)]


@lru_cache(maxsize=1024)
def _folded_number(number: str) -> tuple[str, ...]:
    """A document number's folded tokens ("18/KH-UBND" → ("18", "kh", "ubnd")); numbers are KB
    text, few."""
    return tuple(fold(number).split())


def named_documents(index: KbIndex, toks: list[str]) -> list[Document]:
    """Documents the question names by number ("kế hoạch 86", "18/KH-UBND")."""
    text = f" {' '.join(toks)} "
    out = []
    for doc in index.documents.values():
        if not doc.number:
            continue
        number = _folded_number(doc.number)
        if not number or not number[0].isdigit():
            continue
        head = number[0]
        if f" {' '.join(number)} " in text or any(
            f" {w} {head} " in text
            for w in ("ke hoach", "kh", "plan", "ke hoach so", "van ban", "so")
        ):
            out.append(doc)
    return out


def search_agencies(index: KbIndex, text: str, limit: int = 5) -> list[Agency]:
    """Agencies a person may belong to that best match a typed name (current names, no groups)."""
    toks = normalize(text).split()
    if not toks:
        return []
    found = find_agencies(index, toks, text)
    out: dict[str, Agency] = {}

    def add(agency: Agency) -> None:
        if agency.id in index.agencies:
            agency = index.agencies[index.current_id(agency.id)]
        if agency.is_group or agency.type == DISTRICT:
            return
        out.setdefault(agency.id, agency)

    for mention in found.mentions:
        add(mention.agency)
    for agency in found.ambiguous:
        add(agency)
    if out and all(m.exact for m in found.mentions) and found.mentions:
        return list(out.values())[:limit]
    query = " ".join(toks)
    for alias, _score, _ in process.extract(
        query, index.alias_keys, scorer=fuzz.WRatio, limit=30, score_cutoff=70
    ):
        for aid in sorted(index.alias_ids[alias]):
            add(index.agencies[aid])
        if len(out) >= limit:
            break
    return list(out.values())[:limit]


def _place_hits(index: KbIndex, toks: list[str]) -> list[Agency]:
    """Communes and wards whose name is the typed words, or close to them ("tan thanh", "Tân
    Thanh")."""
    units = {tuple(normalize(p.name).split()): p for p in index.kb.places.units}
    words = [t for t in toks if t not in ("ubnd", "xa", "phuong", "uy", "ban", "nhan", "dan")]
    if not words or not units:
        return []
    keys = [" ".join(k) for k in units]
    hits = process.extract(" ".join(words), keys, scorer=fuzz.ratio, score_cutoff=85, limit=3)
    return [commune_agency(units[tuple(h[0].split())]) for h in hits]


def signup_candidates(index: KbIndex, text: str, limit: int = 5) -> tuple[list[Agency], bool]:
    """The agencies a person may mean by a typed name, and whether it is unmistakable.

    The same resolution as questions (:func:`find_agencies`); a name is unmistakable when one
    registered agency or commune is named in full, as the registry writes it. A near miss ("Tân
    Thanh" for Tân Thành, a typo, a truncated name) is a candidate to confirm, never taken
    silently.
    """
    toks = normalize(text).split()
    if not toks:
        return [], False
    found = find_agencies(index, toks, text)
    matches = search_agencies(index, text, limit)
    named = [m for m in found.mentions if m.exact and not m.near and not is_unlisted(m.agency)]
    if not named:
        places = _place_hits(index, toks)
        matches = [*places, *(m for m in matches if m.id not in {p.id for p in places})][:limit]
    covered = sum(m.end - m.start for m in named)
    sure = (
        len(matches) == 1
        and len(named) == 1
        and covered >= 0.6 * len(toks)
        and (
            index.current_id(named[0].agency.id)
            if named[0].agency.id in index.agencies
            else named[0].agency.id
        )
        == matches[0].id
    )
    return matches, sure
