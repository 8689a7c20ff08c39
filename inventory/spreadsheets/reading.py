"""Read an uploaded spreadsheet (.csv or .xlsx), all at once into a Table or row by row as a
RowStream, refusing what cannot be read."""

from __future__ import annotations

from pathlib import PurePath

from inventory.spreadsheets.csv_reader import open_csv
from inventory.spreadsheets.errors import SpreadsheetError
from inventory.spreadsheets.stream import RowStream
from inventory.spreadsheets.table import DEFAULT_LIMITS, ReadLimits, Table
from inventory.spreadsheets.xlsx_reader import open_xlsx

ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CSV_EXTENSIONS = {"", ".csv", ".txt", ".tsv", ".tab"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
_OLD_EXCEL = (
    "This is an old Excel file (.xls) or a password-protected workbook, which cannot be read. "
    "Open it in Excel, remove any password, and save as .xlsx or .csv."
)


def read_table(
    data: bytes,
    filename: str,
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
    sheet_name: str | None = None,
) -> Table:
    """Read a .csv or .xlsx file's bytes into a Table; raise SpreadsheetError when it can't be."""
    with open_table(data, filename, limits=limits, sheet_name=sheet_name) as stream:
        rows = list(stream)
    return Table(
        headers=stream.headers, rows=rows, warnings=stream.warnings,
        source_format=stream.source_format, encoding=stream.encoding,
        delimiter=stream.delimiter, sheet_name=stream.sheet_name,
        header_row_number=stream.header_row_number, sheet_names=stream.sheet_names,
    )  # fmt: skip


def open_table(
    data: bytes,
    filename: str,
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
    sheet_name: str | None = None,
) -> RowStream:
    """Open a .csv or .xlsx file's bytes to read row by row (close it, or use `with`); raise
    SpreadsheetError when it can't be opened (or, from the iteration, read)."""
    if len(data) > limits.max_bytes:
        raise SpreadsheetError(
            f"The file is {len(data) / 1e6:,.1f} MB; "
            f"the limit is {limits.max_bytes / 1e6:,.0f} MB. "
            "Split it into smaller files."
        )
    return _open_by_format(data, PurePath(filename).suffix.lower(), limits, sheet_name)


def _open_by_format(
    data: bytes, extension: str, limits: ReadLimits, sheet_name: str | None
) -> RowStream:
    """Choose the reader from the file's first bytes, then from its extension."""
    if data.startswith(OLE2_SIGNATURE):
        raise SpreadsheetError(_OLD_EXCEL)
    if data.startswith(ZIP_SIGNATURE) or extension in XLSX_EXTENSIONS:
        return open_xlsx(data, limits, sheet_name)
    if extension == ".xls":
        raise SpreadsheetError(_OLD_EXCEL)
    if extension not in CSV_EXTENSIONS:
        raise SpreadsheetError(
            f'Files of type "{extension}" cannot be read. Save the file as .xlsx or .csv.'
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise SpreadsheetError("The file is empty: there is no header row and no data.")
    return open_csv(data, limits)
