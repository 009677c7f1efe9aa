"""What the engine returns: structured answers that any channel renders in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kb.model import Agency, Component, Contact, DataItem, Deadline, Document, Indicator, Scores
from kb.words.amounts import Threshold

INTENTS = (
    "agency_indicators",
    "indicator_agencies",
    "deadlines",
    "scores",
    "tasks",
    "data_requests",
    "help",
    "clarify",
    "unknown",
    "documents",
)
LEAD, COORDINATE, BOTH = "lead", "coordinate", "both"


@dataclass(frozen=True)
class Role:
    """An agency's role on one indicator; ``via`` is the group it holds the role through."""

    indicator: Indicator
    role: str
    via: Agency | None = None
    scope: str | None = None
    written: str | None = None  # the name the document uses, when it is an old name


@dataclass(frozen=True)
class DeadlineView:
    deadline: Deadline
    document: Document
    status: str  # "upcoming" | "past"
    days: int  # days from today (negative when past)
    audience_note: str | None = None


@dataclass(frozen=True)
class ScoreView:
    label: str  # "total", or the component / indicator code
    name: str
    scores: Scores


@dataclass(frozen=True)
class TaskView:
    component: Component | None
    section: str
    ref: str
    tasks: tuple[str, ...]
    via: Agency | None = None
    written: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataView:
    ref: str
    items: tuple[DataItem, ...]
    written: tuple[str, ...] = ()
    via: Agency | None = None


@dataclass(frozen=True)
class Premise:
    """A value the question stated for confirmation, and whether the documents bear it out."""

    kind: str  # "date" | "rank" | "measure" | "count"
    stated: str  # as the user wrote it
    holds: bool | None  # None: the answer has no figure to compare it with
    actual: str  # the documents' figure (ISO date, "62/63", "4.14", "42")


@dataclass(frozen=True)
class Choice:
    label: str
    query: str


@dataclass
class Answer:
    intent: str
    question: str = ""
    plan: Document | None = None
    agency: Agency | None = None  # the agency the answer is about, under its current name
    named_as: Agency | None = None  # the name the user used, when that is an old name or a commune
    self_reference: bool = False
    role: str = BOTH
    roles: list[Role] = field(default_factory=list)
    catch_all_count: int = 0  # coordinate roles held only through catch-all groups
    indicator: Indicator | None = None
    component: Component | None = None
    component_indicators: list[Indicator] = field(default_factory=list)
    # role counts per agency: the agencies holding the most (or fewest) indicators, with the number
    agency_counts: list[tuple[Agency, int]] = field(default_factory=list)
    focus_role: str | None = None  # on indicator answers: the named agency's role there, if any
    deadlines: list[DeadlineView] = field(default_factory=list)
    deadlines_filtered: bool = False  # only those of the agency / topic are shown
    scores: list[ScoreView] = field(default_factory=list)
    tasks: list[TaskView] = field(default_factory=list)
    data: list[DataView] = field(default_factory=list)
    contact: Contact | None = None
    choices: list[Choice] = field(default_factory=list)
    problem: str | None = None  # why nothing could be answered: "unknown_code", "need_agency", ...
    problem_detail: str | None = None
    purpose: tuple[str, ...] = ()  # a task plan's purpose, when no agency was named
    goals: list[Component] = field(
        default_factory=list
    )  # component indices with their goal sentence
    valid_codes: list[str] = field(
        default_factory=list
    )  # the plan's codes, when the asked one is unknown
    today: date | None = None
    sources: list[Document] = field(default_factory=list)
    undated_plans: list[Document] = field(
        default_factory=list
    )  # plans whose deadlines the KB lacks
    show_past: bool = False  # deadlines: list past ones instead of folding them into a count
    fold_past: bool = (
        False  # a deadline list asked for without a topic (/hanchot): past ones as a count
    )
    facts: list[tuple[str, str]] = field(
        default_factory=list
    )  # (kind, value) lines of document / not-held answers
    best: list[ScoreView] = field(
        default_factory=list
    )  # comparisons: the answer, before the whole table
    criterion: str | None = (
        None  # comparisons: what was compared ("score", "gap", "rank", "increase", …)
    )
    score_note: str | None = None  # scores: "plan86" when codes follow plan 86's numbering
    matches: list[tuple[str, str]] = field(default_factory=list)
    # scores of plan 86's rows: the current plan's code of the same indicator, by the row's code
    current_codes: dict[str, str] = field(default_factory=dict)
    # documents: the body that issued a document under a name it no longer has, by document id
    issuers_now: dict[str, Agency] = field(default_factory=dict)
    holder: Agency | None = (
        None  # the one agency a task or data item found by its words is given to
    )
    leftover: list[str] = field(
        default_factory=list
    )  # words of the question no slot nor the answer explains
    understood: Answer | None = (
        None  # problem "partial": the answer to the part of the question understood
    )
    focus_words: list[str] = field(
        default_factory=list
    )  # words a filter used (an agency's indicators on a topic)
    table: str | None = None
    limit: Threshold | None = None  # computations: the figure the rows were compared with
    premise: Premise | None = None  # a stated value checked against the answer
    count: int | None = (
        # documents answers about counts: the number asked for  # computations: "components" |
        # "indicators" (plan 86's own rows) | "total"
        None
    )
    count_coordinate: int | None = None  # an indicator's coordinating agencies, counted when asked
    kb: object | None = (
        # documents answers: the snapshot whose own text is quoted  # data items found by topic:
        # (agency, item)
        None
    )
