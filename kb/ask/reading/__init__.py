"""How a question's words are read before the recognisers run: which words can name a subject
(``freewords``), and the phrases of a story's frame that name none (``frames``)."""
