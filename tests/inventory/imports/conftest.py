"""Helpers for import tests: CSV bytes from rows, the catalogue's systems, an acting user."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inventory.changelog import ChangeLogEntry
from inventory.enums import Role
from inventory.imports import ImportOptions, ImportRequest, run_import
from inventory.operations.catalog import ensure_standard_systems
from tests.factories import make_user

SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


def csv_bytes(rows: list[list[object]]) -> bytes:
    """A CSV file's bytes from rows (the first row is the header)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def count(session, model) -> int:
    """How many rows a table holds."""
    return session.scalar(select(func.count()).select_from(model))


def log_count(session) -> int:
    """How many change log entries exist."""
    return count(session, ChangeLogEntry)


def do_import(session, staff, kind, data, filename="file.csv", **options):
    """Run an import of bytes with options; the test commits when it wants to."""
    mapping_name = options.pop("mapping_name", None)
    columns = options.pop("columns", None)
    request = ImportRequest(
        kind=kind,
        data=data,
        filename=filename,
        mapping_name=mapping_name,
        columns=columns,
        options=ImportOptions(**options),
    )
    return run_import(session, request, by=staff)


@pytest.fixture
def staff(session):
    """An infrastructure staff member, with the standard systems in the catalogue."""
    user = make_user(session, Role.STAFF)
    ensure_standard_systems(session)
    session.commit()
    return user


@pytest.fixture
def shared_data() -> Path:
    """The ../shared/data folder of real public files; the test is skipped without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real sample files not found at {SHARED_DATA.resolve()} (../shared/data)")
    return SHARED_DATA
