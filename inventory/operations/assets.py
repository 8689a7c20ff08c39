"""Assets: create, update, retire, find by tag or serial; end of life kept up to date.

API (keyword data; flush, never commit; failures raise inventory.errors with `field`):
    create_asset(session, *, by, tag, model, site, today=None, **fields) -> Asset
    update_asset(session, asset, *, by, expected_version=None, today=None, **fields) -> bool
    retire_asset(session, asset, *, by, disposed=False) -> Asset
    asset_by_tag(session, tag) -> Asset | None
    asset_by_serial(session, serial) -> Asset | None           # Duplicate if several share it
Fields: tag, serial, model, manufacturer, site, location, status, installed_on, cost_cents,
warranty_end_on, notes. `model` is an AssetModel or a part number / model name, looked up within
`manufacturer` (a name, optional). `site` is a Site or its code (or unique name). `status` is an
AssetStatus or its value. `end_of_life_on` is derived: install date + the model's useful life,
or the model's end of support if earlier. A retired model is refused for new assets and for a
change of model; an asset keeps the model it has. `expected_version` is the version an edit form
was read at: a save over someone else's newer save raises StaleEdit. `today` (default: the
real date) bounds the install date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.errors import Duplicate, InvalidValue, NotFound
from inventory.lifecycle import add_years, end_of_life
from inventory.models import Asset, AssetModel, AssetStatus, Site, User
from inventory.operations.catalog import MAX_ITEM_COST_CENTS, find_model
from inventory.operations.fields import (
    Cleaner,
    apply_changes,
    check_version,
    choice,
    clean_fields,
    date,
    flush_or_stale,
    insert_new,
    money,
    taken,
    text,
)
from inventory.operations.sites import find_site

LATEST_INSTALL_YEARS_AHEAD = 5


def _site(session: Session, value: Any) -> Site:
    """A Site, or the one with this code (or unique name)."""
    if isinstance(value, Site):
        return value
    if value is None or not str(value).strip():
        raise InvalidValue("Site is required.", field="site")
    site = find_site(session, str(value))
    if site is None:
        raise NotFound(f"There is no site {value}.", field="site")
    return site


ASSET_FIELDS: dict[str, Cleaner] = {
    "tag": text("tag", "Asset tag", 64, required=True),
    "serial": text("serial", "Serial number", 128),
    "site": _site,
    "location": text("location", "Room or closet", 120),
    "status": choice("status", "Status", AssetStatus, required=False),
    "installed_on": date("installed_on", "Install date"),
    "cost_cents": money("cost_cents", "Cost", MAX_ITEM_COST_CENTS),
    "warranty_end_on": date("warranty_end_on", "Warranty end"),
    "notes": text("notes", "Notes", 10_000),
}


def _model(session: Session, model: Any, manufacturer: Any) -> AssetModel:
    """An AssetModel, or the one with this part number or name (of the manufacturer)."""
    if isinstance(model, AssetModel):
        return model
    if model is None or not str(model).strip():
        raise InvalidValue("Model is required.", field="model")
    found = find_model(session, manufacturer, str(model))
    if found is None:
        maker = f" by {manufacturer}" if manufacturer else ""
        raise NotFound(f"There is no model {model}{maker} in the catalogue.", field="model")
    return found


def _clean(session: Session, fields: dict[str, Any]) -> dict[str, Any]:
    """Check the fields, resolving model and manufacturer together."""
    manufacturer = fields.pop("manufacturer", None)
    model = fields.pop("model", None)
    with session.no_autoflush:
        values = clean_fields(session, ASSET_FIELDS, fields)
        if isinstance(model, AssetModel) or (model is not None and str(model).strip()):
            values["model"] = _model(session, model, manufacturer)
    return values


def _check_tag(session: Session, asset: Asset) -> None:
    """Tags are unique, ignoring case."""
    if taken(session, Asset.tag, asset.tag, asset.id):
        raise Duplicate(f"The asset tag {asset.tag} is already used.", field="tag")


def _check_model(asset: Asset, model_before: AssetModel | None) -> None:
    """A retired model is not offered for new assets; an asset that has it keeps it."""
    model = asset.model
    if model is not model_before and model.is_active is False:
        raise InvalidValue(
            f"The model {model.part_number} is retired from the catalogue; choose another.",
            field="model",
        )


def _check_asset(session: Session, asset: Asset, today: dt.date | None) -> None:
    """Tags are unique; dates make sense together."""
    _check_tag(session, asset)
    latest = add_years(today or dt.date.today(), LATEST_INSTALL_YEARS_AHEAD)
    if asset.installed_on and asset.installed_on > latest:
        raise InvalidValue(
            f"Install date {asset.installed_on} is more than five years ahead.",
            field="installed_on",
        )
    warranty, installed = asset.warranty_end_on, asset.installed_on
    if warranty and installed and warranty < installed:
        raise InvalidValue(
            "Warranty end cannot be before the install date.", field="warranty_end_on"
        )


def _refresh(asset: Asset) -> None:
    """Keep the stored end of life in step with the install date and the model."""
    model = asset.model
    asset.end_of_life_on = end_of_life(
        asset.installed_on, model.useful_life_years, model.end_of_support_on
    )


def create_asset(
    session: Session,
    *,
    by: User | None,
    tag: str,
    model: Any,
    site: Any,
    today: dt.date | None = None,
    **fields: Any,
) -> Asset:
    """Record a new asset; the tag must be unused."""
    set_actor(session, by)
    values = _clean(session, {"tag": tag, "model": model, "site": site, **fields})
    if "model" not in values:
        raise InvalidValue("Model is required.", field="model")
    values["status"] = values.get("status") or AssetStatus.IN_SERVICE
    with session.no_autoflush:
        asset = Asset(**values)
        _check_model(asset, None)
        _check_asset(session, asset, today)
        _refresh(asset)
    # Another person may save the same tag meanwhile. (An Asset is listed by no related object,
    # so it can be built before the SAVEPOINT.)
    return insert_new(session, lambda: asset, lambda: _check_tag(session, asset))


def update_asset(
    session: Session,
    asset: Asset,
    *,
    by: User | None,
    expected_version: int | None = None,
    today: dt.date | None = None,
    **fields: Any,
) -> bool:
    """Change an asset's details; True if anything changed."""
    check_version(asset, expected_version)
    set_actor(session, by)
    values = _clean(session, dict(fields))
    if "status" in values and values["status"] is None:
        del values["status"]
    with session.no_autoflush:
        model_before = asset.model
        changed = apply_changes(asset, values)
        _check_model(asset, model_before)
        _check_asset(session, asset, today)
        _refresh(asset)
    flush_or_stale(session, asset)
    return changed


def retire_asset(
    session: Session, asset: Asset, *, by: User | None, disposed: bool = False
) -> Asset:
    """Take an asset out of service (retired), or record that it is gone (disposed)."""
    set_actor(session, by)
    asset.status = AssetStatus.DISPOSED if disposed else AssetStatus.RETIRED
    flush_or_stale(session, asset)
    return asset


def asset_by_tag(session: Session, tag: str) -> Asset | None:
    """The asset with this tag (exact, else ignoring case)."""
    key = str(tag).strip()
    asset = session.scalar(select(Asset).where(Asset.tag == key))
    if asset is None and key:
        asset = session.scalar(select(Asset).where(func.lower(Asset.tag) == key.lower()).limit(1))
    return asset


def asset_by_serial(session: Session, serial: str) -> Asset | None:
    """The asset with this serial number; Duplicate if several assets share it."""
    key = str(serial).strip()
    if not key:
        return None
    matches = list(session.scalars(select(Asset).where(Asset.serial == key).limit(2)))
    if len(matches) > 1:
        raise Duplicate(f"Several assets have the serial number {key}.", field="serial")
    return matches[0] if matches else None
