"""Plain functions that make test data through the real operations."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from inventory.enums import Role, SiteKind
from inventory.models import Asset, AssetModel, Region, Site, System, User
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
