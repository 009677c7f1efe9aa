"""A hostile YAML file for the loader and the console's upload: nested aliases (a "billion
laughs")."""

from __future__ import annotations


def alias_bomb(levels: int) -> str:
    """Nested aliases: each level repeats the one before nine times (a few hundred bytes in
    all)."""
    lines = [
        "agencies:",
        "  - id: a0",
        '    name: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ]
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"  - id: a{i}\n    name: &a{i} [{refs}]")
    lines.append(
        f"  - id: z\n    name: z\n    type: department\n    since: *a{levels}"
    )  # a date, quoted when wrong
    return "\n".join(lines) + "\n"
