"""The knowledge base as frozen dataclasses: what the loader produces and the engine reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

COMMUNE = "commune"
DISTRICT = "district"
GROUP = "group"
AGENCY_TYPES = frozenset(
    {
        "department",
        "board",
        "police",
        "inspectorate",
        "military",
        "media",
        "center",
        "central",
        COMMUNE,
        DISTRICT,
        "company",
        "association",
        GROUP,
        "other",
    }
)
DOCUMENT_KINDS = frozenset({"assignment_plan", "score_plan", "task_plan", "data_request"})


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    succeeded_by: str | None = None
    since: str | None = None
    member_types: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    catch_all: bool = False
    excludes_named: bool = False
    email: str | None = (
        None  # the official address (the console may override it: storage/directory/contacts.py)
    )

    @property
    def is_group(self) -> bool:
        return self.type == GROUP


@dataclass(frozen=True)
class Assignment:
    """One agency (or group) named in a cell, as the document writes it."""

    agency_id: str
    written: str
    scope: str | None = None


@dataclass(frozen=True)
class Document:
    id: str
    kind: str
    number: str | None
    date: date | None
    issuer: str
    title: str
    source: str
    years: tuple[int, ...] = ()
    current: bool = False
    number_note: str | None = None
    date_note: str | None = None
    signer: str | None = None
    result_year: int | None = None
    target_year: int | None = None
    subject_year: int | None = None


@dataclass(frozen=True)
class Measure:
    """A number as the source prints it: value, unit ("" or "%") and its decimals."""

    value: Decimal
    unit: str
    decimals: int


@dataclass(frozen=True)
class Rank:
    position: int
    of: int | None = None


@dataclass(frozen=True)
class Scores:
    score: Measure | None = None
    median: Measure | None = None
    rank: Rank | None = None
    target: Measure | None = None
    target_rank: Rank | None = None


@dataclass(frozen=True)
class Component:
    plan_id: str
    code: str
    name: str
    source: str
    scores: Scores | None = None
    goal: str | None = None


@dataclass(frozen=True)
class Indicator:
    plan_id: str
    code: str
    component: str
    name: str
    source: str
    lead: tuple[Assignment, ...]
    coordinate: tuple[Assignment, ...] = ()
    note: str | None = None
    scores: Scores | None = None


@dataclass(frozen=True)
class TaskAssignment:
    doc_id: str
    section: str  # "II" (per component index) or "III" (organisation)
    component: str | None
    ref: str
    agencies: tuple[Assignment, ...]
    tasks: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Deadline:
    id: str
    doc_id: str
    date: date
    title: str
    audience: tuple[Assignment, ...]
    source: str


@dataclass(frozen=True)
class DataItem:
    text: str
    form: str | None = None
    index: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DataRequest:
    doc_id: str
    ref: str
    agencies: tuple[Assignment, ...]
    items: tuple[DataItem, ...]
    source: str


@dataclass(frozen=True)
class Contact:
    phone: str
    unit: str


@dataclass(frozen=True)
class Place:
    """A commune-level unit (xã or phường) since 1/7/2025, or a former district (huyện, thành
    phố)."""

    name: str
    kind: str  # "xa" | "phuong" | "huyen" | "thanh-pho"
    former: bool = False


@dataclass(frozen=True)
class Places:
    units: tuple[Place, ...] = ()  # the 65 communes and wards
    former: tuple[Place, ...] = ()  # the districts that stopped on districts_until
    source: str = ""
    since: date | None = None
    districts_until: date | None = None


@dataclass(frozen=True)
class LexiconEntry:
    """Everyday words for one indicator (code "1.5") or component (code "1") of a plan
    (lexicon.yaml)."""

    plan_id: str
    code: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    agencies: Mapping[str, Agency]
    documents: Mapping[str, Document]
    components: tuple[Component, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    totals: Mapping[str, tuple[str, Scores]] = field(default_factory=lambda: MappingProxyType({}))
    tasks: tuple[TaskAssignment, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    data_requests: tuple[DataRequest, ...] = ()
    contacts: Mapping[str, Contact] = field(default_factory=lambda: MappingProxyType({}))
    texts: Mapping[str, Mapping[str, tuple[str, ...]]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    places: Places = field(default_factory=Places)
    lexicon: tuple[LexiconEntry, ...] = ()

    def counts(self) -> dict[str, int]:
        return {
            "documents": len(self.documents),
            "agencies": len(self.agencies),
            "components": len(self.components),
            "indicators": len(self.indicators),
            "tasks": sum(len(t.tasks) for t in self.tasks),
            "deadlines": len(self.deadlines),
            "data_items": sum(len(r.items) for r in self.data_requests),
        }
