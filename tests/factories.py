"""Plain functions that make test data through the real operations."""

from __future__ import annotations

import itertools

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.enums import Role, SiteKind
from inventory.models import (
    Asset,
    AssetModel,
    Project,
    Region,
    Scenario,
    ScenarioTrade,
    Site,
    System,
    Trade,
    UpgradeType,
    UpgradeTypeCrew,
    User,
)
from inventory.operations.assets import create_asset
from inventory.operations.catalog import create_model, ensure_standard_systems
from inventory.operations.users import create_user

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_region(session: Session, **fields: object) -> Region:
    """A region with a unique code and name."""
    number = next(_numbers)
    region = Region(code=f"R{number}", name=f"Region {number}", **fields)
    session.add(region)
    session.flush()
    return region


def make_site(session: Session, **fields: object) -> Site:
    """A site with a unique code."""
    number = next(_numbers)
    values: dict[str, object] = {
        "code": f"S{number:04d}",
        "name": f"Test School {number}",
        "kind": SiteKind.ELEMENTARY,
        "enrollment": 500,
    }
    values.update(fields)
    site = Site(**values)
    session.add(site)
    session.flush()
    return site


def make_user(
    session: Session, role: Role, *, username: str | None = None, sites: list[Site] | None = None
) -> User:
    """A user of the role; a site administrator gets a new site unless given some."""
    if role is Role.SITE_ADMIN and not sites:
        sites = [make_site(session)]
    return create_user(
        session,
        by=None,
        username=username or f"{role.value.replace('_', '')}{next(_numbers)}",
        password=PASSWORD,
        role=role,
        full_name=f"Test {role.label}",
        sites=sites or [],
    )


def make_system(session: Session, code: str = "lan") -> System:
    """One of the standard systems (all are added if missing)."""
    return next(s for s in ensure_standard_systems(session) if s.code == code)


def make_model(session: Session, **fields: object) -> AssetModel:
    """An asset model with a unique part number (its manufacturer is created if new)."""
    number = next(_numbers)
    values: dict[str, object] = {
        "manufacturer": "Acme Networks",
        "part_number": f"AC-{number}",
        "name": f"Acme switch {number}",
        "system": make_system(session),
        "useful_life_years": 7,
        "unit_cost_cents": 250_000,
    }
    values.update(fields)
    return create_model(session, by=None, **values)


def make_asset(session: Session, **fields: object) -> Asset:
    """An asset with a unique tag, at a new site and of a new model unless given."""
    number = next(_numbers)
    values: dict[str, object] = {"tag": f"T{number:06d}", "serial": f"SN{number:06d}"}
    values.update(fields)
    if "site" not in values:
        values["site"] = make_site(session)
    if "model" not in values:
        values["model"] = make_model(session)
    return create_asset(session, by=None, **values)


# Planning: the catalogue, scenarios and projects. ------------------------------------------


def make_trade(session: Session, code: str = "network", name: str | None = None) -> Trade:
    """A trade (the standard ones exist after migrating; the tests' empty database has none)."""
    trade = session.scalar(select(Trade).where(Trade.code == code))
    if trade is None:
        trade = Trade(code=code, name=name or code.capitalize())
        session.add(trade)
        session.flush()
    return trade


def make_upgrade_type(session: Session, **fields: object) -> UpgradeType:
    """An upgrade type with a unique code, one crew of `trade` (default network) per month."""
    number = next(_numbers)
    trade = fields.pop("trade", None) or make_trade(session)
    crews = fields.pop("crews", 1)
    values: dict[str, object] = {
        "code": f"up{number}",
        "name": f"Upgrade {number}",
        "system": make_system(session, "lan"),
        "duration_months": 1,
        "fixed_cost_cents": 1_000_000,
        "per_asset_cost_cents": 50_000,
        "value_weight": 10,
    }
    values.update(fields)
    upgrade = UpgradeType(**values)
    upgrade.crew_needs = [UpgradeTypeCrew(trade=trade, crews=crews)]
    session.add(upgrade)
    session.flush()
    return upgrade


def make_scenario(session: Session, **fields: object) -> Scenario:
    """A one-year draft scenario (FY2028) with 2 network crews a month and a $1M budget."""
    number = next(_numbers)
    trade = make_trade(session)
    values: dict[str, object] = {
        "name": f"Scenario {number}",
        "first_year": 2028,
        "years": 1,
        "start_month": 7,
        "annual_budgets_cents": [100_000_000],
        "monthly_caps_cents": None,
        "blackout_months": [],
    }
    values.update(fields)
    scenario = Scenario(**values)
    scenario.trades = [ScenarioTrade(trade=trade, crews_by_month=[2] * 12 * scenario.years)]
    session.add(scenario)
    session.flush()
    return scenario


def make_project(session: Session, scenario: Scenario, **fields: object) -> Project:
    """A project in the scenario, at a new site with a new upgrade type unless given."""
    site = fields.pop("site", None) or make_site(session)
    upgrade = fields.pop("upgrade_type", None) or make_upgrade_type(session)
    values: dict[str, object] = {
        "name": f"{upgrade.name} at {site.name}",
        "duration_months": upgrade.duration_months,
        "cost_cents": 2_000_000,
        "value": 10,
    }
    values.update(fields)
    project = Project(scenario=scenario, site=site, upgrade_type=upgrade, **values)
    session.add(project)
    session.flush()
    return project
