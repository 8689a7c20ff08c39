"""A site administrator's filter boxes offer the values of their own sites only (regions,
systems); district readers keep every value."""

from __future__ import annotations

import pytest

from inventory.enums import Role
from tests.app.html_reading import option_labels
from tests.factories import make_asset, make_model, make_region, make_site, make_system


@pytest.fixture
def two_regions(session, users):
    """The site administrator's site in one region with a Wi-Fi access point; another site in
    another region with a camera."""
    own = users[Role.SITE_ADMIN].sites[0]
    own.region, south = make_region(session), make_region(session)
    own.region.name, south.name = "North Valley", "South Hills"
    other = make_site(session, region=south)
    make_asset(session, site=own, model=make_model(session, system=make_system(session, "wifi")))
    camera = make_model(session, system=make_system(session, "cameras"))
    make_asset(session, site=other, model=camera)
    session.commit()
    return {"own": own, "other": other}


def test_a_site_administrator_sees_only_their_own_regions_and_systems(
    client, login_as, two_regions
) -> None:
    login_as(Role.SITE_ADMIN)
    sites = client.get("/sites/").get_data(as_text=True)
    assert option_labels(sites, "region_id") == ["Any region", "North Valley"]
    assets = client.get("/assets/").get_data(as_text=True)
    assert option_labels(assets, "system_id") == ["Any system", "Wi-Fi"]
    lifecycle = client.get("/lifecycle/").get_data(as_text=True)
    assert option_labels(lifecycle, "system_id") == ["Every system", "Wi-Fi"]
    assert "South Hills" not in sites + assets + lifecycle


def test_district_readers_keep_every_region_and_system(client, login_as, two_regions) -> None:
    login_as(Role.PMO)
    sites = client.get("/sites/").get_data(as_text=True)
    assert option_labels(sites, "region_id") == ["Any region", "North Valley", "South Hills"]
    systems = option_labels(client.get("/assets/").get_data(as_text=True), "system_id")
    assert {"Wi-Fi", "Security cameras", "LAN switching"} <= set(systems)
