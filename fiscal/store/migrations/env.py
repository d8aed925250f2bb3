"""Alembic environment of the run store: always run by fiscal.store on its own connection.

fiscal.store opens the connection, takes the store's migration lock and passes the connection
in ``config.attributes["connection"]``; offline (``--sql``) mode is not used.
"""

from __future__ import annotations

from alembic import context

from fiscal.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only fiscal.store runs these migrations
    raise RuntimeError("fiscal store migrations run through fiscal.store.open_store(), not alembic")
context.configure(connection=connection, target_metadata=metadata, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
