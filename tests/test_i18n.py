"""Every user-facing message is in both catalogs; numbers and dates follow the language."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from bot.app.i18n import Translations, pick_language

ROOT = Path(__file__).resolve().parent.parent


def test_catalogs_have_every_message():
    """scripts/i18n.py check fails when vi or en misses a message the code uses."""
    p = subprocess.run(
        [sys.executable, "scripts/i18n.py", "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert "" == p.stdout
    assert 0 == p.returncode


def test_vietnamese_numbers_and_dates():
    """Vietnamese: decimal comma and dd/mm/yyyy."""
    vi = Translations().get("vi")
    assert "17,33" == vi.decimal(Decimal("17.33"), 2)
    assert "5,30" == vi.decimal(Decimal("5.3"), 2)
    assert "10/12/2024" == vi.date(date(2024, 12, 10))


def test_english_numbers():
    """English: decimal point."""
    assert "17.33" == Translations().get("en").decimal(Decimal("17.33"), 2)


def test_language_choice():
    """Stored preference first, then Telegram's language code, else Vietnamese."""
    assert "en" == pick_language("en", "vi")
    assert "en" == pick_language(None, "en-US")
    assert "vi" == pick_language(None, "fr")
    assert "vi" == pick_language()


def test_translations_are_applied():
    """The same message reads in Vietnamese and in English."""
    t = Translations()
    assert "Nguồn: {documents}" == t.get("vi").gettext("Source: {documents}")
    assert "Source: {documents}" == t.get("en").gettext("Source: {documents}")
