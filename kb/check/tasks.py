"""The body of task plans and data requests: the tasks each agency is given (by component and in
the organisation section), the deadlines, and the data agencies are asked to send.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from kb.check.documents import DocumentChecks
from kb.check.fields import join
from kb.check.problems import N_
from kb.model import Component, Contact, DataItem, DataRequest, Deadline, Document, TaskAssignment


class TaskChecks(DocumentChecks):
    """Reads task plans and data requests into tasks, deadlines, requests and contacts."""

    def __init__(self) -> None:
        super().__init__()
        self.tasks: list[TaskAssignment] = []
        self.deadlines: list[Deadline] = []
        self.data_requests: list[DataRequest] = []
        self.contacts: dict[str, Contact] = {}
        self._deadline_ids: dict[str, str] = {}  # deadline id -> the file that has it

    def _task_rows(
        self, file: str, doc: Document, path: str, rows: Any, section: str, component: str | None
    ) -> None:
        for i, row in enumerate(self._list(file, path, rows)):
            p = f"{path}[{i}]"
            if not isinstance(row, dict):
                self.problem(file, p, N_("must be a mapping with ref, agencies and tasks"))
                continue
            self._keys(file, p, row, {"ref", "agencies", "tasks", "source"}, {"agencies", "tasks"})
            self.tasks.append(
                TaskAssignment(
                    doc_id=doc.id,
                    section=section,
                    component=component,
                    ref=str(row.get("ref") or i + 1),
                    agencies=self._assignments(
                        file, join(p, "agencies"), row.get("agencies"), required=True
                    ),
                    tasks=self._texts(file, join(p, "tasks"), row.get("tasks")),
                    source=self._text(file, join(p, "source"), row.get("source"), required=False)
                    or "",
                )
            )

    def _deadline_rows(self, file: str, doc: Document, data: dict) -> None:
        for i, row in enumerate(self._list(file, "deadlines", data.get("deadlines"))):
            p = f"deadlines[{i}]"
            if not isinstance(row, dict):
                self.problem(file, p, N_("must be a mapping with id, date, title and audience"))
                continue
            self._keys(
                file,
                p,
                row,
                {"id", "date", "title", "audience", "source"},
                {"id", "date", "title", "audience"},
            )
            did = self._text(file, join(p, "id"), row.get("id"))
            when = self._date(file, join(p, "date"), row.get("date"))
            title = self._text(file, join(p, "title"), row.get("title"))
            audience = self._assignments(
                file, join(p, "audience"), row.get("audience"), required=True
            )
            if not (did and when and title):
                continue
            if did in self._deadline_ids:
                self.problem(
                    file,
                    join(p, "id"),
                    N_("duplicate deadline id '{id}' (also in {other})"),
                    id=did,
                    other=self._deadline_ids[did],
                )
                continue
            self._deadline_ids[did] = file
            self.deadlines.append(
                Deadline(
                    id=did,
                    doc_id=doc.id,
                    date=when,
                    title=title,
                    audience=audience,
                    source=self._text(file, join(p, "source"), row.get("source"), required=False)
                    or "",
                )
            )

    def _doc_task_plan(self, file: str, doc: Document, data: dict) -> None:
        self.texts[doc.id] = MappingProxyType(self._plan_texts(file, data))
        for ci, comp in enumerate(
            self._list(file, "components", data.get("components"), required=True)
        ):
            cpath = f"components[{ci}]"
            if not isinstance(comp, dict):
                self.problem(file, cpath, N_("must be a mapping with code, name and assignments"))
                continue
            self._keys(
                file,
                cpath,
                comp,
                {"code", "name", "goal", "source", "assignments"},
                {"code", "name", "assignments"},
            )
            code = self._text(file, join(cpath, "code"), comp.get("code"))
            name = self._text(file, join(cpath, "name"), comp.get("name"))
            if not code or not name:
                continue
            self.components.append(
                Component(
                    plan_id=doc.id,
                    code=code,
                    name=name,
                    source=self._text(
                        file, join(cpath, "source"), comp.get("source"), required=False
                    )
                    or "",
                    goal=self._text(file, join(cpath, "goal"), comp.get("goal"), required=False),
                )
            )
            self._task_rows(
                file, doc, join(cpath, "assignments"), comp.get("assignments"), "II", code
            )
        self._task_rows(file, doc, "organization", data.get("organization"), "III", None)
        self._deadline_rows(file, doc, data)

    def _plan_texts(self, file: str, data: dict) -> dict[str, tuple[str, ...]]:
        """The plan's background, purpose, requirements and footnotes."""
        texts: dict[str, tuple[str, ...]] = {}
        for key in ("background", "purpose", "requirements"):
            texts[key] = self._texts(file, key, data.get(key))
        notes = []
        for i, fn in enumerate(self._list(file, "footnotes", data.get("footnotes"))):
            if isinstance(fn, dict):
                notes.append(f"[{fn.get('ref', i + 1)}] {fn.get('text', '')}".strip())
            else:
                notes.append(str(fn))
        texts["footnotes"] = tuple(notes)
        return texts

    def _doc_data_request(self, file: str, doc: Document, data: dict) -> None:
        self.texts[doc.id] = MappingProxyType(
            {"background": self._texts(file, "background", data.get("background"))}
        )
        self._assignments(file, "recipients", data.get("recipients"))
        self._contact(file, doc, data.get("contact"))
        for i, row in enumerate(self._list(file, "requests", data.get("requests"), required=True)):
            p = f"requests[{i}]"
            if not isinstance(row, dict):
                self.problem(file, p, N_("must be a mapping with ref, agencies and items"))
                continue
            self._keys(file, p, row, {"ref", "agencies", "items", "source"}, {"agencies", "items"})
            items = self._data_items(file, p, row.get("items"))
            self.data_requests.append(
                DataRequest(
                    doc_id=doc.id,
                    ref=str(row.get("ref") or i + 1),
                    agencies=self._assignments(
                        file, join(p, "agencies"), row.get("agencies"), required=True
                    ),
                    items=items,
                    source=self._text(file, join(p, "source"), row.get("source"), required=False)
                    or "",
                )
            )
        self._deadline_rows(file, doc, data)

    def _contact(self, file: str, doc: Document, contact: Any) -> None:
        """Whom agencies call about a data request (optional)."""
        if isinstance(contact, dict):
            self._keys(file, "contact", contact, {"phone", "unit"}, {"phone"})
            self.contacts[doc.id] = Contact(
                phone=str(contact.get("phone") or ""), unit=str(contact.get("unit") or "")
            )
        elif contact is not None:
            self.problem(file, "contact", N_("must be a mapping with phone and unit"))

    def _data_items(self, file: str, path: str, value: Any) -> tuple[DataItem, ...]:
        """The items of one request: each a text, or a mapping with text, form, index and note."""
        items = []
        for j, it in enumerate(self._list(file, join(path, "items"), value, required=True)):
            ip = f"{path}.items[{j}]"
            if isinstance(it, str):
                items.append(DataItem(text=it.strip()))
                continue
            if not isinstance(it, dict):
                self.problem(
                    file, ip, N_("must be a text or a mapping with text, form, index, note")
                )
                continue
            self._keys(file, ip, it, {"text", "form", "index", "note"}, {"text"})
            text = self._text(file, join(ip, "text"), it.get("text"))
            if text:
                items.append(
                    DataItem(
                        text=text,
                        form=self._text(file, join(ip, "form"), it.get("form"), required=False),
                        index=self._text(file, join(ip, "index"), it.get("index"), required=False),
                        note=self._text(file, join(ip, "note"), it.get("note"), required=False),
                    )
                )
        return tuple(items)
