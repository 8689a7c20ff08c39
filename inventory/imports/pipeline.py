"""The import pipeline: rows → parsed values → the domain's rules and operations → a report.

The caller owns the transaction: nothing here commits. The file is read, checked and written a
chunk of rows at a time, so memory does not grow with the file and progress is known from the
first rows. New records that pass every rule are inserted in batches; a row that changes an
existing record runs in its own SAVEPOINT, so a row the domain refuses is undone alone and
reported. All rows run inside one outer SAVEPOINT, which is rolled back for a dry run, when the
file turns out unreadable part-way, or when any row is invalid and the caller did not choose to
import only the valid rows: then the database is exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy.orm import Session

from inventory.database import begin_before_savepoint
from inventory.errors import DomainError
from inventory.imports.assets import AssetImporter
from inventory.imports.base import KindImporter
from inventory.imports.models import ModelImporter
from inventory.imports.report import ImportReport, RowError
from inventory.imports.rows import ColumnNamer, check_defaults
from inventory.imports.sites import SiteImporter
from inventory.models import User
from inventory.spreadsheets import (
    Mapping,
    ParsedRow,
    Row,
    RowParser,
    RowStream,
    SpreadsheetError,
    Table,
)

IMPORTERS: dict[str, type[KindImporter]] = {
    "sites": SiteImporter,
    "models": ModelImporter,
    "assets": AssetImporter,
}
CHUNK_ROWS = 1000
# done, total (0 while unknown), and what is happening, for a progress bar.
Progress = Callable[[int, int, str], None]
Source = Table | RowStream


@dataclass(frozen=True)
class ImportOptions:
    """How to run an import: preview only, keep the valid rows, defaults for blank cells."""

    dry_run: bool = False
    valid_only: bool = False
    defaults: dict[str, Any] = field(default_factory=dict)
    progress_every: int = 250


def import_table(
    session: Session,
    source: Source,
    mapping: Mapping,
    *,
    by: User | None,
    options: ImportOptions = ImportOptions(),
    progress: Progress | None = None,
) -> ImportReport:
    """Import a read table, or a stream of rows, with a mapping (see the module docstring)."""
    defaults = {**mapping.defaults, **options.defaults}
    report = _new_report(source, mapping, options, defaults)
    if report.file_errors:
        return report
    importer = IMPORTERS[mapping.kind](session, by=by, report=report)
    rows = _Rows(source, RowParser(mapping, source.headers, defaults), options, progress)
    namer = ColumnNamer(source.headers, mapping, importer.sources)
    file_warnings = len(report.warnings)
    begin_before_savepoint(session)  # the import belongs to the caller's transaction
    outer = session.begin_nested()
    try:
        importer.start()
        _import_rows(session, importer, rows, namer)
        importer.finish()
        _report_refusals(importer, namer)
    except SpreadsheetError as error:  # found part-way through the file: nothing is kept
        outer.rollback()
        return _unreadable(report, error, options)
    except BaseException:
        outer.rollback()
        raise
    report.warnings[file_warnings:file_warnings] = source.warnings[file_warnings:]
    report.errors.sort(key=lambda error: error.row)  # a batch's refusals come after its rows
    keep = not options.dry_run and (report.invalid == 0 or options.valid_only)
    if keep:
        outer.commit()
    else:
        outer.rollback()
    report.written = keep
    return report


class _Rows:
    """The source's rows parsed a chunk at a time, reporting progress as they are read."""

    def __init__(
        self, source: Source, parser: RowParser, options: ImportOptions, progress: Progress | None
    ) -> None:
        self.source, self.parser, self.options, self.progress = source, parser, options, progress
        self.read = 0

    def chunks(self) -> Iterator[list[ParsedRow]]:
        """Lists of parsed rows, in file order."""
        for chunk in _chunks(self.source, CHUNK_ROWS):
            yield [self.parser.parse(row) for row in chunk]

    def row_done(self) -> None:
        """Count a row; every `progress_every` rows, report how far the file has got."""
        self.read += 1
        if self.progress is not None and self.read % self.options.progress_every == 0:
            total = self.source.estimated_rows(self.read)
            about = "" if isinstance(self.source, Table) else "about "
            self.progress(self.read, total, f"Row {self.read:,} of {about}{total:,}")

    def finished(self) -> None:
        """Report the end: every row read."""
        if self.progress is not None:
            self.progress(self.read, self.read, f"Row {self.read:,} of {self.read:,}")


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """Consecutive lists of `size` rows (the last may be shorter)."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _new_report(
    source: Source, mapping: Mapping, options: ImportOptions, defaults: dict[str, Any]
) -> ImportReport:
    """A report with the file's warnings, unknown columns and any reason not to start."""
    report = ImportReport(
        kind=mapping.kind,
        unknown_columns=[h for h in source.headers if mapping.field_for(h) is None],
        warnings=list(source.warnings),
        dry_run=options.dry_run,
        valid_only=options.valid_only,
    )
    missing = [h for h, target in mapping.columns.items() if target and h not in source.headers]
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


def _unreadable(
    report: ImportReport, error: SpreadsheetError, options: ImportOptions
) -> ImportReport:
    """The report of a file found unreadable part-way: its error, and nothing imported."""
    unreadable = ImportReport(
        kind=report.kind, file_errors=[error.message], unknown_columns=report.unknown_columns,
        dry_run=options.dry_run, valid_only=options.valid_only,
    )  # fmt: skip
    return unreadable


def _import_rows(session: Session, importer: KindImporter, rows: _Rows, namer: ColumnNamer) -> None:
    """Each chunk: load what its rows need, import them, write what they queued."""
    seen: dict[str, int] = {}
    report = importer.report
    for chunk in rows.chunks():
        importer.preload([row.values for row in chunk if not row.errors])
        for row in chunk:
            report.total_rows += 1
            importer.row_number = row.number
            if row.errors:
                for name, reason in row.errors:
                    report.add_error(_error(namer, row.number, name, reason))
            else:
                _warn_repeat(importer, row, seen)
                _import_one(session, importer, row, namer)
            rows.row_done()
        importer.end_chunk()
        _report_refusals(importer, namer)
    rows.finished()


def _report_refusals(importer: KindImporter, namer: ColumnNamer) -> None:
    """Rows counted as created that the database refused when their batch was written."""
    for row, error in importer.refusals:
        importer.report.created -= 1
        importer.report.add_error(_error(namer, row, error.field, error.message))
    importer.refusals.clear()


def _import_one(
    session: Session, importer: KindImporter, row: ParsedRow, namer: ColumnNamer
) -> None:
    """Queue a new record, or run the row's operation in a SAVEPOINT; undo and report the row
    when the domain refuses it. (Queued records are never written inside a row's SAVEPOINT:
    `fast` writes them first when the row needs one.)"""
    try:
        outcome = importer.fast(row.values)
        if outcome is None:
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
