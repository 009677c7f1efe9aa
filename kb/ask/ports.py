"""What the parse, the route and the executors use of the engine: a protocol, so that they need not
import kb/ask/engine.py (which imports them) — no import cycle, not even for type checking."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from kb.ask.answers import Answer
from kb.index import KbIndex
from kb.model import Agency, Document
from kb.words.textindex import TextIndex
from kb.words.topics import TopicIndex


class EngineApi(Protocol):
    index: KbIndex
    texts: TextIndex
    abbreviations: dict[str, tuple[str, str]]  # folded → (what it stands for, document id)

    def answer(
        self,
        question: str,
        as_agency: Any = None,
        today: date | None = None,
        extra_deadlines: Any = (),
    ) -> Answer: ...
    def asker(self, who: Any) -> Agency | None: ...
    def topics(self, plan_id: str) -> TopicIndex: ...
    def find(
        self, plan_id: str, words: list[str], components: bool = False
    ) -> tuple[str, list[str]]: ...
    def lexicon_for(self, plan_id: str) -> dict[str, tuple[str, ...]]: ...
    def equivalents(self) -> dict[str, str]: ...
    def bag(self, text: str) -> frozenset[str]: ...
    def plan_for(self, years: list[int], named_docs: list[Document]) -> Document: ...
    def score_plan(self) -> Document | None: ...
    def current(self, agency: Agency) -> Agency: ...
    def role_on(self, ind: Any, agency: Agency) -> Any: ...
    def scores(
        self, codes: Any = (), component: str | None = None, ans: Answer | None = None
    ) -> Answer: ...
    def roles_on(
        self, code: str, plan_id: str | None = None, focus: Any = None, ans: Answer | None = None
    ) -> Answer: ...
    def indicators_of(
        self, agency: Any, plan_id: str | None = None, role: str = ..., ans: Answer | None = None
    ) -> Answer: ...
    def component(
        self, code: str, plan_id: str | None = None, ans: Answer | None = None
    ) -> Answer: ...
    def not_in_plan(self, ans: Answer, plan: Document, problem: str, code: str) -> Answer: ...
    def tasks_of(
        self, agency: Any, component: str | None = None, ans: Answer | None = None
    ) -> Answer: ...
    def data_requests_of(
        self, agency: Any, today: date | None = None, ans: Answer | None = None
    ) -> Answer: ...
    def deadlines_for(
        self,
        agency: Any,
        today: date,
        extra_deadlines: Any = (),
        ans: Answer | None = None,
        show_past: bool = False,
    ) -> Answer: ...
