"""Alembic environment: runs the revisions on the connection coach.storage.database hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from coach.config import get_settings
from coach.storage.database import make_engine
from coach.storage.tables import Base

# An advisory lock key of our own: two app processes starting together migrate one after the other.
_PG_MIGRATION_LOCK = 727_274_001


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # the `alembic` command line, pointed at this directory
    engine = make_engine(get_settings().sqlite_url)
    with engine.begin() as conn:
        _run(conn)
