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

from kb.lexicon import LEXICON_KEY, attach
from kb.lines import with_lines
from kb.model import KnowledgeBase
from kb.validate import PLACES_KEY, REGISTRY_KEY, Builder, KbError, Problem

DATA_DIR = Path(__file__).resolve().parent / "data"


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is several times faster


class _YamlLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that leaves dates as text, so a bad date is reported by the validator, not raised."""


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


def validate(sources: dict[str, str]) -> tuple[KnowledgeBase | None, list[Problem]]:
    builder = Builder()
    parsed: dict[str, Any] = {}
    for name in sorted(sources):
        try:
            data = yaml.load(sources[name], Loader=_YamlLoader)  # noqa: S506 - safe loader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            builder.problem(name, where, f"is not valid YAML ({getattr(exc, 'problem', exc)}); fix the syntax")
            continue
        except (ValueError, TypeError) as exc:
            builder.problem(name, "", f"cannot be read ({exc}); check its values")
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



__all__ = ["DATA_DIR", "KbError", "Problem", "checksum", "load", "read_sources", "validate"]
