"""Regions and sites: create, update, retire, find; plus the value checks every inventory
operation shares.

API (all keyword data; they flush, never commit; failures raise inventory.errors with `field`):
    create_region(session, *, by, code, name) -> Region
    update_region(session, region, *, by, expected_version=None, **fields) -> bool
    retire_region(session, region, *, by) -> None                  # deletes an empty region
    find_region(session, code_or_name) -> Region | None
    create_site(session, *, by, code, name, **fields) -> Site
    update_site(session, site, *, by, expected_version=None, **fields) -> bool
    retire_site(session, site, *, by) -> Site                      # status becomes closed
    find_site(session, code_or_name) -> Site | None
Site fields: code, name, kind, region, address, city, state, postal_code, phone, enrollment,
administrator_name, administrator_email, status, latitude, longitude, notes. `kind` and `status`
take the enum or its value; `region` takes a Region, its code or name (a new name creates the
region, with a code made from the name that no other region has), or None. Blank strings count
as None. `expected_version` is the version an edit form was read at: a save over someone else's
newer save raises StaleEdit. A code saved by someone else meanwhile is a Duplicate on its field.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.enums import SiteKind, SiteStatus
from inventory.errors import InvalidValue
from inventory.models import Region, Site, User
from inventory.operations.fields import (
    EMAIL_PATTERN,
    Cleaner,
    apply_changes,
    check_version,
    choice,
    clean_fields,
    code,
    decimal,
    flush_or_stale,
    insert_new,
    number,
    refuse_taken,
    taken,
    text,
)

REGION_FIELDS: dict[str, Cleaner] = {
    "code": code("code", "Region code"),
    "name": text("name", "Region name", 120, required=True),
}


def create_region(session: Session, *, by: User | None, code: str, name: str) -> Region:
    """Add a region; its code and name must be unused."""
    set_actor(session, by)
    values = clean_fields(session, REGION_FIELDS, {"code": code, "name": name})
    check = partial(refuse_taken, session, Region, values, ("code", "name"), "region")
    check()
    return insert_new(session, lambda: Region(**values), check)


def update_region(
    session: Session,
    region: Region,
    *,
    by: User | None,
    expected_version: int | None = None,
    **fields: Any,
) -> bool:
    """Rename or recode a region; True if anything changed."""
    check_version(region, expected_version)
    set_actor(session, by)
    values = clean_fields(session, REGION_FIELDS, fields)
    refuse_taken(session, Region, {**values, "id": region.id}, ("code", "name"), "region")
    changed = apply_changes(region, values)
    flush_or_stale(session, region)
    return changed


def retire_region(session: Session, region: Region, *, by: User | None) -> None:
    """Remove a region that no longer has sites."""
    set_actor(session, by)
    if session.scalar(select(func.count(Site.id)).where(Site.region_id == region.id)):
        raise InvalidValue("Move this region's sites to another region first.", field="region")
    session.delete(region)
    flush_or_stale(session, region)


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
    region = Region(code=_free_region_code(session, name), name=name)
    session.add(region)
    return region


def _free_region_code(session: Session, name: str) -> str:
    """A region code made from its name ("North County": NORTH-COUNTY), numbered when another
    region has it already (NORTH-COUNTY-2)."""
    base = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").upper()[:32] or "REGION"
    candidate, number = base, 2
    while taken(session, Region.code, candidate, None):
        suffix = f"-{number}"
        candidate, number = base[: 32 - len(suffix)] + suffix, number + 1
    return candidate


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


def create_site(session: Session, *, by: User | None, code: str, name: str, **fields: Any) -> Site:
    """Add a site; its code must be unused."""
    set_actor(session, by)
    with session.no_autoflush:  # a region made from its name is added by the insert
        values = clean_fields(session, SITE_FIELDS, {"code": code, "name": name, **fields})
        check = partial(refuse_taken, session, Site, {"code": values["code"]}, ("code",), "site")
        check()
    values["kind"] = values.get("kind") or SiteKind.OTHER
    values["status"] = values.get("status") or SiteStatus.ACTIVE
    return insert_new(session, lambda: Site(**values), check)


def update_site(
    session: Session,
    site: Site,
    *,
    by: User | None,
    expected_version: int | None = None,
    **fields: Any,
) -> bool:
    """Change a site's details (a blank kind or status keeps the current one); True if anything
    changed."""
    check_version(site, expected_version)
    set_actor(session, by)
    with session.no_autoflush:
        values = clean_fields(session, SITE_FIELDS, fields)
        for name in ("kind", "status"):
            if name in values and values[name] is None:
                del values[name]
        refuse_taken(session, Site, {**values, "id": site.id}, ("code",), "site")
    changed = apply_changes(site, values)
    flush_or_stale(session, site)
    return changed


def retire_site(session: Session, site: Site, *, by: User | None) -> Site:
    """Mark a site closed; its assets and history stay."""
    set_actor(session, by)
    site.status = SiteStatus.CLOSED
    flush_or_stale(session, site)
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
