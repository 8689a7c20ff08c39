"""Column mapping: suggestions, saved mappings, JSON form, required fields, applying to rows."""

from __future__ import annotations

import json

import pytest

from inventory.spreadsheets import (
    KIND_SPECS,
    Mapping,
    RowParser,
    parse_field,
    read_table,
    suggest_mapping,
    unknown_columns,
)


def test_headers_match_ignoring_case_spaces_and_punctuation():
    headers = ["ASSET-TAG", "serial_no", "Model No.", "  room  ", "Purchase Cost ($)", "Colour"]
    mapping = suggest_mapping("assets", headers)
    assert mapping.columns == {
        "ASSET-TAG": "tag",
        "serial_no": "serial",
        "Model No.": "model",
        "  room  ": "location",
        "Purchase Cost ($)": "cost_cents",
        "Colour": None,
    }
    assert mapping.unknown_columns() == ["Colour"]


def test_netbox_device_export_headers():
    headers = ["name", "role", "manufacturer", "device_type", "status", "site", "location",
               "rack", "serial", "asset_tag", "comments", "tenant"]  # fmt: skip
    mapping = suggest_mapping("assets", headers)
    assert {h: f for h, f in mapping.columns.items() if f} == {
        "manufacturer": "manufacturer",
        "device_type": "model",
        "status": "status",
        "site": "site",
        "location": "location",
        "serial": "serial",
        "asset_tag": "tag",
        "comments": "notes",
    }


def test_a_header_maps_to_at_most_one_field_and_the_best_synonym_wins():
    mapping = suggest_mapping("sites", ["Long", "Lat", "LATITUDE", "LONGITUDE", "POPULATION"])
    assert mapping.columns == {
        "Long": None,
        "Lat": None,
        "LATITUDE": "latitude",
        "LONGITUDE": "longitude",
        "POPULATION": None,
    }


def test_our_export_labels_map_back_to_their_fields():
    for kind, spec in KIND_SPECS.items():
        labels = [field.label for field in spec.fields]
        mapping = suggest_mapping(kind, labels)
        assert mapping.columns == {f.label: f.name for f in spec.fields}, kind


def test_missing_required_fields_are_reported():
    assert suggest_mapping("sites", ["name", "city"]).missing_required() == [("code",)]
    assets = suggest_mapping("assets", ["Model", "Room"])
    assert assets.missing_required() == [("tag", "serial")]
    assert assets.problems() == [
        'No column is mapped to "Asset tag" or "Serial number", which is required.'
    ]
    assert suggest_mapping("assets", ["Serial"]).missing_required() == []
    models = suggest_mapping("models", ["Vendor"])
    assert models.missing_required() == [("part_number",)]


def test_mapping_round_trips_through_json():
    mapping = suggest_mapping("assets", ["Asset Tag", "Serial", "Extra"])
    saved = json.loads(json.dumps(mapping.to_dict()))
    assert saved == {
        "version": 1,
        "kind": "assets",
        "columns": {"Asset Tag": "tag", "Serial": "serial", "Extra": None},
        "defaults": {},
    }
    assert Mapping.from_dict(saved) == mapping


def test_default_values_are_saved_with_the_mapping_and_count_as_mapped():
    mapping = suggest_mapping("models", ["Part number", "Name"])
    assert mapping.missing_required() == [("manufacturer",)]
    defaults = {"manufacturer": "Cisco", "system": "lan"}
    with_default = Mapping("models", mapping.columns, defaults=defaults)
    assert with_default.missing_required() == []
    saved = json.loads(json.dumps(with_default.to_dict()))
    assert Mapping.from_dict(saved).defaults == defaults
    # a later file with the same headers gets the saved defaults too
    again = suggest_mapping("models", ["Part number", "Name"], saved=Mapping.from_dict(saved))
    assert again.defaults == defaults
    # a saved mapping from before defaults existed still loads
    del saved["defaults"]
    assert Mapping.from_dict(saved).defaults == {}


def test_a_default_for_an_unknown_field_is_refused():
    with pytest.raises(ValueError, match='"colour" is not a field of models'):
        Mapping("models", {"Part": "part_number"}, defaults={"colour": "red"})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 99, "kind": "assets", "columns": {}}, "format"),
        ({"version": 1, "kind": "assets", "columns": []}, "malformed"),
        ({"version": 1, "kind": "assets", "columns": {"a": 3}}, "malformed"),
        ({"version": 1, "kind": "widgets", "columns": {}}, "not an import kind"),
        ({"version": 1, "kind": "assets", "columns": {"a": "colour"}}, "not a field"),
        ({"version": 1, "kind": "assets", "columns": {"a": "tag", "b": "tag"}}, "choose one"),
    ],
)
def test_malformed_saved_mappings_are_refused(data, message):
    with pytest.raises(ValueError, match=message):
        Mapping.from_dict(data)


def test_saved_mapping_wins_and_new_headers_are_still_suggested():
    saved = Mapping("assets", {"Inv #": "tag", "Serial": None, "Where": "site"})
    mapping = suggest_mapping("assets", ["INV #", "Serial", "Where", "Room"], saved=saved)
    assert mapping.columns == {"INV #": "tag", "Serial": None, "Where": "site", "Room": "location"}


