"""read_table on .xlsx bytes: typed values, sheets, zip-bomb and corrupt-file refusals, .xls."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.xml import DEFUSEDXML

from inventory.spreadsheets import ReadLimits, SpreadsheetError, read_table
from inventory.spreadsheets.xlsx_rows import WorkbookParts


def _xlsx(rows, *, title="Assets", extra_sheets=(), hidden_first=False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, sheet_rows in extra_sheets:
        extra = workbook.create_sheet(name)
        for row in sheet_rows:
            extra.append(row)
    if hidden_first:
        sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_numbers_and_dates_keep_their_type_and_read_as_text():
    data = _xlsx(
        [
            ["Tag", "Count", "Cost", "Installed", "Checked", "ZIP"],
            ["SW-1", 12345.0, 1234.5, dt.datetime(2024, 1, 31), True, "02351"],
            ["SW-2", 7, 0.1, dt.datetime(2024, 2, 1, 8, 30), False, 2351],
        ]
    )
    table = read_table(data, "assets.xlsx")
    assert table.source_format == "xlsx"
    assert table.sheet_name == "Assets"
    first, second = table.rows
    assert first.number == 2
    assert first.values == {
        "Tag": "SW-1",
        "Count": "12345",
        "Cost": "1234.5",
        "Installed": "2024-01-31",
        "Checked": "TRUE",
        "ZIP": "02351",
    }
    assert first.raw["Installed"] == dt.datetime(2024, 1, 31)
    assert first.raw["Count"] == 12345
    assert second.values["Installed"] == "2024-02-01 08:30:00"
    assert second.values["Cost"] == "0.1"
    assert second.values["ZIP"] == "2351"


def test_blank_rows_and_trailing_blank_cells_are_ignored_with_true_row_numbers():
    data = _xlsx([["tag", "room"], [None, None], ["A", 1], [], ["B", None, None, None]])
    table = read_table(data, "x.xlsx")
    assert [(row.number, row.values) for row in table.rows] == [
        (3, {"tag": "A", "room": "1"}),
        (5, {"tag": "B", "room": ""}),
    ]


def test_duplicate_and_blank_headers_in_xlsx():
    table = read_table(_xlsx([["Serial", None, "Serial"], [1, 2, 3]]), "x.xlsx")
    assert table.headers == ["Serial", "Column 2", "Serial (2)"]
    assert len(table.warnings) == 2


def test_first_visible_sheet_or_the_named_one():
    data = _xlsx(
        [["hidden"], ["x"]], extra_sheets=[("Sites", [["code"], ["S1"]])], hidden_first=True
    )
    assert read_table(data, "x.xlsx").rows[0].values == {"code": "S1"}
    assert read_table(data, "x.xlsx", sheet_name="Assets").rows[0].values == {"hidden": "x"}
    with pytest.raises(SpreadsheetError, match=r'no sheet called "Nope".*"Assets", "Sites"'):
        read_table(data, "x.xlsx", sheet_name="Nope")


def test_the_visible_sheets_are_listed_for_a_sheet_picker():
    data = _xlsx([["code"], ["S1"]], title="Read me", extra_sheets=[("Sites", [["code"]])])
    assert read_table(data, "x.xlsx").sheet_names == ["Read me", "Sites"]
    hidden = _xlsx([["a"]], extra_sheets=[("Sites", [["code"]])], hidden_first=True)
    assert read_table(hidden, "x.xlsx").sheet_names == ["Sites"]


def test_title_rows_above_the_header_are_skipped_with_a_warning():
    rows = [
        ["Lincoln High School - network inventory"],
        ["Exported", "2026-11-02"],
        [],
        ["Asset Tag", "Serial", "Model", "Room"],
        ["A-1", "FDO1", "C9300-48P", "MDF"],
    ]
    table = read_table(_xlsx(rows), "inventory.xlsx")
    assert table.headers == ["Asset Tag", "Serial", "Model", "Room"]
    assert table.header_row_number == 4 and table.rows[0].number == 5
    assert table.warnings[0].startswith(
        "Rows 1-2 are taken as a title above the header row (row 4)"
    )
    assert "Lincoln High School - network inventory · Exported · 2026-11-02" in table.warnings[0]


def test_a_header_naming_fewer_columns_than_its_data_is_still_the_header():
    rows = [["Tag", "Serial", "Model"], ["A-1", "S1", "M1", "extra", "more", "notes", "x"]]
    table = read_table(_xlsx(rows), "x.xlsx")
    assert table.headers[:3] == ["Tag", "Serial", "Model"] and table.header_row_number == 1
    one_column = read_table(_xlsx([["Tag"], ["A-1"], ["A-2"]]), "x.xlsx")
    assert one_column.headers == ["Tag"] and len(one_column.rows) == 2


def test_formulas_give_their_cached_value_and_quotes_are_removed():
    data = _xlsx([["a", "b"], ["'=SUM(A1:A3)", "'@home"]])
    assert read_table(data, "x.xlsx").rows[0].values == {"a": "=SUM(A1:A3)", "b": "@home"}


def test_empty_workbook_is_refused():
    with pytest.raises(SpreadsheetError, match="empty"):
        read_table(_xlsx([]), "x.xlsx")


def test_xlsx_limits():
    data = _xlsx([["a", "b", "c"], *[[i, i, i] for i in range(10)]])
    with pytest.raises(SpreadsheetError, match="more than 5 data rows"):
        read_table(data, "x.xlsx", limits=ReadLimits(max_rows=5))
    with pytest.raises(SpreadsheetError, match="Row 1 has 3 columns; the limit is 2"):
        read_table(data, "x.xlsx", limits=ReadLimits(max_columns=2))


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_parsing():
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<" + b" " * 50_000_000 + b"/>",
        }
    )
    assert len(bomb) < 200_000
    with pytest.raises(SpreadsheetError, match="could overload the server"):
        read_table(bomb, "bomb.xlsx")


def test_total_uncompressed_size_is_capped():
    data = _xlsx([["a"], ["x" * 1000]])
    with pytest.raises(SpreadsheetError, match="would expand to"):
        read_table(data, "x.xlsx", limits=ReadLimits(max_uncompressed_bytes=1000))


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is not really a zip file",
        _zip({"hello.txt": b"not a workbook"}),
        _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<not closed"}),
        b"just text pretending to be a workbook",
    ],
)
def test_corrupt_xlsx_is_refused_clearly(data):
    with pytest.raises(SpreadsheetError, match=r"not a valid Excel workbook \(\.xlsx\)"):
        read_table(data, "broken.xlsx")


def test_truncated_xlsx_is_refused():
    data = _xlsx([["a"], ["x"]])
    with pytest.raises(SpreadsheetError, match="not a valid Excel workbook"):
        read_table(data[: len(data) // 2], "x.xlsx")


def test_xlsx_renamed_to_csv_is_still_read():
    assert read_table(_xlsx([["a"], [1]]), "export.csv").rows[0].values == {"a": "1"}


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old.xls"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "renamed.xlsx"),
        (b"a,b\n1,2\n", "inventory.xls"),
    ],
)
def test_old_excel_files_get_a_save_as_message(data, name):
    with pytest.raises(SpreadsheetError, match=r"save as \.xlsx or \.csv"):
        read_table(data, name)


def test_defusedxml_protects_openpyxl():
    assert DEFUSEDXML is True


def test_a_sheet_that_expands_entities_is_refused_quickly():
    """The sheet's rows are parsed with the standard library's parser, whose Expat refuses an
    entity-expansion bomb ("billion laughs") instead of expanding it."""
    entities = "".join(
        f'<!ENTITY e{n} "{"".join(f"&e{n - 1};" for _ in range(10))}">' for n in range(1, 10)
    )
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e0 "ha">{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    parts = {}
    with zipfile.ZipFile(io.BytesIO(_xlsx([["a"], ["x"]]))) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    parts["xl/worksheets/sheet1.xml"] = bomb
    with pytest.raises(SpreadsheetError, match="not a valid Excel workbook"):
        read_table(_zip(parts), "bomb.xlsx")


def test_cells_read_as_openpyxl_reads_them():
    """The sheet reader gives each cell the value openpyxl's read-only mode gives it: shared and
    rich text, numbers, dates and times by their format, durations, booleans, errors, formulas'
    cached values, and gaps between cells and rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["text", "int", "float", "date", "datetime", "time", "bool", "percent"])
    sheet.append(["Lincoln", 7, 0.1, dt.date(2024, 1, 31), dt.datetime(2024, 2, 1, 8, 30),
                  dt.time(14, 5), True, 0.25])  # fmt: skip
    sheet["H2"].number_format = "0%"
    sheet["A4"] = CellRichText("plain ", TextBlock(InlineFont(b=True), "bold"))
    sheet["C4"] = "=1/0"
    sheet["E4"] = dt.timedelta(hours=36)
    sheet["G4"] = "#N/A"
    sheet["B5"] = 12345678901234
    sheet["D5"] = -1.5e-7
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    expected = list(load_workbook(io.BytesIO(data), read_only=True, data_only=True).active.values)
    parts = WorkbookParts(data)
    try:
        read = list(parts.cells(parts.worksheets[0]).rows())
    finally:
        parts.close()
    width = max(len(values) for _, values in read)
    padded = {number: tuple(values + [None] * (width - len(values))) for number, values in read}
    assert [padded.get(number, (None,) * width) for number in range(1, len(expected) + 1)] == [
        tuple(row) + (None,) * (width - len(row)) for row in expected
    ]
