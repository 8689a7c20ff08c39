"""Reading .xlsx bytes safely: zip checks before parsing, typed cells kept beside their text."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from inventory.spreadsheets.errors import SpreadsheetError
from inventory.spreadsheets.escaping import ooxml_unescape, restore_formula_text
from inventory.spreadsheets.table import (
    ReadLimits,
    Table,
    build_table,
    check_column_count,
    check_row_count,
    nul_removed_warning,
)

_NOT_XLSX = "The file is not a valid Excel workbook (.xlsx). Open it in Excel and save it again."
_SMALL_ENTRY = 1024 * 1024  # entries this small cannot hurt, whatever their ratio


def check_xlsx_archive(data: bytes, limits: ReadLimits) -> None:
    """Refuse corrupt workbooks and zip bombs before any XML is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise SpreadsheetError(_NOT_XLSX) from error
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise SpreadsheetError(_NOT_XLSX)
    if len(entries) > limits.max_zip_entries:
        raise SpreadsheetError(
            f"The workbook has too many parts (over {limits.max_zip_entries:,})."
        )
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_uncompressed_bytes:
        raise SpreadsheetError(
            f"The workbook would expand to {total / 1e6:,.0f} MB when opened; the limit is "
            f"{limits.max_uncompressed_bytes / 1e6:,.0f} MB. Split it into smaller files."
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > _SMALL_ENTRY and ratio > limits.max_compression_ratio:
            raise SpreadsheetError(
                "The workbook is compressed in a way that could overload the server "
                f"({entry.filename} expands {ratio:,.0f} times). It was not opened."
            )


def cell_text(value: Any) -> str:
    """Turn a typed cell value into the text a user expects to see (12345.0 → "12345")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return restore_formula_text(ooxml_unescape(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _float_text(value: float) -> str:
    """Write a float without a spurious ".0" or scientific notation."""
    if value.is_integer():
        return str(int(value))
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _typed(value: Any) -> Any:
    """Keep typed values; strings lose the formula-neutralising quote like their text does."""
    if not isinstance(value, str):
        return value
    return restore_formula_text(ooxml_unescape(value)).replace("\x00", "")


def _open_workbook(data: bytes) -> Any:
    """Open a workbook read-only with cached values, hiding openpyxl's style warnings."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types (InvalidFileException, KeyError...)
        raise SpreadsheetError(_NOT_XLSX) from error


def _choose_sheet(workbook: Any, sheet_name: str | None) -> Any:
    """Return the named sheet, else the first visible one."""
    if sheet_name is not None:
        if sheet_name not in workbook.sheetnames:
            available = ", ".join(f'"{name}"' for name in workbook.sheetnames)
            raise SpreadsheetError(
                f'The workbook has no sheet called "{sheet_name}". Its sheets are {available}.'
            )
        return workbook[sheet_name]
    for sheet in workbook.worksheets:
        if sheet.sheet_state == "visible":
            return sheet
    raise SpreadsheetError("The workbook has no visible sheet to read.")


def _sheet_grid(
    sheet: Any, limits: ReadLimits
) -> tuple[list[tuple[int, list[str], list[Any]]], int]:
    """The non-blank rows of a sheet as (row number, texts, typed values), and how many NUL
    characters were removed from their text (PostgreSQL cannot store them; CSV does the same)."""
    sheet.reset_dimensions()  # trust the cells, not a declared A1:XFD1048576 size
    grid: list[tuple[int, list[str], list[Any]]] = []
    removed = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(values)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        if not cells or all(cell_text(v).strip() == "" for v in cells):
            continue
        check_column_count(len(cells), limits, number)
        check_row_count(len(grid) - 1, limits)
        texts = [cell_text(v) for v in cells]
        removed += sum(text.count("\x00") for text in texts)
        grid.append((number, [t.replace("\x00", "") for t in texts], [_typed(v) for v in cells]))
    check_row_count(len(grid) - 1, limits)
    return grid, removed


def read_xlsx(data: bytes, limits: ReadLimits, sheet_name: str | None = None) -> Table:
    """Read one sheet of an .xlsx workbook into a Table."""
    check_xlsx_archive(data, limits)
    workbook = _open_workbook(data)
    try:
        sheet = _choose_sheet(workbook, sheet_name)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                grid, removed = _sheet_grid(sheet, limits)
        except SpreadsheetError:
            raise
        except Exception as error:  # damaged sheet XML surfaces only while iterating
            raise SpreadsheetError(_NOT_XLSX) from error
        visible = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
        table = build_table(
            grid, limits, source_format="xlsx", sheet_name=sheet.title, sheet_names=visible
        )
        if removed:
            table.warnings.insert(0, nul_removed_warning(removed))
        return table
    finally:
        workbook.close()
