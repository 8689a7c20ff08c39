"""`flask import`: reports, exit codes, saved mappings, and no tracebacks for bad data."""

from __future__ import annotations

from openpyxl import Workbook
from sqlalchemy import func, select

from inventory.enums import Role
from inventory.imports import save_mapping
from inventory.models import Site
from inventory.spreadsheets import Mapping
from tests.inventory.imports.conftest import csv_bytes

SITES = [["Code", "Name", "Level"], ["100", "Lincoln", "Elementary"], ["200", "Adams", "Middle"]]


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["import", *map(str, args)])


def _sites(session):
    return session.scalar(select(func.count(Site.id)))


def test_import_prints_the_report_and_commits(app, session, tmp_path) -> None:
    path = tmp_path / "sites.csv"
    path.write_bytes(csv_bytes(SITES))
    result = _run(app, "sites", path, "--dry-run")
    assert result.exit_code == 0
    assert "2 created" in result.stdout and "dry run" in result.stdout
    assert _sites(session) == 0
    result = _run(app, "sites", path)
    assert result.exit_code == 0 and "sites: 2 rows: 2 created" in result.stdout
    assert _sites(session) == 2
    assert "2 unchanged" in _run(app, "sites", path).stdout


def test_bad_rows_exit_1_with_the_report_and_no_traceback(app, session, tmp_path) -> None:
    path = tmp_path / "sites.csv"
    path.write_bytes(csv_bytes([*SITES, ["300", "", "High"]]))
    result = _run(app, "sites", path)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert 'Error: Row 4, column "Name" (B): Site name is required.' in result.stderr
    assert _sites(session) == 0
    result = _run(app, "sites", path, "--valid-only")
    assert result.exit_code == 0 and "2 created" in result.stdout
    assert _sites(session) == 2


def test_bad_files_and_names_exit_1_without_traceback(app, session, users, tmp_path) -> None:
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    csv = tmp_path / "sites.csv"
    csv.write_bytes(csv_bytes(SITES))
    cases = [
        (("sites", xls), "old Excel file"),
        (("sites", csv, "--mapping", "nope"), 'There is no saved sites mapping called "nope"'),
        (("sites", csv, "--user", "ghost"), "There is no user named ghost"),
        (("models", csv, "--default", "system=laptops"), "end-user device"),
        (("assets", csv), 'No column is mapped to "Asset tag" or "Serial number"'),
    ]
    for args, message in cases:
        result = _run(app, *args)
        assert result.exit_code == 1, args
        assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert _run(app, "sites", tmp_path / "missing.csv").exit_code == 2  # click's usage error


def test_saved_mapping_by_name(app, session, users, tmp_path) -> None:
    columns = {"Kod": "code", "Nazwa": "name", "Inne": None}
    save_mapping(
        session,
        by=users[Role.STAFF],
        kind="sites",
        name="Polish",
        mapping=Mapping("sites", columns, defaults={"kind": "office"}),
    )
    session.commit()
    path = tmp_path / "sites.csv"
    path.write_bytes(csv_bytes([["Kod", "Nazwa", "Inne"], ["9", "Szkoła", "x"]]))
    assert _run(app, "sites", path).exit_code == 1  # "Kod" is not a known header
    result = _run(app, "sites", path, "--mapping", "Polish", "--user", "staff")
    assert result.exit_code == 0, result.stderr
    assert 'Columns not imported: "Inne"' in result.stdout
    site = session.scalar(select(Site).where(Site.code == "9"))
    assert (site.name, site.kind.value) == ("Szkoła", "office")  # the saved whole-file value


def test_a_sheet_is_chosen_by_name(app, session, users, tmp_path) -> None:
    workbook = Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["Read the other sheet"])
    sheet = workbook.create_sheet("Sites")
    for row in SITES:
        sheet.append(row)
    path = tmp_path / "district.xlsx"
    workbook.save(path)
    result = _run(app, "sites", path, "--sheet", "Nope")
    assert result.exit_code == 1 and 'no sheet called "Nope"' in result.stderr
    result = _run(app, "sites", path, "--sheet", "Sites", "--valid-only")
    assert result.exit_code == 0, result.stderr
    assert _sites(session) > 0
