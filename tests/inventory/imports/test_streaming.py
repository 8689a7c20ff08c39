"""Big files: an import reads, checks and writes the file as it goes, so its progress shows from
the start and its memory does not grow with the file."""

from __future__ import annotations

import tracemalloc

from sqlalchemy import func, select

from inventory.imports import ImportRequest, run_import
from inventory.models import Site
from inventory.spreadsheets import ReadLimits
from inventory.spreadsheets.writing import write_xlsx
from tests.inventory.imports.conftest import csv_bytes

HEADER = ["Code", "Name", "Level", "County", "Enrollment", "Principal Email"]


def _rows(count: int, start: int = 0) -> list[list[str]]:
    return [
        [f"S{n:06}", f"School {n}", "Elementary", f"County {n % 7}", str(n % 900), f"p{n}@k12.us"]
        for n in range(start, start + count)
    ]


def test_progress_is_reported_while_the_file_is_read(session, staff) -> None:
    """The bar moves from the first rows read, not only once the whole file has been read."""
    calls: list[tuple[int, int, str]] = []
    data = write_xlsx(HEADER, _rows(3000), sheet_title="Sites")
    request = ImportRequest("sites", data, "sites.xlsx", limits=ReadLimits(max_rows=2500))
    report = run_import(session, request, by=staff, progress=lambda *call: calls.append(call))
    assert report.file_errors == [
        "The file has more than 2,500 data rows, which is the limit. Split it into smaller files."
    ]
    assert (report.created, report.written) == (0, False)
    assert calls[0][:2] == (0, 0) and calls[0][2] == "Opening the file"
    reading = [(done, total) for done, total, _ in calls[1:]]
    assert reading and all(0 < done < total for done, total in reading)
    assert "Row 250 of about" in calls[1][2]
    assert session.scalar(select(func.count(Site.id))) == 0


def test_a_complete_import_ends_its_progress_at_the_total(session, staff) -> None:
    calls: list[tuple[int, int, str]] = []
    request = ImportRequest("sites", csv_bytes([HEADER, *_rows(600)]), "sites.csv")
    report = run_import(session, request, by=staff, progress=lambda *call: calls.append(call))
    assert report.ok and report.created == 600
    assert calls[-1][:2] == (600, 600) and calls[-1][2] == "Row 600 of 600"


def _peak_bytes(session, staff, rows: int) -> int:
    data = csv_bytes([HEADER, *_rows(rows)])
    tracemalloc.start()
    try:
        report = run_import(session, ImportRequest("sites", data, "sites.csv"), by=staff)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.ok and report.created == rows, report.lines()[:3]
    session.rollback()
    return peak


def test_memory_does_not_grow_with_the_file(session, staff) -> None:
    """A file is never held whole as rows and records: 20,000 sites are imported in the memory
    a few thousand take (it took about 100 MB of Python objects)."""
    peak = _peak_bytes(session, staff, 20_000)
    assert peak < 25_000_000, f"{peak / 1e6:.0f} MB"
