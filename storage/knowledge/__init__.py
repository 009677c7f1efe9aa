"""The knowledge base's loaded versions, and the questions it did not fully answer."""
