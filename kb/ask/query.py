"""The typed query a parsed question becomes: what is asked, its filters, the operation.

Frozen, so an executor cannot change what was understood; ``explained`` holds the token positions
some slot accounts for, ``leftover`` the content words none does (see kb/ask/coverage.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb.ask.parse import Parsed
from kb.ask.route import asked
from kb.model import Agency, Document

if TYPE_CHECKING:
    from kb.ask.ports import EngineApi as Engine


@dataclass(frozen=True)
class Query:
    asked: (
        str  # clarify_* | not_held | documents | deadlines | data | role_counts | scores | tasks
    )
    # | indicators
    operation: str  # list | count | check | superlative | compare | difference
    agency: Agency | None
    role: str
    component: str | None
    codes: tuple[str, ...]
    years: tuple[int, ...]
    documents: tuple[Document, ...]
    lang: str  # "vi" | "en": the language the question is written in
    parsed: Parsed


def build_query(engine: Engine, p: Parsed) -> Query:
    return Query(
        asked=asked(engine, p),
        operation="list",
        agency=p.agency,
        role=p.role,
        component=p.component_code,
        codes=tuple(c for c, _ in p.codes),
        years=p.years,
        documents=p.named_docs,
        lang="vi",
        parsed=p,
    )
