"""What the preview page shows: the file's columns, sample values, the mapping and a dry run."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from inventory.imports import ImportOptions, ImportReport, import_table
from inventory.models import User
from inventory.spreadsheets import Mapping, Table, suggest_mapping

# Files with more rows are checked and imported by a background job.
BACKGROUND_ROWS = 2000
SAMPLE_ROWS = 3


@dataclass
class Preview:
    """The table, the mapping in use, sample values per column and the dry run (small files)."""

    table: Table
    mapping: Mapping
    samples: dict[str, list[str]]
    report: ImportReport | None

    @property
    def in_background(self) -> bool:
        """Large files are checked and imported by a job."""
        return len(self.table.rows) > BACKGROUND_ROWS


def current_mapping(
    kind: str,
    table: Table,
    columns: dict[str, str | None] | None,
    defaults: dict[str, str] | None = None,
) -> Mapping:
    """The mapping chosen so far for this upload (with its values for blank cells), else the
    suggestion from its headers."""
    if columns is not None:
        try:
            chosen = {h: columns.get(h) for h in table.headers}
            return Mapping(kind=kind, columns=chosen, defaults=dict(defaults or {}))
        except ValueError:
            pass
    return suggest_mapping(kind, table.headers)


def build_preview(session: Session, table: Table, mapping: Mapping, *, by: User) -> Preview:
    """Sample values, and for a small file a dry run whose changes are rolled back."""
    samples = {h: [row.values[h] for row in table.rows[:SAMPLE_ROWS]] for h in table.headers}
    report = None
    if len(table.rows) <= BACKGROUND_ROWS:
        report = import_table(session, table, mapping, by=by, options=ImportOptions(dry_run=True))
        session.rollback()
    return Preview(table=table, mapping=mapping, samples=samples, report=report)
