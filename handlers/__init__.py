"""The channels and the HTTP side: one package per chat channel (``telegram/``, ``zalo/``), the
e-mail channel (``email_channel``), their registry (``channels``), the pieces they share (the
HTTP server, the inbox, the lease poller, safe fetching, text splitting), the runner that starts
them, and the officials' web console (``web/``)."""
