"""Extract, update and check the gettext catalogs: `python scripts/i18n.py [extract|check]`.

extract: scans bot/, handlers/ and kb/ (Python, and the web console's Jinja2 templates) for _(),
gettext(), ngettext() and N_() calls, writes locales/messages.pot and merges it into
locales/{vi,en}/LC_MESSAGES/messages.po (English msgstr is filled with the msgid). check: exits 1
listing messages that a catalog lacks or leaves empty. Catalogs are compiled in memory at start
(bot/app/i18n.py), so there is no compile step.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHOD = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def extract() -> Catalog:
    template = Catalog(project="pgi-assistant", charset="utf-8")
    for folder in ("bot", "handlers", "kb"):
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder, METHOD, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            template.add(
                message,
                None,
                [(f"{folder}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "messages.po"


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="pgi-assistant", charset="utf-8")
    with path.open("rb") as f:
        return read_po(f, locale=lang)


def save(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=120, omit_header=False, sort_output=True)


def missing(template: Catalog, catalog: Catalog) -> list[str]:
    out = []
    for msg in template:
        if not msg.id:
            continue
        have = catalog.get(msg.id)
        if have is None or have.fuzzy:
            out.append(str(msg.id))
            continue
        strings = have.string if isinstance(have.string, (list, tuple)) else [have.string]
        if not all(strings):
            out.append(str(msg.id))
    return out


def cmd_extract() -> int:
    template = extract()
    save(template, LOCALES / "messages.pot")
    for lang in ("vi", "en"):
        catalog = load(lang)
        catalog.update(template, no_fuzzy_matching=True)
        if lang == "en":
            for msg in catalog:
                if msg.id and not (
                    msg.string if not isinstance(msg.id, (list, tuple)) else all(msg.string)
                ):
                    msg.string = msg.id if not isinstance(msg.id, (list, tuple)) else tuple(msg.id)
        catalog.obsolete.clear()
        save(catalog, po_path(lang))
    return cmd_check()


def cmd_check() -> int:
    template = extract()
    bad = 0
    for lang in ("vi", "en"):
        gaps = missing(template, load(lang))
        for m in gaps:
            print(f"{lang}: missing translation: {m!r}")
        bad += len(gaps)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(cmd_extract() if (sys.argv[1:] or ["extract"])[0] == "extract" else cmd_check())
