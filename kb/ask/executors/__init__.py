"""Executors: one module per family of typed queries, answering from the knowledge base's
tables."""
