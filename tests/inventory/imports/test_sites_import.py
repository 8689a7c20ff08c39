"""Sites import: create, match by code and update, regions, errors, all-or-nothing, dry run."""

from __future__ import annotations

from sqlalchemy import select

from inventory.enums import SiteKind
from inventory.imports import ImportRequest, run_import
from inventory.models import Region, Site
from inventory.spreadsheets import ReadLimits
from inventory.spreadsheets.writing import write_xlsx
from tests.inventory.imports.conftest import count, csv_bytes, do_import, log_count

HEADER = ["School Code", "School Name", "Level", "District", "Enrollment", "Principal Email"]
GOOD = [
    HEADER,
    ["1001", "Lincoln Elementary", "Elementary", "North", "450", "a@example.org"],
    ["1002", "Adams Middle", "Middle", "North", "-999", ""],
    ["1003", "Jefferson High", "High", "South", "1,200", ""],
]


def test_new_sites_are_created_with_their_regions(session, staff) -> None:
    report = do_import(session, staff, "sites", csv_bytes(GOOD))
    session.commit()
    assert report.ok and report.written
    assert (report.created, report.updated, report.unchanged, report.invalid) == (3, 0, 0, 0)
    assert report.created_related == {"region": ["North", "South"]}
    assert report.related_summary() == "2 regions: North, South"
    assert "Created 2 regions: North, South" in report.lines()
    sites = {site.code: site for site in session.scalars(select(Site))}
    assert sites["1001"].kind is SiteKind.ELEMENTARY and sites["1001"].region.name == "North"
    assert sites["1002"].enrollment is None  # -999 is "not reported"
    assert sites["1003"].enrollment == 1200
    assert count(session, Region) == 2


def test_a_nul_character_in_a_workbook_is_removed_not_stored(session, staff) -> None:
    """PostgreSQL cannot store NUL in text: an .xlsx import used to fail on it there."""
    rows = [row[:] for row in GOOD]
    rows[1][1] = "Lincoln\x00 Elementary"
    data = write_xlsx(rows[0], rows[1:], sheet_title="Sites")
    report = do_import(session, staff, "sites", data, "sites.xlsx")
    session.commit()
    assert report.ok and report.created == 3
    assert session.scalar(select(Site.name).where(Site.code == "1001")) == "Lincoln Elementary"


