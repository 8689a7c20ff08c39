"""Regions and sites: create, update, retire, find; plus the value checks every inventory
operation shares.

API (all keyword data; they flush, never commit; failures raise inventory.errors with `field`):
    create_region(session, *, by, code, name) -> Region
    update_region(session, region, *, by, **fields) -> bool        # True if anything changed
    retire_region(session, region, *, by) -> None                  # deletes an empty region
    find_region(session, code_or_name) -> Region | None
    create_site(session, *, by, code, name, **fields) -> Site
    update_site(session, site, *, by, **fields) -> bool
    retire_site(session, site, *, by) -> Site                      # status becomes closed
    find_site(session, code_or_name) -> Site | None
Site fields: code, name, kind, region, address, city, state, postal_code, phone, enrollment,
administrator_name, administrator_email, status, latitude, longitude, notes. `kind` and `status`
take the enum or its value; `region` takes a Region, its code or name (a new name creates the
region), or None. Blank strings count as None.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.enums import SiteKind, SiteStatus
from inventory.errors import Duplicate, InvalidValue
from inventory.models import Region, Site, User
from inventory.operations.fields import (
    EMAIL_PATTERN,
    Cleaner,
    apply_changes,
    choice,
    clean_fields,
    code,
    decimal,
    number,
    taken,
    text,
)

REGION_FIELDS: dict[str, Cleaner] = {
    "code": code("code", "Region code"),
    "name": text("name", "Region name", 120, required=True),
}


def _check_region(session: Session, values: dict, own_id: int | None) -> None:
    """Region codes and names are unique."""
    for name, label in (("code", "code"), ("name", "name")):
        if name in values and taken(session, getattr(Region, name), values[name], own_id):
            raise Duplicate(f"A region with {label} {values[name]} exists already.", field=name)


def create_region(session: Session, *, by: User | None, code: str, name: str) -> Region:
    """Add a region; its code and name must be unused."""
    set_actor(session, by)
    values = clean_fields(session, REGION_FIELDS, {"code": code, "name": name})
    _check_region(session, values, None)
    region = Region(**values)
    session.add(region)
    session.flush()
    return region


def update_region(session: Session, region: Region, *, by: User | None, **fields: Any) -> bool:
    """Rename or recode a region; True if anything changed."""
    set_actor(session, by)
    values = clean_fields(session, REGION_FIELDS, fields)
    _check_region(session, values, region.id)
    changed = apply_changes(region, values)
    session.flush()
    return changed


def retire_region(session: Session, region: Region, *, by: User | None) -> None:
    """Remove a region that no longer has sites."""
    set_actor(session, by)
    if session.scalar(select(func.count(Site.id)).where(Site.region_id == region.id)):
        raise InvalidValue("Move this region's sites to another region first.", field="region")
    session.delete(region)
    session.flush()


def find_region(session: Session, code_or_name: str) -> Region | None:
    """The region with this code or name (case-insensitive)."""
    key = code_or_name.strip().lower()
    for column in (Region.code, Region.name):
        region = session.scalar(select(Region).where(func.lower(column) == key).limit(1))
        if region is not None:
            return region
    return None


def _region(session: Session, value: Any) -> Region | None:
    """A Region, or one found (or created) by code or name."""
    if value is None or isinstance(value, Region):
        return value
    name = str(value).strip()
    if not name:
        return None
    found = find_region(session, name)
    if found is not None:
        return found
    if len(name) > 120:
        raise InvalidValue("Region is at most 120 characters.", field="region")
    region_code = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").upper()[:32] or "REGION"
    region = Region(code=region_code, name=name)
    session.add(region)
    return region


def _email(session: Session, value: Any) -> str | None:
    """An e-mail address, roughly checked."""
    cleaned = text("administrator_email", "Administrator e-mail", 254)(session, value)
    if cleaned is not None and not EMAIL_PATTERN.match(cleaned):
        raise InvalidValue(
            f"Administrator e-mail {cleaned} is not an e-mail address.", field="administrator_email"
        )
    return cleaned


SITE_FIELDS: dict[str, Cleaner] = {
    "code": code("code", "Site code"),
    "name": text("name", "Site name", 200, required=True),
    "kind": choice("kind", "Kind", SiteKind, required=False),
    "region": _region,
    "address": text("address", "Address", 200),
    "city": text("city", "City", 100),
    "state": text("state", "State", 32),
    "postal_code": text("postal_code", "Postal code", 16),
    "phone": text("phone", "Phone", 40),
    "enrollment": number("enrollment", "Enrollment", 0, 100_000),
    "administrator_name": text("administrator_name", "Administrator name", 120),
    "administrator_email": _email,
    "status": choice("status", "Status", SiteStatus, required=False),
    "latitude": decimal("latitude", "Latitude", -90, 90),
    "longitude": decimal("longitude", "Longitude", -180, 180),
    "notes": text("notes", "Notes", 10_000),
}


def _check_site_code(session: Session, values: dict, own_id: int | None) -> None:
    """Site codes are unique."""
    if "code" in values and taken(session, Site.code, values["code"], own_id):
        raise Duplicate(f"A site with code {values['code']} exists already.", field="code")


def create_site(session: Session, *, by: User | None, code: str, name: str, **fields: Any) -> Site:
    """Add a site; its code must be unused."""
    set_actor(session, by)
    values = clean_fields(session, SITE_FIELDS, {"code": code, "name": name, **fields})
    _check_site_code(session, values, None)
    values["kind"] = values.get("kind") or SiteKind.OTHER
    values["status"] = values.get("status") or SiteStatus.ACTIVE
    site = Site(**values)
    session.add(site)
    session.flush()
    return site


def update_site(session: Session, site: Site, *, by: User | None, **fields: Any) -> bool:
    """Change a site's details (a blank kind or status keeps the current one); True if anything
    changed."""
    set_actor(session, by)
    values = clean_fields(session, SITE_FIELDS, fields)
    for name in ("kind", "status"):
        if name in values and values[name] is None:
            del values[name]
    _check_site_code(session, values, site.id)
    changed = apply_changes(site, values)
    session.flush()
    return changed


def retire_site(session: Session, site: Site, *, by: User | None) -> Site:
    """Mark a site closed; its assets and history stay."""
    set_actor(session, by)
    site.status = SiteStatus.CLOSED
    session.flush()
    return site


def find_site(session: Session, code_or_name: str) -> Site | None:
    """The site with this code, else the one site with this name (case-insensitive)."""
    key = str(code_or_name).strip()
    site = session.scalar(select(Site).where(Site.code == key))
    if site is not None or not key:
        return site
    site = session.scalar(select(Site).where(func.lower(Site.code) == key.lower()).limit(1))
    if site is not None:
        return site
    named = session.scalars(select(Site).where(func.lower(Site.name) == key.lower()).limit(2))
    matches = list(named)
    return matches[0] if len(matches) == 1 else None
