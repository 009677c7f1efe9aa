"""Why a message was not delivered, in the reader's language.

The delivery ledger keeps the reason as the channel gave it (Telegram's English description, Zalo's
code, the mail server's reply, or the dispatcher's own words); a report to a person says it with a
translated phrase, never the raw text.
"""

from __future__ import annotations

from bot.app.i18n import N_, Translator

# (words found in the stored reason, what to tell the reader); the first match wins
_REASONS: list[tuple[tuple[str, ...], str]] = [
    (("bot was kicked", "bot was removed"), N_("the bot was removed from the group")),
    (("bot is not a member", "not a member"), N_("the bot is no longer a member of the group")),
    (("bot was blocked",), N_("the bot was blocked")),
    (
        ("chat not found", "group chat was deactivated", "user is deactivated"),
        N_("the chat no longer exists"),
    ),
    (
        ("have no rights to send", "not enough rights"),
        N_("the bot is not allowed to post in the group"),
    ),
    (("thread not found",), N_("the group's topic no longer exists")),
    (("address refused",), N_("the mail server refused the e-mail address")),
    (
        ("handed over; it may have been sent",),
        N_("the connection was lost while the e-mail was sent; it may have arrived"),
    ),
    (
        ("mail server login refused",),
        N_("the mail server refused the bot's login (check SMTP_USER and SMTP_PASSWORD)"),
    ),
    (("too long", "can't parse", "parse entities"), N_("the message's text was refused")),
    (
        (
            "gave up after retries",
            "network error",
            "timed out",
            "bad gateway",
            "unavailable",
            "could not be reached",
            "deferred",
            "is busy",
        ),
        N_("the channel could not be reached after several tries"),
    ),
]
_OTHER = N_("the message was refused")


def reason_text(tr: Translator, error: str | None) -> str:
    """The stored reason of a failed or refused delivery as a phrase in ``tr``'s language."""
    low = (error or "").lower()
    for words, phrase in _REASONS:
        if any(w in low for w in words):
            return tr.gettext(phrase)
    return tr.gettext(_OTHER)
