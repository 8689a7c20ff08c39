"""Migrations: a single head, up and down on an empty database, no drift from the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from app.migrate import alembic_config, downgrade_database, upgrade_database
from inventory.base import Base
from inventory.database import make_engine
from tests.conftest import postgres_admin_url, postgres_database


def test_there_is_a_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


# Alembic cannot compare expression indexes (ix_assets_tag_lower) on some backends and says so;
# _check_round_trip checks that the index exists.
SKIPPED_EXPRESSION_INDEX = "ignore:autogenerate skipping metadata-specified expression-based index"
SKIPPED_REFLECTION = "ignore:Skipped unsupported reflection of expression-based index"


def _check_round_trip(url: str) -> None:
    """Upgrade an empty database, compare it with the models, then downgrade to nothing."""
    upgrade_database(url, "head")
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
        tables = set(inspect(connection).get_table_names())
        index_sql = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE name = 'ix_assets_tag_lower'")
            if connection.dialect.name == "sqlite"
            else text("SELECT 1 FROM pg_indexes WHERE indexname = 'ix_assets_tag_lower'")
        ).scalar()
    assert index_sql == 1
    assert differences == []
    assert {table.name for table in Base.metadata.sorted_tables} <= tables
    downgrade_database(url, "base")
    with engine.connect() as connection:
        left = set(inspect(connection).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert left == set()


@pytest.mark.filterwarnings(SKIPPED_EXPRESSION_INDEX)
@pytest.mark.filterwarnings(SKIPPED_REFLECTION)
def test_upgrade_and_downgrade_on_sqlite(tmp_path) -> None:
    _check_round_trip(f"sqlite:///{tmp_path / 'migrations.db'}")


@pytest.mark.filterwarnings(SKIPPED_EXPRESSION_INDEX)
@pytest.mark.filterwarnings(SKIPPED_REFLECTION)
def test_upgrade_and_downgrade_on_postgresql() -> None:
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip("no PostgreSQL reachable")
    with postgres_database(admin_url) as url:
        _check_round_trip(url)
