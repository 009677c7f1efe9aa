"""SQLAlchemy 2 models, one module per concept, on one metadata (``base.Base.metadata``).

Importing any model imports this package first, which imports every model module: the metadata
always holds every table, so foreign keys between modules resolve and Alembic sees the schema.
"""

from storage.models import (  # noqa: F401  (registers every table on Base.metadata)
    agencies,
    conversation,
    deadlines,
    delivery,
    knowledge,
    people,
    progress,
    web,
)
