"""Reading .xlsx bytes safely: zip checks before parsing, typed cells kept beside their text."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from inventory.spreadsheets.errors import SpreadsheetError
from inventory.spreadsheets.escaping import ooxml_unescape, restore_formula_text
from inventory.spreadsheets.stream import GridRow, RowStream
from inventory.spreadsheets.table import ReadLimits, check_column_count, nul_removed_warning
from inventory.spreadsheets.xlsx_rows import SheetCells, SheetPart, WorkbookParts

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


def _open_workbook(data: bytes) -> WorkbookParts:
    """Open a workbook's parts, hiding openpyxl's style warnings."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return WorkbookParts(data)
    except Exception as error:  # openpyxl raises many types (InvalidFileException, KeyError...)
        raise SpreadsheetError(_NOT_XLSX) from error


def _choose_sheet(workbook: WorkbookParts, sheet_name: str | None) -> SheetPart:
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


def _grid(cells: SheetCells, limits: ReadLimits, nuls: list[int]) -> Iterator[GridRow]:
    """The non-blank rows as (row number, texts, typed values); NUL characters are taken out of
    text and counted in `nuls` (PostgreSQL cannot store them; CSV does the same)."""
    try:
        for number, values in cells.rows():
            while values and (values[-1] is None or values[-1] == ""):
                values.pop()
            if not values:
                continue
            texts, typed = _texts(values, nuls)
            if all(not text.strip() for text in texts):
                continue
            check_column_count(len(values), limits, number)
            yield number, texts, typed
    except SpreadsheetError:
        raise
    except Exception as error:  # damaged sheet XML surfaces only while it is read
        raise SpreadsheetError(_NOT_XLSX) from error


def _texts(values: list[Any], nuls: list[int]) -> tuple[list[str], list[Any]]:
    """Each cell's text, and its typed value (text cells: the same text)."""
    texts: list[str] = []
    typed: list[Any] = []
    for value in values:
        if value.__class__ is str:
            if "_x" in value:
                value = ooxml_unescape(value)
            value = restore_formula_text(value)
            if "\x00" in value:
                nuls[0] += value.count("\x00")
                value = value.replace("\x00", "")
            texts.append(value)
        else:
            texts.append(cell_text(value))
        typed.append(value)
    return texts, typed


def open_xlsx(data: bytes, limits: ReadLimits, sheet_name: str | None = None) -> RowStream:
    """Open one sheet of an .xlsx workbook as a stream of rows."""
    check_xlsx_archive(data, limits)
    workbook = _open_workbook(data)
    try:
        sheet = _choose_sheet(workbook, sheet_name)
        cells = workbook.cells(sheet)
        nuls = [0]
        visible = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
        stream = RowStream(
            _grid(cells, limits, nuls), limits, fraction_read=lambda: cells.fraction_read,
            close=workbook.close, source_format="xlsx", sheet_name=sheet.title,
            sheet_names=visible,
        )  # fmt: skip
    except BaseException:
        workbook.close()
        raise
    stream.on_finish(lambda: _warn_nuls(stream, nuls[0]))
    return stream


def _warn_nuls(stream: RowStream, count: int) -> None:
    """Say how many NUL characters were taken out, once the sheet is read."""
    if count:
        stream.warnings.append(nul_removed_warning(count))
