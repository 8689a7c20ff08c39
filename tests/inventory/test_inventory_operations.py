"""Operations on regions, sites, the catalogue and assets: rules, change log, lookups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inventory.changelog import history_query
from inventory.enums import Role, SiteKind, SiteStatus
from inventory.errors import Duplicate, InvalidValue, NotFound
from inventory.models import Asset, AssetStatus, Region
from inventory.operations.assets import (
    asset_by_serial,
    asset_by_tag,
    create_asset,
    retire_asset,
    update_asset,
)
from inventory.operations.catalog import (
    create_model,
    find_model,
    retire_manufacturer,
    retire_model,
    retire_system,
    update_model,
)
from inventory.operations.sites import (
    create_region,
    create_site,
    find_site,
    retire_region,
    retire_site,
    update_site,
)
from tests.factories import make_asset, make_model, make_site, make_system, make_user


@pytest.fixture
def staff(session):
    user = make_user(session, Role.STAFF)
    session.commit()
    return user


def test_site_is_created_with_region_by_name_and_logged(session, staff) -> None:
    site = create_site(
        session, by=staff, code="LIN01", name="Lincoln Elementary", kind="elementary",
        region="North County", enrollment="450", latitude=Decimal("28.5"),
    )  # fmt: skip
    session.commit()
    assert site.region.name == "North County"
    assert site.kind is SiteKind.ELEMENTARY
    assert site.enrollment == 450
    assert site.latitude == 28.5
    entry = session.scalars(history_query("sites", site.id)).first()
    assert entry.actor_name == staff.username
    assert entry.changes["code"] == [None, "LIN01"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "has space"}, "code"),
        ({"name": "  "}, "name"),
        ({"enrollment": -1}, "enrollment"),
        ({"administrator_email": "not-an-email"}, "administrator_email"),
        ({"latitude": 123}, "latitude"),
        ({"kind": "castle"}, "kind"),
    ],
)
def test_site_rules_name_the_field(session, staff, fields, field) -> None:
    values = {"code": "OK1", "name": "A school", **fields}
    with pytest.raises(InvalidValue) as caught:
        create_site(session, by=staff, **values)
    assert caught.value.field == field


def test_duplicate_site_code_is_refused_ignoring_case(session, staff) -> None:
    create_site(session, by=staff, code="HS01", name="High")
    with pytest.raises(Duplicate) as caught:
        create_site(session, by=staff, code="hs01", name="Other")
    assert caught.value.field == "code"


def test_update_site_reports_whether_anything_changed(session, staff) -> None:
    site = make_site(session, code="U1", name="Union")
    assert update_site(session, site, by=staff, name="Union", code="U1") is False
    assert update_site(session, site, by=staff, name="Union Middle", kind="middle") is True
    retire_site(session, site, by=staff)
    assert site.status is SiteStatus.CLOSED
    assert find_site(session, "u1") is site
    assert find_site(session, "union middle") is site


def test_region_with_sites_cannot_be_retired(session, staff) -> None:
    region = create_region(session, by=staff, code="N", name="North")
    make_site(session, region=region)
    with pytest.raises(InvalidValue):
        retire_region(session, region, by=staff)
    empty = create_region(session, by=staff, code="S", name="South")
    retire_region(session, empty, by=staff)
    session.commit()
    assert session.scalar(select(func.count(Region.id))) == 1


def test_model_defaults_life_from_system_and_refuses_duplicates(session, staff) -> None:
    wifi = make_system(session, "wifi")
    model = create_model(session, by=staff, manufacturer="Cisco", part_number="MR33",
                         system="wifi")  # fmt: skip
    assert model.useful_life_years == wifi.default_useful_life_years
    assert model.name == "MR33"
    with pytest.raises(Duplicate) as caught:
        create_model(session, by=staff, manufacturer="cisco", part_number="mr33", system="wifi")
    assert caught.value.field == "part_number"
    with pytest.raises(NotFound) as caught:
        create_model(session, by=staff, manufacturer="Cisco", part_number="X", system="moon")
    assert caught.value.field == "system"
    with pytest.raises(InvalidValue) as caught:
        create_model(
            session, by=staff, manufacturer="Cisco", part_number="Y", system="wifi",
            end_of_sale_on=dt.date(2030, 1, 1), end_of_support_on=dt.date(2029, 1, 1),
        )  # fmt: skip
    assert caught.value.field == "end_of_support_on"
    assert find_model(session, "CISCO", "mr33") is model
    assert find_model(session, None, "MR33") is model


def test_end_of_life_is_the_earlier_of_life_and_support_and_follows_the_model(
    session, staff
) -> None:
    model = make_model(session, useful_life_years=5)
    asset = make_asset(session, model=model, installed_on=dt.date(2020, 2, 29))
    assert asset.end_of_life_on == dt.date(2025, 2, 28)
    update_model(session, model, by=staff, end_of_support_on=dt.date(2024, 6, 30))
    session.commit()
    session.refresh(asset)
    assert asset.end_of_life_on == dt.date(2024, 6, 30)
    update_asset(session, asset, by=staff, installed_on=dt.date(2018, 1, 1))
    assert asset.end_of_life_on == dt.date(2023, 1, 1)


def test_asset_by_names_with_change_log_and_lookups(session, staff) -> None:
    make_site(session, code="ES01")
    make_model(session, manufacturer="Cisco", part_number="C9200-24P")
    asset = create_asset(
        session, by=staff, tag="SW-1", serial="FOC123", manufacturer="Cisco",
        model="c9200-24p", site="ES01", status="spare", cost_cents=123456,
    )  # fmt: skip
    session.commit()
    assert asset.status is AssetStatus.SPARE
    assert asset_by_tag(session, "sw-1") is asset
    assert asset_by_serial(session, "FOC123") is asset
    assert update_asset(session, asset, by=staff, tag="SW-1", location="MDF") is True
    assert update_asset(session, asset, by=staff, location="MDF") is False
    retire_asset(session, asset, by=staff)
    session.commit()
    actions = [e.action for e in session.scalars(history_query("assets", asset.id))]
    assert actions == ["update", "update", "create"]


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"tag": ""}, InvalidValue, "tag"),
        ({"site": "NOPE"}, NotFound, "site"),
        ({"model": "NOPE"}, NotFound, "model"),
        ({"status": "lost"}, InvalidValue, "status"),
        ({"cost_cents": -5}, InvalidValue, "cost_cents"),
        ({"installed_on": "2020-13-01"}, InvalidValue, "installed_on"),
        (
            {"installed_on": dt.date(2022, 1, 1), "warranty_end_on": dt.date(2021, 1, 1)},
            InvalidValue,
            "warranty_end_on",
        ),
    ],
)
def test_asset_rules_name_the_field(session, staff, fields, error, field) -> None:
    values = {"tag": "A-1", "site": make_site(session), "model": make_model(session), **fields}
    with pytest.raises(error) as caught:
        create_asset(session, by=staff, **values)
    assert caught.value.field == field


def test_duplicate_tag_is_refused_and_nothing_is_written(session, staff) -> None:
    make_asset(session, tag="SW-0001")
    session.commit()
    with pytest.raises(Duplicate):
        make_asset(session, tag="sw-0001")
    session.rollback()
    assert session.scalar(select(func.count(Asset.id))) == 1


def test_shared_serial_is_reported(session) -> None:
    make_asset(session, serial="DUP")
    make_asset(session, serial="DUP")
    with pytest.raises(Duplicate):
        asset_by_serial(session, "DUP")


def test_blank_kind_and_status_take_defaults_or_keep_the_current_value(session, staff) -> None:
    site = create_site(session, by=staff, code="B1", name="Blank", kind=None, status="")
    assert (site.kind, site.status) == (SiteKind.OTHER, SiteStatus.ACTIVE)
    update_site(session, site, by=staff, kind="high", status=None)
    assert (site.kind, site.status) == (SiteKind.HIGH, SiteStatus.ACTIVE)
    asset = make_asset(session, status=None)
    assert asset.status is AssetStatus.IN_SERVICE
    assert update_asset(session, asset, by=staff, model="", manufacturer="Acme Networks") is False
    with pytest.raises(InvalidValue) as caught:
        create_asset(session, by=staff, tag="NO-MODEL", model="", site=site)
    assert caught.value.field == "model"


# Issue 13: leap days, retired catalogue entries, derived region codes, costs that fit. -------


def test_an_asset_saves_on_29_february(session, staff) -> None:
    leap_day = dt.date(2028, 2, 29)
    asset = make_asset(session, installed_on=dt.date(2033, 2, 28), today=leap_day)
    assert update_asset(session, asset, by=staff, location="MDF", today=leap_day) is True
    with pytest.raises(InvalidValue) as caught:
        update_asset(session, asset, by=staff, installed_on=dt.date(2033, 3, 1), today=leap_day)
    assert caught.value.field == "installed_on"


def test_retired_system_or_manufacturer_is_refused_for_new_models_but_kept(session, staff) -> None:
    model = make_model(session, manufacturer="Aruba", system=make_system(session, "wifi"))
    retire_system(session, model.system, by=staff)
    retire_manufacturer(session, model.manufacturer, by=staff)
    refused = [({"manufacturer": "Cisco", "system": "wifi"}, "system"),
               ({"manufacturer": "Aruba", "system": "lan"}, "manufacturer")]  # fmt: skip
    for fields, field in refused:
        with pytest.raises(InvalidValue) as caught:
            create_model(session, by=staff, part_number="NEW-1", **fields)
        assert caught.value.field == field
    assert update_model(session, model, by=staff, name="Still editable", system="wifi") is True
    other = make_model(session, manufacturer="Cisco", system=make_system(session, "lan"))
    with pytest.raises(InvalidValue) as caught:
        update_model(session, other, by=staff, system="wifi")
    assert caught.value.field == "system"
    with pytest.raises(InvalidValue) as caught:
        update_model(session, other, by=staff, manufacturer="Aruba")
    assert caught.value.field == "manufacturer"


def test_a_retired_model_is_refused_for_new_assets_but_kept_by_its_own(session, staff) -> None:
    retired, offered = make_model(session), make_model(session)
    asset = make_asset(session, model=retired)
    retire_model(session, retired, by=staff)
    with pytest.raises(InvalidValue) as caught:
        make_asset(session, model=retired)
    assert caught.value.field == "model"
    assert update_asset(session, asset, by=staff, model=retired, location="IDF") is True
    assert update_asset(session, asset, by=staff, model=offered) is True
    with pytest.raises(InvalidValue) as caught:
        update_asset(session, asset, by=staff, model=retired)
    assert caught.value.field == "model"


def test_a_region_made_from_a_name_gets_a_free_code(session, staff) -> None:
    create_region(session, by=staff, code="NORTH-COUNTY", name="North")
    site = create_site(session, by=staff, code="NC1", name="Nice", region="North County")
    session.commit()
    assert (site.region.code, site.region.name) == ("NORTH-COUNTY-2", "North County")


@pytest.mark.parametrize("cents", [2_147_483_648, 10_000_000_000])
def test_a_cost_the_database_cannot_hold_is_a_field_error(session, staff, cents) -> None:
    with pytest.raises(InvalidValue) as caught:
        make_asset(session, cost_cents=cents)
    assert caught.value.field == "cost_cents"
    assert "$20,000,000" in caught.value.message
    with pytest.raises(InvalidValue) as caught:
        make_model(session, unit_cost_cents=cents)
    assert caught.value.field == "unit_cost_cents"
