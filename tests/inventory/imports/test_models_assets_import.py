"""Models and assets import: matching, derived fields, references and their errors."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from inventory.models import Asset, AssetModel, AssetStatus, Manufacturer
from tests.factories import make_site
from tests.inventory.imports.conftest import count, csv_bytes, do_import, log_count

MODELS = [
    ["Manufacturer", "Part Number", "Model Name", "Category", "EOL", "End of Support"],
    ["Cisco", "C9300-48P", "Catalyst 9300 48-port PoE", "Switch", "84", "2030-10-31"],
    ["Ubiquiti", "U6-PRO", "UniFi 6 Pro", "Access Point", "", ""],
    ["APC", "", "Smart-UPS 1500", "UPS", "30", ""],
]


def _models(session, staff):
    report = do_import(session, staff, "models", csv_bytes(MODELS))
    session.commit()
    return report


def test_models_are_created_with_manufacturers_systems_and_life(session, staff) -> None:
    report = _models(session, staff)
    assert (report.created, report.invalid) == (3, 0), report.lines()
    assert report.created_related == {"manufacturer": ["Cisco", "Ubiquiti", "APC"]}
    assert report.warnings == [
        "1 rows have no part number; their model name is used as the part number."
    ]
    models = {m.part_number: m for m in session.scalars(select(AssetModel))}
    assert models["C9300-48P"].system.code == "lan" and models["C9300-48P"].useful_life_years == 7
    assert models["U6-PRO"].system.code == "wifi" and models["U6-PRO"].useful_life_years == 6
    assert models["Smart-UPS 1500"].useful_life_years == 3  # 30 months, rounded half up
    again = _models(session, staff)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert count(session, Manufacturer) == 3


def test_a_model_without_system_is_refused_unless_a_default_is_given(session, staff) -> None:
    rows = [["Manufacturer", "Part Number"], ["Cisco", "C1"], ["Cisco", "C2"]]
    report = do_import(session, staff, "models", csv_bytes(rows))
    assert report.invalid == 2 and report.errors[0].message == "System is required."
    report = do_import(session, staff, "models", csv_bytes(rows), defaults={"system": "lan"})
    assert report.created == 2 and report.written
    report = do_import(session, staff, "models", csv_bytes(rows), defaults={"system": "laptops"})
    assert "end-user device" in report.file_errors[0]


ASSETS = [
    ["Asset Tag", "Serial", "Manufacturer", "Model", "Site", "Status", "Purchase Date",
     "Purchase Cost", "Warranty"],
    ["SW-0001", "FOC1", "Cisco", "C9300-48P", "S-1", "Deployed", "2022-07-01", "$4,100.00", "36"],
    ["AP-0001", "Q2-1", "", "U6-PRO", "Lincoln", "Ready to Deploy", "1/15/23", "180", ""],
]  # fmt: skip


def _setup(session, staff):
    _models(session, staff)
    make_site(session, code="S-1", name="Lincoln")
    session.commit()


def test_assets_are_created_then_matched_by_tag_or_serial(session, staff) -> None:
    _setup(session, staff)
    report = do_import(session, staff, "assets", csv_bytes(ASSETS))
    session.commit()
    assert (report.created, report.invalid) == (2, 0), report.lines()
    switch = session.scalar(select(Asset).where(Asset.tag == "SW-0001"))
    assert switch.cost_cents == 410_000 and switch.status is AssetStatus.IN_SERVICE
    assert switch.warranty_end_on == dt.date(2025, 7, 1)
    assert switch.end_of_life_on == dt.date(2029, 7, 1)
    by_serial = [["Serial", "Room"], ["Q2-1", "IDF 2"], ["q2-1", "IDF 3"]]
    report = do_import(session, staff, "assets", csv_bytes(by_serial))
    session.commit()
    assert (report.created, report.updated) == (0, 2), report.lines()
    assert session.scalar(select(Asset.location).where(Asset.tag == "AP-0001")) == "IDF 3"
    assert count(session, Asset) == 2


def test_asset_errors_name_row_column_and_reason(session, staff) -> None:
    _setup(session, staff)
    entries = log_count(session)
    rows = [*ASSETS]
    rows.append(["X-1", "", "Cisco", "NOPE", "S-1", "", "", "", ""])
    rows.append(["X-2", "", "", "U6-PRO", "Atlantis", "", "", "", ""])
    rows.append(["X-3", "", "", "U6-PRO", "S-1", "", "", "", "12"])
    rows.append(["", "", "", "U6-PRO", "S-1", "", "", "", ""])
    report = do_import(session, staff, "assets", csv_bytes(rows))
    session.commit()
    assert not report.written and count(session, Asset) == 0 and log_count(session) == entries
    assert [e.describe() for e in report.errors] == [
        'Row 4, column "Model" (D): There is no model NOPE by Cisco in the catalogue.',
        'Row 5, column "Site" (E): There is no site Atlantis.',
        'Row 6, column "Warranty" (I): A warranty in months needs an install date to count from.',
        'Row 7, column "Asset Tag" (A): Asset tag is required.',
    ]
