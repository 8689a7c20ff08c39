"""Editing the inventory in the browser's shoes: no silent overwrite, no 500 from a race or an
overflow, forms that do not guess, searchable site and model boxes, retired catalogue entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from inventory.enums import Role, SiteKind, SiteStatus
from inventory.models import Asset, AssetModel, Manufacturer, Region, Site, System
from inventory.operations.catalog import retire_manufacturer, retire_model, retire_system
from inventory.operations.sites import create_region
from tests.conftest import sign_in
from tests.factories import make_asset, make_model, make_region, make_site, make_system


class _FormReader(HTMLParser):
    """What a browser would submit from the page's form with data-edit (or its first form)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.forms = 0
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form" and attributes.get("method") == "post" and "action" not in attributes:
            self._inside = True
            self.forms += 1
        if not self._inside:
            return
        name = attributes.get("name", "")
        if tag == "input" and attributes.get("type") not in ("checkbox", "submit"):
            self.values[name] = attributes.get("value", "")
        elif tag == "select":
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.values.setdefault(self._select, value)  # a browser picks the first
            if "selected" in attributes:
                self.values[self._select] = value
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = self.values[self._textarea]  # a browser drops the first line break
            self.values[self._textarea] = text.removeprefix("\r\n").removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self._inside = False


def form_of(page: str) -> dict[str, str]:
    """The page's edit form as a browser would submit it untouched."""
    reader = _FormReader()
    reader.feed(page)
    assert reader.forms >= 1, "no form on the page"
    return {key: value for key, value in reader.values.items() if key}


@pytest.fixture
def second_client(app: Flask, users) -> FlaskClient:
    """Another person, signed in as staff in their own browser."""
    other = app.test_client()
    sign_in(other, users[Role.STAFF])
    return other


# Item 1: no silent overwrite. --------------------------------------------------------------


@dataclass(frozen=True)
class Editing:
    """One edit page: how to make its object, and a field each person changes."""

    model: type
    make: Callable[[Session], Any]
    url: str
    theirs: tuple[str, str, str]  # form field, value, attribute
    mine: tuple[str, str, str]
    label: str  # the field's label on the page


