"""The shape every reader returns: headers, numbered rows and warnings, plus the read limits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from inventory.spreadsheets.errors import SpreadsheetError

_INVISIBLE = "\ufeff\u200b\u00a0"


@dataclass(frozen=True)
class ReadLimits:
    """Caps that protect the server from oversized or hostile files."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000
    max_columns: int = 300
    max_uncompressed_bytes: int = 300 * 1024 * 1024
    max_compression_ratio: int = 200
    max_zip_entries: int = 10_000


DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True)
class Row:
    """One data row; ``number`` is the row number the user sees in their spreadsheet program."""

    number: int
    values: dict[str, str]
    raw: dict[str, Any]

    def get(self, header: str, default: str = "") -> str:
        """Return the text of one column, or ``default`` when the column does not exist."""
        return self.values.get(header, default)


@dataclass
class Table:
    """A whole sheet: unique headers in file order, the non-blank data rows and any warnings."""

    headers: list[str]
    rows: list[Row]
    warnings: list[str] = field(default_factory=list)
    source_format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    sheet_name: str | None = None
    header_row_number: int = 1
    sheet_names: list[str] = field(default_factory=list)  # a workbook's visible sheets

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def estimated_rows(self, _read: int) -> int:
        """How many data rows there are (a read table knows)."""
        return len(self.rows)


TITLE_SEARCH_ROWS = 10


def header_position(grid: list[tuple[int, list[str], list[Any]]]) -> int:
    """How many leading rows are titles rather than the header: a report's export often starts
    with a line or two of title ("Lincoln High - network inventory") above the real header.
    A title row fills only its first two cells at most, and fewer cells than the row after it;
    the header is the first row that is not a title. So a header that names a third column is
    never skipped, nor is the header of a narrow file whose data is no wider."""
    opening = [texts for _, texts, _ in grid[:TITLE_SEARCH_ROWS]]
    filled = [sum(1 for text in texts if text.strip()) for texts in opening]
    position = 0
    while (
        position + 1 < len(opening)
        and not any(text.strip() for text in opening[position][2:])
        and filled[position] < filled[position + 1]
    ):
        position += 1
    return position


def column_letter(position: int) -> str:
    """Return the spreadsheet letter of a 1-based column position (1 → A, 28 → AB)."""
    letters = ""
    while position > 0:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def clean_headers(raw_headers: list[str]) -> tuple[list[str], list[str]]:
    """Trim headers, name blank ones "Column N", number duplicates; return headers, warnings."""
    headers: list[str] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_headers, start=1):
        name = " ".join(str(raw).strip(_INVISIBLE + " \t\r\n").split())
        if not name:
            name = f"Column {position}"
            warnings.append(
                f'Column {column_letter(position)} has no header; it is called "{name}".'
            )
        if name.casefold() in seen:
            original = name
            copy = 2
            while f"{original} ({copy})".casefold() in seen:
                copy += 1
            name = f"{original} ({copy})"
            warnings.append(
                f'The header "{original}" appears more than once; column '
                f'{column_letter(position)} is called "{name}".'
            )
        seen.add(name.casefold())
        headers.append(name)
    return headers, warnings


def nul_removed_warning(count: int) -> str:
    """The warning for NUL characters taken out of a file's text (no database stores them)."""
    return f"{count:,} NUL characters (invisible, usually from a broken export) were removed."


def check_column_count(count: int, limits: ReadLimits, row_number: int) -> None:
    """Refuse rows wider than the column limit."""
    if count > limits.max_columns:
        raise SpreadsheetError(
            f"Row {row_number} has {count:,} columns; the limit is {limits.max_columns:,}. "
            "Remove unused columns and try again.",
            row=row_number,
        )


def check_row_count(count: int, limits: ReadLimits) -> None:
    """Refuse files with more data rows than the row limit."""
    if count > limits.max_rows:
        raise SpreadsheetError(
            f"The file has more than {limits.max_rows:,} data rows, which is the limit. "
            "Split it into smaller files."
        )
