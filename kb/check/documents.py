"""A document's header (id, kind, number, date, issuer, title, source, years) and what each kind
of document may hold; the body of each kind is checked by kb/check/scores.py (assignment and score
plans) and kb/check/tasks.py (task plans and data requests).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kb.check.agencies import AgencyChecks
from kb.check.fields import ID
from kb.check.problems import N_
from kb.model import DOCUMENT_KINDS, Component, Document

_HEAD_KEYS = {
    "id",
    "kind",
    "number",
    "number_note",
    "date",
    "date_note",
    "issuer",
    "title",
    "source",
    "current",
    "years",
    "signer",
    "result_year",
    "target_year",
    "subject_year",
}


class DocumentChecks(AgencyChecks):
    """Reads a document's header, then hands its body to the check of its kind
    (``_doc_<kind>``)."""

    def __init__(self) -> None:
        super().__init__()
        self.documents: dict[str, Document] = {}
        self.components: list[Component] = []
        self.texts: dict[str, Mapping[str, tuple[str, ...]]] = {}
        self._doc_files: dict[str, str] = {}

    _KIND_KEYS: dict[str, tuple[set[str], set[str]]] = {
        "assignment_plan": ({"components"}, {"components"}),
        "score_plan": ({"total", "components"}, {"components"}),
        "task_plan": (
            {
                "background",
                "purpose",
                "requirements",
                "components",
                "organization",
                "deadlines",
                "footnotes",
            },
            {"components"},
        ),
        "data_request": (
            {"background", "recipients", "contact", "requests", "deadlines"},
            {"requests"},
        ),
    }

    def document(self, file: str, data: dict) -> None:
        head = data.get("document")
        if not isinstance(head, dict):
            self.problem(
                file,
                "document",
                N_("missing 'document' header (id, kind, number, date, issuer, title, source)"),
            )
            return
        self._keys(file, "document", head, _HEAD_KEYS, {"id", "kind", "issuer", "title", "source"})
        doc_id = self._text(file, "document.id", head.get("id"))
        kind = self._text(file, "document.kind", head.get("kind"))
        if not doc_id or not kind or not self._new_document(file, doc_id, kind):
            return
        self._number_and_date(file, head)
        doc = self._header(file, doc_id, kind, head)
        self.documents[doc_id] = doc
        self._doc_files[doc_id] = file
        allowed, required = self._KIND_KEYS[kind]
        self._keys(file, "", data, allowed | {"document"}, required)
        handler: Callable[[str, Document, dict], None] = getattr(self, f"_doc_{kind}")
        handler(file, doc, data)

    def _new_document(self, file: str, doc_id: str, kind: str) -> bool:
        """Checks a document's id and kind; False when the document is left out (its id is taken,
        or its kind unknown)."""
        if not ID.match(doc_id):
            self.problem(
                file,
                "document.id",
                N_("bad id '{id}'; use lower-case letters, digits and '-'"),
                id=doc_id,
            )
        if doc_id in self.documents:
            self.problem(
                file,
                "document.id",
                N_("duplicate document id '{id}' (also in {other})"),
                id=doc_id,
                other=self._doc_files[doc_id],
            )
            return False
        if kind not in DOCUMENT_KINDS:
            self.problem(
                file,
                "document.kind",
                N_("unknown kind '{kind}'; use one of {kinds}"),
                kind=kind,
                kinds=", ".join(sorted(DOCUMENT_KINDS)),
            )
            return False
        return True

    def _number_and_date(self, file: str, head: dict) -> None:
        """A number and a date are given, or set to null with a note saying why."""
        if "number" not in head or (head.get("number") is None and not head.get("number_note")):
            self.problem(
                file,
                "document.number",
                N_("missing number; give it, or set it to null and say why in number_note"),
            )
        if "date" not in head or (head.get("date") is None and not head.get("date_note")):
            self.problem(
                file,
                "document.date",
                N_("missing date; give it as YYYY-MM-DD, or null with a date_note"),
            )

    def _header(self, file: str, doc_id: str, kind: str, head: dict) -> Document:
        years = tuple(
            y
            for y in (
                self._int(file, "document.years", y)
                for y in self._list(file, "document.years", head.get("years"))
            )
            if y
        )
        return Document(
            id=doc_id,
            kind=kind,
            number=self._text(file, "document.number", head.get("number"), required=False),
            date=self._date(file, "document.date", head.get("date"), required=False),
            issuer=self._text(file, "document.issuer", head.get("issuer")) or "",
            title=self._text(file, "document.title", head.get("title")) or "",
            source=self._text(file, "document.source", head.get("source")) or "",
            years=years,
            current=bool(head.get("current", False)),
            number_note=self._text(
                file, "document.number_note", head.get("number_note"), required=False
            ),
            date_note=self._text(
                file, "document.date_note", head.get("date_note"), required=False
            ),
            signer=self._text(file, "document.signer", head.get("signer"), required=False),
            result_year=self._int(file, "document.result_year", head.get("result_year")),
            target_year=self._int(file, "document.target_year", head.get("target_year")),
            subject_year=self._int(file, "document.subject_year", head.get("subject_year")),
        )