EDITS = {
    "asset": Editing(Asset, lambda s: make_asset(s, location="MDF"), "/assets/{}/edit",
                     ("location", "Room 12", "location"), ("notes", "Mine", "notes"),
                     "Room or closet"),
    "site": Editing(Site, lambda s: make_site(s, name="Lincoln"), "/sites/{}/edit",
                    ("name", "Lincoln High", "name"), ("phone", "555-0100", "phone"), "Name"),
    "region": Editing(Region, lambda s: create_region(s, by=None, code="N", name="North"),
                      "/regions/{}/edit",
                      ("name", "North County", "name"), ("code", "NRTH", "code"), "Name"),
    "model": Editing(AssetModel, lambda s: make_model(s, name="Switch 24"),
                     "/catalog/models/{}/edit", ("name", "Switch 48", "name"),
                     ("useful_life_years", "9", "useful_life_years"), "Name"),
    "system": Editing(System, lambda s: make_system(s, "wifi"), "/catalog/systems/{}/edit",
                      ("name", "Wireless", "name"),
                      ("default_useful_life_years", "4", "default_useful_life_years"), "Name"),
    "manufacturer": Editing(Manufacturer, lambda s: make_model(s).manufacturer,
                            "/catalog/manufacturers/{}/edit", ("name", "Acme Corp", "name"),
                            ("name", "Acme Inc", "name"), "Name"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_stale_save_is_refused_shows_what_changed_and_keeps_the_input(
    client, second_client, session, users, login_as, name
) -> None:
    editing = EDITS[name]
    obj = editing.make(session)
    session.commit()
    url = editing.url.format(obj.id)
    login_as(Role.ADMIN)
    mine = form_of(client.get(url).get_data(as_text=True))
    theirs = form_of(second_client.get(url).get_data(as_text=True))
    seen = session.get(editing.model, obj.id)
    saw = getattr(seen, editing.theirs[2])

    field, value, attribute = editing.theirs
    assert second_client.post(url, data={**theirs, field: value}).status_code == 302
    my_field, my_value, my_attribute = editing.mine
    refused = client.post(url, data={**mine, my_field: my_value})

    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "was changed by someone else after you opened this form" in page
    row = _difference_row(page, editing.label)
    assert row[1:3] == [str(saw), value], row  # the value they saw, the value saved now
    assert form_of(page)[my_field] == my_value  # what they typed is kept
    session.expire_all()
    saved = session.get(editing.model, obj.id)
    assert getattr(saved, attribute) == value  # the first save survives
    again = client.post(url, data=form_of(page))  # having seen it, saving again is deliberate
    assert again.status_code == 302
    session.expire_all()
    both = session.get(editing.model, obj.id)
    assert str(getattr(both, my_attribute)) == my_value
    if attribute != my_attribute:  # a field this user left alone keeps the other's save
        assert getattr(both, attribute) == value
        assert row[3] == "(not changed)"


def _difference_row(page: str, label: str) -> list[str]:
    """The cells of the 'what changed' table's row for a field."""
    table = page.split('data-testid="stale-differences"', 1)[1].split("</table>", 1)[0]
    for row in table.split("<tr>")[2:]:
        cells = [cell.split("</td>")[0].strip() for cell in row.split("<td")[1:]]
        cells = [cell.split(">", 1)[1] for cell in cells]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row for {label} in {table}")


def test_a_race_caught_at_flush_gives_the_same_page_not_a_500(
    app, client, session, users, login_as
) -> None:
    asset = make_asset(session, location="MDF")
    session.commit()
    login_as(Role.STAFF)
    url = f"/assets/{asset.id}/edit"
    mine = form_of(client.get(url).get_data(as_text=True))

    def someone_saves_first(flushing: Session, *_args: Any) -> None:
        if any(isinstance(obj, Asset) for obj in flushing.dirty) and not raced:
            raced.append(True)
            with app.extensions["rollout.sessions"]() as other:
                other.get(Asset, asset.id).location = "Closet 9"
                other.commit()

    raced: list[bool] = []
    factory = app.extensions["rollout.sessions"]
    event.listen(factory, "before_flush", someone_saves_first)
    try:
        response = client.post(url, data={**mine, "notes": "Mine"})
    finally:
        event.remove(factory, "before_flush", someone_saves_first)

    assert raced == [True]
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "was changed by someone else" in page
    assert _difference_row(page, "Room or closet")[1:3] == ["MDF", "Closet 9"]
    session.expire_all()
    assert session.get(Asset, asset.id).location == "Closet 9"


# Item 7: forms that do not guess; searchable site and model. -------------------------------


def test_an_untouched_asset_form_saves_nothing_and_asks_for_site_and_model(
    client, session, users, login_as
) -> None:
    make_asset(session)  # a site and a model exist to be guessed
    session.commit()
    login_as(Role.STAFF)
    untouched = form_of(client.get("/assets/new").get_data(as_text=True))
    response = client.post("/assets/new", data={**untouched, "tag": "NEW-1"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Choose a site." in page and "Choose a model." in page
    assert session.scalar(select(Asset).where(Asset.tag == "NEW-1")) is None


def test_site_and_model_are_typed_and_resolved_without_javascript(
    client, session, users, login_as
) -> None:
    make_site(session, code="LIN01", name="Lincoln Elementary")
    make_model(session, manufacturer="Cisco", part_number="C9200-24P", name="Catalyst 9200")
    session.commit()
    login_as(Role.STAFF)
    form = form_of(client.get("/assets/new").get_data(as_text=True))
    data = {**form, "tag": "SW-1", "site": "lin01", "model": "Cisco C9200-24P"}
    assert client.post("/assets/new", data=data).status_code == 302
    asset = session.scalar(select(Asset).where(Asset.tag == "SW-1"))
    assert (asset.site.code, asset.model.part_number) == ("LIN01", "C9200-24P")
    page = client.get(f"/assets/{asset.id}/edit").get_data(as_text=True)
    values = form_of(page)
    assert values["site"] == "LIN01 — Lincoln Elementary"
    assert values["model"] == "Cisco C9200-24P — Catalyst 9200"
    assert client.post(f"/assets/{asset.id}/edit", data=values).status_code == 302
    unknown = client.post("/assets/new", data={**data, "tag": "SW-2", "site": "NOPE"})
    assert "There is no site NOPE" in unknown.get_data(as_text=True)


def test_suggestions_are_few_scoped_and_active(client, session, users, login_as) -> None:
    own = users[Role.SITE_ADMIN].sites[0]
    for number in range(30):
        make_site(session, code=f"LIN{number:02d}", name=f"Lincoln {number}")
    closed = make_site(session, code="LINX", name="Lincoln Closed", status=SiteStatus.CLOSED)
    retired = make_model(session, part_number="OLD-1", name="Old")
    make_model(session, part_number="NEW-1", name="New")
    retire_model(session, retired, by=None)
    session.commit()

    login_as(Role.STAFF)
    sites = client.get("/assets/choices/sites?q=lincoln").get_json()["suggestions"]
    assert len(sites) == 20 and "LIN00 — Lincoln 0" in sites
    assert not any(closed.code in label for label in sites)
    models = client.get("/assets/choices/models?q=acme").get_json()["suggestions"]
    assert any("NEW-1" in label for label in models)
    assert not any("OLD-1" in label for label in models)
    login_as(Role.SITE_ADMIN)
    mine = client.get(f"/assets/choices/sites?q={own.code}").get_json()["suggestions"]
    assert mine == [f"{own.code} — {own.name}"]
    assert client.get("/assets/choices/sites?q=lincoln").get_json()["suggestions"] == []


def test_the_asset_form_stays_small_with_5000_sites(client, session, users, login_as) -> None:
    now = dt.datetime.now(dt.UTC)
    session.execute(insert(Site), [
        {"code": f"K{number:04d}", "name": f"School {number}", "kind": SiteKind.ELEMENTARY,
         "status": SiteStatus.ACTIVE, "created_at": now, "updated_at": now}
        for number in range(5000)
    ])  # fmt: skip
    make_model(session)
    session.commit()
    login_as(Role.STAFF)
    page = client.get("/assets/new").get_data(as_text=True)
    assert "K4999" not in page and len(page) < 40_000
    found = client.get("/assets/choices/sites?q=k4999").get_json()["suggestions"]
    assert found == ["K4999 — School 4999"]


def test_model_labels_do_not_repeat_themselves(client, session, users, login_as) -> None:
    same = make_model(session, manufacturer="Cisco", part_number="MR33", name="MR33")
    named = make_model(session, manufacturer="Cisco", part_number="MR36", name="Meraki MR36")
    asset = make_asset(session, model=same)
    session.commit()
    login_as(Role.STAFF)
    labels = client.get("/assets/choices/models?q=cisco").get_json()["suggestions"]
    assert labels == ["Cisco MR33", "Cisco MR36 — Meraki"]
    detail = client.get(f"/assets/{asset.id}").get_data(as_text=True)
    assert "Cisco MR33" in detail and "MR33 — MR33" not in detail and "MR33 MR33" not in detail
    data = {**form_of(client.get("/assets/new").get_data(as_text=True)), "tag": "AP-1",
            "site": asset.site.code, "model": "Cisco MR36 — Meraki"}  # fmt: skip
    assert client.post("/assets/new", data=data).status_code == 302
    assert session.scalar(select(Asset.model_id).where(Asset.tag == "AP-1")) == named.id


# Item 4: ids past 32 bits and unknown ids are field errors; so are costs too large. ----------


@pytest.mark.parametrize("region_id", ["2147483648", "999999", "99999999999999999999"])
def test_a_region_id_too_large_or_unknown_is_a_field_error(
    client, session, users, login_as, region_id
) -> None:
    site = make_site(session, region=make_region(session))
    session.commit()
    login_as(Role.STAFF)
    new = {"code": "NEW1", "name": "New", "kind": "high", "status": "active",
           "region_id": region_id}  # fmt: skip
    response = client.post("/sites/new", data=new)
    assert response.status_code == 200
    assert "choose one from the list" in response.get_data(as_text=True)
    assert session.scalar(select(Site).where(Site.code == "NEW1")) is None
    form = form_of(client.get(f"/sites/{site.id}/edit").get_data(as_text=True))
    edit = client.post(f"/sites/{site.id}/edit", data={**form, "region_id": region_id})
    assert edit.status_code == 200
    session.expire_all()
    assert session.get(Site, site.id).region_id is not None  # not silently cleared


@pytest.mark.parametrize("field", ["manufacturer_id", "system_id"])
@pytest.mark.parametrize("value", ["2147483648", "999999"])
def test_a_manufacturer_or_system_id_too_large_or_unknown_is_a_field_error(
    client, session, users, login_as, field, value
) -> None:
    model = make_model(session)
    session.commit()
    login_as(Role.STAFF)
    data = {"manufacturer_id": model.manufacturer_id, "system_id": model.system_id,
            "part_number": "NEW-9", field: value}  # fmt: skip
    response = client.post("/catalog/models/new", data=data)
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert session.scalar(select(func.count(AssetModel.id))) == 1


@pytest.mark.parametrize("typed", ["2147483648", "99999999999999999999999"])
def test_a_site_or_model_typed_as_a_huge_number_is_a_field_error(
    client, session, users, login_as, typed
) -> None:
    asset = make_asset(session)
    session.commit()
    login_as(Role.STAFF)
    form = form_of(client.get("/assets/new").get_data(as_text=True))
    base = {**form, "tag": "BIG-1", "site": asset.site.code, "model": asset.model.part_number}
    for field in ("site", "model"):
        response = client.post("/assets/new", data={**base, field: typed})
        assert response.status_code == 200
        assert f"There is no {field} {typed}" in response.get_data(as_text=True)


@pytest.mark.parametrize("cost", ["NaN", "Infinity", "1e999999", "30000000"])
def test_a_cost_out_of_range_is_a_field_error(client, session, users, login_as, cost) -> None:
    asset = make_asset(session)
    session.commit()
    login_as(Role.STAFF)
    form = form_of(client.get(f"/assets/{asset.id}/edit").get_data(as_text=True))
    response = client.post(f"/assets/{asset.id}/edit", data={**form, "cost": cost})
    assert response.status_code == 200
    assert "Cost" in response.get_data(as_text=True)
    assert "$20,000,000" in response.get_data(as_text=True)


# Bugs of item 14: retired catalogue entries. ---------------------------------------------------


def test_an_asset_of_a_retired_model_stays_editable(client, session, users, login_as) -> None:
    asset = make_asset(session)
    retire_model(session, asset.model, by=None)
    session.commit()
    login_as(Role.STAFF)
    url = f"/assets/{asset.id}/edit"
    form = form_of(client.get(url).get_data(as_text=True))
    assert asset.model.part_number in form["model"]
    assert client.post(url, data={**form, "location": "IDF"}).status_code == 302
    session.expire_all()
    assert session.get(Asset, asset.id).location == "IDF"


def test_retired_systems_and_manufacturers_are_not_offered_but_kept(
    client, session, users, login_as
) -> None:
    model = make_model(session, manufacturer="Aruba", system=make_system(session, "wifi"))
    make_model(session, manufacturer="Cisco", system=make_system(session, "lan"))
    retire_system(session, model.system, by=None)
    retire_manufacturer(session, model.manufacturer, by=None)
    session.commit()
    login_as(Role.STAFF)
    new = client.get("/catalog/models/new").get_data(as_text=True)
    assert "Wi-Fi" not in new and "Aruba" not in new and "Cisco" in new
    url = f"/catalog/models/{model.id}/edit"
    form = form_of(client.get(url).get_data(as_text=True))
    assert form["system_id"] == str(model.system_id)
    assert form["manufacturer_id"] == str(model.manufacturer_id)
    assert client.post(url, data={**form, "name": "Still here"}).status_code == 302
