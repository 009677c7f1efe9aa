"""Every word accounted for: an answer to a question only partly understood says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.answers import Answer

if TYPE_CHECKING:
    from kb.engine import Engine
    from kb.query import Query


def review(engine: Engine, query: Query, ans: Answer) -> Answer:
    return ans
