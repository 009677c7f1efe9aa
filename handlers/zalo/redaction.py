"""The bot token is a secret in the URL of every call: a log filter on the ``httpx`` logger (which
writes each request line at INFO) replaces it, and the webhook secrets, in every record, so a
forgotten ``setLevel(WARNING)`` does not leak them."""

from __future__ import annotations

import logging
from collections import Counter
from urllib.parse import quote

REDACTED = "<redacted>"
REDACTED_LOGGERS = ("httpx",)


class _Redactor(logging.Filter):
    """Replaces registered secrets in log records (httpx writes each request URL at INFO)."""

    def __init__(self) -> None:
        super().__init__("zalo-token-redactor")
        self._secrets: Counter[str] = Counter()

    def add(self, secrets: list[str]) -> None:
        self._secrets.update(secrets)

    def remove(self, secrets: list[str]) -> None:
        self._secrets.subtract(secrets)
        self._secrets += Counter()  # drops the ones no client uses any more

    def redact(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                return True
            clean = self.redact(message)
            if clean != message:
                record.msg, record.args = clean, ()
        return True


REDACTOR = _Redactor()


def secret_forms(secret: str) -> list[str]:
    """The secret as it may appear in text: as is, URL-quoted, and (for ``id:secret``) its
    secret half."""
    forms = {secret, quote(secret, safe=""), quote(secret)}
    if ":" in secret and len(part := secret.split(":", 1)[1]) >= 8:
        forms.update((part, quote(part, safe="")))
    return sorted(f for f in forms if f)
