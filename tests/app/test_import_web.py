"""The import pages: upload, preview with mapping, errors, valid rows only, saved mappings,
uploads private to their owner, and large files imported (or cancelled) as background jobs."""

from __future__ import annotations

import html
import io
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update

from app.imports import views
from app.jobs.worker import run_job
from inventory.changelog import ChangeLogEntry
from inventory.enums import JobStatus, Role
from inventory.models import AssetModel, ImportMapping, Job, Site
from inventory.operations.catalog import ensure_standard_systems
from tests.app.html_reading import parse, table_rows
from tests.inventory.imports.conftest import csv_bytes

ROWS = [
    ["Code", "School", "Level", "Enrollment"],
    ["100", "Lincoln Elementary", "Elementary", "450"],
    ["200", "Adams Middle", "Middle", "lots"],
    ["300", "Jefferson High", "High", "1200"],
]


def _upload(client, rows=ROWS, kind="sites", name="schools.csv") -> str:
    data = {"kind": kind, "file": (io.BytesIO(csv_bytes(rows)), name)}
    response = client.post("/imports/", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def _columns(fields: list[str], **extra) -> dict:
    return {f"column_{i}": name for i, name in enumerate(fields)} | extra


def _count(session, model=Site) -> int:
    """Rows of a table; sites are counted among the imported codes only."""
    session.rollback()
    query = select(func.count()).select_from(model)
    if model is Site:
        query = query.where(
            Site.code.in_(["100", "200", "300", "400"]) | Site.name.like("School %")
        )
    return session.scalar(query)


def test_preview_shows_mapping_counts_and_row_errors(login_as, session) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client)
    page = client.get(f"/imports/{token}").get_data(as_text=True)
    assert 'data-testid="row-errors"' in page
    # The error table's own cells: row 3's message on its column (the raw value "lots" is on
    # the page anyway, in the file's preview, so finding it anywhere proves nothing).
    problems = {(row, column): text for row, column, text in table_rows(page, "row-errors")}
    assert problems == {("3", "Enrollment (D)"): '"lots" is not a whole number'}
    assert "Import only the valid rows" in page
    assert _count(session) == 0  # the preview is a dry run


def test_all_or_nothing_then_valid_rows_only(login_as, session) -> None:
    client = login_as(Role.STAFF)
    entries = _count(session, ChangeLogEntry)
    token = _upload(client)
    fields = ["code", "name", "kind", "enrollment"]
    response = client.post(f"/imports/{token}", data=_columns(fields, action="import"))
    assert response.status_code == 302
    assert _count(session) == 0 and _count(session, ChangeLogEntry) == entries
    response = client.post(f"/imports/{token}", data=_columns(fields, action="import_valid"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 created" in page and "1 invalid" in page
    assert _count(session) == 2
    assert client.get(f"/imports/{token}").status_code == 404  # the upload is gone


def test_fixing_the_mapping_clears_the_error(login_as, session) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client)
    fields = ["code", "name", "kind", ""]  # stop importing the bad "Enrollment" column
    client.post(f"/imports/{token}", data=_columns(fields, action="apply"))
    page = client.get(f"/imports/{token}").get_data(as_text=True)
    assert (
        'data-testid="row-errors"' not in page
        and "Columns not imported:</strong> Enrollment" in page
    )
    response = client.post(f"/imports/{token}", data=_columns(fields, action="import"))
    assert response.status_code == 200 and _count(session) == 3


def test_saving_and_loading_a_mapping(login_as, session) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client)
    fields = ["code", "name", "", ""]
    client.post(f"/imports/{token}", data=_columns(fields, action="save", save_name="Short"))
    saved = session.scalar(select(ImportMapping))
    assert saved.name == "Short" and saved.mapping["columns"]["Level"] is None
    other = _upload(client)
    client.post(f"/imports/{other}", data=_columns(["code", "name", "kind", "enrollment"],
                                                  action="load", load_name="Short"))  # fmt: skip
    page = client.get(f"/imports/{other}").get_data(as_text=True)
    assert "Columns not imported:</strong> Level, Enrollment" in page


CATALOGUE = [  # the shape of NetBox's device-type library: no system column
    ["manufacturer", "model", "part_number", "u_height"],
    ["Cisco", "Catalyst 9300-48P", "C9300-48P", "1"],
    ["Aruba", "AP-515", "AP-515", ""],
    ["Aruba", "AP-635", "", ""],
]


def _model_count(session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(AssetModel))


