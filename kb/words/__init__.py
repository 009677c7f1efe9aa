"""How officials name things: the concept lexicon, synonyms, nicknames, names, topics and the
ranked text index."""
