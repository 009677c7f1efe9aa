"""A problem found in knowledge-base files, as data that whoever shows it can translate.

``kb/`` knows no translator (it is channel-neutral, tests/test_layering.py): a problem carries its
English text as a template — the gettext msgid, marked with :func:`N_` so ``scripts/i18n.py``
extracts it — and the values that fill it. ``message`` is the English text filled in (logs, the
command line, tests); :meth:`Problem.text` gives it in the reader's language, the way the web
console's upload errors are (handlers/web/upload.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# the path of a problem the YAML parser placed (kb/loader.py), kept in this form for the line
# finder
SYNTAX_PATH = re.compile(r"^line (\d+), column (\d+)$")


def N_(message: str) -> str:
    """Marks a problem's template for extraction; it is translated where the problem is shown."""
    return message


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str  # in English, the template filled in
    line: int | None = field(
        default=None, compare=False
    )  # 1-based line in the file, where it can be found
    template: str | None = field(
        default=None, compare=False
    )  # the msgid; None: ``message`` is not translated
    values: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, file: str, path: str, template: str, **values: Any) -> Problem:
        """A problem whose text is ``template`` (marked with :func:`N_`) filled from ``values``."""
        return cls(
            file, path, template.format(**values), template=template, values=tuple(values.items())
        )

    def text(self, gettext: Callable[[str], str] | None = None) -> str:
        """What is wrong and what to do, translated by ``gettext`` (English without one)."""
        if gettext is None or self.template is None:
            return self.message
        return gettext(self.template).format(**dict(self.values))

    def where(self) -> str:
        """``file:line`` (``file:line:column`` where the YAML parser placed it, the file alone
        where no line is known), the way compilers name a place so that editors can jump to it.
        """
        syntax = SYNTAX_PATH.match(self.path)
        if syntax:
            return f"{self.file}:{syntax.group(1)}:{syntax.group(2)}"
        return f"{self.file}:{self.line}" if self.line else self.file

    def inner_path(self) -> str:
        """The path inside the file ("components[0].indicators[4].lead"), or "" (nothing beyond the
        line and column of :meth:`where`)."""
        return "" if SYNTAX_PATH.match(self.path) else self.path

    def located(self, gettext: Callable[[str], str] | None = None) -> str:
        """One line: where, the path inside the file, and the text (translated by ``gettext``)."""
        path = self.inner_path()
        return (
            f"{self.where()}: {path}: {self.text(gettext)}"
            if path
            else f"{self.where()}: {self.text(gettext)}"
        )

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class KbError(Exception):
    """Raised with every problem found when a knowledge base cannot be loaded."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