def test_values_for_the_whole_file_fill_a_missing_column(login_as, session) -> None:
    ensure_standard_systems(session)
    session.commit()
    client = login_as(Role.STAFF)
    token = _upload(client, rows=CATALOGUE, kind="models", name="device_types.csv")
    page = client.get(f"/imports/{token}").get_data(as_text=True)
    assert 'data-testid="defaults"' in page and "System is required" in page
    fields = ["manufacturer", "name", "part_number", ""]
    defaults = {"default_field_0": "system", "default_value_0": "lan",
                "default_field_1": "useful_life_years", "default_value_1": "8"}  # fmt: skip
    response = client.post(
        f"/imports/{token}", data=_columns(fields, action="save", save_name="NetBox", **defaults)
    )
    assert response.status_code == 302
    assert session.scalar(select(ImportMapping)).mapping["defaults"] == {
        "system": "lan", "useful_life_years": "8"
    }  # fmt: skip
    page = client.get(f"/imports/{token}").get_data(as_text=True)
    assert "System is required" not in page and 'value="lan"' in page
    response = client.post(f"/imports/{token}", data=_columns(fields, action="import", **defaults))
    assert response.status_code == 200 and "3 created" in response.get_data(as_text=True)
    models = session.scalars(select(AssetModel).order_by(AssetModel.part_number)).all()
    assert [(m.part_number, m.system.code, m.useful_life_years) for m in models] == [
        ("AP-515", "lan", 8), ("AP-635", "lan", 8), ("C9300-48P", "lan", 8)
    ]  # fmt: skip
    # the next file of the same shape, through a background job, with the saved mapping
    rows = [CATALOGUE[0], ["HPE", "Aruba 6100", "JL678A", "1"], ["HPE", "Aruba 6200", "JL724A", ""]]
    other = _upload(client, rows=rows, kind="models", name="more.csv")
    client.post(f"/imports/{other}", data={"action": "load", "load_name": "NetBox"})
    page = client.get(f"/imports/{other}").get_data(as_text=True)
    assert 'value="lan"' in page and 'value="8"' in page
    views.BACKGROUND_ROWS, saved_limit = 1, views.BACKGROUND_ROWS
    try:
        response = client.post(
            f"/imports/{other}", data=_columns(fields, action="import", **defaults)
        )
    finally:
        views.BACKGROUND_ROWS = saved_limit
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with client.application.app_context():
        assert run_job(job_id) is JobStatus.SUCCEEDED
    assert _model_count(session) == 5


def test_a_value_without_its_field_is_refused(login_as, session) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client, rows=CATALOGUE, kind="models", name="device_types.csv")
    fields = ["manufacturer", "name", "part_number", ""]
    response = client.post(
        f"/imports/{token}", data=_columns(fields, action="apply", default_value_0="lan")
    )
    assert 'Choose the field that the value "lan" is for.' in html.unescape(
        response.get_data(as_text=True)
    )
    response = client.post(f"/imports/{token}", data=_columns(
        fields, action="apply", default_field_0="system", default_value_0="spaceship"
    ))  # fmt: skip
    page = client.get(f"/imports/{token}").get_data(as_text=True)
    assert "The default System" in page and _model_count(session) == 0


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_choosing_the_sheet_of_a_workbook(login_as, session) -> None:
    client = login_as(Role.STAFF)
    data = _workbook({
        "Read me": [["How to fill in this workbook"], ["One row per school."]],
        "Schools": [["Title row: district schools 2026"], *ROWS[:2], ROWS[3]],
    })  # fmt: skip
    upload = {"kind": "sites", "file": (io.BytesIO(data), "district.xlsx")}
    response = client.post("/imports/", data=upload, content_type="multipart/form-data")
    token = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/imports/{token}").get_data(as_text=True)
    assert 'data-testid="sheet-picker"' in page and "How to fill in this workbook" in page
    response = client.post(f"/imports/{token}", data={"action": "sheet", "sheet": "Nope"})
    assert "Choose one of the workbook" in client.get(f"/imports/{token}").get_data(as_text=True)
    client.post(f"/imports/{token}", data={"action": "sheet", "sheet": "Schools"})
    page = html.unescape(client.get(f"/imports/{token}").get_data(as_text=True))
    assert 'Reading the sheet "Schools"' in page and "Lincoln Elementary" in page
    assert "taken as a title above the header row (row 2)" in page
    fields = ["code", "name", "kind", "enrollment"]
    response = client.post(f"/imports/{token}", data=_columns(fields, action="import"))
    assert "2 created" in response.get_data(as_text=True) and _count(session) == 2


