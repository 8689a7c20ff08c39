"""read_table on CSV bytes: encodings, line endings, delimiters, quoting, headers and limits."""

from __future__ import annotations

import codecs

import pytest

from inventory.spreadsheets import ReadLimits, SpreadsheetError, read_table

SAMPLE = "Asset Tag,Name,Room\nSW-1,Café switch,101\nSW-2,Ünïcödé AP,102\n"


def _rows(table):
    return [(row.number, row.values) for row in table.rows]


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings_with_and_without_bom(encoded, encoding):
    table = read_table(encoded, "assets.csv")
    assert table.encoding == encoding
    assert table.headers == ["Asset Tag", "Name", "Room"]
    assert _rows(table) == [
        (2, {"Asset Tag": "SW-1", "Name": "Café switch", "Room": "101"}),
        (3, {"Asset Tag": "SW-2", "Name": "Ünïcödé AP", "Room": "102"}),
    ]
    assert table.warnings == []


@pytest.mark.parametrize("legacy", ["cp1252", "mac_roman"])
def test_legacy_encodings_are_detected_and_warned_about(legacy):
    text = "Tag,Name\nA1,Café crème brûlée\nA2,Señor Müller\u2019s office\n" * 5
    table = read_table(text.encode(legacy), "legacy.csv")
    assert table.encoding == legacy
    assert table.rows[0].values["Name"] == "Café crème brûlée"
    assert table.rows[1].values["Name"] == "Señor Müller\u2019s office"
    assert "not UTF-8" in table.warnings[0]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_and_missing_final_newline(newline):
    data = newline.join(["a,b", "1,2", "3,4"]).encode()
    table = read_table(data, "x.csv")
    assert _rows(table) == [(2, {"a": "1", "b": "2"}), (3, {"a": "3", "b": "4"})]


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [
        (b'"id";"name"\n"7";"London"\n"8";"Zakopane"\n', ";"),
        (b"id\tname\n4\tWarsaw\n5\tParis, France\n", "\t"),
        (b'id,name\n1,"Krak\xc3\xb3w,"\n2,"A; B"\n', ","),
        (b"Price;Name\n1,50;Cable\n2,75;Patch cord\n", ";"),
    ],
)
def test_delimiter_is_sniffed(data, delimiter):
    table = read_table(data, "x.csv")
    assert table.delimiter == delimiter
    assert len(table.headers) == 2
    assert all(len(row.values) == 2 for row in table.rows)


def test_single_column_file_defaults_to_comma():
    table = read_table(b"tag\nA\nB\n", "x.csv")
    assert table.headers == ["tag"]
    assert [r.values["tag"] for r in table.rows] == ["A", "B"]


def test_quoted_multiline_fields_keep_spreadsheet_row_numbers():
    data = b'tag,notes\r\nA,"line one\r\nline two\r\nline three"\r\nB,"say ""hi"""\r\nC,x\r\n'
    table = read_table(data, "x.csv")
    assert _rows(table) == [
        (2, {"tag": "A", "notes": "line one\r\nline two\r\nline three"}),
        (3, {"tag": "B", "notes": 'say "hi"'}),
        (4, {"tag": "C", "notes": "x"}),
    ]


def test_blank_rows_are_skipped_but_numbering_follows_the_file():
    data = b"tag,room\n\nA,1\n,\n   ,  \nB,2\n\n\n,\n"
    table = read_table(data, "x.csv")
    assert _rows(table) == [(3, {"tag": "A", "room": "1"}), (6, {"tag": "B", "room": "2"})]


def test_leading_blank_rows_move_the_header():
    table = read_table(b"\n\ntag\nA\n", "x.csv")
    assert table.header_row_number == 3
    assert _rows(table) == [(4, {"tag": "A"})]


def test_headers_are_trimmed_blank_named_and_duplicates_numbered():
    data = "\ufeff  Company ,,Name,company,\tName\t,Company\n1,2,3,4,5,6\n".encode()
    table = read_table(data, "x.csv")
    assert table.headers == [
        "Company",
        "Column 2",
        "Name",
        "company (2)",
        "Name (2)",
        "Company (3)",
    ]
    assert table.rows[0].values == dict(zip(table.headers, "123456", strict=True))
    assert len(table.warnings) == 4
    assert any('"Company" appears more than once' in w for w in table.warnings)
    assert any("Column B has no header" in w for w in table.warnings)


