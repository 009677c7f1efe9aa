"""Known wording from the active knowledge base, used to repair what OCR read.

An OCR of a Vietnamese scan loses diacritics ("Chat luong moi truong") and misreads letters. The
indicators of the index, the component names, the issuers and titles of the plans already in the
knowledge base are the vocabulary: the text read is folded and compared with each folded known
text; an equal fold restores the diacritics, a close one is taken and flagged, anything else is
kept as read (and flagged when it came from OCR).
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process

from kb.importer.registry import unconfuse
from kb.importer.scan.wording import best_followed
from kb.model import KnowledgeBase
from kb.normalize import fold

CLOSE = 90.0  # folded texts this similar are taken as the known one (and flagged)
LOOSE = 80.0  # OCR text this similar is still taken, flagged as a low-confidence repair


class Vocabulary:
    def __init__(self, kb: KnowledgeBase | None) -> None:
        self.indicators = _index([i.name for i in kb.indicators] if kb else [])
        self.components = _index([c.name for c in kb.components] if kb else [])
        docs = list(kb.documents.values()) if kb else []
        self.issuers = _index([d.issuer for d in docs])
        self.titles = _index([d.title for d in docs])
        names = [n for a in (kb.agencies.values() if kb else ()) for n in (a.name, *a.aliases)]
        self.capitalised = _capitalised([*names, *(d.title for d in docs)])
        ind_names = [i.name for i in kb.indicators] if kb else []
        self.acronyms = {
            w
            for t in [*names, *(d.title for d in docs), *ind_names]
            for w in re.findall(r"\b[A-ZĐ]{2,}\b", t)
            if not t.isupper()
        }
        inds = kb.indicators if kb else ()
        self.scopes = _index([a.scope for i in inds for a in (*i.lead, *i.coordinate) if a.scope])
        self.notes = _index([i.note for i in inds if i.note])
        names = [*(i.name for i in inds), *(c.name for c in (kb.components if kb else ()))]
        self.words = frozenset(w for n in names for w in fold(n).split() if not w.isdigit())
        self.name_starts = tuple(dict.fromkeys(fold(i.name) for i in inds))  # once each

    def indicator_name(self, text: str, ocr: bool) -> tuple[str, str | None]:
        chosen, why = _repair(_tidy(text), self.indicators, ocr, "indicator name")
        if ocr and why and "kept as the scan reads it" in why and _unreadable(text):
            found = best_followed(text, self.indicators)
            if found:
                return self.indicators[found], (
                    "indicator name unreadable in the scan: the index's name its readable words"
                    " follow is taken (low confidence)"
                )
        return chosen, why

    def component_name(self, text: str, ocr: bool) -> tuple[str, str | None]:
        return _repair(_tidy(text), self.components, ocr, "component name")

    def scope(self, text: str) -> tuple[str, str | None]:
        """A scope or note read by OCR, restored from the known ones where one is close."""
        return _repair(_tidy(text), self.scopes, True, "scope")

    def note(self, text: str) -> tuple[str, str | None]:
        return _repair(_tidy(text), self.notes, True, "note")

    def issuer(self, text: str, ocr: bool) -> tuple[str, str | None]:
        return _repair(_tidy(text), self.issuers, ocr, "issuer")

    def title(self, text: str, ocr: bool) -> tuple[str, str | None]:
        chosen, why = _repair(_tidy(text), self.titles, ocr, "title")
        if chosen != _tidy(text):
            return chosen, why
        return self.proper(sentence_case(chosen, self.acronyms)), why

    def proper(self, text: str) -> str:
        """Names the knowledge base writes with capitals ("Lạng Sơn", "Chỉ số xanh") restored in
        a heading that was lower-cased."""
        for low, written in self.capitalised.items():
            text = re.sub(rf"(?<!\w){re.escape(low)}(?!\w)", written, text)
        return text


def _index(texts: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in texts:
        if t:
            out.setdefault(unconfuse(fold(t)), t)
    return out


_CAPITALISED = re.compile(r"(?<!\w)(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s+){1,2}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?!\w)")


def _capitalised(texts: list[str]) -> dict[str, str]:
    """Runs of two or three capitalised words after the first word of a text, lower-cased →
    as written (the place and agency names of the province)."""
    out: dict[str, str] = {}
    for t in texts:
        for m in _CAPITALISED.finditer(t):
            words = m.group().split()
            if m.start() > 0 and all(w[1:].islower() for w in words if len(w) > 1):
                out.setdefault(m.group().lower(), m.group())
    return dict(sorted(out.items(), key=lambda kv: -len(kv[0])))


def _tidy(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return " ".join(text.split()).strip(" |;")


def _repair(text: str, known: dict[str, str], ocr: bool, what: str) -> tuple[str, str | None]:
    if not text:
        return text, f"no {what} read"
    f = unconfuse(fold(text))
    if f in known:
        return known[f], None
    if known and f:
        best = process.extractOne(f, list(known), scorer=fuzz.ratio)
        if best and best[1] >= CLOSE:
            return (
                known[best[0]],
                f"{what} read approximately ({best[1]:.0f}%); the known one taken",
            )
        if best and ocr and best[1] >= LOOSE:
            return (
                known[best[0]],
                (
                    f"{what} read approximately ({best[1]:.0f}%, low confidence); the closest"
                    " known one taken"
                ),
            )
    if ocr and (text.isascii() or _noisy(text)):
        return text, f"{what} kept as the scan reads it (diacritics may be missing)"
    if ocr:
        return text, f"{what} kept as the scan reads it; not a known one"
    return text, None


_NOISE = re.compile(r"[|\[\]{}<>«»~^@#¢&]")


_GARBLED = re.compile(r"[^\W\d_][^\w\s,.%]+[^\W\d_]|[ﬁﬂ]")  # "t(};/au", "iﬁaﬁ": letters and specks


def _unreadable(text: str) -> bool:
    """Words of ``text`` are letters mixed with specks, as an OCR reads a stained scan."""
    return bool(_GARBLED.search(text))


def _noisy(text: str) -> bool:
    return bool(_NOISE.search(text))


def sentence_case(text: str, acronyms: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """An upper-case heading as a sentence: first letter capital, acronyms kept (those in
    parentheses, and those the knowledge base writes in capitals)."""
    if sum(c.isupper() for c in text) < 0.7 * max(1, sum(c.isalpha() for c in text)):
        return text
    words = []
    for w in text.split():
        core = w.strip("()\"'“”,.;:")
        keep = core.isupper() and (w.startswith("(") and len(core) <= 5 or core in acronyms)
        words.append(w if keep else w.lower())
    out = " ".join(words)
    return out[:1].upper() + out[1:]
