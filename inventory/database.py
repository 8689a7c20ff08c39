"""Engines and sessions: SQLite with foreign keys on, PostgreSQL through psycopg 3."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from inventory.changelog import install_change_log


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for the URL; SQLite gets foreign keys, WAL and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        options.setdefault("connect_args", {"timeout": 30})
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    options.setdefault("pool_pre_ping", True)
    return create_engine(url, **options)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """SQLite leaves foreign keys off unless asked; WAL lets the worker write while pages read."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def begin_before_savepoint(session: Session) -> None:
    """Make sure the session's transaction has begun in the database before a SAVEPOINT.

    SQLite's Python driver begins a transaction only before a write, so a SAVEPOINT issued first
    would itself become the transaction and releasing it would commit (operations never commit).
    Beginning every transaction at once instead would make a request that reads, then writes
    after another request wrote, fail on WAL's stale snapshot; so it is done only here.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        driver = connection.connection.dbapi_connection
        if driver is not None and not driver.in_transaction:
            connection.exec_driver_sql("BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose sessions write the change log on every flush."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    install_change_log(factory)
    return factory
