"""Round trip: `flask export` of sites, models and assets, in .xlsx and .csv, re-imports with
`flask import` as all unchanged, every column understood."""

from __future__ import annotations

import pytest

from inventory.enums import Role
from inventory.imports import ImportRequest, run_import
from inventory.operations.catalog import ensure_standard_systems
from tests.inventory.imports.conftest import csv_bytes

SITES = [
    ["code", "name", "kind", "region", "address", "city", "state", "postal_code", "enrollment",
     "administrator_email", "status", "latitude", "longitude", "notes"],
    ["0101", "Lincoln Elementary", "elementary", "North", "1 Main St", "Springfield", "MA",
     "02351", "450", "p@example.org", "active", "42.1", "-71.25", "=HYPERLINK(\"x\")"],
    ["0102", "Adams High", "high", "South", "", "", "", "", "", "", "planned", "", "",
     "two\nlines, \"quoted\""],
]  # fmt: skip
MODELS = [
    ["Manufacturer", "Part Number", "Model Name", "System", "Useful life", "End of sale",
     "End of support", "Unit cost"],
    ["Cisco", "C9300-48P", "Catalyst 9300", "lan", "7", "2028-01-31", "2033-01-31", "$4,999.99"],
    ["APC", "SMT1500", "Smart-UPS 1500", "power", "", "", "", ""],
]  # fmt: skip
ASSETS = [
    ["Asset Tag", "Serial", "Manufacturer", "Model", "Site", "Room", "Status", "Installed on",
     "Cost", "Warranty end", "Notes"],
    ["SW-1", "FOC123", "Cisco", "C9300-48P", "0101", "MDF", "in_service", "2021-08-15",
     "4100.5", "2026-08-15", "+1 spare port"],
    ["UPS-1", "", "APC", "SMT1500", "0102", "", "spare", "", "", "", ""],
]  # fmt: skip


@pytest.fixture
def inventory(session, users) -> None:
    """Two sites, two models and two assets, imported."""
    ensure_standard_systems(session)
    for kind, rows in (("sites", SITES), ("models", MODELS), ("assets", ASSETS)):
        request = ImportRequest(kind, csv_bytes(rows), f"{kind}.csv")
        report = run_import(session, request, by=users[Role.STAFF])
        assert report.ok and report.created == 2 and report.unknown_columns == [], report.lines()
    session.commit()


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("kind", ["sites", "models", "assets"])
def test_export_reimports_unchanged(app, inventory, tmp_path, kind, suffix) -> None:
    path = tmp_path / f"{kind}{suffix}"
    runner = app.test_cli_runner()
    exported = runner.invoke(args=["export", kind, str(path)])
    assert exported.exit_code == 0, exported.output
    result = runner.invoke(args=["import", kind, str(path)])
    assert result.exit_code == 0, result.stderr
    summary = result.stdout.splitlines()[0]
    total = int(summary.split(":")[1].split()[0])
    assert total >= 2
    assert f"{total} rows: 0 created, 0 updated, {total} unchanged, 0 invalid" in summary
    assert "Columns not imported" not in result.stdout, result.stdout
