"""What the abbreviations of the documents stand for, as the documents write it out.

Two sources, both read once per knowledge-base version: a name the documents follow with its
abbreviation in brackets ("Chỉ số xanh (PGI)", "Liên đoàn Thương mại và Công nghiệp Việt Nam
(VCCI)"), and the abbreviations questions are read with (kb/normalize.py: "CSTP" for "chỉ số thành
phần"), written out as the documents' texts write them. Nothing is invented: an abbreviation whose
words the documents never write out is not known.
"""

from __future__ import annotations

import re
from collections import Counter

from kb.model import KnowledgeBase
from kb.normalize import abbreviations, fold

_BRACKETED = re.compile(r"\(([A-ZĐ][A-ZĐ&\-]{1,9})\)")
_WORD = re.compile(r"\w+")
_SPAN = 10  # words before the bracket a name may have


def _texts(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(document id, text) of every sentence the documents hold."""
    out = [(d.id, d.title) for d in kb.documents.values()]
    out += [(doc, x) for doc, parts in kb.texts.items() for xs in parts.values() for x in xs]
    out += [(c.plan_id, c.name) for c in kb.components]
    out += [(i.plan_id, i.name) for i in kb.indicators]
    return out


def _name_before(text: str) -> str | None:
    """The name that ends a text: from its first capitalised word after a lower-case one, within
    the last words of its clause ("… nâng cao Chỉ số xanh" → "Chỉ số xanh")."""
    clause = re.split(r"[,;:.()]", text)[-1].split()[-_SPAN:]
    for n, word in enumerate(clause):
        if word[:1].isupper() and (n == 0 or not clause[n - 1][:1].isupper()):
            return " ".join(clause[n:])
    return None


def _written(folded: str, texts: list[tuple[str, list[str], str]]) -> tuple[str, str] | None:
    """The words ``folded`` stands for as a text writes them, with that text's document;
    ``texts`` are (document id, words, the words folded and joined)."""
    want = folded.split()
    for doc, words, joined in texts:
        if f" {folded} " not in joined:
            continue
        low = joined.split()
        for i in range(len(low) - len(want) + 1):
            if low[i : i + len(want)] == want:
                return " ".join(words[i : i + len(want)]), doc
    return None


def of_kb(kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
    """Folded abbreviation → (what it stands for, the document that writes it so)."""
    texts = _texts(kb)
    seen: dict[str, Counter[tuple[str, str]]] = {}
    for doc, text in texts:
        for m in _BRACKETED.finditer(text):
            name = _name_before(text[: m.start()])
            if name:
                seen.setdefault(fold(m.group(1)), Counter())[(name, doc)] += 1
    out = {
        short: min(c.items(), key=lambda kv: (-kv[1], len(kv[0][0])))[0]
        for short, c in seen.items()
    }
    worded = []
    for doc, text in texts:
        words = _WORD.findall(text)
        worded.append((doc, words, " " + " ".join(fold(w) for w in words) + " "))
    for short, long in abbreviations().items():
        if " " not in short and " " in long and short not in out:  # "CSTP", not chat's "ko"
            found = _written(long, worded)
            if found is not None:
                out[short] = found
    return out
