"""The Telegram channel: the adapter between python-telegram-bot and the core (``adapter``), the
application and its handlers (``app``), the ledger sender (``sender``), the start check
(``start``) and the channel as the runner starts it (``channel``)."""
