"""Lifecycle: end of life dates, fiscal years, and the five-year report on a small district."""

from __future__ import annotations

import datetime as dt

import pytest

from inventory.enums import Role
from inventory.lifecycle import (
    add_years,
    end_of_life,
    fiscal_year_bounds,
    fiscal_year_of,
    lifecycle_report,
)
from inventory.models import AssetStatus
from inventory.queries.assets import AssetFilters, assets_query
from inventory.queries.overview import inventory_overview
from inventory.queries.scope import visible_asset, visible_site
from tests.factories import make_asset, make_model, make_region, make_site, make_system, make_user

TODAY = dt.date(2026, 11, 22)  # in FY2027 (July 2026 - June 2027)


def test_end_of_life_is_the_earlier_date() -> None:
    assert end_of_life(dt.date(2020, 1, 1), 5, None) == dt.date(2025, 1, 1)
    assert end_of_life(dt.date(2020, 1, 1), 5, dt.date(2023, 6, 30)) == dt.date(2023, 6, 30)
    assert end_of_life(None, 5, dt.date(2023, 6, 30)) == dt.date(2023, 6, 30)
    assert end_of_life(None, 5, None) is None
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)


def test_fiscal_years_run_july_to_june() -> None:
    assert fiscal_year_of(dt.date(2026, 6, 30)) == 2026
    assert fiscal_year_of(dt.date(2026, 7, 1)) == 2027
    assert fiscal_year_bounds(2027) == (dt.date(2026, 7, 1), dt.date(2027, 7, 1))


@pytest.fixture
def district(session):
    """Two sites in two regions; switches (LAN) and access points (Wi-Fi) of known cost."""
    north, south = make_region(session), make_region(session)
    site_a, site_b = make_site(session, region=north), make_site(session, region=south)
    switch = make_model(session, system=make_system(session, "lan"), useful_life_years=5,
                        unit_cost_cents=100_000)  # fmt: skip
    ap = make_model(session, system=make_system(session, "wifi"), useful_life_years=5,
                    unit_cost_cents=None)  # fmt: skip
    # End of life: 2026-01-10 (before FY2027), 2027-03-01 (FY2027), 2027-08-01 (FY2028).
    make_asset(session, site=site_a, model=switch, installed_on=dt.date(2021, 1, 10))
    make_asset(session, site=site_a, model=switch, installed_on=dt.date(2022, 3, 1))
    make_asset(session, site=site_b, model=ap, installed_on=dt.date(2022, 8, 1), cost_cents=30_000)
    make_asset(session, site=site_b, model=switch, installed_on=dt.date(2022, 8, 1),
               status=AssetStatus.RETIRED)  # fmt: skip
    make_asset(session, site=site_b, model=switch, installed_on=dt.date(2026, 1, 1))  # FY2031
    make_asset(session, site=site_b, model=switch, installed_on=None)  # unknown: left out
    session.commit()
    return {"north": north, "site_a": site_a, "site_b": site_b}


def test_report_counts_and_costs_per_fiscal_year(session, district) -> None:
    admin = make_user(session, Role.ADMIN)
    report = lifecycle_report(session, admin, today=TODAY)
    assert report.fiscal_years == [2027, 2028, 2029, 2030, 2031]
    by_system = {row.label: row for row in report.by_system}
    lan = [(c.count, c.cost_cents) for c in by_system["LAN switching"].cells]
    assert lan == [(1, 100_000), (1, 100_000), (0, 0), (0, 0), (0, 0), (1, 100_000)]
    wifi = [(c.count, c.cost_cents) for c in by_system["Wi-Fi"].cells]
    assert wifi == [(0, 0), (0, 0), (1, 30_000), (0, 0), (0, 0), (0, 0)]
    assert [c.count for c in report.totals] == [1, 1, 1, 0, 0, 1]
    assert {row.key for row in report.by_site} == {district["site_a"].id, district["site_b"].id}
    north = lifecycle_report(session, admin, today=TODAY, region_id=district["north"].id)
    assert [row.key for row in north.by_site] == [district["site_a"].id]
    wifi_only = lifecycle_report(
        session, admin, today=TODAY, system_id=make_system(session, "wifi").id
    )
    assert [row.label for row in wifi_only.by_system] == ["Wi-Fi"]


def test_site_admin_scope_in_queries_and_report(session, district) -> None:
    principal = make_user(session, Role.SITE_ADMIN, sites=[district["site_a"]])
    session.commit()
    rows = session.execute(assets_query(principal, AssetFilters())).all()
    assert {row.site_id for row in rows} == {district["site_a"].id}
    other = session.execute(assets_query(make_user(session, Role.PMO), AssetFilters())).all()
    hidden = next(row for row in other if row.site_id == district["site_b"].id)
    assert visible_asset(session, principal, hidden.id) is None
    assert visible_site(session, principal, district["site_b"].id) is None
    assert visible_site(session, principal, district["site_a"].id) is not None
    report = lifecycle_report(session, principal, today=TODAY)
    assert [row.key for row in report.by_site] == [district["site_a"].id]


def test_end_of_life_filter_uses_fiscal_years(session, district) -> None:
    admin = make_user(session, Role.ADMIN)
    rows = session.execute(assets_query(admin, AssetFilters(end_of_life_fy=2027))).all()
    assert [row.end_of_life_on for row in rows] == [dt.date(2027, 3, 1)]


def test_the_home_overview_buckets_end_of_life_and_respects_scope(session, district) -> None:
    make_asset(session, site=district["site_a"], model=make_model(session),
               installed_on=dt.date(2026, 1, 1), warranty_end_on=dt.date(2027, 1, 15))  # fmt: skip
    session.commit()
    overview = inventory_overview(session, make_user(session, Role.PMO), today=TODAY)
    assert (overview.sites, overview.assets) == (2, 7)
    assert overview.this_year_label.startswith("FY2027")
    past, this, following = (
        overview.past_end_of_life,
        overview.due_this_year,
        overview.due_next_year,
    )
    assert [(c.count, c.cost_cents) for c in (past, this, following)] == [
        (1, 100_000), (1, 100_000), (1, 30_000)
    ]  # fmt: skip
    assert overview.warranty_ending == 1
    assert dict(overview.by_status)[AssetStatus.RETIRED] == 1
    principal = make_user(session, Role.SITE_ADMIN, sites=[district["site_b"]])
    mine = inventory_overview(session, principal, today=TODAY)
    assert (mine.sites, mine.assets, mine.warranty_ending) == (1, 4, 0)
    assert (mine.past_end_of_life.count, mine.due_next_year.count) == (0, 1)
