"""Inventory screens: create, edit, validation, escaping, history, and a site administrator's
scope."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from inventory.enums import Role
from inventory.models import Asset, Site
from tests.app.html_reading import history_changes, table_rows
from tests.factories import make_asset, make_model, make_site


def test_staff_creates_a_site_and_user_text_is_escaped(client, session, users, login_as) -> None:
    login_as(Role.STAFF)
    response = client.post(
        "/sites/new",
        data={"code": "LIN01", "name": "Lincoln <script>x</script>", "kind": "elementary",
              "status": "active", "region_id": "", "enrollment": "420"},
    )  # fmt: skip
    assert response.status_code == 302
    site = session.scalar(select(Site).where(Site.code == "LIN01"))
    assert site.enrollment == 420
    listing = client.get("/sites/?q=lincoln").get_data(as_text=True)
    assert "Lincoln &lt;script&gt;x&lt;/script&gt;" in listing
    assert "<script>x" not in listing


def test_duplicate_site_code_is_shown_on_the_field(client, session, users, login_as) -> None:
    make_site(session, code="DUP1")
    session.commit()
    login_as(Role.ADMIN)
    response = client.post(
        "/sites/new", data={"code": "DUP1", "name": "Again", "kind": "high", "status": "active"}
    )
    assert response.status_code == 200
    assert b"A site with code DUP1 exists already." in response.data


def test_asset_create_edit_and_history(client, session, users, login_as) -> None:
    site = make_site(session)
    model = make_model(session)
    session.commit()
    login_as(Role.STAFF)
    data = {"tag": "SW-9", "serial": "FOC9", "model": model.part_number, "site": site.code,
            "status": "in_service", "installed_on": "2021-08-01", "cost": "1234.50"}  # fmt: skip
    assert client.post("/assets/new", data=data).status_code == 302
    asset = session.scalar(select(Asset).where(Asset.tag == "SW-9"))
    assert asset.cost_cents == 123450
    assert asset.end_of_life_on.isoformat() == "2028-08-01"
    again = client.post("/assets/new", data=data)
    assert b"The asset tag SW-9 is already used." in again.data
    edited = {**data, "location": "Room <b>12</b>", "version": asset.version}
    edit = client.post(f"/assets/{asset.id}/edit", data=edited)
    assert edit.status_code == 302
    history = client.get(f"/assets/{asset.id}/history").get_data(as_text=True)
    assert "Room &lt;b&gt;12&lt;/b&gt;" in history
    # The history table's cells (the user name alone is on every page, beside Sign out).
    changed = (users[Role.STAFF].username, "Changed", "Room or closet", "—", "Room <b>12</b>")
    assert changed in history_changes(history)


def test_invalid_dates_are_explained(client, session, users, login_as) -> None:
    site, model = make_site(session), make_model(session)
    session.commit()
    login_as(Role.STAFF)
    response = client.post(
        "/assets/new",
        data={"tag": "X1", "model": model.part_number, "site": site.code, "status": "in_service",
              "installed_on": "2022-01-01", "warranty_end_on": "2021-01-01"},
    )  # fmt: skip
    assert b"Warranty end cannot be before the install date." in response.data


def test_site_admin_sees_only_their_own_sites_assets(client, session, users, login_as) -> None:
    own_site = users[Role.SITE_ADMIN].sites[0]
    own = make_asset(session, site=own_site, tag="OWN-1")
    other = make_asset(session, tag="OTHER-1")
    session.commit()
    login_as(Role.SITE_ADMIN)
    listing = client.get("/assets/").get_data(as_text=True)
    assert "OWN-1" in listing and "OTHER-1" not in listing
    # Absent from a list that answered (an error page would not show it either).
    nothing = [["No assets match."]]
    assert table_rows(client.get("/assets/?q=OTHER").get_data(as_text=True), "assets") == nothing
    other_code = other.site.code
    by_code = client.get(f"/assets/?site={other_code}").get_data(as_text=True)
    assert table_rows(by_code, "assets") == nothing
    assert client.get(f"/assets/{own.id}").status_code == 200
    assert client.get(f"/assets/{own.id}/history").status_code == 200
    assert client.get(f"/sites/{own_site.id}/history").status_code == 200
    assert client.get(f"/assets/{other.id}").status_code == 404
    assert client.get(f"/sites/{other.site_id}").status_code == 404
    exported = client.get("/assets/export?format=csv").get_data(as_text=True)
    assert "OWN-1" in exported and "OTHER-1" not in exported


def test_asset_list_filters_sorts_and_pages(client, session, users, login_as) -> None:
    site = make_site(session, code="PAGE1")
    model = make_model(session)
    for number in range(55):
        make_asset(session, site=site, model=model, tag=f"P-{number:03d}")
    make_asset(session, tag="ELSEWHERE")
    session.commit()
    login_as(Role.PLANNER)
    first = client.get(f"/assets/?site_id={site.id}").get_data(as_text=True)
    assert "P-000" in first and "P-049" in first and "P-050" not in first
    assert "of 55" in first and "ELSEWHERE" not in first
    second = client.get(f"/assets/?site_id={site.id}&page=2").get_data(as_text=True)
    assert "P-054" in second and "P-000" not in second
    reverse = client.get(f"/assets/?site_id={site.id}&sort=tag&desc=1").get_data(as_text=True)
    assert reverse.index("P-054") < reverse.index("P-053")
    serial = session.scalar(select(Asset.serial).where(Asset.tag == "P-007"))
    by_serial = client.get(f"/assets/?q={serial}").get_data(as_text=True)
    assert [row[0] for row in table_rows(by_serial, "assets")] == ["P-007"]
    assert "PAGE1" in client.get("/assets/?q=page1").get_data(as_text=True)
    by_code = client.get("/assets/?site=page1").get_data(as_text=True)
    assert "P-000" in by_code and "ELSEWHERE" not in by_code


def test_exports_use_the_import_field_names(client, session, users, login_as) -> None:
    asset = make_asset(session, tag="=CMD", cost_cents=12345, location="MDF")
    session.commit()
    login_as(Role.STAFF)
    response = client.get("/assets/export?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("tag", "serial", "manufacturer", "model", "site", "location", "status",
                       "installed_on", "cost", "warranty_end_on", "notes")  # fmt: skip
    assert rows[1][0] == "'=CMD"
    assert rows[1][3] == asset.model.part_number
    assert rows[1][4] == asset.site.code
    assert float(rows[1][8]) == 123.45
    sites_csv = client.get("/sites/export?format=csv").get_data(as_text=True)
    assert sites_csv.lstrip("\ufeff").startswith("code,name,kind,region,address,city,state,")
    models_csv = client.get("/catalog/models/export?format=csv").get_data(as_text=True)
    assert "manufacturer,part_number,name,system,useful_life_years" in models_csv
    assert client.get("/assets/export?format=pdf").status_code == 400


def test_catalogue_screens(client, session, users, login_as) -> None:
    login_as(Role.ADMIN)
    assert client.post("/catalog/manufacturers/new", data={"name": "Ruckus"}).status_code == 302
    page = client.get("/catalog/models/new").get_data(as_text=True)
    assert "Ruckus" in page
    make_model(session, part_number="R750")
    session.commit()
    assert b"R750" in client.get("/catalog/models?q=r750").data
    assert b"Wi-Fi" in client.get("/catalog/systems").data


@pytest.mark.parametrize(
    "query",
    [
        "eol=99999999999999999999999", "eol=0", "site_id=99999999999", "region_id=%C2%B2",
        "page=1000000000000000000000", "system_id=-1", "model_id=1e5", "status=gone",
        "sort=nope&desc=1", "q=%27%20OR%201%3D1%20--", "site=%E2%80%AE",
    ],
)  # fmt: skip
def test_hand_edited_query_strings_never_fail(client, users, login_as, query) -> None:
    pages = ["/assets/", "/sites/", "/lifecycle/"]
    for role, extra in ((Role.STAFF, ["/catalog/models"]), (Role.SITE_ADMIN, [])):
        login_as(role)
        for page in pages + extra:
            response = client.get(f"{page}?{query}")
            assert response.status_code == 200, (role, page, query, response.status_code)


def test_a_nul_character_is_refused_not_stored(client, session, users, login_as) -> None:
    login_as(Role.STAFF)
    assert client.get("/assets/?site=%00").status_code == 400
    response = client.post(
        "/sites/new", data={"code": "N1", "name": "Bad\x00name", "kind": "office"}
    )
    assert response.status_code == 400
    assert session.scalar(select(Site).where(Site.code == "N1")) is None


def test_an_id_too_large_for_the_database_is_not_found(client, users, login_as) -> None:
    login_as(Role.ADMIN)
    huge = 2**31
    for url in (f"/assets/{huge}", f"/sites/{huge}", f"/catalog/models/{huge}",
                f"/history/assets/{huge}", f"/jobs/{huge}/status.json"):  # fmt: skip
        assert client.get(url).status_code == 404, url
