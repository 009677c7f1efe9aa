"""The question engine: a question parsed into a typed query, executed over the knowledge base."""
