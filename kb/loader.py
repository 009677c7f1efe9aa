"""Reads knowledge-base YAML files and builds a :class:`KnowledgeBase` through the validator.

The validator (kb/validate.py) collects every problem (file, path inside the file, what is wrong,
what to do) and returns them all at once, so an admin fixes a broken file in one round.
"""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path
from typing import Any

import yaml

from kb.lines import with_lines
from kb.model import KnowledgeBase
from kb.validate import PLACES_KEY, REGISTRY_KEY, Builder, KbError, Problem

DATA_DIR = Path(__file__).resolve().parent / "data"


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is several times faster


class _YamlLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that leaves dates as text, so a bad date is reported by the validator, not raised,
    and notes every key written twice in one mapping (PyYAML silently keeps the last)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[Any, str, int]] = []  # (mark of the second key, key, first line)

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

    Nothing outside the folder is read: a symbolic link is followed only to a file inside it. A file
    that is skipped (a link going outside, a dangling link or a loop, something that is not a regular
    file, a file too big) is a problem, never silently left out.
    """
    root = Path(path)
    if root.is_file():
        folder, candidates = root.resolve().parent, [root]
    elif root.is_dir():
        folder = root.resolve()
        candidates = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml"))
    else:
        raise KbError([Problem(str(root), "", "no such file or directory; give the knowledge-base folder")])
    out: dict[str, str] = {}
    problems: list[Problem] = []
    for f in candidates:
        why = _unreadable(f, folder)
        if why:
            problems.append(Problem(f.name, "", why))
            continue
        try:
            out[f.name] = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(f.name, "", f"cannot be read as UTF-8 text ({exc}); save it as UTF-8"))
    if problems:
        raise KbError(problems)
    return out


def _unreadable(f: Path, folder: Path) -> str | None:
    """Why ``f`` is not read, or None when it is a regular file inside ``folder`` of a sensible size."""
    try:
        target = f.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop so
        return "is a symbolic link that loops; replace it with the file itself"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that loops; replace it with the file itself"
        return "is a symbolic link to nothing (the file it names is missing); remove it or copy the file here"
    if not target.is_relative_to(folder):
        return "is a symbolic link to a file outside the knowledge-base folder; copy the file into the folder instead"
    if not target.is_file():
        return "is not a regular file; knowledge-base files must be YAML files in the folder"
    size = target.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"is too big ({size // 1024} kB); a knowledge-base file must be under {MAX_FILE_BYTES // (1024 * 1024)} MB"
    return None


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
    """(mark, '&name' or '*name') of the first anchor or alias, from the parser's events: nothing is
    composed or expanded, so a "billion laughs" file costs no more than its own length to scan."""
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

    Sizes are bounded and anchors/aliases refused before anything is built: an alias repeats a whole
    subtree, and nested ones grow a few hundred bytes into gigabytes.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        builder.problem(name, "", f"is too big ({size // 1024} kB); a knowledge-base file must be "
                                  f"under {MAX_FILE_BYTES // (1024 * 1024)} MB")
        return _UNUSABLE
    found = _first_anchor(text)
    if found is not None:
        mark, what = found
        builder.problem(name, _where(mark), f"uses the YAML anchor or alias '{what[:40]}'; knowledge-base "
                                            "files may not use anchors (&) or aliases (*): write the value out")
        return _UNUSABLE
    loader = _YamlLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _where(mark) if mark else ""
        builder.problem(name, where, f"is not valid YAML ({getattr(exc, 'problem', exc)}); fix the syntax")
        return _UNUSABLE
    except (ValueError, TypeError, RecursionError) as exc:
        builder.problem(name, "", f"cannot be read ({str(exc)[:200]}); check its values")
        return _UNUSABLE
    finally:
        loader.dispose()
    for mark, key, first in loader.duplicates:
        builder.problem(name, _where(mark), f"the key '{key[:60]}' is written twice in the same place (first on "
                                            f"line {first}); the second would silently replace the first: keep one")
    return data  # with its duplicates reported, so every other problem of the file is listed too


def validate(sources: dict[str, str]) -> tuple[KnowledgeBase | None, list[Problem]]:
    builder = Builder()
    parsed: dict[str, Any] = {}
    for name in sorted(sources):
        data = _read_yaml(builder, name, sources[name])
        if data is _UNUSABLE:
            continue
        if not isinstance(data, dict):
            builder.problem(name, "", "must be a YAML mapping with a 'document' (or 'agencies') section")
            continue
        parsed[name] = data
    registries = [n for n, d in parsed.items() if REGISTRY_KEY in d and "document" not in d]
    if not registries:
        builder.problem("agencies.yaml", "", "the agency registry is missing; add agencies.yaml with an 'agencies' list")
    for name in registries:
        builder.registry(name, parsed[name])
    builder.finish_registry()
    places = [n for n, d in parsed.items() if PLACES_KEY in d and "document" not in d]
    for name in places:
        builder.places_file(name, parsed[name])
    for name, data in parsed.items():
        if name not in registries and name not in places:
            builder.document(name, data)
    kb, problems = builder.build()
    return kb, with_lines(sources, problems) if problems else problems



__all__ = ["DATA_DIR", "KbError", "Problem", "checksum", "load", "read_sources", "validate"]
