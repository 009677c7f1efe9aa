"""The concept lexicon (kb/data/lexicon.yaml): everyday words for indicators and components.

Validated after the documents are built, since every entry must name an indicator or component
the plan has. Problems are collected like the validator's (file, path, what is wrong, what to do).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kb.check.problems import N_, Problem
from kb.model import KnowledgeBase, LexiconEntry
from kb.normalize import normalize

LEXICON_KEY = "lexicon"
PHRASE_MAX = 200
_NOT_A_CODE = {
    "indicators": N_("{code} is not a code of indicators in {plan}"),
    "components": N_("{code} is not a code of components in {plan}"),
}


def _phrases(file: str, path: str, value: Any, problems: list[Problem]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        problems.append(Problem.of(file, path, N_("must be a non-empty list of phrases")))
        return ()
    out: list[str] = []
    seen: set[str] = set()
    for i, p in enumerate(value):
        if not isinstance(p, str) or not normalize(p):
            problems.append(
                Problem.of(file, f"{path}[{i}]", N_("must be a phrase (text with letters)"))
            )
            continue
        if len(p) > PHRASE_MAX:
            problems.append(
                Problem.of(
                    file,
                    f"{path}[{i}]",
                    N_("is longer than {limit} characters; shorten it"),
                    limit=PHRASE_MAX,
                )
            )
            continue
        key = normalize(p)
        if key not in seen:
            seen.add(key)
            out.append(p.strip())
    return tuple(out)


def _entries(
    file: str, data: dict, kb: KnowledgeBase, problems: list[Problem]
) -> list[LexiconEntry]:
    body = data.get(LEXICON_KEY)
    if not isinstance(body, dict):
        problems.append(
            Problem.of(
                file, LEXICON_KEY, N_("must be a mapping with plan, indicators and components")
            )
        )
        return []
    unknown = set(body) - {"plan", "indicators", "components"}
    for key in sorted(unknown):
        problems.append(
            Problem.of(
                file,
                f"{LEXICON_KEY}.{key}",
                N_("is not a lexicon field (plan, indicators, components)"),
            )
        )
    plan = body.get("plan")
    if plan not in kb.documents:
        problems.append(
            Problem.of(
                file,
                f"{LEXICON_KEY}.plan",
                N_("names no document of the knowledge base ({plan})"),
                plan=repr(plan),
            )
        )
        return []
    codes = {
        "indicators": {i.code for i in kb.indicators if i.plan_id == plan},
        "components": {c.code for c in kb.components if c.plan_id == plan},
    }
    out: list[LexiconEntry] = []
    for section, known in codes.items():
        rows = body.get(section) or []
        if not isinstance(rows, list):
            problems.append(
                Problem.of(
                    file, f"{LEXICON_KEY}.{section}", N_("must be a list of {{code, phrases}}")
                )
            )
            continue
        for i, row in enumerate(rows):
            path = f"{LEXICON_KEY}.{section}[{i}]"
            code = str(row.get("code")) if isinstance(row, dict) else None
            if code not in known:
                problems.append(
                    Problem.of(
                        file, f"{path}.code", _NOT_A_CODE[section], code=repr(code), plan=plan
                    )
                )
                continue
            phrases = _phrases(file, f"{path}.phrases", row.get("phrases"), problems)
            if phrases:
                out.append(LexiconEntry(plan_id=str(plan), code=code, phrases=phrases))
    return out


def attach(kb: KnowledgeBase, files: dict[str, dict]) -> tuple[KnowledgeBase, list[Problem]]:
    """The knowledge base with the lexicon files' entries, and the problems found in them."""
    problems: list[Problem] = []
    entries: list[LexiconEntry] = []
    for name in sorted(files):
        entries.extend(_entries(name, files[name], kb, problems))
    return replace(kb, lexicon=tuple(entries)), problems
