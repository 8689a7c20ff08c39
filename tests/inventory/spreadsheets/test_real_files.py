"""The real public files in ../shared/data (see its SOURCES.md): read, mapped and parsed.

Each test is skipped with the reason when ../shared/data is absent. The Snipe-IT samples (AGPL)
are only read from there, never copied into this repository.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from inventory.spreadsheets import parse_field, read_table, suggest_mapping


def _read(shared_data: Path, relative: str):
    path = shared_data / relative
    return read_table(path.read_bytes(), path.name)


def _parse_all(kind: str, table):
    """Parse every mapped cell; return (parsed rows, Counter of field errors, first errors)."""
    mapping = suggest_mapping(kind, table.headers)
    parsed, errors, first = [], collections.Counter(), {}
    pairs = [(header, name) for header, name in mapping.columns.items() if name]
    for row in table.rows:
        values = {}
        for header, field_name in pairs:
            raw = row.raw[header]
            try:
                values[field_name] = parse_field(kind, field_name, raw)
            except ValueError as error:
                errors[field_name] += 1
                first.setdefault(field_name, (row.number, str(error)))
        parsed.append((row.number, values))
    return parsed, errors, first


def test_florida_schools_as_sites(shared_data):
    table = _read(shared_data, "schools/florida_public_schools.csv")
    assert (len(table.rows), len(table.headers)) == (4337, 32)
    assert (table.rows[0].number, table.rows[-1].number) == (2, 4338)
    mapping = suggest_mapping("sites", table.headers)
    assert {h: f for h, f in mapping.columns.items() if f} == {
        "NCESID": "code", "NAME": "name", "ADDRESS": "address", "CITY": "city",
        "STATE": "state", "ZIP": "postal_code", "TELEPHONE": "phone", "STATUS": "status",
        "LATITUDE": "latitude", "LONGITUDE": "longitude", "LEVEL_": "kind",
        "ENROLLMENT": "enrollment", "COUNTY": "region",  # the county name, not DISTRICTID
    }  # fmt: skip
    assert mapping.missing_required() == []
    assert "Long" in mapping.unknown_columns() and "POPULATION" in mapping.unknown_columns()
    parsed, errors, _ = _parse_all("sites", table)
    assert errors == {}
    kinds = collections.Counter(values["kind"] for _, values in parsed)
    assert kinds == {"elementary": 2320, "high": 941, "middle": 588, "other": 383, None: 105}
    assert sum(1 for _, values in parsed if values["enrollment"] is None) == 105
    statuses = collections.Counter(values["status"] for _, values in parsed)
    assert statuses == {"active": 4232, "closed": 62, "planned": 43}
    assert len({values["code"] for _, values in parsed}) == 4337


def test_massachusetts_schools_wide_file_and_lost_zip_zeros(shared_data):
    table = _read(shared_data, "schools/massachusetts_public_schools.csv")
    assert (len(table.rows), len(table.headers)) == (1861, 256)
    assert table.rows[-1].number == 1862  # no final newline, last row still read
    mapping = suggest_mapping("sites", table.headers)
    assert {h: f for h, f in mapping.columns.items() if f} == {
        "School Code": "code", "School Name": "name", "Contact Name": "administrator_name",
        "Address 1": "address", "Town": "city", "State": "state", "Zip": "postal_code",
        "Phone": "phone", "Grade": "kind", "District Name": "region",
        "TOTAL_Enrollment": "enrollment",
    }  # fmt: skip
    assert len(mapping.unknown_columns()) == 245
    parsed, errors, _ = _parse_all("sites", table)
    assert errors == {}
    assert table.rows[0].values["Zip"] == "2351"
    assert parsed[0][1]["postal_code"] == "02351"
    assert all(len(values["postal_code"]) == 5 for _, values in parsed)
    kinds = collections.Counter(values["kind"] for _, values in parsed)
    assert kinds["elementary"] > 1000 and kinds["high"] > 300 and kinds["k12"] > 0
    assert kinds[None] == 1  # row 1164 has no grades at all


def test_snipeit_assets_sample_with_bom(shared_data):
    table = _read(shared_data, "snipeit/assets-sample.csv")
    assert table.headers[0] == "Company"  # BOM removed
    assert len(table.rows) == 22 and table.warnings == []
    mapping = suggest_mapping("assets", table.headers)
    assert mapping.field_for("Asset Tag") == "tag"
    assert mapping.field_for("Location") == "site"
    assert mapping.field_for("Purchase Cost") == "cost_cents"
    parsed, errors, _ = _parse_all("assets", table)
    assert errors == {}
    assert parsed[0][1]["installed_on"].isoformat() == "2023-01-23"
    assert parsed[0][1]["cost_cents"] == 226_613


@pytest.mark.parametrize("name", ["assets-sample-BAD.csv", "assets-sample-BLANKS.csv"])
def test_snipeit_bad_samples_are_decoded_and_refused_row_by_row(shared_data, name):
    table = _read(shared_data, f"snipeit/{name}")
    assert table.encoding == "mac_roman"
    assert "not UTF-8" in table.warnings[0]
    assert len(table.rows) == 200
    assert (table.rows[0].number, table.rows[-1].number) == (2, 201)  # CR-only line endings
    assert table.rows[10].values["Location"] == "Lutsâ€™k"  # mojibake already in the source
    parsed, errors, first = _parse_all("assets", table)
    assert errors == {"model": 200}  # every "Model Number" was rounded by Excel (6.37702E+15)
    assert first["model"] == (2, first["model"][1])
    assert "shortened by Excel" in first["model"][1]
    statuses = collections.Counter(values.get("status") for _, values in parsed)
    assert statuses == {"in_repair": 68, "retired": 39, "disposed": 37, "spare": 28, None: 28}


def test_snipeit_bad_duplicate_headers(shared_data):
    table = _read(shared_data, "snipeit/assets-sample-BAD.csv")
    assert "Company (2)" in table.headers and "Category (2)" in table.headers
    assert sum("appears more than once" in w for w in table.warnings) == 2


def test_snipeit_blank_headers(shared_data):
    table = _read(shared_data, "snipeit/assets-sample-BLANKS.csv")
    assert [h for h in table.headers if h.startswith("Column ")] == [
        "Column 5", "Column 9", "Column 14"
    ]  # fmt: skip
    assert sum("has no header" in w for w in table.warnings) == 3


def test_snipeit_multiline_licenses(shared_data):
    table = _read(shared_data, "snipeit/licenses-sample.csv")
    assert len(table.rows) == 50
    assert table.rows[-1].number == 51
    assert any("\n" in value for row in table.rows for value in row.values.values())


def test_snipeit_models_sample(shared_data):
    table = _read(shared_data, "snipeit/models-sample.csv")
    mapping = suggest_mapping("models", table.headers)
    assert mapping.field_for("Model Number") == "part_number"
    assert mapping.field_for("EOL") == "useful_life_months"
    _, errors, first = _parse_all("models", table)
    assert errors == {"system": 20}  # laptops and phones are not infrastructure
    assert "end-user device" in first["system"][1]


def test_every_snipeit_and_ralph_sample_reads_without_error(shared_data):
    paths = sorted((shared_data / "snipeit").glob("*.csv"))
    paths += sorted((shared_data / "ralph").rglob("*.csv"))
    assert len(paths) == 22
    for path in paths:
        table = read_table(path.read_bytes(), path.name)
        assert table.rows, path.name


def test_ralph_delimiters_and_quoting(shared_data):
    expected = {
        "warehouses.csv": (",", ["Poznań", "Warszawa", "Kraków,"]),
        "warehouses_semicolon.csv": (";", ["London", "Zakopane", "Berlin"]),
        "warehouses_tab.csv": ("\t", ["Warsaw", "Paris", "Barcelona"]),
    }
    for name, (delimiter, names) in expected.items():
        table = _read(shared_data, f"ralph/{name}")
        assert table.delimiter == delimiter
        assert table.headers == ["id", "name"]
        assert [row.values["name"] for row in table.rows] == names
    regions = _read(shared_data, "ralph/regions.csv")
    assert regions.rows[0].values["users"] == "iron.man,superman,batman"


def test_ralph_folder_import_and_sites_mapping(shared_data):
    for path in sorted((shared_data / "ralph" / "warehouses").glob("*.csv")):
        table = read_table(path.read_bytes(), path.name)
        mapping = suggest_mapping("sites", table.headers)
        assert mapping.columns == {"id": "code", "name": "name"}
        assert len(table.rows) == 3


def test_ralph_assets(shared_data):
    table = _read(shared_data, "ralph/management_ip_blank.csv")
    assert len(table.headers) == 46
    mapping = suggest_mapping("assets", table.headers)
    assert mapping.field_for("sn") == "serial"
    assert mapping.field_for("barcode") == "tag"
    assert mapping.field_for("rack_str") == "location"
    parsed, errors, _ = _parse_all("assets", table)
    assert errors == {"status": 1}  # Ralph exports status as a number ("2")
    assert parsed[0][1]["cost_cents"] == 0


def test_device_catalogue_as_models(shared_data):
    table = _read(shared_data, "devices/device_types.csv")
    assert len(table.rows) == 1369
    mapping = suggest_mapping("models", table.headers)
    assert {h: f for h, f in mapping.columns.items() if f} == {
        "manufacturer": "manufacturer", "model": "name", "part_number": "part_number",
    }  # fmt: skip
    parsed, errors, _ = _parse_all("models", table)
    assert errors == {}
    assert sum(1 for _, values in parsed if values["part_number"] is None) == 68
    assert {values["manufacturer"] for _, values in parsed} >= {"Cisco", "APC", "Ubiquiti"}
