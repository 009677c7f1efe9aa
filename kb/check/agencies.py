"""The agency registry (agencies.yaml): ids, names and aliases, types, successions, groups and
their members, official addresses; and how other files name an agency (by name or alias).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from kb.check.fields import ID, FieldChecks, join, shown
from kb.check.problems import N_
from kb.email_address import BadAddress, parse_email
from kb.model import AGENCY_TYPES, Agency, Assignment
from kb.normalize import normalize

REGISTRY_KEY = "agencies"
_SINCE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_AGENCY_KEYS = {
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
}


class AgencyChecks(FieldChecks):
    """Reads the registry into agencies and an index of their names, and checks the agencies
    other files name."""

    def __init__(self) -> None:
        super().__init__()
        self.agencies: dict[str, Agency] = {}
        self.alias_index: dict[str, set[str]] = {}
        self._agency_files: dict[str, tuple[str, str]] = {}  # id -> (file, path) of its row

    def registry(self, file: str, data: dict) -> None:
        self._keys(file, "", data, {REGISTRY_KEY}, {REGISTRY_KEY})
        for i, row in enumerate(
            self._list(file, REGISTRY_KEY, data.get(REGISTRY_KEY), required=True)
        ):
            path = f"{REGISTRY_KEY}[{i}]"
            if not isinstance(row, dict):
                self.problem(file, path, N_("must be a mapping with id, name and type"))
                continue
            self._agency_row(file, path, row)

    def _agency_row(self, file: str, path: str, row: dict) -> None:
        self._keys(file, path, row, _AGENCY_KEYS, {"id", "name", "type"})
        aid = self._text(file, join(path, "id"), row.get("id"))
        name = self._text(file, join(path, "name"), row.get("name"))
        atype = self._text(file, join(path, "type"), row.get("type"))
        if not (aid and name and atype) or not self._new_agency(file, path, aid, atype):
            return
        since = self._since(file, path, row.get("since"))
        member_types = self._member_types(file, path, row, atype)
        email = self._email(file, join(path, "email"), row.get("email"), atype)
        agency = Agency(
            id=aid,
            name=name,
            type=atype,
            aliases=self._texts(file, join(path, "aliases"), row.get("aliases")),
            succeeded_by=row.get("succeeded_by") or None,
            since=since,
            member_types=member_types,
            members=self._texts(file, join(path, "members"), row.get("members")),
            catch_all=bool(row.get("catch_all", False)),
            excludes_named=bool(row.get("excludes_named", False)),
            email=email,
        )
        self.agencies[aid] = agency
        self._index_names(file, path, agency)
        self._agency_files[aid] = (file, path)

    def _new_agency(self, file: str, path: str, aid: str, atype: str) -> bool:
        """Checks an agency's id and type; False when the id is taken (the row is left out)."""
        if not ID.match(aid):
            self.problem(
                file,
                join(path, "id"),
                N_("bad id '{id}'; use lower-case letters, digits and '-'"),
                id=aid,
            )
        if aid in self.agencies:
            self.problem(
                file,
                join(path, "id"),
                N_("duplicate agency id '{id}'; ids must be unique"),
                id=aid,
            )
            return False
        if atype not in AGENCY_TYPES:
            self.problem(
                file,
                join(path, "type"),
                N_("unknown type '{type}'; use one of {types}"),
                type=atype,
                types=", ".join(sorted(AGENCY_TYPES)),
            )
        return True

    def _since(self, file: str, path: str, value: Any) -> str | None:
        """Since when the agency exists under this name: a year, a month or a day, as written."""
        if value is None:
            return None
        since = shown(value)
        if not _SINCE.match(since):
            self.problem(
                file,
                join(path, "since"),
                N_("bad date '{value}'; write YYYY, YYYY-MM or YYYY-MM-DD"),
                value=since,
            )
        return since

    def _member_types(self, file: str, path: str, row: dict, atype: str) -> tuple[str, ...]:
        """The types of agency a group stands for; only a group has them, or members."""
        member_types = self._texts(file, join(path, "member_types"), row.get("member_types"))
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
        return member_types

    def _index_names(self, file: str, path: str, agency: Agency) -> None:
        """Indexes the agency under its name and aliases, folded."""
        for alias in (agency.name, *agency.aliases):
            key = normalize(alias)
            if not key:
                self.problem(
                    file,
                    join(path, "aliases"),
                    N_("alias '{alias}' is empty once punctuation is removed"),
                    alias=alias,
                )
                continue
            self.alias_index.setdefault(key, set()).add(agency.id)

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
        files = self._agency_files
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
                    join(path, "succeeded_by"),
                    N_("unknown agency id '{id}'"),
                    id=agency.succeeded_by,
                )
            for m in agency.members:
                if m not in self.agencies:
                    self.problem(file, join(path, "members"), N_("unknown agency id '{id}'"), id=m)
            seen, cur = {aid}, agency
            while cur.succeeded_by and cur.succeeded_by in self.agencies:
                if cur.succeeded_by in seen:
                    self.problem(
                        file,
                        join(path, "succeeded_by"),
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
                a = self._agency(file, join(p, "agency"), row.get("agency"), row.get("scope"))
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