def test_rows_are_parsed_by_field_keeping_row_numbers():
    table = read_table(b"Asset Tag,Serial,Colour\nSW-1,FOC1,red\n\nSW-2, FOC2 ,x\n", "a.csv")
    mapping = suggest_mapping("assets", table.headers)
    assert unknown_columns(table, mapping) == ["Colour"]
    parser = RowParser(mapping, table.headers)
    rows = [parser.parse(row) for row in table.rows]
    assert [(r.number, r.values, r.errors) for r in rows] == [
        (2, {"tag": "SW-1", "serial": "FOC1"}, []),
        (4, {"tag": "SW-2", "serial": "FOC2"}, []),
    ]


def test_a_value_for_the_whole_file_fills_blank_cells_and_bad_cells_are_named():
    table = read_table(b"Code,Name,Level,Students\n1,A,,many\n2,B,High,\n", "a.csv")
    mapping = suggest_mapping("sites", table.headers)
    parser = RowParser(mapping, table.headers, {"kind": "middle"})
    first, second = (parser.parse(row) for row in table.rows)
    assert first.values["kind"] == "middle" and second.values["kind"] == "high"
    assert first.errors == [("enrollment", '"many" is not a whole number')]


def test_a_mapping_for_other_columns_is_refused():
    table = read_table(b"Tag\nA\n", "a.csv")
    with pytest.raises(ValueError, match='does not have: "Serial"'):
        RowParser(Mapping("assets", {"Tag": "tag", "Serial": "serial"}), table.headers)


def test_parse_field_uses_the_field_type_and_sentinels():
    assert parse_field("sites", "enrollment", "-999") is None
    assert parse_field("sites", "enrollment", "2,600") == 2600
    assert parse_field("sites", "postal_code", "2351") == "02351"
    assert parse_field("sites", "kind", "NOT REPORTED") is None
    assert parse_field("assets", "cost_cents", "$1,299.00") == 129_900
    assert parse_field("assets", "status", "Ready to Deploy") == "spare"
    assert parse_field("models", "system", "Access Point") == "wifi"
    with pytest.raises(ValueError, match="shortened by Excel"):
        parse_field("assets", "model", "6.37702E+15")


DIRECTORY_HEADERS = {  # headers of public school directories (federal and state), as published
    "NCES CCD": (["SCHOOL_YEAR", "ST", "SCH_NAME", "LEA_NAME", "ST_SCHID", "NCESSCH", "MSTREET1",
                  "LSTREET1", "LCITY", "LSTATE", "LZIP", "PHONE", "SY_STATUS_TEXT", "LEVEL"],
                 {"code": "NCESSCH", "name": "SCH_NAME", "region": "LEA_NAME",
                  "address": "LSTREET1", "city": "LCITY", "postal_code": "LZIP",
                  "status": "SY_STATUS_TEXT", "kind": "LEVEL"}),
    "California CDE": (["CDSCode", "NCESSchool", "StatusType", "County", "District", "School",
                        "Street", "City", "Zip", "State", "EILName", "GSoffered", "AdmEmail1"],
                       {"code": "CDSCode", "name": "School", "status": "StatusType",
                        "kind": "EILName", "administrator_email": "AdmEmail1"}),
    "Texas AskTED": (["District Name", "School Number", "School Name", "School Street Address",
                      "School City", "School Zip", "School Principal", "Grade Range",
                      "School Status"],
                     {"code": "School Number", "name": "School Name",
                      "address": "School Street Address", "administrator_name": "School Principal",
                      "kind": "Grade Range", "status": "School Status"}),
    "New York SED": (["INSTITUTION ID", "LEGAL NAME", "SED CODE", "SCHOOL DISTRICT",
                      "GRADE ORGANIZATION DESCRIPTION", "PHYSICAL ADDRESS LINE1", "ZIP CD"],
                     {"code": "SED CODE", "name": "LEGAL NAME", "region": "SCHOOL DISTRICT",
                      "kind": "GRADE ORGANIZATION DESCRIPTION",
                      "address": "PHYSICAL ADDRESS LINE1", "postal_code": "ZIP CD"}),
}  # fmt: skip


@pytest.mark.parametrize("source", DIRECTORY_HEADERS)
def test_school_directory_headers_are_recognised(source):
    headers, expected = DIRECTORY_HEADERS[source]
    mapping = suggest_mapping("sites", headers)
    assert mapping.missing_required() == []
    assert {field: mapping.header_for(field) for field in expected} == expected


@pytest.mark.parametrize(
    ("headers", "region"),
    [
        (["NCESID", "NAME", "COUNTY", "COUNTYFIPS", "DISTRICTID"], "COUNTY"),  # Florida
        (["School Code", "School Name", "District Name", "District Code"], "District Name"),
        (["Code", "Name", "LEA ID", "LEA Name"], "LEA Name"),
        (["Code", "Name", "District ID"], None),
    ],
)
def test_a_region_is_offered_a_name_column_never_an_id(headers, region):
    """A state directory's district id would become a region named "1200002"."""
    mapping = suggest_mapping("sites", headers)
    assert mapping.header_for("region") == region