def test_two_columns_for_one_field_is_refused(login_as) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client)
    response = client.post(
        f"/imports/{token}", data=_columns(["code", "name", "name", ""], action="apply")
    )
    assert "are mapped to name; choose one column" in response.get_data(as_text=True)


def test_uploads_are_private_and_bad_files_are_refused(login_as, users) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client)
    client = login_as(Role.ADMIN)
    assert client.get(f"/imports/{token}").status_code == 404
    assert client.get("/imports/..%2F..%2Fetc").status_code == 404
    data = {"kind": "sites", "file": (io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "a.xls")}
    page = client.post("/imports/", data=data, content_type="multipart/form-data")
    assert "old Excel file" in page.get_data(as_text=True)
    assert login_as(Role.PLANNER).get("/imports/").status_code == 403


@pytest.fixture
def small_background(monkeypatch):
    """Treat files of more than two rows as large, so they run as jobs."""
    monkeypatch.setattr(views, "BACKGROUND_ROWS", 2)


def test_large_file_is_imported_by_a_job(app, login_as, session, small_background) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client, rows=ROWS[:2] + ROWS[3:] + [["400", "Polk", "", ""]])
    response = client.post(
        f"/imports/{token}", data=_columns(["code", "name", "kind", "enrollment"], action="import")
    )
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert run_job(job_id) is JobStatus.SUCCEEDED
    assert _count(session) == 3
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert f"/imports/jobs/{job_id}" in page
    report = client.get(f"/imports/jobs/{job_id}").get_data(as_text=True)
    assert "3 created" in report


def test_cancelled_job_leaves_the_database_unchanged(
    app, login_as, session, small_background
) -> None:
    client = login_as(Role.STAFF)
    entries = _count(session, ChangeLogEntry)
    rows = [["Code", "Name"], *([str(n), f"School {n}"] for n in range(1, 301))]
    token = _upload(client, rows=rows)
    response = client.post(f"/imports/{token}", data=_columns(["code", "name"], action="import"))
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    session.execute(update(Job).where(Job.id == job_id).values(is_cancel_requested=True))
    session.commit()
    with app.app_context():
        assert run_job(job_id) is JobStatus.CANCELLED
    assert _count(session) == 0 and _count(session, ChangeLogEntry) == entries
    assert client.get(f"/imports/{token}").status_code == 200  # the upload is kept to retry


def test_the_preview_says_what_else_it_will_create_by_kind(login_as, session) -> None:
    client = login_as(Role.STAFF)
    rows = [["Code", "School", "County"], ["100", "Lincoln", "North County"],
            ["200", "Adams", "South County"], ["300", "Polk", "North County"]]  # fmt: skip
    page = html.unescape(
        client.get(f"/imports/{_upload(client, rows=rows)}").get_data(as_text=True)
    )
    related = parse(page).find(data_testid="related-records").text
    assert related == "Will also create 2 regions: North County, South County."


def test_after_a_successful_check_the_report_offers_the_import(
    app, login_as, session, small_background
) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client, rows=[*ROWS[:2], ROWS[3], ["400", "Polk", "", ""]])
    fields = ["code", "name", "kind", "enrollment"]
    response = client.post(f"/imports/{token}", data=_columns(fields, action="check"))
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert run_job(job_id) is JobStatus.SUCCEEDED
    report = client.get(f"/imports/jobs/{job_id}").get_data(as_text=True)
    assert "3 created" in report and _count(session) == 0
    form = parse(report).find("form", data_testid="import-checked")
    assert form.attrs["action"] == f"/imports/{token}/import"
    assert [b.text for b in form.find_all("button")] == ["Import"]
    response = client.post(form.attrs["action"], data={"action": "import"})
    assert response.status_code == 302, response.get_data(as_text=True)
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])  # still large: a job
    with app.app_context():
        assert run_job(job_id) is JobStatus.SUCCEEDED
    assert _count(session) == 3
    assert "import-checked" not in client.get(f"/imports/jobs/{job_id}").get_data(as_text=True)


def test_job_and_import_pages_name_states_as_people_read_them(
    app, login_as, session, small_background
) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client)
    response = client.post(f"/imports/{token}", data=_columns(["code", "name"], action="check"))
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    state = parse(page).find(data_job_state="")
    assert state.text == "Queued"
    container = parse(page).find("div", data_job_status_url=f"/jobs/{job_id}/status.json")
    labels = json.loads(container.attrs["data-job-state-labels"])
    assert labels["running"] == "Running" and labels["succeeded"] == "Succeeded"
