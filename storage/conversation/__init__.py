"""Incoming messages and where each chat stands: the inbox of stored updates, flows in
progress, open choices and updates already processed."""
