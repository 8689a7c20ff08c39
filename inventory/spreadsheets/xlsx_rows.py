"""The cell values of a worksheet, read from its XML as the file is consumed.

openpyxl's reader opens the workbook's small parts (its sheets, shared strings, and which cell
styles are dates), parsed with defusedxml; its worksheets are never built, because openpyxl
parses a whole sheet just to learn its size when the file does not declare it. The rows are read
here with the standard library's C parser and give the values openpyxl's read-only,
cached-values mode gives, several times faster: openpyxl parses sheets with defusedxml's
pure-Python parser and builds an object per cell. The standard parser is safe from
entity-expansion attacks with Expat 2.4.1 or later ("XML vulnerabilities" in the Python
documentation); with an older Expat, defusedxml's parser is used instead.
"""

from __future__ import annotations

import io
import pyexpat
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.etree import ElementTree

from defusedxml.ElementTree import iterparse as defused_iterparse
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, VALUE, INLINE, TEXT, RUN = (f"{_NS}{tag}" for tag in ("row", "v", "is", "t", "r"))
SAFE_EXPAT = pyexpat.version_info >= (2, 4, 1)
DIGITS = "0123456789"
CHUNK_BYTES = 64 * 1024


class _CountingReader:
    """A file-like reader that counts the bytes handed to the parser."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.count += len(chunk)
        return chunk

    def close(self) -> None:
        self.source.close()


@dataclass(frozen=True)
class SheetPart:
    """A worksheet of the workbook: its name, whether it is shown, and where its XML is."""

    title: str
    sheet_state: str
    path: str


class WorkbookParts:
    """An .xlsx workbook's worksheets, shared strings and date styles (openpyxl, pinned, reads
    them); each worksheet is then read with `cells`. Close it when done."""

    def __init__(self, data: bytes) -> None:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
        except BaseException:
            reader.archive.close()
            raise
        self.archive = reader.archive
        self.shared_strings = reader.shared_strings
        self.date_styles = reader.wb._date_formats
        self.duration_styles = reader.wb._timedelta_formats
        self.epoch = reader.wb.epoch
        self.worksheets = [
            SheetPart(sheet.name, sheet.state or "visible", rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]

    @property
    def sheetnames(self) -> list[str]:
        """Every worksheet's name, shown or hidden."""
        return [sheet.title for sheet in self.worksheets]

    def __getitem__(self, name: str) -> SheetPart:
        return next(sheet for sheet in self.worksheets if sheet.title == name)

    def cells(self, sheet: SheetPart) -> SheetCells:
        """The worksheet's rows, to be read once."""
        return SheetCells(self, sheet)

    def close(self) -> None:
        """Close the archive."""
        self.archive.close()


class SheetCells:
    """One worksheet's rows, read from its XML."""

    def __init__(self, parts: WorkbookParts, sheet: SheetPart) -> None:
        self.size = max(parts.archive.getinfo(sheet.path).file_size, 1)
        self.source = _CountingReader(parts.archive.open(sheet.path))
        self.shared_strings = parts.shared_strings
        self.date_styles = parts.date_styles
        self.duration_styles = parts.duration_styles
        self.epoch = parts.epoch
        self.columns: dict[str, int] = {}

    @property
    def fraction_read(self) -> float:
        """How much of the sheet's XML has been parsed, from 0 to 1."""
        return self.source.count / self.size

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cell values from column A) for each row element, in file order."""
        number = 0
        value = self.value
        for element in _row_elements(self.source):
            number = int(element.get("r") or number + 1)
            values: list[Any] = []
            for cell in element:
                attributes = cell.attrib
                coordinate = attributes.get("r")
                position = self._column(coordinate) if coordinate else len(values) + 1
                if position > len(values):
                    values += [None] * (position - 1 - len(values))
                    values.append(value(cell, attributes))
                else:  # a cell given twice, or out of order: the later one counts
                    values[position - 1] = value(cell, attributes)
            element.clear()
            yield number, values
        self.source.close()

    def _column(self, coordinate: str) -> int:
        """The 1-based column of a cell reference such as "AB12"."""
        letters = coordinate.rstrip(DIGITS)
        position = self.columns.get(letters)
        if position is None:
            position = self.columns[letters] = column_index_from_string(letters)
        return position

    def value(self, cell: Any, attributes: dict[str, str]) -> Any:
        """A cell's cached value as openpyxl's read-only mode gives it."""
        kind = attributes.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(INLINE)
            return None if inline is None else _inline_text(inline)
        text = cell.findtext(VALUE) or None
        if text is None:
            return None
        if kind == "n":
            return self._number(text, int(attributes.get("s") or 0))
        if kind == "s":
            return self.shared_strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text result) and "e" (an error such as #N/A)

    def _number(self, text: str, style: int) -> Any:
        """A number, or the date or duration its style shows it as."""
        number = float(text) if "." in text or "E" in text or "e" in text else int(text)
        if style not in self.date_styles:
            return number
        try:
            return from_excel(number, self.epoch, timedelta=style in self.duration_styles)
        except (OverflowError, ValueError):
            return "#VALUE!"  # openpyxl's reading of a date serial out of range


def _row_elements(source: _CountingReader) -> Iterator[Any]:
    """Each <row> element once parsed whole (the caller clears it)."""
    if not SAFE_EXPAT:
        yield from (element for _, element in defused_iterparse(source) if element.tag == ROW)
        return
    parser = ElementTree.XMLPullParser(events=("end",))
    while chunk := source.read(CHUNK_BYTES):
        parser.feed(chunk)
        for _event, element in parser.read_events():
            if element.tag == ROW:
                yield element
    parser.close()


def _inline_text(inline: Any) -> str:
    """The text of an inline string, its formatted runs joined (phonetic guides left out)."""
    if len(inline) == 1 and inline[0].tag == TEXT:
        return inline[0].text or ""
    parts = []
    plain = inline.find(TEXT)
    if plain is not None:
        parts.append(plain.text or "")
    for run in inline.findall(RUN):
        parts.append(run.findtext(TEXT) or "")
    return "".join(parts)
