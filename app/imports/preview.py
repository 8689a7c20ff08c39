"""What the preview page shows: the file's columns, sample values, the mapping and a dry run.

Only the first rows of a file are read for its preview: a small file is checked there and then
(a dry run); a large one is checked and imported by a background job.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from sqlalchemy.orm import Session

from inventory.imports import ImportOptions, ImportReport, import_table
from inventory.imports.uploads import upload_choice
from inventory.models import ImportUpload, User
from inventory.spreadsheets import Mapping, Table, open_table, suggest_mapping

# Files with more rows are checked and imported by a background job.
BACKGROUND_ROWS = 2000
SAMPLE_ROWS = 3


@dataclass
class FileStart:
    """A file's header and first rows (every row of a small file), and how many rows it has."""

    table: Table
    complete: bool  # the table holds every row of the file
    row_count: int  # exact when complete, else judged from how far the rows read went

    @property
    def rows_text(self) -> str:
        """ "4,337 rows", or "about 100,000 rows" for a file not read to its end."""
        about = "" if self.complete else "about "
        return f"{about}{self.row_count:,} row{'' if self.row_count == 1 else 's'}"


def read_start(upload: ImportUpload, *, limit: int = BACKGROUND_ROWS) -> FileStart:
    """The upload's header and up to `limit` rows; SpreadsheetError when it cannot be read."""
    sheet = upload_choice(upload, "sheet")
    with open_table(upload.content, upload.filename, sheet_name=sheet) as stream:
        rows = list(islice(stream, limit + 1))
        complete = len(rows) <= limit
        count = len(rows) if complete else stream.estimated_rows(len(rows))
        table = Table(
            headers=stream.headers, rows=rows[:limit], warnings=stream.warnings,
            source_format=stream.source_format, encoding=stream.encoding,
            delimiter=stream.delimiter, sheet_name=stream.sheet_name,
            header_row_number=stream.header_row_number, sheet_names=stream.sheet_names,
        )  # fmt: skip
    return FileStart(table=table, complete=complete, row_count=count)


@dataclass
class Preview:
    """The file's start, the mapping in use, sample values per column and the dry run (small
    files)."""

    start: FileStart
    mapping: Mapping
    samples: dict[str, list[str]]
    report: ImportReport | None

    @property
    def table(self) -> Table:
        """The header and first rows."""
        return self.start.table

    @property
    def in_background(self) -> bool:
        """Large files are checked and imported by a job."""
        return not self.start.complete


def current_mapping(upload: ImportUpload, table: Table) -> Mapping:
    """The mapping chosen so far for this upload (with its values for blank cells), else the
    suggestion from its headers."""
    columns = upload_choice(upload, "columns")
    if columns is not None:
        try:
            chosen = {h: columns.get(h) for h in table.headers}
            defaults = dict(upload_choice(upload, "defaults") or {})
            return Mapping(kind=upload.kind, columns=chosen, defaults=defaults)
        except ValueError:
            pass
    return suggest_mapping(upload.kind, table.headers)


def build_preview(session: Session, start: FileStart, mapping: Mapping, *, by: User) -> Preview:
    """Sample values, and for a small file a dry run whose changes are rolled back."""
    table = start.table
    samples = {h: [row.values[h] for row in table.rows[:SAMPLE_ROWS]] for h in table.headers}
    report = None
    if start.complete:
        report = import_table(session, table, mapping, by=by, options=ImportOptions(dry_run=True))
        session.rollback()
    return Preview(start=start, mapping=mapping, samples=samples, report=report)
