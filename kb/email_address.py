"""One rule for an e-mail address, wherever one is written: an agency's official address in
``agencies.yaml``, a person's ``/email``, the web console's forms.

Only plain addresses (``vanthu.snnmt@langson.gov.vn``): no display name, no comments, no quoted
local part, an ASCII domain with a dot. At most :data:`LONGEST` characters, the length of a chat id
in the database (the delivery ledger keeps the address where other channels keep a chat id).
"""

from __future__ import annotations

import re

LONGEST = 64
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


class BadAddress(ValueError):
    """What is wrong with an address, in English (the KB's problems); ``code`` picks a
    translated text."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def parse_email(text: str) -> str:
    """The address as stored (domain in lower case), or :class:`BadAddress` saying what is
    wrong."""
    value = (text or "").strip()
    if not value:
        raise BadAddress("empty", "the address is empty")
    if len(value) > LONGEST:
        raise BadAddress("long", f"the address is longer than {LONGEST} characters")
    if value.count("@") != 1:
        raise BadAddress("at", "an address has exactly one '@', e.g. vanthu@langson.gov.vn")
    local, domain = value.split("@")
    if not _LOCAL.fullmatch(local):
        raise BadAddress(
            "local",
            "the part before '@' may hold letters without accents, digits and . _ - + only",
        )
    labels = domain.split(".")
    if (
        len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not labels[-1].isalpha()
    ):
        raise BadAddress("domain", "the part after '@' must be a domain such as langson.gov.vn")
    return f"{local}@{domain.lower()}"