def test_short_rows_are_padded_and_long_rows_get_named_columns():
    table = read_table(b"a,b\n1\n1,2,3\n", "x.csv")
    assert table.headers == ["a", "b", "Column 3"]
    assert table.rows[0].values == {"a": "1", "b": "", "Column 3": ""}
    assert table.rows[1].values == {"a": "1", "b": "2", "Column 3": "3"}


def test_values_are_not_trimmed_but_raw_matches_text_for_csv():
    table = read_table(b"a,b\n  x , 007\n", "x.csv")
    row = table.rows[0]
    assert row.values == {"a": "  x ", "b": " 007"}
    assert row.raw == row.values


def test_header_only_file_has_no_rows_and_says_so():
    table = read_table(b"tag,serial\r\n", "x.csv")
    assert table.rows == []
    assert table.warnings == ["The file has a header row but no data rows."]


@pytest.mark.parametrize("data", [b"", b"\n\n\r\n", codecs.BOM_UTF8, b" , ,\n,,\n"])
def test_empty_file_is_refused(data):
    with pytest.raises(SpreadsheetError, match="empty"):
        read_table(data, "x.csv")


def test_size_limit():
    with pytest.raises(SpreadsheetError, match="limit is 1 MB"):
        read_table(b"a\n" + b"x\n" * 600_000, "x.csv", limits=ReadLimits(max_bytes=1_000_000))


def test_row_limit_counts_data_rows():
    limits = ReadLimits(max_rows=3)
    assert len(read_table(b"a\n1\n2\n3\n", "x.csv", limits=limits).rows) == 3
    with pytest.raises(SpreadsheetError, match="more than 3 data rows"):
        read_table(b"a\n1\n2\n3\n4\n", "x.csv", limits=limits)


def test_column_limit_names_the_row():
    limits = ReadLimits(max_columns=3)
    with pytest.raises(SpreadsheetError, match="Row 2 has 4 columns; the limit is 3") as caught:
        read_table(b"a,b,c\n1,2,3,4\n", "x.csv", limits=limits)
    assert caught.value.row == 2


def test_binary_junk_is_refused_clearly():
    with pytest.raises(SpreadsheetError, match="not look like a text"):
        read_table(b"\x00\x01\x02\xff\xfe\x00garbage" * 10, "x.csv")


def test_invalid_bytes_after_a_bom_are_refused():
    with pytest.raises(SpreadsheetError, match="not valid"):
        read_table(codecs.BOM_UTF8 + b"a,b\n\xff\xfe,1\n", "x.csv")


@pytest.mark.parametrize("name", ["inventory.ods", "inventory.pdf", "inventory.numbers"])
def test_unsupported_extensions_are_refused(name):
    with pytest.raises(SpreadsheetError, match=r"(?i)save the file as \.xlsx or \.csv"):
        read_table(b"a,b\n1,2\n", name)


def test_txt_and_tsv_are_read_as_delimited_text():
    assert read_table(b"a\tb\n1\t2\n", "export.tsv").rows[0].values == {"a": "1", "b": "2"}
    assert read_table(b"a;b\n1;2\n", "export.TXT").rows[0].values == {"a": "1", "b": "2"}


def test_formula_neutralising_quote_is_removed_on_read():
    table = read_table(b"a,b,c\n'=1+1,'-5 dBm,'80s\n", "x.csv")
    assert table.rows[0].values == {"a": "=1+1", "b": "-5 dBm", "c": "'80s"}


def test_a_title_line_above_the_header_is_skipped():
    data = b"Network inventory - Adams Middle;;;\nTag;Serial;Model;Room\nA-1;S1;M1;IDF-2\n"
    table = read_table(data, "adams.csv")
    assert table.headers == ["Tag", "Serial", "Model", "Room"] and table.delimiter == ";"
    assert table.rows[0].number == 3 and table.rows[0].values["Room"] == "IDF-2"
    assert table.warnings[0].startswith("Row 1 is taken as a title above the header row (row 2)")


def test_nul_characters_inside_cells_are_removed_with_a_warning():
    data = b"code,name\n" + b"A,Adams\n" * 300 + b"B,Bad\x00name\n"  # past the binary sniff
    table = read_table(data, "sites.csv")
    assert table.rows[-1].values == {"code": "B", "name": "Badname"}
    assert "1 NUL characters" in table.warnings[0]
