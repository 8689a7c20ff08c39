"""Importing a file's bytes: open it within limits, choose the mapping, run the pipeline as the
file is read."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
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
    RowStream,
    SpreadsheetError,
    open_table,
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


def run_import(
    session: Session, request: ImportRequest, *, by: User | None, progress: Progress | None = None
) -> ImportReport:
    """Read, map and import a file as it is read; file-level problems come back in
    report.file_errors."""
    report = ImportReport(kind=request.kind, dry_run=request.options.dry_run)
    if request.kind not in KINDS:
        report.file_errors.append(
            f'"{request.kind}" is not an import kind; use {", ".join(KINDS)}.'
        )
        return report
    if progress is not None:
        progress(0, 0, "Opening the file")
    try:
        stream = open_table(
            request.data, request.filename, limits=request.limits, sheet_name=request.sheet
        )
    except SpreadsheetError as error:
        report.file_errors.append(error.message)
        return report
    with stream, _startup_objects_frozen():
        return _import_stream(session, request, stream, report, by=by, progress=progress)


@contextmanager
def _startup_objects_frozen() -> Iterator[None]:
    """Keep the garbage collector's full passes off the objects that existed before the import.
    An import allocates millions of short-lived objects, so full passes are frequent, and each
    walked every object of the application (its libraries' included): a third of an import's
    time. The objects are handed back to the collector afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _import_stream(
    session: Session,
    request: ImportRequest,
    stream: RowStream,
    report: ImportReport,
    *,
    by: User | None,
    progress: Progress | None,
) -> ImportReport:
    """Choose the mapping for the file's headers, then import its rows."""
    try:
        mapping = resolve_mapping(
            session,
            request.kind,
            stream.headers,
            name=request.mapping_name,
            columns=request.columns,
        )
    except DomainError as error:
        report.file_errors.append(error.message)
        return report
    except ValueError as error:
        report.file_errors.append(str(error))
        return report
    return import_table(session, stream, mapping, by=by, options=request.options, progress=progress)
