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

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.enums import SiteKind, SiteStatus
from inventory.errors import Duplicate, InvalidValue
from inventory.models import Region, Site, User

Cleaner = Callable[[Session, Any], Any]
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def text(field: str, label: str, max_length: int, *, required: bool = False) -> Cleaner:
    """A cleaner for a text field: trimmed, blank is None, bounded length."""

    def clean(_session: Session, value: Any) -> str | None:
        value = None if value is None else str(value).strip() or None
        if value is None and required:
            raise InvalidValue(f"{label} is required.", field=field)
        if value is not None and len(value) > max_length:
            raise InvalidValue(f"{label} is at most {max_length} characters.", field=field)
        return value

    return clean


def code(field: str, label: str, max_length: int = 32) -> Cleaner:
    """A cleaner for a required code: letters, digits and . _ / - with no spaces."""
    base = text(field, label, max_length, required=True)

    def clean(session: Session, value: Any) -> str:
        cleaned = base(session, value)
        if not CODE_PATTERN.match(cleaned):
            raise InvalidValue(f"{label} may hold letters, digits, . _ / and -.", field=field)
        return cleaned

    return clean


def number(field: str, label: str, low: int, high: int, *, required: bool = False) -> Cleaner:
    """A cleaner for a whole number in [low, high]."""

    def clean(_session: Session, value: Any) -> int | None:
        if value is None or value == "":
            if required:
                raise InvalidValue(f"{label} is required.", field=field)
            return None
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
            raise InvalidValue(f"{label} must be a whole number.", field=field)
        try:
            whole = int(value)
        except ValueError:
            raise InvalidValue(f"{label} must be a whole number.", field=field) from None
        if whole != Decimal(str(value)) or not low <= whole <= high:
            raise InvalidValue(f"{label} must be a whole number from {low} to {high}.", field=field)
        return whole

    return clean


def decimal(field: str, label: str, low: float, high: float) -> Cleaner:
    """A cleaner for a decimal number in [low, high], stored as a float."""

    def clean(_session: Session, value: Any) -> float | None:
        if value is None or value == "":
            return None
        try:
            result = float(value)
        except (TypeError, ValueError):
            raise InvalidValue(f"{label} must be a number.", field=field) from None
        if not low <= result <= high:
            raise InvalidValue(f"{label} must be between {low} and {high}.", field=field)
        return result

    return clean


def date(field: str, label: str) -> Cleaner:
    """A cleaner for a date (a date, or text as YYYY-MM-DD)."""

    def clean(_session: Session, value: Any) -> dt.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidValue(f"{label} must be a date (YYYY-MM-DD).", field=field) from None

    return clean


def choice(field: str, label: str, enum_class: type[Enum], *, required: bool = True) -> Cleaner:
    """A cleaner for a member of an enum, given as the member or its value."""

    def clean(_session: Session, value: Any) -> Enum | None:
        if value is None or value == "":
            if required:
                raise InvalidValue(f"{label} is required.", field=field)
            return None
        try:
            return enum_class(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum_class)
            raise InvalidValue(f"{label} must be one of: {allowed}.", field=field) from None

    return clean


def clean_fields(session: Session, cleaners: Mapping[str, Cleaner], fields: Mapping) -> dict:
    """Check every given field with its cleaner; an unknown field name is a programming error."""
    unknown = set(fields) - set(cleaners)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    return {name: cleaners[name](session, value) for name, value in fields.items()}


def apply_changes(obj: object, values: Mapping[str, Any]) -> bool:
    """Set the attributes whose value differs; True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def taken(session: Session, column: Any, value: Any, own_id: int | None) -> bool:
    """True if another row already holds the value in a unique column (case-insensitive)."""
    query = select(column.table.c.id).where(func.lower(column) == str(value).lower())
    if own_id is not None:
        query = query.where(column.table.c.id != own_id)
    return session.scalar(query.limit(1)) is not None


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
