"""Typed queries over one knowledge-base snapshot: agency ids and codes in, structured answers out.

Commands call these directly (``/chiso`` → :meth:`Queries.indicators_of`); the question engine
(kb/ask/engine.py) calls them once it has understood a question. Nothing here parses text.

One module per subject, each on the agencies and roles of kb/queries/roles.py: indicators and
scores (indicators.py), deadlines (deadlines.py), tasks and data requests (tasks.py).
"""

from __future__ import annotations

from kb.queries.deadlines import DeadlineQueries
from kb.queries.indicators import IndicatorQueries
from kb.queries.tasks import TaskQueries


class Queries(IndicatorQueries, DeadlineQueries, TaskQueries):
    """Every typed query over one snapshot."""
