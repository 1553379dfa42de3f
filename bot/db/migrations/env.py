"""Alembic environment: migrates the database named by DATABASE_URL (or the connection given by the caller)."""
from __future__ import annotations

from alembic import context

from bot.db.engine import get_engine
from bot.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = get_engine(config.attributes.get("url"))
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; set DATABASE_URL and run online")
run_migrations()
