"""Outgoing messages: the delivery ledger and its leases, broadcasts, and whether a chat can
be reached."""
