"""Importing a file's bytes: read it within limits, choose the mapping, run the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from inventory.errors import DomainError
from inventory.imports.mappings import resolve_mapping
from inventory.imports.pipeline import ImportOptions, Progress, import_table
from inventory.imports.report import ImportReport
from inventory.models import User
from inventory.spreadsheets import (
    DEFAULT_LIMITS,
    KINDS,
    ReadLimits,
    SpreadsheetError,
    Table,
    read_table,
)


@dataclass(frozen=True)
class ImportRequest:
    """One file to import: its kind, bytes and name, and how to map and run it."""

    kind: str
    data: bytes
    filename: str
    mapping_name: str | None = None
    columns: dict[str, str | None] | None = None
    options: ImportOptions = field(default_factory=ImportOptions)
    limits: ReadLimits = DEFAULT_LIMITS
    sheet: str | None = None  # a workbook's sheet; None reads the first visible one


def read_import_file(
    data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS, sheet: str | None = None
) -> Table:
    """Read an uploaded file; SpreadsheetError says why it cannot be read."""
    return read_table(data, filename, limits=limits, sheet_name=sheet)


def run_import(
    session: Session, request: ImportRequest, *, by: User | None, progress: Progress | None = None
) -> ImportReport:
    """Read, map and import a file; file-level problems come back in report.file_errors."""
    report = ImportReport(kind=request.kind, dry_run=request.options.dry_run)
    if request.kind not in KINDS:
        report.file_errors.append(
            f'"{request.kind}" is not an import kind; use {", ".join(KINDS)}.'
        )
        return report
    try:
        table = read_import_file(request.data, request.filename, request.limits, request.sheet)
    except SpreadsheetError as error:
        report.file_errors.append(error.message)
        return report
    try:
        mapping = resolve_mapping(
            session, request.kind, table.headers, name=request.mapping_name, columns=request.columns
        )
    except DomainError as error:
        report.file_errors.append(error.message)
        return report
    except ValueError as error:
        report.file_errors.append(str(error))
        return report
    return import_table(session, table, mapping, by=by, options=request.options, progress=progress)
