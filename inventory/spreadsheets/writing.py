"""Write exports as .xlsx (typed cells, bold frozen header, fitted widths) or Excel-friendly CSV.

Text cells are neutralised against formula injection (see ``escaping``): text starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'``, which ``read_table``
removes again, so an export re-imports unchanged. Characters XML cannot hold (control characters
and carriage returns) are stored in .xlsx text as Excel does, with _xHHHH_ escapes, and decoded
again on reading, so any text survives the round trip.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from inventory.spreadsheets.escaping import neutralise_formula_text, ooxml_escape

CellValue = str | int | float | Decimal | bool | dt.date | dt.datetime | None
_MAX_WIDTH = 60
_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def csv_text(value: CellValue) -> str:
    """The CSV text of one cell: ISO dates, plain numbers, neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise_formula_text(str(value))


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> bytes:
    """Write a CSV as UTF-8 with a BOM, commas and CRLF line endings, as Excel expects."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_text(header) for header in headers])
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def xlsx_value(value: CellValue) -> Any:
    """The value to store in an .xlsx cell: typed where possible, neutralised text otherwise."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    return ooxml_escape(neutralise_formula_text(str(value)))


def _cell(sheet: Any, value: CellValue, *, bold: bool = False) -> WriteOnlyCell:
    """Build one write-only cell with a date format or bold font as needed."""
    cell = WriteOnlyCell(sheet, value=xlsx_value(value))
    if isinstance(value, str):
        cell.data_type = "s"  # never let openpyxl treat text as a formula
    if isinstance(value, dt.datetime):
        cell.number_format = _DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = _DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _display_width(value: CellValue) -> int:
    """Rough character width of a cell, for column sizing."""
    text = csv_text(value)
    return max((len(line) for line in text.splitlines()), default=0)


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[CellValue]],
    *,
    sheet_title: str = "Sheet1",
) -> bytes:
    """Write one sheet with typed cells, a bold frozen header row and fitted column widths."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_safe_sheet_title(sheet_title))
    widths = [len(str(header)) for header in headers]
    body: list[list[CellValue]] = []
    for row in rows:
        values = list(row)
        body.append(values)
        for index, value in enumerate(values[: len(widths)]):
            widths[index] = max(widths[index], _display_width(value))
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
    sheet.append([_cell(sheet, header, bold=True) for header in headers])
    for values in body:
        sheet.append([_cell(sheet, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe_sheet_title(title: str) -> str:
    """Excel sheet titles: at most 31 characters and none of []:*?/\\."""
    cleaned = " ".join(re.sub(r"[\[\]:*?/\\]", " ", title).split()).strip("'") or "Sheet1"
    return cleaned[:31]
