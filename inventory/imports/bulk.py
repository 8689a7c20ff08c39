"""New records inserted in batches, each with the change log entry the ORM would have written.

An import of a district's directory creates tens of thousands of records that have already passed
every rule of their operation; writing each through the ORM (an object, a flush, a change log
entry computed from its history) takes most of an import's time. Here a batch of records and
their change log entries are written as plain rows: PostgreSQL's COPY (one statement for the
batch, where an INSERT of many VALUES would be parsed anew by the driver for every batch), an
executemany INSERT elsewhere. The entries are the ones
`inventory.changelog` writes for a created object: who, when, the object's label, and each field
that has a value as [None, value]. A row the database still refuses (a code another session
saved since it was checked) is found by writing that batch again row by row, each in its own
SAVEPOINT, and reported by `refused`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import psycopg
from sqlalchemy import Table, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.changelog import NOT_AUDITED, ChangeLogEntry
from inventory.errors import DomainError, InvalidValue
from inventory.models import User

BATCH_ROWS = 1000
KEYS_PER_QUERY = 500
NEW_IDS = text("SELECT nextval(pg_get_serial_sequence(:name, 'id')) FROM generate_series(1, :n)")
DATABASE_ERRORS = (DBAPIError, psycopg.Error)  # psycopg's own from COPY
_AS_THEY_ARE = frozenset({str, int, float, bool})
# (the file's row number, the record's column values, its new id)
Inserted = tuple[int, dict[str, Any], int]


class NewRecords:
    """A queue of new records of one audited model, written a batch at a time."""

    def __init__(
        self,
        session: Session,
        model: type,
        *,
        key: str,
        by: User | None,
        explain: Callable[[dict[str, Any]], None],
        refused: Callable[[int, DomainError], None],
    ) -> None:
        self.session = session
        self.model = model
        self.table = model.__table__
        self.key = key  # a unique column: how the ids the database returns are matched
        self.explain = explain  # raises the DomainError that says why a row was refused
        self.refused = refused
        self.actor_id = by.id if by is not None else None
        self.actor_name = (by.username if by is not None else None) or "system"
        skip = set(NOT_AUDITED) | set(model.__audit_skip__)
        self.audited = frozenset(c.key for c in self.table.columns if c.key not in skip)
        self.queue: list[tuple[int, dict[str, Any]]] = []

    def add(self, row_number: int, values: dict[str, Any]) -> list[Inserted]:
        """Queue a record's column values; a full batch is written (what it wrote is returned).
        Enum members are kept as their values, as the database and the change log hold them."""
        for key, value in values.items():
            if isinstance(value, enum.Enum):
                values[key] = value.value
        self.queue.append((row_number, values))
        return self.write() if len(self.queue) >= BATCH_ROWS else []

    def write(self) -> list[Inserted]:
        """Insert what is queued; return what was inserted, with the new ids."""
        queued, self.queue = self.queue, []
        if not queued:
            return []
        try:
            with self.session.begin_nested():
                ids = self._insert([values for _, values in queued])
        except DATABASE_ERRORS:
            return self._one_by_one(queued)
        inserted = [(row, values, ids[values[self.key]]) for row, values in queued]
        self._log(inserted)
        return inserted

    def _insert(self, rows: list[dict[str, Any]]) -> dict[Any, int]:
        """Write the rows; their new ids by key. PostgreSQL's ids are drawn from the table's
        sequence first (looking them up after a COPY would scan the table: it has no
        statistics yet for the planner); SQLite's are looked up by key."""
        if self.session.get_bind().dialect.name == "postgresql":
            ids = self.session.scalars(NEW_IDS, {"name": self.table.name, "n": len(rows)})
            rows = [{**values, "id": new_id} for values, new_id in zip(rows, ids, strict=True)]
            write_rows(self.session, self.table, rows)
            return {values[self.key]: values["id"] for values in rows}
        write_rows(self.session, self.table, rows)
        key, found = self.table.c[self.key], {}
        keys = [values[self.key] for values in rows]
        for start in range(0, len(keys), KEYS_PER_QUERY):
            query = select(key, self.table.c.id).where(
                key.in_(keys[start : start + KEYS_PER_QUERY])
            )
            found.update(self.session.execute(query).all())
        return found

    def _one_by_one(self, queued: list[tuple[int, dict[str, Any]]]) -> list[Inserted]:
        """Insert each row in its own SAVEPOINT, reporting the rows the database refuses."""
        inserted = []
        for row, values in queued:
            try:
                with self.session.begin_nested():
                    new_id = self._insert([values])[values[self.key]]
            except DATABASE_ERRORS as error:
                self.refused(row, self._reason(values, error))
            else:
                inserted.append((row, values, new_id))
        self._log(inserted)
        return inserted

    def _reason(self, values: dict[str, Any], error: Exception) -> DomainError:
        """The rule a refused row breaks, else the database's own words."""
        try:
            self.explain(values)
        except DomainError as reason:
            return reason
        cause = getattr(error, "orig", None) or error
        detail = (str(cause).strip().splitlines() or ["no reason given"])[0]
        return InvalidValue(f"The database refused this row: {detail}")

    def _log(self, inserted: list[Inserted]) -> None:
        """One change log entry per inserted record, as the ORM's listener writes them."""
        if not inserted:
            return
        now, label, audited = utcnow(), self.model.audit_label, self.audited
        entries = [
            {
                "changed_at": now,
                "actor_id": self.actor_id,
                "actor_name": self.actor_name,
                "object_type": self.table.name,
                "object_id": new_id,
                "object_label": label(SimpleNamespace(**values))[:200],
                "action": "create",
                "changes": {
                    key: [None, value if value.__class__ in _AS_THEY_ARE else _plain(value)]
                    for key, value in values.items()
                    if value is not None and key in audited
                },
            }
            for _, values, new_id in inserted
        ]
        write_rows(self.session, ChangeLogEntry.__table__, entries)


def write_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows of column values (all with the same columns; the others take their
    defaults): by COPY on PostgreSQL, by an executemany INSERT elsewhere."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    driver = connection.connection.driver_connection
    with (
        driver.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row([_copy_value(row[name]) for name in columns])


def _copy_value(value: Any) -> Any:
    """A value as COPY takes it: JSON as its text."""
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _plain(value: Any) -> Any:
    """A column value as the change log stores it (as `inventory.changelog` does)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value
