"""Translations from the gettext catalogs in ``locales/``, compiled in memory at start.

One :class:`Translator` per language, made once and passed to whoever renders a reply; there is no
global "current language". Dates and numbers go through Babel so Vietnamese gets "10/12/2024" and
"4,84".
"""

from __future__ import annotations

import gettext
import io
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
DOMAIN = "messages"


def _locales_dir() -> Path:
    """The catalogs: the checkout's ``locales/`` beside the packages, or, for a copy installed
    with ``pip install .``, the environment's ``share/pgi-assistant/locales`` (pyproject.toml's
    data-files)."""
    candidates = (
        Path(__file__).resolve().parent.parent.parent / "locales",
        Path(sys.prefix) / "share" / "pgi-assistant" / "locales",
    )
    for path in candidates:
        if (path / DEFAULT_LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po").exists():
            return path
    return candidates[0]


LOCALES_DIR = _locales_dir()


@dataclass(frozen=True)
class Translator:
    lang: str
    translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def date(self, value: date) -> str:
        if self.lang == "vi":
            return format_date(value, "dd/MM/yyyy", locale="vi")
        return format_date(value, "d MMM yyyy", locale="en")

    def decimal(self, value: Decimal | float, decimals: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=Locale.parse(self.lang))


def compile_catalog(po_path: Path) -> gettext.GNUTranslations:
    with po_path.open("rb") as f:
        catalog = read_po(f, locale=po_path.parent.parent.name)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


class Translations:
    """All languages' translators, loaded once at start."""

    def __init__(self, locales_dir: Path = LOCALES_DIR):
        self._by_lang: dict[str, Translator] = {}
        for lang in LANGUAGES:
            po = locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
            if not po.exists():  # a bot in English source strings would be a silent failure
                raise FileNotFoundError(f"the {lang} catalog is missing: {po}")
            self._by_lang[lang] = Translator(lang, compile_catalog(po))

    def get(self, lang: str | None) -> Translator:
        return self._by_lang.get(pick_language(lang), self._by_lang[DEFAULT_LANGUAGE])


def pick_language(*candidates: str | None) -> str:
    """The first supported language among the candidates (e.g. stored preference, Telegram's
    code)."""
    for c in candidates:
        if c:
            code = c.lower().replace("_", "-").split("-")[0]
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later."""
    return message


CHANNEL_NAMES = {
    "telegram": "Telegram",
    "zalo": "Zalo",
    "email": N_("e-mail"),
    "terminal": N_("terminal chat"),
    "cli": N_("command line"),
}


def channel_name(tr: Translator, channel: str) -> str:
    """A channel as people call it, in the reader's language."""
    name = CHANNEL_NAMES.get(channel)
    return tr.gettext(name) if name is not None else channel.capitalize()
