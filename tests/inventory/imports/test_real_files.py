"""The real public files of ../shared/data imported end to end (skipped when it is absent).

The Snipe-IT samples (AGPL) are read from ../shared/data only, never copied here.
"""

from __future__ import annotations

import time

from sqlalchemy import func, select

from inventory.enums import SiteKind
from inventory.models import AssetModel, Manufacturer, Region, Site
from tests.inventory.imports.conftest import count, do_import, log_count


def _file(shared_data, relative):
    path = shared_data / relative
    return path.read_bytes(), path.name


def test_florida_schools_import_and_reimport_unchanged(session, staff, shared_data) -> None:
    data, name = _file(shared_data, "schools/florida_public_schools.csv")
    started = time.perf_counter()
    report = do_import(session, staff, "sites", data, name)
    session.commit()
    first = time.perf_counter() - started
    assert report.ok and report.written, report.lines()[:5]
    assert (report.total_rows, report.created, report.invalid) == (4337, 4337, 0)
    assert count(session, Site) == 4337
    regions = session.scalars(select(Region.name).order_by(Region.name)).all()
    assert regions == sorted(report.created_related["region"])  # one per county, by name
    assert len(regions) == 67 and "MIAMI-DADE" in regions and "ORANGE" in regions
    kinds = dict(session.execute(select(Site.kind, func.count()).group_by(Site.kind)).all())
    assert kinds[SiteKind.ELEMENTARY] == 2320 and kinds[SiteKind.OTHER] == 383 + 105
    assert session.scalar(select(func.count()).where(Site.enrollment.is_(None))) == 105
    entries = log_count(session)
    started = time.perf_counter()
    again = do_import(session, staff, "sites", data, name)
    session.commit()
    second = time.perf_counter() - started
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4337)
    assert log_count(session) == entries
    print(f"Florida sites: import {first:.1f} s, re-import {second:.1f} s")


def test_massachusetts_wide_file_as_sites(session, staff, shared_data) -> None:
    data, name = _file(shared_data, "schools/massachusetts_public_schools.csv")
    report = do_import(session, staff, "sites", data, name)
    session.commit()
    assert (report.created, report.invalid) == (1861, 0), report.lines()[:5]
    assert len(report.unknown_columns) == 245
    assert "Abington" in report.created_related["region"]
    first = session.scalar(select(Site).where(Site.code == "10505"))
    assert (first.name, first.postal_code, first.administrator_name) == (
        "Abington High", "02351", "Teresa Sullivan-Cruz"
    )  # fmt: skip
    assert first.kind is SiteKind.HIGH and first.region.name == "Abington"


def test_snipeit_assets_sample_is_refused_for_unknown_sites(session, staff, shared_data) -> None:
    data, name = _file(shared_data, "snipeit/assets-sample.csv")
    entries = log_count(session)
    report = do_import(session, staff, "assets", data, name)
    assert (report.invalid, report.written) == (22, False)
    assert report.errors[0].describe() == (
        'Row 2, column "Location" (G): There is no site Wilkinson, Waters and Kerluke.'
    )
    assert log_count(session) == entries


def test_snipeit_bad_and_blanks_samples_are_refused_row_by_row(session, staff, shared_data):
    for name, letter in (("assets-sample-BAD.csv", "I"), ("assets-sample-BLANKS.csv", "J")):
        data, _ = _file(shared_data, f"snipeit/{name}")
        report = do_import(session, staff, "assets", data, name)
        assert (report.total_rows, report.invalid, report.written) == (200, 200, False)
        first = report.errors[0]
        assert (first.row, first.column, first.column_letter) == (2, "Model Number", letter)
        assert "shortened by Excel" in first.message
        assert "read as Mac Roman" in report.warnings[0]


def test_snipeit_models_sample_is_refused_as_end_user_devices(session, staff, shared_data):
    data, name = _file(shared_data, "snipeit/models-sample.csv")
    report = do_import(session, staff, "models", data, name)
    assert (report.invalid, report.written) == (20, False)
    assert (
        report.errors[0]
        .describe()
        .startswith('Row 2, column "Category" (B): "Laptops" is an end-user device')
    )
    assert count(session, Manufacturer) == 0


def test_ralph_samples(session, staff, shared_data) -> None:
    for name in ("warehouses.csv", "warehouses_semicolon.csv", "warehouses_tab.csv"):
        data, _ = _file(shared_data, f"ralph/{name}")
        report = do_import(session, staff, "sites", data, name)
        assert report.ok and report.created + report.updated + report.unchanged == 3
    session.commit()
    data, name = _file(shared_data, "ralph/back_office_assets.csv")
    report = do_import(session, staff, "assets", data, name)
    assert [e.describe() for e in report.errors] == [
        "Row 2: Asset tag is required.", "Row 3: Asset tag is required."
    ]  # fmt: skip
    data, name = _file(shared_data, "ralph/management_ip_blank.csv")
    report = do_import(session, staff, "assets", data, name)
    assert (
        report.errors[0]
        .describe()
        .startswith('Row 2, column "status" (AH): "2" is not an asset status')
    )


def test_device_catalogue_as_manufacturers_and_models(session, staff, shared_data) -> None:
    data, name = _file(shared_data, "devices/device_types.csv")
    refused = do_import(session, staff, "models", data, name)
    assert refused.invalid == 1369 and refused.errors[0].message == "System is required."
    started = time.perf_counter()
    report = do_import(session, staff, "models", data, name, defaults={"system": "lan"})
    session.commit()
    assert (report.created, report.invalid) == (1369, 0), report.lines()[:5]
    assert "68 rows have no part number" in report.warnings[-1]
    assert list(report.created_related) == ["manufacturer"]
    assert len(report.created_related["manufacturer"]) == count(session, Manufacturer) >= 9
    assert count(session, AssetModel) == 1369
    again = do_import(session, staff, "models", data, name, defaults={"system": "lan"})
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1369)
    print(f"device catalogue: {time.perf_counter() - started:.1f} s")
