"""Alembic environment: runs on the connection the application hands it."""

from __future__ import annotations

from alembic import context

from copydesk.service.db.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through service.db.session.migrate")
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
