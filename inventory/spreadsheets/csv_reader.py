"""Reading CSV bytes: encoding detection, delimiter sniffing and record numbering."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from charset_normalizer import from_bytes

from inventory.spreadsheets.errors import SpreadsheetError
from inventory.spreadsheets.escaping import restore_formula_text
from inventory.spreadsheets.stream import GridRow, RowStream
from inventory.spreadsheets.table import ReadLimits, check_column_count, nul_removed_warning

DELIMITERS = (",", ";", "\t")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LEGACY_ENCODINGS = ["cp1252", "mac_roman"]


def decode_csv_bytes(data: bytes) -> tuple[str, str, list[str]]:
    """Decode CSV bytes; return the text, the encoding used and any warnings."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding, []
            except UnicodeDecodeError as error:
                raise SpreadsheetError(
                    f"The file says it is {encoding.upper()} but byte {error.start:,} is not "
                    "valid in that encoding. Save it again as CSV UTF-8."
                ) from error
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(
            "This does not look like a text (CSV) file. Save it as CSV UTF-8 or as .xlsx."
        )
    return _decode_legacy(data)


def _decode_legacy(data: bytes) -> tuple[str, str, list[str]]:
    """Decode text that is not UTF-8, choosing between Windows and Mac legacy encodings."""
    best = from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best()
    encoding = best.encoding if best is not None else "mac_roman"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "mac_roman", data.decode("mac_roman")
    label = {"cp1252": "Windows-1252", "mac_roman": "Mac Roman"}.get(encoding, encoding)
    warning = (
        f"The file is not UTF-8; it was read as {label}. Check that accented letters look "
        "right, or save it as CSV UTF-8."
    )
    return text, encoding, [warning]


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter (comma, semicolon or tab) that splits the first rows most consistently."""
    sample = "".join(io.StringIO(text[:65536], newline="").readlines()[:51])
    best, best_score = ",", (0, 0.0, 0)
    for delimiter in DELIMITERS:
        records = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if r]
        records = records[:-1] if len(records) > 2 else records  # the last may be cut short
        if not records:
            continue
        width = len(records[0])
        agreeing = sum(1 for r in records if len(r) == width) / len(records)
        score = (int(width > 1), agreeing, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def open_csv(data: bytes, limits: ReadLimits) -> RowStream:
    """Open CSV bytes as a stream of rows numbered as a spreadsheet program would."""
    text, encoding, warnings = decode_csv_bytes(data)
    if "\x00" in text:  # no database stores it as text; it is never meant
        warnings.append(nul_removed_warning(text.count("\x00")))
        text = text.replace("\x00", "")
    delimiter = sniff_delimiter(text)
    lines = io.StringIO(text, newline="")
    size = max(len(text), 1)
    return RowStream(
        _records(lines, delimiter, limits), limits, fraction_read=lambda: lines.tell() / size,
        encoding=encoding, delimiter=delimiter, warnings=warnings,
    )  # fmt: skip


def _records(lines: io.StringIO, delimiter: str, limits: ReadLimits) -> Iterator[GridRow]:
    """The non-blank records with their row numbers (a quoted cell may span lines)."""
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue
            check_column_count(len(record), limits, number)
            texts = [restore_formula_text(cell) for cell in record]
            yield number, texts, texts
    except csv.Error as error:
        raise SpreadsheetError(
            f"Row {number + 1} could not be read as CSV ({error}). "
            "Check for a stray quote character.",
            row=number + 1,
        ) from error
