"""Alembic environment: uses the connection the app passes in (Alembic cookbook)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from wushe_desktop.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:  # `alembic` command line during development
    from wushe_desktop.infra.db.engine import Database

    database = Database.open(config.get_main_option("sqlalchemy.url") or None)
    with database.engine.connect() as conn:
        _run(conn)
        conn.commit()
else:
    _run(connection)
