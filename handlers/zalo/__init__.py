"""The Zalo channel. The Bot API client (``api``, with its ``errors``, ``redaction`` of the token
and the ``updates`` parser: the standard library and httpx only); the bot on it (``bot``: the
inbox, one chat at a time, replies), which reads updates into the core's messages (``incoming``),
sends through the ledger (``sender``), and starts with a check of its identity and mode
(``start``); and the channel as the runner starts it (``channel``)."""

CHANNEL = "zalo"  # the channel's name in the core, the inbox and the ledger
