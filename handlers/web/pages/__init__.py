"""The console's pages, one module per section: sign-in and the front page (``session``), the
board and an agency's page (``board``, ``contact``), indicators (``indicator``), deadlines,
broadcasts, leaders, the knowledge base and the import of a plan's appendix (``kb_import``),
unanswered questions, reports and the audit log. Each gives its ``routes(console)``."""
