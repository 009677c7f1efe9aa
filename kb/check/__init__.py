"""Checking knowledge-base files: validation into a KnowledgeBase, problems as data, line
numbers."""
