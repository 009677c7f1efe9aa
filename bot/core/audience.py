"""Who a deadline or a broadcast is for: named agencies, the lead or coordinating agencies of an
indicator or component index, all commune-level committees, or everyone.

An audience is stored as a small JSON-able dict and resolved against the active knowledge base at
sending time, so a reload or a new group binding takes effect at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.app.i18n import Translator
from kb.ask.answers import COORDINATE, LEAD
from kb.ask.engine import Engine
from kb.ask.resolve import find_agencies
from kb.codes import parse_code
from kb.model import COMMUNE, Agency, Assignment
from kb.normalize import normalize
from kb.words.names import search_agencies

ALL, COMMUNES, AGENCIES, LEADS, COORDINATORS = "all", "communes", "agencies", "lead", "coordinate"
_COMPONENT = re.compile(r"^(?:chi so thanh phan|cstp|component)\s*(\d)$")


class AudienceError(ValueError):
    """The typed audience names something unknown; the message says what and how to write it."""


@dataclass(frozen=True)
class Audience:
    spec: dict

    @staticmethod
    def everyone() -> Audience:
        return Audience({"kind": ALL})

    @staticmethod
    def communes() -> Audience:
        return Audience({"kind": COMMUNES})

    @staticmethod
    def agencies(ids: list[str], names: list[str]) -> Audience:
        return Audience({"kind": AGENCIES, "ids": ids, "names": names})

    @staticmethod
    def of_assignments(cell: tuple[Assignment, ...]) -> Audience:
        return Audience(
            {
                "kind": AGENCIES,
                "ids": [a.agency_id for a in cell],
                "names": [a.written for a in cell],
            }
        )

    @staticmethod
    def role(kind: str, target: str) -> Audience:
        return Audience({"kind": kind, "target": target})

    def describe(self, tr: Translator) -> str:
        kind = self.spec.get("kind")
        if kind == ALL:
            return tr.gettext("everyone")
        if kind == COMMUNES:
            return tr.gettext("all commune and ward People's Committees")
        if kind in (LEADS, COORDINATORS):
            target = self.spec.get("target", "")
            what = (
                tr.gettext("component index {code}").format(code=target[1:])
                if target.startswith("C")
                else tr.gettext("indicator {code}").format(code=target)
            )
            return (
                tr.gettext("the lead agencies of {what}")
                if kind == LEADS
                else tr.gettext("the coordinating agencies of {what}")
            ).format(what=what)
        return "; ".join(self.spec.get("names", []))

    def includes(self, agency: Agency, engine: Engine) -> bool:
        """Whether an agency (of a bound group chat) is in this audience."""
        kind = self.spec.get("kind")
        if kind == ALL:
            return True
        if kind == COMMUNES:
            return agency.type == COMMUNE
        index = engine.index
        if kind == AGENCIES:
            identities, groups = engine.ids_and_groups(agency)
            ids = set(self.spec.get("ids", []))
            return bool(ids & identities) or bool(ids & {g.id for g in groups})
        if kind in (LEADS, COORDINATORS):
            plan = engine.plan_of(None)  # the current plan (a valid knowledge base has one)
            target = self.spec.get("target", "")
            if target.startswith("C"):
                indicators = [
                    i for i in index.plan_indicators(plan.id) if i.component == target[1:]
                ]
            else:
                ind = index.indicators.get(plan.id, {}).get(target)
                indicators = [ind] if ind else []
            wanted = LEAD if kind == LEADS else COORDINATE
            for ind in indicators:
                role = engine.role_on(ind, agency)
                if (
                    role is not None
                    and role.role == wanted
                    and not (role.via is not None and role.via.catch_all)
                ):
                    return True
        return False


_EVERYONE = ("tat ca", "all", "everyone", "moi nguoi", "tat ca cac co quan")
_COMMUNES = ("xa phuong", "cac xa phuong", "ubnd cac xa phuong", "ubnd cap xa", "communes", "xa")
_ROLE_PREFIXES = (
    ("chu tri ", LEADS),
    ("lead ", LEADS),
    ("phoi hop ", COORDINATORS),
    ("coordinate ", COORDINATORS),
)


def parse(text: str, engine: Engine, tr: Translator) -> Audience:
    """Typed audience: "tất cả", "xã phường", "chủ trì 1.5", "phối hợp CSTP 2", or agency names
    separated by commas."""
    folded = normalize(text)
    if folded in _EVERYONE:
        return Audience.everyone()
    if folded in _COMMUNES:
        return Audience.communes()
    for prefix, kind in _ROLE_PREFIXES:
        if folded.startswith(prefix):
            return _role(text, folded[len(prefix) :].strip(), kind, engine, tr)
    return _named_agencies(text, engine, tr)


def _role(text: str, target: str, kind: str, engine: Engine, tr: Translator) -> Audience:
    """The lead or coordinating agencies of an indicator ("1.5") or a component index ("CSTP 2")
    of the current plan."""
    component = _COMPONENT.match(target)
    code = f"C{component.group(1)}" if component else parse_code(target)
    if code is None:
        raise AudienceError(
            tr.gettext(
                "“{text}”: after “chủ trì” or “phối hợp” write an indicator code (1.5) or"
                " a component index (CSTP 2)."
            ).format(text=text)
        )
    plan = engine.plan_of(None)
    known = (
        code[1:] in engine.index.components.get(plan.id, {})
        if code.startswith("C")
        else code in engine.index.indicators.get(plan.id, {})
    )
    if not known:
        raise AudienceError(
            tr.gettext("“{target}” is not in plan {plan}.").format(target=target, plan=plan.number)
        )
    return Audience.role(kind, code)


def _named_agencies(text: str, engine: Engine, tr: Translator) -> Audience:
    """Agencies named one by one, separated by commas, semicolons or lines, under today's names."""
    ids, names, unknown = [], [], []
    for part in re.split(r"[;,\n]+", text):
        part = part.strip()
        if not part:
            continue
        found = find_agencies(engine.index, normalize(part).split(), part)
        agency = found.mentions[0].agency if found.mentions and found.mentions[0].exact else None
        if agency is None:
            guesses = search_agencies(engine.index, part, limit=1)
            unknown.append(part + (f" (→ {guesses[0].name}?)" if guesses else ""))
            continue
        agency = engine.current(agency) if agency.id in engine.index.agencies else agency
        if agency.id not in ids:
            ids.append(agency.id)
            names.append(agency.name)
    if unknown:
        raise AudienceError(
            tr.gettext(
                "Unknown agency: {names}. Write the names as in the plan, separated by commas."
            ).format(names="; ".join(unknown))
        )
    if not ids:
        raise AudienceError(tr.gettext("“{text}” names no agency.").format(text=text))
    return Audience.agencies(ids, names)
