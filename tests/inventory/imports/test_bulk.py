"""New sites are written in batches: with the change log entries the site operation writes, and
a row the database refuses when its batch is written is reported like any other row error."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from inventory.changelog import ChangeLogEntry
from inventory.imports import ImportOptions, ImportRequest, run_import
from inventory.models import Region, Site
from inventory.operations.sites import create_region, create_site
from tests.inventory.imports.conftest import csv_bytes, do_import

HEADER = ["Code", "Name", "Level", "Region", "Address", "Enrollment", "Principal Email",
          "Latitude", "Longitude", "Status"]  # fmt: skip


def _entry(session, code: str) -> ChangeLogEntry:
    site_id = session.scalar(select(Site.id).where(Site.code == code))
    return session.scalar(
        select(ChangeLogEntry).where(
            ChangeLogEntry.object_type == "sites", ChangeLogEntry.object_id == site_id
        )
    )


def test_an_imported_site_is_logged_as_the_site_operation_logs_it(session, staff) -> None:
    region = create_region(session, by=staff, code="N", name="North")
    create_site(
        session, by=staff, code="BYHAND", name="Lincoln", kind="high", region=region,
        address="1 Main St", enrollment=450, administrator_email="p@k12.us", latitude=28.52,
        longitude=-81.47, status="planned",
    )  # fmt: skip
    session.commit()
    row = ["IMPORTED", "Lincoln", "High", "North", "1 Main St", "450", "p@k12.us", "28.52",
           "-81.47", "Planned"]  # fmt: skip
    report = do_import(session, staff, "sites", csv_bytes([HEADER, row]))
    session.commit()
    assert report.created == 1 and report.written
    by_hand, imported = _entry(session, "BYHAND"), _entry(session, "IMPORTED")
    assert imported.changes.pop("code") == [None, "IMPORTED"]
    assert by_hand.changes.pop("code") == [None, "BYHAND"]
    assert imported.changes == by_hand.changes and "region_id" in imported.changes
    assert (imported.action, imported.actor_id, imported.actor_name) == (
        by_hand.action, by_hand.actor_id, by_hand.actor_name
    )  # fmt: skip
    assert imported.object_label == "IMPORTED Lincoln"


def test_a_site_saved_meanwhile_is_refused_when_its_batch_is_written(session, staff) -> None:
    """Another session saves site S2 after the import checked the codes: the batch's INSERT
    fails, its rows are written one by one, and S2's row is reported, naming its column."""
    rows = [HEADER[:2], ["S1", "One"], ["S2", "Two"], ["S3", "Three"]]

    def someone_else_saves_s2(done: int, total: int, message: str) -> None:
        if done == 1:
            session.execute(insert(Site).values(code="S2", name="Saved meanwhile"))

    options = ImportOptions(valid_only=True, progress_every=1)
    request = ImportRequest("sites", csv_bytes(rows), "sites.csv", options=options)
    report = run_import(session, request, by=staff, progress=someone_else_saves_s2)
    session.commit()
    assert (report.created, report.invalid, report.written) == (2, 1, True)
    assert [error.describe() for error in report.errors] == [
        'Row 3, column "Code" (A): A site with code S2 exists already.'
    ]
    names = dict(session.execute(select(Site.code, Site.name).where(Site.code.like("S_"))).all())
    assert names == {"S1": "One", "S2": "Saved meanwhile", "S3": "Three"}
    logged = select(func.count()).where(ChangeLogEntry.object_type == "sites")
    assert session.scalar(logged) == 2  # the refused row has no entry


def test_a_refused_row_makes_an_all_or_nothing_import_write_nothing(session, staff) -> None:
    rows = [HEADER[:4], ["S1", "One", "", "East"], ["S2", "Two", "", "East"]]

    def someone_else_saves_s2(done: int, total: int, message: str) -> None:
        if done == 1:
            session.execute(insert(Site).values(code="S2", name="Saved meanwhile"))

    request = ImportRequest("sites", csv_bytes(rows), "sites.csv",
                            options=ImportOptions(progress_every=1))  # fmt: skip
    report = run_import(session, request, by=staff, progress=someone_else_saves_s2)
    assert (report.invalid, report.written) == (1, False)
    assert session.scalar(select(func.count(Site.id)).where(Site.code == "S1")) == 0
    assert session.scalar(select(Region).where(Region.name == "East")) is None
