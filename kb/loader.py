"""Reads knowledge-base YAML files and builds a :class:`KnowledgeBase` through the validator.

The validator (kb/check/validate.py) collects every problem (file, path inside the file, what is
wrong, what to do) and returns them all at once, so an admin fixes a broken file in one round.
"""

from __future__ import annotations

import errno
import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from kb.check.agencies import REGISTRY_KEY
from kb.check.lines import with_lines
from kb.check.places import PLACES_KEY
from kb.check.problems import N_, KbError, Problem
from kb.check.validate import Builder
from kb.model import KnowledgeBase
from kb.words.lexicon import LEXICON_KEY, attach

DATA_DIR = Path(__file__).resolve().parent / "data"


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is several times faster


class _YamlLoader(_Base):
    """Safe loader that leaves dates as text, so a bad date is reported by the validator, not
    raised, and notes every key written twice in one mapping (PyYAML silently keeps the last).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[
            tuple[Any, str, int]
        ] = []  # (mark of the second key, key, first line)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        seen: dict[tuple[str, str], int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = (key_node.tag, key_node.value)
            if key in seen:
                self.duplicates.append((key_node.start_mark, key_node.value, seen[key]))
            else:
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


_YamlLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}


MAX_FILE_BYTES = 5 * 1024 * 1024  # the shipped files are ~100 kB each


def read_sources(path: str | Path = DATA_DIR) -> dict[str, str]:
    """File name → text of every ``*.yaml``/``*.yml`` under ``path`` (a directory or one file).

    Nothing outside the folder is read: a symbolic link is followed only to a file inside it. A
    file that is skipped (a link going outside, a dangling link or a loop, something that is not a
    regular file, a file too big) is a problem, never silently left out.
    """
    root = Path(path)
    if root.is_file():
        folder, candidates = root.resolve().parent, [root]
    elif root.is_dir():
        folder = root.resolve()
        candidates = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml"))
    else:
        raise KbError(
            [
                Problem.of(
                    str(root), "", N_("no such file or directory; give the knowledge-base folder")
                )
            ]
        )
    out: dict[str, str] = {}
    problems: list[Problem] = []
    for f in candidates:
        why = _unreadable(f, folder)
        if why:
            problems.append(Problem.of(f.name, "", why[0], **why[1]))
            continue
        try:
            out[f.name] = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(
                Problem.of(
                    f.name,
                    "",
                    N_("cannot be read as UTF-8 text ({error}); save it as UTF-8"),
                    error=exc,
                )
            )
    if problems:
        raise KbError(problems)
    return out


def _unreadable(f: Path, folder: Path) -> tuple[str, dict[str, Any]] | None:
    """Why ``f`` is not read (a template and its values), or None when it is a regular file inside
    ``folder`` of a sensible size."""
    try:
        target = f.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop so
        return _LOOP, {}
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _LOOP, {}
        return (
            N_(
                "is a symbolic link to nothing (the file it names is missing); remove it or copy"
                " the file here"
            ),
            {},
        )
    if not target.is_relative_to(folder):
        return (
            N_(
                "is a symbolic link to a file outside the knowledge-base folder; copy the file"
                " into the folder instead"
            ),
            {},
        )
    if not target.is_file():
        return (
            N_("is not a regular file; knowledge-base files must be YAML files in the folder"),
            {},
        )
    size = target.stat().st_size
    if size > MAX_FILE_BYTES:
        return _TOO_BIG, {"kb": size // 1024, "mb": MAX_FILE_BYTES // (1024 * 1024)}
    return None


_LOOP = N_("is a symbolic link that loops; replace it with the file itself")
_TOO_BIG = N_("is too big ({kb} kB); a knowledge-base file must be under {mb} MB")


_TOP_KEYS = tuple(re.compile(rf"^{key}\s*:", re.M) for key in (REGISTRY_KEY, PLACES_KEY))


def with_shipped(
    sources: dict[str, str], shipped: dict[str, str], one_file: bool
) -> tuple[dict[str, str], list[str]]:
    """What a partial check is checked against, and the names of the files borrowed from
    ``shipped``.

    One file is checked as it would be loaded: in place of its namesake among the shipped files,
    the others around it (what the console's upload of one file does). A folder is checked as it
    is, but one without an agency registry or a list of communes borrows the shipped ones, so that
    a folder holding only a plan is not told that every agency it names is unknown.
    """
    if one_file:
        borrowed = sorted(n for n in shipped if n not in sources)
        return {**{n: shipped[n] for n in borrowed}, **sources}, borrowed
    out, borrowed = dict(sources), []
    for top in _TOP_KEYS:
        if any(top.search(text) for text in sources.values()):
            continue
        for name in sorted(shipped):
            if top.search(shipped[name]) and name not in out:
                out[name] = shipped[name]
                borrowed.append(name)
    return out, borrowed


def checksum(sources: dict[str, str]) -> str:
    h = hashlib.sha256()
    for name in sorted(sources):
        h.update(name.encode())
        h.update(b"\0")
        h.update(sources[name].encode())
        h.update(b"\0")
    return h.hexdigest()


def load(sources: dict[str, str]) -> KnowledgeBase:
    """Validate and build; raises :class:`KbError` listing every problem."""
    kb, problems = validate(sources)
    if problems or kb is None:
        raise KbError(problems)
    return kb


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _first_anchor(text: str) -> tuple[Any, str] | None:
    """(mark, '&name' or '*name') of the first anchor or alias, from the parser's events:
    nothing is composed or expanded, so a "billion laughs" file costs no more than its own
    length to scan."""
    try:
        for event in yaml.parse(text, Loader=_Base):
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark, f"*{anchor}"
            if anchor is not None:
                return event.start_mark, f"&{anchor}"
    except yaml.YAMLError:
        return None  # reported, with its line, when the file is loaded
    return None


_UNUSABLE = object()


def _read_yaml(builder: Builder, name: str, text: str) -> Any:
    """The file's data, or _UNUSABLE after reporting why it cannot be used.

    Sizes are bounded and anchors/aliases refused before anything is built: an alias repeats a
    whole subtree, and nested ones grow a few hundred bytes into gigabytes.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        builder.problem(name, "", _TOO_BIG, kb=size // 1024, mb=MAX_FILE_BYTES // (1024 * 1024))
        return _UNUSABLE
    found = _first_anchor(text)
    if found is not None:
        mark, what = found
        builder.problem(
            name,
            _where(mark),
            N_(
                "uses the YAML anchor or alias '{what}'; knowledge-base files may "
                "not use anchors (&) or aliases (*): write the value out"
            ),
            what=what[:40],
        )
        return _UNUSABLE
    loader = _YamlLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _where(mark) if mark else ""
        builder.problem(
            name,
            where,
            N_("is not valid YAML ({error}); fix the syntax"),
            error=getattr(exc, "problem", exc),
        )
        return _UNUSABLE
    except (ValueError, TypeError, RecursionError) as exc:
        builder.problem(
            name, "", N_("cannot be read ({error}); check its values"), error=str(exc)[:200]
        )
        return _UNUSABLE
    finally:
        loader.dispose()
    for mark, key, first in loader.duplicates:
        builder.problem(
            name,
            _where(mark),
            N_(
                "the key '{key}' is written twice in the same place (first on line "
                "{first}); the second would silently replace the first: keep one"
            ),
            key=key[:60],
            first=first,
        )
    return data  # with its duplicates reported, so every other problem of the file is listed too


def validate(sources: dict[str, str]) -> tuple[KnowledgeBase | None, list[Problem]]:
    builder = Builder()
    parsed: dict[str, Any] = {}
    for name in sorted(sources):
        data = _read_yaml(builder, name, sources[name])
        if data is _UNUSABLE:
            continue
        if not isinstance(data, dict):
            builder.problem(
                name, "", N_("must be a YAML mapping with a 'document' (or 'agencies') section")
            )
            continue
        parsed[name] = data
    registries = [n for n, d in parsed.items() if REGISTRY_KEY in d and "document" not in d]
    if not registries:
        builder.problem(
            "agencies.yaml",
            "",
            N_("the agency registry is missing; add agencies.yaml with an 'agencies' list"),
        )
    for name in registries:
        builder.registry(name, parsed[name])
    builder.finish_registry()
    places = [n for n, d in parsed.items() if PLACES_KEY in d and "document" not in d]
    for name in places:
        builder.places_file(name, parsed[name])
    lexicons = {n: d for n, d in parsed.items() if LEXICON_KEY in d and "document" not in d}
    for name, data in parsed.items():
        if name not in registries and name not in places and name not in lexicons:
            builder.document(name, data)
    kb, problems = builder.build()
    if kb is not None and lexicons:
        kb, problems = attach(kb, lexicons)
        if problems:
            kb = None
    return kb, with_lines(sources, problems) if problems else problems


__all__ = [
    "DATA_DIR",
    "KbError",
    "Problem",
    "checksum",
    "load",
    "read_sources",
    "validate",
    "with_shipped",
]
