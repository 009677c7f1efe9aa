"""Line numbers for knowledge-base problems, found from PyYAML's node marks.

A problem names a path inside a file (``components[0].indicators[4].lead[0].agency``); the file is
composed into YAML nodes and the path followed as far as it goes, so a missing field points at the
mapping that lacks it. Only done when there are problems, so a valid load pays nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import yaml

from kb.check.problems import SYNTAX_PATH, Problem

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)  # noqa: S506 - composing builds no objects
    except yaml.YAMLError:
        return None


def node_line(root: yaml.Node | None, path: str) -> int | None:
    """1-based line of the deepest node along ``path`` (keys and ``[index]`` steps)."""
    if root is None:
        return None
    node: yaml.Node = root
    line = root.start_mark.line + 1
    for key, index in _STEP.findall(path):
        if key:
            if not isinstance(node, yaml.MappingNode):
                break
            found = next(
                (
                    (k, v)
                    for k, v in node.value
                    if isinstance(k, yaml.ScalarNode) and k.value == key
                ),
                None,
            )
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        else:
            i = int(index)
            if not isinstance(node, yaml.SequenceNode) or i >= len(node.value):
                break
            node = node.value[i]
            line = node.start_mark.line + 1
    return line


def with_lines(sources: dict[str, str], problems: list[Problem]) -> list[Problem]:
    """The same problems, each with the line of its path in its file where that can be found."""
    composed: dict[str, yaml.Node | None] = {}
    out = []
    for p in problems:
        if p.line is not None or p.file not in sources:
            out.append(p)
            continue
        syntax = SYNTAX_PATH.match(p.path)
        if syntax:
            out.append(replace(p, line=int(syntax.group(1))))
            continue
        if p.file not in composed:
            composed[p.file] = _compose(sources[p.file])
        out.append(replace(p, line=node_line(composed[p.file], p.path) if p.path else None))
    return out
