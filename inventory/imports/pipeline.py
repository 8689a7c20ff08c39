"""The import pipeline: mapped rows → the domain operations, one SAVEPOINT per row → a report.

The caller owns the transaction: nothing here commits. Every row runs inside its own SAVEPOINT,
so a row the domain refuses is undone alone and reported; all rows run inside one outer
SAVEPOINT, which is rolled back for a dry run, or when any row is invalid and the caller did not
choose to import only the valid rows: then the database is exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from inventory.errors import DomainError
from inventory.imports.assets import AssetImporter
from inventory.imports.base import KindImporter
from inventory.imports.models import ModelImporter
from inventory.imports.report import ImportReport, RowError
from inventory.imports.rows import ColumnNamer, ParsedRow, check_defaults, parse_row
from inventory.imports.sites import SiteImporter
from inventory.models import User
from inventory.spreadsheets import Mapping, Table, apply_mapping

IMPORTERS: dict[str, type[KindImporter]] = {
    "sites": SiteImporter,
    "models": ModelImporter,
    "assets": AssetImporter,
}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportOptions:
    """How to run an import: preview only, keep the valid rows, defaults for blank cells."""

    dry_run: bool = False
    valid_only: bool = False
    defaults: dict[str, Any] = field(default_factory=dict)
    progress_every: int = 250


def import_table(
    session: Session,
    table: Table,
    mapping: Mapping,
    *,
    by: User | None,
    options: ImportOptions = ImportOptions(),
    progress: Progress | None = None,
) -> ImportReport:
    """Import a read table with a mapping; see the module docstring for what is kept."""
    defaults = {**mapping.defaults, **options.defaults}
    report = _new_report(table, mapping, options, defaults)
    if report.file_errors:
        return report
    parsed = [parse_row(mapping.kind, row, defaults) for row in apply_mapping(table, mapping)]
    importer = IMPORTERS[mapping.kind](session, by=by, report=report)
    namer = ColumnNamer(table, mapping, importer.sources)
    outer = session.begin_nested()
    try:
        importer.preload([row.values for row in parsed if not row.errors])
        _import_rows(session, importer, parsed, namer, options, progress)
        importer.finish()
    except BaseException:
        outer.rollback()
        raise
    keep = not options.dry_run and (report.invalid == 0 or options.valid_only)
    if keep:
        outer.commit()
    else:
        outer.rollback()
    report.written = keep
    return report


def _new_report(
    table: Table, mapping: Mapping, options: ImportOptions, defaults: dict[str, Any]
) -> ImportReport:
    """A report with the file's warnings, unknown columns and any reason not to start."""
    report = ImportReport(
        kind=mapping.kind,
        total_rows=len(table.rows),
        unknown_columns=[h for h in table.headers if mapping.field_for(h) is None],
        warnings=list(table.warnings),
        dry_run=options.dry_run,
        valid_only=options.valid_only,
    )
    missing = [h for h, target in mapping.columns.items() if target and h not in table.headers]
    if missing:
        names = ", ".join(f'"{header}"' for header in missing)
        report.file_errors.append(f"The mapping uses columns this file does not have: {names}.")
    defaulted = {name for name, value in defaults.items() if str(value).strip()}
    report.file_errors += [
        problem
        for group, problem in zip(mapping.missing_required(), mapping.problems(), strict=True)
        if not defaulted.intersection(group)
    ]
    report.file_errors += check_defaults(mapping.kind, defaults)
    return report


def _import_rows(
    session: Session,
    importer: KindImporter,
    rows: list[ParsedRow],
    namer: ColumnNamer,
    options: ImportOptions,
    progress: Progress | None,
) -> None:
    """Each row in its own SAVEPOINT; domain errors become row errors."""
    seen: dict[str, int] = {}
    total = len(rows)
    for index, row in enumerate(rows, start=1):
        if row.errors:
            for name, reason in row.errors:
                importer.report.add_error(_error(namer, row.number, name, reason))
        else:
            _warn_repeat(importer, row, seen)
            _import_one(session, importer, row, namer)
        if progress is not None and (index % options.progress_every == 0 or index == total):
            progress(index, total)


def _import_one(
    session: Session, importer: KindImporter, row: ParsedRow, namer: ColumnNamer
) -> None:
    """Run one row's operation in a SAVEPOINT; undo and report it when the domain refuses."""
    try:
        outcome = importer.fast(row.values)
        if outcome is None:
            session.flush()  # rows added by `fast` must not ride in this row's SAVEPOINT
            with session.begin_nested():
                outcome = importer.import_row(row.values)
    except DomainError as error:
        importer.forget_row()
        importer.report.add_error(_error(namer, row.number, error.field, error.message))
    else:
        importer.report.count(outcome)


def _warn_repeat(importer: KindImporter, row: ParsedRow, seen: dict[str, int]) -> None:
    """Warn when a row names the same record as an earlier row (the later row wins)."""
    key = importer.key(row.values)
    if key is None:
        return
    folded = key.lower()
    if folded in seen:
        importer.report.warnings.append(
            f"Rows {seen[folded]} and {row.number} have the same {key}; row {row.number} "
            "updates what the earlier row imported."
        )
    else:
        seen[folded] = row.number


def _error(namer: ColumnNamer, row: int, field_name: str | None, message: str) -> RowError:
    """A row error naming the column the field came from."""
    header, letter = namer.column(field_name)
    return RowError(row=row, column=header, message=message, column_letter=letter)
