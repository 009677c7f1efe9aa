"""Delivery: the ledger worker, recipients, reminder planning and the scheduler's tick."""
