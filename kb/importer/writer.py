"""Writes a complete knowledge-base folder: the active files with the imported plan in place."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from kb.check.problems import Problem
from kb.loader import read_sources, validate
from kb.normalize import fold

_ID = re.compile(r"[^a-z0-9]+")


def plan_file_name(doc: dict[str, Any]) -> str:
    number = doc.get("number") or "new"
    year = (doc.get("years") or [None])[0] or "undated"
    return f"plan_{_ID.sub('_', fold(number).lower()).strip('_')}_{year}.yaml"


def plan_yaml(plan: dict[str, Any], note: str) -> str:
    body = yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=10_000)
    return f"# {note}\n{body}"


def same_plan(text: str, doc: dict[str, Any]) -> bool:
    """True when a file holds the plan with the same number (it is replaced, not kept beside)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    d = data.get("document") if isinstance(data, dict) else None
    return (
        isinstance(d, dict)
        and bool(doc.get("number"))
        and d.get("kind") == doc.get("kind")
        and fold(str(d.get("number") or "")) == fold(doc["number"])
    )


_CURRENT = re.compile(r"^(\s*current:\s*)true\b", re.MULTILINE)


def _not_current(text: str) -> str:
    return _CURRENT.sub(r"\1false", text, count=1)


def new_agencies(names: list[str], existing_ids: set[str]) -> str:
    """Registry entries for names no registry entry knows, to append to agencies.yaml."""
    lines = [
        "",
        "  # Added by `kb import`: names the imported plan writes that the registry did not know.",
        "  # Check each one: correct its type, or make it an alias of the agency it means.",
    ]
    for name in names:
        base = _ID.sub("-", fold(name)).strip("-")[:50] or "agency"
        aid, k = base, 2
        while aid in existing_ids:
            aid, k = f"{base}-{k}", k + 1
        existing_ids.add(aid)
        lines.append(f"  - id: {aid}")
        lines.append(f"    name: {_quote(name)}")
        lines.append("    type: other")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def compose(
    sources: dict[str, str], plan: dict[str, Any], unknown: list[str], note: str
) -> tuple[dict[str, str], str, list[str]]:
    """(files of the new folder, the plan's file name, names of the files it replaces)."""
    doc = plan["document"]
    out: dict[str, str] = {}
    replaced = [n for n, t in sources.items() if same_plan(t, doc)]
    for name, text in sources.items():
        if name in replaced:
            continue
        if (
            doc.get("current")
            and doc.get("kind") == "assignment_plan"
            and "assignment_plan" in text[:2000]
        ):
            text = _not_current(text)
        out[name] = text
    if unknown:
        reg = next((n for n in out if n.startswith("agencies")), "agencies.yaml")
        ids = set(re.findall(r"^\s*-\s*id:\s*([a-z0-9-]+)", out.get(reg, ""), re.MULTILINE))
        out[reg] = out.get(reg, "agencies:\n").rstrip("\n") + "\n" + new_agencies(unknown, ids)
    file_name = replaced[0] if replaced else plan_file_name(doc)
    out[file_name] = plan_yaml(plan, note)
    for name in [n for n in out if n.startswith("lexicon")]:
        out[name] = lexicon_for(out[name], plan)
    return out, file_name, replaced


def lexicon_for(text: str, plan: dict[str, Any]) -> str:
    """The lexicon, less the entries for codes the imported plan does not have, when the lexicon is
    keyed to that plan (its id): a replaced plan may drop or renumber indicators. The dropped
    entries are listed in a comment at the top, for the admin to re-attach."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return text  # kb check reports it
    lex = data.get("lexicon") if isinstance(data, dict) else None
    if not isinstance(lex, dict) or lex.get("plan") != plan["document"].get("id"):
        return text
    have = {
        "components": {str(c.get("code")) for c in plan.get("components") or []},
        "indicators": {
            str(i.get("code"))
            for c in plan.get("components") or []
            for i in c.get("indicators") or []
        },
    }
    dropped = []
    for kind, codes in have.items():
        entries = lex.get(kind) or []
        kept = [e for e in entries if not isinstance(e, dict) or str(e.get("code")) in codes]
        dropped += [str(e.get("code")) for e in entries if e not in kept]
        if entries:
            lex[kind] = kept
    if not dropped:
        return text
    head = (
        "# Entries for codes the imported plan does not have were left out (codes "
        + ", ".join(dropped)
        + "): attach their phrases to the new plan's indicators and load a new version.\n"
    )
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=99)


def write_folder(files: dict[str, str], out_dir: Path) -> list[Problem]:
    """Writes the files into ``out_dir`` (created; its old YAML files removed) and checks them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in list(out_dir.glob("*.yaml")) + list(out_dir.glob("*.yml")):
        old.unlink()
    for name, text in files.items():
        (out_dir / name).write_text(text, encoding="utf-8")
    _, problems = validate(read_sources(out_dir))
    return problems
