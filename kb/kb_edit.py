"""Small edits of knowledge-base files as text, for the console's "add an alias / add a phrase"
forms.

The files are edited where the entry is written (comments and layout kept), and the result is a new
set of files to validate and stage as a new KB version like any upload; nothing here stores or
activates anything. Each function raises ValueError with what is wrong when it cannot edit.
"""

from __future__ import annotations

import json
import re

MAX_PHRASE = 200


def _clean(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValueError("empty")
    if len(text) > MAX_PHRASE:
        raise ValueError("too_long")
    return text


def _prepend(line: str, key: str, value: str) -> str:
    """``key: [a, b]`` (a flow list on one line) with ``value`` first."""
    head, _, rest = line.partition(f"{key}: [")
    quoted = json.dumps(value, ensure_ascii=False)
    return (
        f"{head}{key}:"
        f" [{quoted}{', ' if rest.strip() != ']' and not rest.startswith(']') else ''}{rest}"
    )


def add_alias(registry: str, agency_id: str, alias: str) -> str:
    """agencies.yaml with ``alias`` added to the aliases of the agency ``agency_id``."""
    alias = _clean(alias)
    lines = registry.splitlines(keepends=True)
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if re.match(rf"\s*- id: ['\"]?{re.escape(agency_id)}['\"]?\s*$", line)
        ),
        None,
    )
    if start is None:
        raise ValueError("unknown_agency")
    for i in range(start + 1, len(lines)):
        if re.match(r"\s*- id:", lines[i]):
            break
        if re.match(r"\s*aliases: \[", lines[i]):
            lines[i] = _prepend(lines[i], "aliases", alias)
            return "".join(lines)
    raise ValueError("no_aliases")


def add_phrase(lexicon: str, code: str, phrase: str) -> str:
    """lexicon.yaml with ``phrase`` added to the everyday words of indicator or component
    ``code``."""
    phrase = _clean(phrase)
    lines = lexicon.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if re.match(rf"\s*- code: ['\"]{re.escape(code)}['\"]\s*$", line):
            for j in range(i + 1, min(i + 3, len(lines))):
                if re.match(r"\s*phrases: \[", lines[j]):
                    lines[j] = _prepend(lines[j], "phrases", phrase)
                    return "".join(lines)
    raise ValueError("unknown_code")
