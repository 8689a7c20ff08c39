"""Alembic environment: the database URL comes from the caller or ROLLOUT_DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import pool

import inventory.models  # noqa: F401 - registers every table on the metadata
from inventory.base import Base
from inventory.database import make_engine

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    """The URL given by the caller, else the environment, else the development database."""
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    if os.environ.get("ROLLOUT_DATABASE_URL"):
        return os.environ["ROLLOUT_DATABASE_URL"]
    return "sqlite:///instance/rollout.db"


def run_migrations_offline() -> None:
    """Emit SQL without a database connection."""
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate a live database; batch mode lets SQLite alter tables."""
    engine = make_engine(database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
