"""Validation of knowledge-base files into a :class:`KnowledgeBase`.

Collects every problem (file, path inside the file, what is wrong, what to do) and returns them all
at once, so an admin fixes a broken file in one round.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from kb.check.problems import N_, Problem
from kb.codes import CODE
from kb.email_address import BadAddress, parse_email
from kb.model import (
    AGENCY_TYPES,
    DOCUMENT_KINDS,
    Agency,
    Assignment,
    Component,
    Contact,
    DataItem,
    DataRequest,
    Deadline,
    Document,
    Indicator,
    KnowledgeBase,
    Measure,
    Place,
    Places,
    Rank,
    Scores,
    TaskAssignment,
)
from kb.normalize import normalize

REGISTRY_KEY = "agencies"
PLACES_KEY = "places"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SINCE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MEASURE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*(?:điểm)?\s*$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_RANK = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d+))?(?:\s*tỉnh, thành)?\s*$")


FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2100, 12, 31)  # a date outside is a typing mistake
_KEY = re.compile(r"(?:^|\.)([A-Za-z_]+)(?:\[\d+\])*$")
# longest text a field may hold, by its key; the shipped files stay well below (names ~100, notes
# ~200)
_ID_KEYS = {
    "id",
    "code",
    "type",
    "kind",
    "number",
    "form",
    "index",
    "since",
    "succeeded_by",
    "member_types",
    "unit",
    "phone",
}
_NAME_KEYS = {
    "name",
    "title",
    "scope",
    "aliases",
    "members",
    "issuer",
    "signer",
    "source",
    "agency",
    "agencies",
    "audience",
    "recipients",
}
_NOTE_KEYS = {"note", "goal", "date_note", "number_note"}
ID_MAX, NAME_MAX, NOTE_MAX, TEXT_MAX = 120, 500, 2000, 10_000


def shown(value: Any, limit: int = 40) -> str:
    """A value as a problem quotes it: a scalar cut to ``limit`` characters, anything else by its
    type (never the whole of a list or mapping, which may be huge)."""
    if isinstance(value, (str, int, float, date)) and not isinstance(value, bool):
        return str(value)[:limit]
    return f"<{type(value).__name__}>"


def text_limit(path: str) -> int:
    """The longest text allowed at ``path`` ("components[0].indicators[4].name" -> a name's
    limit)."""
    m = _KEY.search(path)
    key = m.group(1) if m else ""
    if key in _ID_KEYS:
        return ID_MAX
    if key in _NAME_KEYS:
        return NAME_MAX
    if key in _NOTE_KEYS:
        return NOTE_MAX
    return TEXT_MAX


class Builder:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.agencies: dict[str, Agency] = {}
        self.alias_index: dict[str, set[str]] = {}
        self.documents: dict[str, Document] = {}
        self.components: list[Component] = []
        self.indicators: list[Indicator] = []
        self.totals: dict[str, tuple[str, Scores]] = {}
        self.tasks: list[TaskAssignment] = []
        self.deadlines: list[Deadline] = []
        self.data_requests: list[DataRequest] = []
        self.contacts: dict[str, Contact] = {}
        self.texts: dict[str, Mapping[str, tuple[str, ...]]] = {}
        self._doc_files: dict[str, str] = {}
        self._deadline_ids: dict[str, str] = {}
        self.places = Places()

    # --- helpers -------------------------------------------------------------------------------
    def problem(self, file: str, path: str, template: str, **values: Any) -> None:
        """Notes a problem: ``template`` is marked with N_ and translated where it is shown."""
        self.problems.append(Problem.of(file, path, template, **values))

    def _keys(
        self, file: str, path: str, data: dict, allowed: set[str], required: set[str]
    ) -> None:
        for key in data:
            if key not in allowed:
                hint = difflib.get_close_matches(shown(key, 200), sorted(allowed), n=1)
                where, allowed_list = _join(path, shown(key, 200)), ", ".join(sorted(allowed))
                if hint:
                    self.problem(
                        file,
                        where,
                        N_("unknown field (did you mean '{hint}'?); allowed: {allowed}"),
                        hint=hint[0],
                        allowed=allowed_list,
                    )
                else:
                    self.problem(
                        file, where, N_("unknown field; allowed: {allowed}"), allowed=allowed_list
                    )
        for key in sorted(required):
            if data.get(key) in (None, "", []):
                self.problem(file, _join(path, key), N_("missing field; it is required"))

    def _text(self, file: str, path: str, value: Any, required: bool = True) -> str | None:
        if value is None or value == "":
            if required:
                self.problem(file, path, N_("missing text; it is required"))
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem(file, path, N_("must be text, not {kind}"), kind=type(value).__name__)
            return None
        text = str(value).strip()
        limit = text_limit(path)
        if len(text) > limit:
            self.problem(
                file,
                path,
                N_("is too long ({n} characters); shorten it to at most {limit}"),
                n=len(text),
                limit=limit,
            )
            return None
        return text

    def _texts(self, file: str, path: str, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),)
        if not isinstance(value, list):
            self.problem(file, path, N_("must be a list of texts"))
            return ()
        out = []
        for i, v in enumerate(value):
            t = self._text(file, f"{path}[{i}]", v)
            if t:
                out.append(t)
        return tuple(out)

    def _list(self, file: str, path: str, value: Any, required: bool = False) -> list:
        if value is None:
            if required:
                self.problem(file, path, N_("missing list; it is required"))
            return []
        if not isinstance(value, list):
            self.problem(file, path, N_("must be a list"))
            return []
        if required and not value:
            self.problem(file, path, N_("must not be empty"))
        return value

    def _date(self, file: str, path: str, value: Any, required: bool = True) -> date | None:
        if value is None or value == "":
            if required:
                self.problem(file, path, N_("missing date; write it as YYYY-MM-DD"))
            return None
        try:
            found = value if isinstance(value, date) else date.fromisoformat(shown(value).strip())
        except ValueError:
            self._bad_date(file, path, shown(value).strip())
            return None
        if not FIRST_DATE <= found <= LAST_DATE:
            self.problem(
                file,
                path,
                N_("date {date} is outside {first}–{last}; check the year"),
                date=found.isoformat(),
                first=FIRST_DATE.year,
                last=LAST_DATE.year,
            )
            return None
        return found

    def _bad_date(self, file: str, path: str, written: str) -> None:
        """A date written YYYY-MM-DD whose day or month does not exist (2025-02-31) is called
        so, not a wrong format."""
        m = _YMD.match(written)
        if m is None or int(m.group(1)) < 1:
            self.problem(
                file,
                path,
                N_("bad date '{value}'; write it as YYYY-MM-DD, e.g. 2024-07-20"),
                value=written,
            )
            return
        year, month, day = (int(g) for g in m.groups())
        if not 1 <= month <= 12:
            self.problem(
                file,
                path,
                N_(
                    "the date '{value}' does not exist: there is no month {month}; write "
                    "YYYY-MM-DD (year, month, day)"
                ),
                value=written,
                month=month,
            )
            return
        self.problem(
            file,
            path,
            N_(
                "the date '{value}' does not exist: month {month:02d}/{year} has {days} days; "
                "check the day"
            ),
            value=written,
            month=month,
            year=year,
            days=calendar.monthrange(year, month)[1],
        )

    def _int(self, file: str, path: str, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.problem(file, path, N_("must be a whole number, not '{value}'"), value=shown(value))
        return None

    # --- registry ------------------------------------------------------------------------------
    def registry(self, file: str, data: dict) -> None:
        self._keys(file, "", data, {REGISTRY_KEY}, {REGISTRY_KEY})
        for i, row in enumerate(
            self._list(file, REGISTRY_KEY, data.get(REGISTRY_KEY), required=True)
        ):
            path = f"{REGISTRY_KEY}[{i}]"
            if not isinstance(row, dict):
                self.problem(file, path, N_("must be a mapping with id, name and type"))
                continue
            self._keys(
                file,
                path,
                row,
                {
                    "id",
                    "name",
                    "type",
                    "aliases",
                    "succeeded_by",
                    "since",
                    "member_types",
                    "members",
                    "catch_all",
                    "excludes_named",
                    "email",
                },
                {"id", "name", "type"},
            )
            aid = self._text(file, _join(path, "id"), row.get("id"))
            name = self._text(file, _join(path, "name"), row.get("name"))
            atype = self._text(file, _join(path, "type"), row.get("type"))
            if not (aid and name and atype):
                continue
            if not _ID.match(aid):
                self.problem(
                    file,
                    _join(path, "id"),
                    N_("bad id '{id}'; use lower-case letters, digits and '-'"),
                    id=aid,
                )
            if aid in self.agencies:
                self.problem(
                    file,
                    _join(path, "id"),
                    N_("duplicate agency id '{id}'; ids must be unique"),
                    id=aid,
                )
                continue
            if atype not in AGENCY_TYPES:
                self.problem(
                    file,
                    _join(path, "type"),
                    N_("unknown type '{type}'; use one of {types}"),
                    type=atype,
                    types=", ".join(sorted(AGENCY_TYPES)),
                )
            since = row.get("since")
            if since is not None:
                since = shown(since)
                if not _SINCE.match(since):
                    self.problem(
                        file,
                        _join(path, "since"),
                        N_("bad date '{value}'; write YYYY, YYYY-MM or YYYY-MM-DD"),
                        value=since,
                    )
            member_types = self._texts(file, _join(path, "member_types"), row.get("member_types"))
            for j, mt in enumerate(member_types):
                if mt not in AGENCY_TYPES:
                    self.problem(
                        file, f"{path}.member_types[{j}]", N_("unknown type '{type}'"), type=mt
                    )
            if atype != "group" and (member_types or row.get("members")):
                self.problem(
                    file,
                    path,
                    N_("only agencies of type 'group' may have member_types or members"),
                )
            email = self._email(file, _join(path, "email"), row.get("email"), atype)
            agency = Agency(
                id=aid,
                name=name,
                type=atype,
                aliases=self._texts(file, _join(path, "aliases"), row.get("aliases")),
                succeeded_by=row.get("succeeded_by") or None,
                since=since,
                member_types=member_types,
                members=self._texts(file, _join(path, "members"), row.get("members")),
                catch_all=bool(row.get("catch_all", False)),
                excludes_named=bool(row.get("excludes_named", False)),
                email=email,
            )
            self.agencies[aid] = agency
            for alias in (name, *agency.aliases):
                key = normalize(alias)
                if not key:
                    self.problem(
                        file,
                        _join(path, "aliases"),
                        N_("alias '{alias}' is empty once punctuation is removed"),
                        alias=alias,
                    )
                    continue
                self.alias_index.setdefault(key, set()).add(aid)
            self._agency_files = getattr(self, "_agency_files", {})
            self._agency_files[aid] = (file, path)

    def _email(self, file: str, path: str, value: Any, atype: str) -> str | None:
        """An agency's official address (optional): one plain address, not on a group."""
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(
                file,
                path,
                N_('must be one e-mail address in quotes, e.g. "{example}"'),
                example="vanthu.snnmt@langson.gov.vn",
            )
            return None
        if atype == "group":
            self.problem(
                file,
                path,
                N_("a group has no address of its own; give each member agency its address"),
            )
            return None
        try:
            return parse_email(value)
        except BadAddress as exc:
            self.problem(
                file,
                path,
                N_(
                    "'{value}' is not an e-mail address: {reason}; write it as name@domain, "
                    "e.g. {example}"
                ),
                value=shown(value),
                reason=str(exc),
                example="vanthu.snnmt@langson.gov.vn",
            )
            return None

    def finish_registry(self) -> None:
        files = getattr(self, "_agency_files", {})
        for key, ids in sorted(self.alias_index.items()):
            if len(ids) > 1:
                names = sorted(self.agencies[i].name for i in ids)
                file, path = files[sorted(ids)[0]]
                self.problem(
                    file,
                    path,
                    N_("alias '{alias}' names several agencies ({names}); keep it on one"),
                    alias=key,
                    names="; ".join(names),
                )
        for aid, agency in self.agencies.items():
            file, path = files[aid]
            if agency.succeeded_by and agency.succeeded_by not in self.agencies:
                self.problem(
                    file,
                    _join(path, "succeeded_by"),
                    N_("unknown agency id '{id}'"),
                    id=agency.succeeded_by,
                )
            for m in agency.members:
                if m not in self.agencies:
                    self.problem(
                        file, _join(path, "members"), N_("unknown agency id '{id}'"), id=m
                    )
            seen, cur = {aid}, agency
            while cur.succeeded_by and cur.succeeded_by in self.agencies:
                if cur.succeeded_by in seen:
                    self.problem(
                        file,
                        _join(path, "succeeded_by"),
                        N_("successions form a cycle; an agency cannot succeed itself"),
                    )
                    break
                seen.add(cur.succeeded_by)
                cur = self.agencies[cur.succeeded_by]

    def _agency(self, file: str, path: str, written: Any, scope: Any = None) -> Assignment | None:
        name = self._text(file, path, written)
        if not name:
            return None
        ids = self.alias_index.get(normalize(name))
        if not ids:
            known = {normalize(a.name): a.name for a in self.agencies.values()}
            close = difflib.get_close_matches(normalize(name), list(known), n=1, cutoff=0.75)
            if close:
                self.problem(
                    file,
                    path,
                    N_(
                        "unknown agency '{name}' (closest: {closest}); fix the spelling or add it"
                        " to agencies.yaml as a name or alias"
                    ),
                    name=name,
                    closest=known[close[0]],
                )
            else:
                self.problem(
                    file,
                    path,
                    N_(
                        "unknown agency '{name}'; fix the spelling or add it to agencies.yaml as a"
                        " name or alias"
                    ),
                    name=name,
                )
            return None
        return Assignment(
            agency_id=sorted(ids)[0],
            written=name,
            scope=self._text(file, path, scope, required=False),
        )

    def _assignments(
        self, file: str, path: str, value: Any, required: bool = False
    ) -> tuple[Assignment, ...]:
        out = []
        for i, row in enumerate(self._list(file, path, value, required=required)):
            p = f"{path}[{i}]"
            if isinstance(row, str):
                a = self._agency(file, p, row)
            elif isinstance(row, dict):
                self._keys(file, p, row, {"agency", "scope"}, {"agency"})
                a = self._agency(file, _join(p, "agency"), row.get("agency"), row.get("scope"))
            else:
                self.problem(
                    file,
                    p,
                    N_("must be an agency name or a mapping with 'agency' (and optional 'scope')"),
                )
                continue
            if a:
                out.append(a)
        return tuple(out)

    # --- documents -----------------------------------------------------------------------------
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
        self._keys(
            file,
            "document",
            head,
            {
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
            },
            {"id", "kind", "issuer", "title", "source"},
        )
        doc_id = self._text(file, "document.id", head.get("id"))
        kind = self._text(file, "document.kind", head.get("kind"))
        if not doc_id or not kind:
            return
        if not _ID.match(doc_id):
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
            return
        if kind not in DOCUMENT_KINDS:
            self.problem(
                file,
                "document.kind",
                N_("unknown kind '{kind}'; use one of {kinds}"),
                kind=kind,
                kinds=", ".join(sorted(DOCUMENT_KINDS)),
            )
            return
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
        years = tuple(
            y
            for y in (
                self._int(file, "document.years", y)
                for y in self._list(file, "document.years", head.get("years"))
            )
            if y
        )
        doc = Document(
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
        self.documents[doc_id] = doc
        self._doc_files[doc_id] = file
        allowed, required = self._KIND_KEYS[kind]
        self._keys(file, "", data, allowed | {"document"}, required)
        handler: Callable[[str, Document, dict], None] = getattr(self, f"_doc_{kind}")
        handler(file, doc, data)

    def _components(self, file: str, doc: Document, data: dict, with_scores: bool) -> None:
        comp_codes: set[str] = set()
        codes: set[str] = set()
        allowed = {"code", "name", "source", "indicators"}
        if with_scores:
            allowed |= {"score", "median", "rank", "target", "target_rank"}
        for ci, comp in enumerate(
            self._list(file, "components", data.get("components"), required=True)
        ):
            cpath = f"components[{ci}]"
            if not isinstance(comp, dict):
                self.problem(file, cpath, N_("must be a mapping with code, name and indicators"))
                continue
            self._keys(file, cpath, comp, allowed, {"code", "name", "indicators"})
            ccode = self._text(file, _join(cpath, "code"), comp.get("code"))
            cname = self._text(file, _join(cpath, "name"), comp.get("name"))
            if not ccode or not cname:
                continue
            if ccode in comp_codes:
                self.problem(
                    file, _join(cpath, "code"), N_("duplicate component code '{code}'"), code=ccode
                )
                continue
            comp_codes.add(ccode)
            self.components.append(
                Component(
                    plan_id=doc.id,
                    code=ccode,
                    name=cname,
                    source=self._text(
                        file, _join(cpath, "source"), comp.get("source"), required=False
                    )
                    or "",
                    scores=self._scores(file, cpath, comp) if with_scores else None,
                )
            )
            for ii, row in enumerate(
                self._list(file, _join(cpath, "indicators"), comp.get("indicators"), required=True)
            ):
                ipath = f"{cpath}.indicators[{ii}]"
                if not isinstance(row, dict):
                    self.problem(
                        file, ipath, N_("must be a mapping with code, name, lead and coordinate")
                    )
                    continue
                iallowed = {"code", "name", "source", "lead", "coordinate", "note"}
                if with_scores:
                    iallowed |= {"score", "median", "rank", "target", "target_rank"}
                self._keys(file, ipath, row, iallowed, {"code", "name", "lead"})
                code = self._text(file, _join(ipath, "code"), row.get("code"))
                name = self._text(file, _join(ipath, "name"), row.get("name"))
                if not code or not name:
                    continue
                m = CODE.match(code)
                if not m or m.group(1) != ccode or code != f"{int(m.group(1))}.{int(m.group(2))}":
                    self.problem(
                        file,
                        _join(ipath, "code"),
                        N_("bad code '{code}'; write '<component>.<item>', e.g. '{component}.1'"),
                        code=code,
                        component=ccode,
                    )
                    continue
                if code in codes:
                    self.problem(
                        file,
                        _join(ipath, "code"),
                        N_("duplicate indicator code '{code}' in {doc}"),
                        code=code,
                        doc=doc.id,
                    )
                    continue
                codes.add(code)
                self.indicators.append(
                    Indicator(
                        plan_id=doc.id,
                        code=code,
                        component=ccode,
                        name=name,
                        source=self._text(
                            file, _join(ipath, "source"), row.get("source"), required=False
                        )
                        or "",
                        lead=self._assignments(
                            file, _join(ipath, "lead"), row.get("lead"), required=True
                        ),
                        coordinate=self._assignments(
                            file, _join(ipath, "coordinate"), row.get("coordinate")
                        ),
                        note=self._text(
                            file, _join(ipath, "note"), row.get("note"), required=False
                        ),
                        scores=self._scores(file, ipath, row) if with_scores else None,
                    )
                )

    def _measure(self, file: str, path: str, value: Any) -> Measure | None:
        if value is None or value == "":
            return None
        m = _MEASURE.match(shown(value, 100))
        if not m:
            self.problem(
                file,
                path,
                N_('bad number \'{value}\'; write it as in the source, e.g. "4,84" or "56%"'),
                value=shown(value),
            )
            return None
        digits = m.group(1).replace(",", ".")
        try:
            val = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            self.problem(file, path, N_("bad number '{value}'"), value=shown(value))
            return None
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        return Measure(value=val, unit=m.group(2), decimals=decimals)

    def _rank(self, file: str, path: str, value: Any) -> Rank | None:
        if value is None or value == "":
            return None
        m = _RANK.match(shown(value, 100))
        if not m:
            self.problem(
                file,
                path,
                N_("bad rank '{value}'; write a whole number like 58 or \"62/63\""),
                value=shown(value),
            )
            return None
        return Rank(int(m.group(1)), int(m.group(2)) if m.group(2) else None)

    def _scores(self, file: str, path: str, row: dict) -> Scores:
        return Scores(
            score=self._measure(file, _join(path, "score"), row.get("score")),
            median=self._measure(file, _join(path, "median"), row.get("median")),
            rank=self._rank(file, _join(path, "rank"), row.get("rank")),
            target=self._measure(file, _join(path, "target"), row.get("target")),
            target_rank=self._rank(file, _join(path, "target_rank"), row.get("target_rank")),
        )

    def _doc_assignment_plan(self, file: str, doc: Document, data: dict) -> None:
        self._components(file, doc, data, with_scores=False)

    def _doc_score_plan(self, file: str, doc: Document, data: dict) -> None:
        total = data.get("total")
        if isinstance(total, dict):
            self._keys(
                file,
                "total",
                total,
                {"name", "score", "median", "rank", "target", "target_rank", "source"},
                {"name", "score"},
            )
            self.totals[doc.id] = (
                str(total.get("name") or ""),
                self._scores(file, "total", total),
            )
        elif total is not None:
            self.problem(
                file,
                "total",
                N_("must be a mapping with name, score, rank, target and target_rank"),
            )
        self._components(file, doc, data, with_scores=True)

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
                        file, _join(p, "agencies"), row.get("agencies"), required=True
                    ),
                    tasks=self._texts(file, _join(p, "tasks"), row.get("tasks")),
                    source=self._text(file, _join(p, "source"), row.get("source"), required=False)
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
            did = self._text(file, _join(p, "id"), row.get("id"))
            when = self._date(file, _join(p, "date"), row.get("date"))
            title = self._text(file, _join(p, "title"), row.get("title"))
            audience = self._assignments(
                file, _join(p, "audience"), row.get("audience"), required=True
            )
            if not (did and when and title):
                continue
            if did in self._deadline_ids:
                self.problem(
                    file,
                    _join(p, "id"),
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
                    source=self._text(file, _join(p, "source"), row.get("source"), required=False)
                    or "",
                )
            )

    def _doc_task_plan(self, file: str, doc: Document, data: dict) -> None:
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
        self.texts[doc.id] = MappingProxyType(texts)
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
            code = self._text(file, _join(cpath, "code"), comp.get("code"))
            name = self._text(file, _join(cpath, "name"), comp.get("name"))
            if not code or not name:
                continue
            self.components.append(
                Component(
                    plan_id=doc.id,
                    code=code,
                    name=name,
                    source=self._text(
                        file, _join(cpath, "source"), comp.get("source"), required=False
                    )
                    or "",
                    goal=self._text(file, _join(cpath, "goal"), comp.get("goal"), required=False),
                )
            )
            self._task_rows(
                file, doc, _join(cpath, "assignments"), comp.get("assignments"), "II", code
            )
        self._task_rows(file, doc, "organization", data.get("organization"), "III", None)
        self._deadline_rows(file, doc, data)

    def _doc_data_request(self, file: str, doc: Document, data: dict) -> None:
        self.texts[doc.id] = MappingProxyType(
            {"background": self._texts(file, "background", data.get("background"))}
        )
        self._assignments(file, "recipients", data.get("recipients"))
        contact = data.get("contact")
        if isinstance(contact, dict):
            self._keys(file, "contact", contact, {"phone", "unit"}, {"phone"})
            self.contacts[doc.id] = Contact(
                phone=str(contact.get("phone") or ""), unit=str(contact.get("unit") or "")
            )
        elif contact is not None:
            self.problem(file, "contact", N_("must be a mapping with phone and unit"))
        for i, row in enumerate(self._list(file, "requests", data.get("requests"), required=True)):
            p = f"requests[{i}]"
            if not isinstance(row, dict):
                self.problem(file, p, N_("must be a mapping with ref, agencies and items"))
                continue
            self._keys(file, p, row, {"ref", "agencies", "items", "source"}, {"agencies", "items"})
            items = []
            for j, it in enumerate(
                self._list(file, _join(p, "items"), row.get("items"), required=True)
            ):
                ip = f"{p}.items[{j}]"
                if isinstance(it, str):
                    items.append(DataItem(text=it.strip()))
                    continue
                if not isinstance(it, dict):
                    self.problem(
                        file, ip, N_("must be a text or a mapping with text, form, index, note")
                    )
                    continue
                self._keys(file, ip, it, {"text", "form", "index", "note"}, {"text"})
                text = self._text(file, _join(ip, "text"), it.get("text"))
                if text:
                    items.append(
                        DataItem(
                            text=text,
                            form=self._text(
                                file, _join(ip, "form"), it.get("form"), required=False
                            ),
                            index=self._text(
                                file, _join(ip, "index"), it.get("index"), required=False
                            ),
                            note=self._text(
                                file, _join(ip, "note"), it.get("note"), required=False
                            ),
                        )
                    )
            self.data_requests.append(
                DataRequest(
                    doc_id=doc.id,
                    ref=str(row.get("ref") or i + 1),
                    agencies=self._assignments(
                        file, _join(p, "agencies"), row.get("agencies"), required=True
                    ),
                    items=tuple(items),
                    source=self._text(file, _join(p, "source"), row.get("source"), required=False)
                    or "",
                )
            )
        self._deadline_rows(file, doc, data)

    # --- places (communes and wards)
    # ---------------------------------------------------------------
    def places_file(self, file: str, data: dict) -> None:
        self._keys(file, "", data, {PLACES_KEY}, {PLACES_KEY})
        row = data.get(PLACES_KEY)
        if not isinstance(row, dict):
            self.problem(
                file, PLACES_KEY, N_("must be a mapping with wards, communes and former_districts")
            )
            return
        self._keys(
            file,
            PLACES_KEY,
            row,
            {
                "source",
                "since",
                "wards",
                "communes",
                "expected",
                "former_districts",
                "former_cities",
                "districts_until",
            },
            {"wards", "communes"},
        )
        units: list[Place] = []
        seen: dict[str, str] = {}
        for key, kind in (("wards", "phuong"), ("communes", "xa")):
            for i, name in enumerate(self._texts(file, _join(PLACES_KEY, key), row.get(key))):
                folded = normalize(name)
                if folded in seen:
                    self.problem(
                        file,
                        f"{PLACES_KEY}.{key}[{i}]",
                        N_("'{name}' is listed twice (also as {other}); keep it once"),
                        name=name,
                        other=seen[folded],
                    )
                    continue
                seen[folded] = f"{key}[{i}]"
                units.append(Place(name=name, kind=kind))
        expected = row.get("expected")
        if isinstance(expected, dict):
            for key, kind in (("wards", "phuong"), ("communes", "xa")):
                want = expected.get(key)
                got = sum(1 for u in units if u.kind == kind)
                if want is not None and want != got:
                    self.problem(
                        file,
                        f"{PLACES_KEY}.{key}",
                        N_(
                            "has {got} names but expected.{key} says {want}; check the list"
                            " against the resolution"
                        ),
                        got=got,
                        key=key,
                        want=want,
                    )
        former = [
            Place(name=n, kind="huyen", former=True)
            for n in self._texts(
                file, _join(PLACES_KEY, "former_districts"), row.get("former_districts")
            )
        ]
        former += [
            Place(name=n, kind="thanh-pho", former=True)
            for n in self._texts(
                file, _join(PLACES_KEY, "former_cities"), row.get("former_cities")
            )
        ]
        self.places = Places(
            units=tuple(units),
            former=tuple(former),
            source=self._text(file, _join(PLACES_KEY, "source"), row.get("source"), required=False)
            or "",
            since=self._date(file, _join(PLACES_KEY, "since"), row.get("since"), required=False),
            districts_until=self._date(
                file,
                _join(PLACES_KEY, "districts_until"),
                row.get("districts_until"),
                required=False,
            ),
        )

    # --- result --------------------------------------------------------------------------------
    def build(self) -> tuple[KnowledgeBase | None, list[Problem]]:
        current = [d for d in self.documents.values() if d.kind == "assignment_plan" and d.current]
        plans = [d for d in self.documents.values() if d.kind == "assignment_plan"]
        if plans and len(current) != 1:
            names = ", ".join(sorted(self._doc_files[d.id] for d in current or plans))
            self.problem(
                names,
                "document.current",
                N_("exactly one assignment_plan must have 'current: true' (found {n})"),
                n=len(current),
            )
        if not plans and not self.problems:
            self.problem(
                "(knowledge base)",
                "",
                N_("no assignment_plan document; the current plan's file is missing"),
            )
        if self.problems:
            return None, self.problems
        kb = KnowledgeBase(
            agencies=MappingProxyType(dict(self.agencies)),
            documents=MappingProxyType(dict(self.documents)),
            components=tuple(self.components),
            indicators=tuple(self.indicators),
            totals=MappingProxyType(dict(self.totals)),
            tasks=tuple(self.tasks),
            deadlines=tuple(sorted(self.deadlines, key=lambda d: d.date)),
            data_requests=tuple(self.data_requests),
            contacts=MappingProxyType(dict(self.contacts)),
            texts=MappingProxyType(dict(self.texts)),
            places=self.places,
        )
        return kb, []


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