def test_reimport_is_unchanged_and_changes_update_by_code(session, staff) -> None:
    do_import(session, staff, "sites", csv_bytes(GOOD))
    session.commit()
    entries = log_count(session)
    again = do_import(session, staff, "sites", csv_bytes(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert log_count(session) == entries
    changed = [row[:] for row in GOOD]
    changed[2][1] = "Adams Middle School"
    report = do_import(session, staff, "sites", csv_bytes(changed))
    session.commit()
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert count(session, Site) == 3
    assert session.scalar(select(Site.name).where(Site.code == "1002")) == "Adams Middle School"


def test_one_bad_row_writes_nothing_at_all(session, staff) -> None:
    do_import(session, staff, "sites", csv_bytes(GOOD[:2]))
    session.commit()
    before = (count(session, Site), count(session, Region), log_count(session))
    bad = [row[:] for row in GOOD]
    bad[1][1] = "Lincoln Elementary School"  # an update of an existing site
    bad.append(["1004", "Washington", "Elementary", "East", "many", ""])
    bad.append(["bad code!", "Nowhere", "", "", "", "not-an-email"])
    report = do_import(session, staff, "sites", csv_bytes(bad))
    session.commit()
    assert not report.written and report.invalid == 2
    assert (count(session, Site), count(session, Region), log_count(session)) == before
    assert session.scalar(select(Site.name).where(Site.code == "1001")) == "Lincoln Elementary"
    messages = [error.describe() for error in report.errors]
    assert messages[0].startswith('Row 5, column "Enrollment" (E): ')
    assert any(
        m.startswith('Row 6, column "School Code" (A): Site code may hold') for m in messages
    )


def test_valid_only_keeps_the_good_rows(session, staff) -> None:
    rows = [*GOOD, ["1004", "", "Elementary", "West", "", ""]]
    report = do_import(session, staff, "sites", csv_bytes(rows), valid_only=True)
    session.commit()
    assert report.written and report.invalid == 1 and report.created == 3
    assert report.errors[0].describe() == 'Row 5, column "School Name" (B): Site name is required.'
    assert count(session, Site) == 3
    assert report.created_related == {"region": ["North", "South"]}  # West's row was undone
    assert session.scalar(select(Region).where(Region.name == "West")) is None


def test_dry_run_counts_but_writes_nothing(session, staff) -> None:
    entries = log_count(session)
    report = do_import(session, staff, "sites", csv_bytes(GOOD), dry_run=True)
    session.commit()
    assert (report.created, report.written) == (3, False)
    assert count(session, Site) == 0 and log_count(session) == entries
    assert "dry run" in report.summary()


def test_missing_required_column_and_unknown_columns(session, staff) -> None:
    report = do_import(session, staff, "sites", csv_bytes([["Name", "Colour"], ["X", "red"]]))
    assert report.file_errors == ['No column is mapped to "Site code", which is required.']
    assert report.unknown_columns == ["Colour"]
    assert count(session, Site) == 0


def test_repeated_code_in_a_file_updates_and_warns(session, staff) -> None:
    rows = [HEADER, ["7", "One", "", "", "", ""], ["7", "One again", "", "", "", ""]]
    report = do_import(session, staff, "sites", csv_bytes(rows))
    assert (report.created, report.updated) == (1, 1)
    assert "Rows 2 and 3 have the same site code 7" in report.warnings[0]


def test_limits_and_unreadable_files_are_file_errors(session, staff) -> None:
    request = ImportRequest("sites", csv_bytes(GOOD), "s.csv", limits=ReadLimits(max_rows=2))
    report = run_import(session, request, by=staff)
    assert "more than 2 data rows" in report.file_errors[0]
    report = run_import(
        session, ImportRequest("sites", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a.xls"), by=staff
    )
    assert "old Excel file" in report.file_errors[0]
    report = run_import(session, ImportRequest("things", b"a\n1", "a.csv"), by=staff)
    assert "not an import kind" in report.file_errors[0]


def test_an_id_is_not_made_into_a_region_name(session, staff) -> None:
    """A district id column mapped to the region must not create a region called "1200002"."""
    do_import(session, staff, "sites", csv_bytes(GOOD[:2]))  # region North exists
    session.commit()
    rows = [["Code", "Name", "Region"], ["2001", "Oak", "1200002"], ["2002", "Elm", "north"],
            ["2003", "Ash", "12-04"]]  # fmt: skip
    report = do_import(session, staff, "sites", csv_bytes(rows))
    assert (report.invalid, report.written) == (2, False)
    assert report.errors[0].describe() == (
        'Row 2, column "Region" (C): "1200002" looks like an id, not a region name; map the '
        "column with the district or county name to Region."
    )
    assert report.errors[1].row == 4
    assert report.created_related == {}
    assert session.scalar(select(Region).where(Region.name == "1200002")) is None


def test_the_report_groups_what_it_creates_by_kind(session, staff) -> None:
    names = [f"County {n:02}" for n in range(1, 16)]
    rows = [
        HEADER,
        *([f"9{n:02}", f"School {n}", "", name, "", ""] for n, name in enumerate(names)),
    ]
    report = do_import(session, staff, "sites", csv_bytes(rows), dry_run=True)
    assert report.created_related == {"region": names}
    assert (
        report.related_summary(limit=3) == "15 regions: County 01, County 02, County 03 and 12 more"
    )
    assert "Will create 15 regions: County 01" in report.lines()[1]


def test_an_import_never_commits_the_callers_transaction(session, staff) -> None:
    """The caller owns the transaction: on SQLite the outer SAVEPOINT used to be the
    transaction itself, and releasing it committed the import."""
    report = do_import(session, staff, "sites", csv_bytes(GOOD))
    assert report.written
    session.rollback()
    assert (count(session, Site), count(session, Region)) == (0, 0)
