"""Uploaded files wait for their import in the database (every worker can read them), within a
per-user allowance, and are removed once imported, discarded or expired."""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from inventory.enums import Role
from inventory.models import ImportUpload, Site
from tests.app.html_reading import parse
from tests.inventory.imports.conftest import csv_bytes

ROWS = [["Code", "Name"], ["100", "Lincoln Elementary"], ["200", "Adams Middle"]]


@pytest.fixture
def app_overrides() -> dict:
    """A small allowance: two of these files, not three."""
    return {"UPLOAD_QUOTA_BYTES": 100, "UPLOAD_MAX_AGE_HOURS": 2}


def _post(client, rows=ROWS, name="schools.csv"):
    data = {"kind": "sites", "file": (io.BytesIO(csv_bytes(rows)), name)}
    return client.post("/imports/", data=data, content_type="multipart/form-data")


def _upload(client, rows=ROWS) -> str:
    response = _post(client, rows)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def _uploads(session) -> list[ImportUpload]:
    session.expire_all()
    return list(session.scalars(select(ImportUpload).order_by(ImportUpload.id)))


def test_an_upload_is_kept_in_the_database_not_in_the_instance_folder(
    app, login_as, session, users
) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client)
    (upload,) = _uploads(session)
    assert (upload.token, upload.user_id, upload.kind) == (token, users[Role.STAFF].id, "sites")
    assert (upload.filename, upload.size, upload.content) == (
        "schools.csv", len(csv_bytes(ROWS)), csv_bytes(ROWS)
    )  # fmt: skip
    assert upload.expires_at - upload.created_at == dt.timedelta(hours=2)
    assert not any(token in path.name for path in Path(app.instance_path).rglob("*"))
    fields = {"column_0": "code", "column_1": "name", "action": "apply"}
    client.post(f"/imports/{token}", data=fields)
    assert _uploads(session)[0].details["columns"] == {"Code": "code", "Name": "name"}


def test_a_file_past_the_allowance_is_refused_with_what_to_do(login_as, session) -> None:
    client = login_as(Role.STAFF)
    _upload(client)
    _upload(client, rows=[["Code", "Name"], ["300", "Jefferson High"]])
    response = _post(client, rows=[["Code", "Name"], ["400", "Polk"]])
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and len(_uploads(session)) == 2
    (error,) = [
        div.text
        for div in parse(page).find_all("div")
        if "invalid-feedback" in div.attrs.get("class", "")
    ]
    assert error == (
        "Your files waiting to be imported take 84 bytes; this one (21 bytes) would pass your "
        "100 bytes allowance. Import or discard a waiting file first."
    )
    admin = login_as(Role.ADMIN)
    assert _post(admin).status_code == 302  # the allowance is each user's own


def test_waiting_files_are_listed_and_can_be_discarded(login_as, session) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client)
    page = client.get("/imports/").get_data(as_text=True)
    waiting = parse(page).find("table", data_testid="waiting-uploads")
    assert "schools.csv" in waiting.text and f"/imports/{token}" in page
    response = client.post(f"/imports/{token}/discard")
    assert response.status_code == 302 and _uploads(session) == []
    assert client.get(f"/imports/{token}").status_code == 404
    assert client.post(f"/imports/{token}/discard").status_code == 404


def test_an_imported_file_is_removed(login_as, session) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client)
    response = client.post(f"/imports/{token}", data={"column_0": "code", "column_1": "name",
                                                      "action": "import"})  # fmt: skip
    assert response.status_code == 200 and "2 created" in response.get_data(as_text=True)
    assert _uploads(session) == []
    assert session.scalar(select(func.count(Site.id)).where(Site.code.in_(["100", "200"]))) == 2


def test_expired_uploads_are_gone_and_removed_with_the_next_upload(login_as, session) -> None:
    client = login_as(Role.STAFF)
    token = _upload(client)
    session.execute(update(ImportUpload).values(expires_at=ImportUpload.created_at))
    session.commit()
    assert client.get(f"/imports/{token}").status_code == 404
    assert "waiting-uploads" not in client.get("/imports/").get_data(as_text=True)
    other = _upload(client)  # the expired one no longer counts against the allowance
    assert [upload.token for upload in _uploads(session)] == [other]


def test_uploads_stay_private(login_as) -> None:
    token = _upload(login_as(Role.STAFF))
    client = login_as(Role.ADMIN)
    assert client.get(f"/imports/{token}").status_code == 404
    assert client.post(f"/imports/{token}/discard").status_code == 404
    assert client.post(f"/imports/{token}/import", data={"action": "import"}).status_code == 404
