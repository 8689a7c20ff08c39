"""Asset lists: filters, sorting and search that read index ranges, scoped to the user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import Session

from inventory.lifecycle import fiscal_year_bounds
from inventory.models import Asset, AssetModel, AssetStatus, Manufacturer, Site, User
from inventory.queries.scope import scoped
from inventory.queries.search import contains

SEARCH_LIMIT = 500  # sites or models matched by name before the asset lookup
SEARCH_MATCH_CAP = 10_000  # a search lists at most this many assets

SORTS: dict[str, tuple[Any, ...]] = {
    "tag": (Asset.tag,),
    "serial": (Asset.serial, Asset.id),
    "site": (Site.code, Asset.tag),
    "model": (AssetModel.part_number, Asset.tag),
    "status": (Asset.status, Asset.tag),
    "installed_on": (Asset.installed_on, Asset.id),
    "end_of_life_on": (Asset.end_of_life_on, Asset.id),
}

EXPORT_HEADERS = (
    "tag", "serial", "manufacturer", "model", "site", "location", "status", "installed_on",
    "cost", "warranty_end_on", "notes",
)  # fmt: skip


LIST_COLUMNS = (
    Asset.id, Asset.tag, Asset.serial, Asset.status, Asset.location, Asset.installed_on,
    Asset.end_of_life_on, Asset.site_id, Site.code.label("site_code"),
    Site.name.label("site_name"), AssetModel.part_number,
    AssetModel.name.label("model_name"), Manufacturer.name.label("manufacturer"),
)  # fmt: skip
EXPORT_COLUMNS = (
    Asset.tag, Asset.serial, Manufacturer.name, AssetModel.part_number, Site.code,
    Asset.location, Asset.status, Asset.installed_on, Asset.cost_cents, Asset.warranty_end_on,
    Asset.notes,
)  # fmt: skip


def _joined(columns: tuple[Any, ...]) -> Select:
    """Select the columns from assets joined to their site, model and manufacturer."""
    return (
        select(*columns)
        .join(Site, Site.id == Asset.site_id)
        .join(AssetModel, AssetModel.id == Asset.model_id)
        .join(Manufacturer, Manufacturer.id == AssetModel.manufacturer_id)
    )


@dataclass(frozen=True)
class AssetFilters:
    """What the asset list is narrowed to; None or blank means no filter."""

    site_id: int | None = None
    region_id: int | None = None
    system_id: int | None = None
    model_id: int | None = None
    status: AssetStatus | None = None
    end_of_life_fy: int | None = None
    search: str = ""
    sort: str = "tag"
    descending: bool = False


def _prefix(column: Any, term: str) -> ColumnElement[bool]:
    """Values starting with the term, as an index range (case as typed, or upper case)."""
    ranges = [(column >= t) & (column < t + "\uffff") for t in {term, term.upper()}]
    return or_(*ranges)


def search_condition(term: str) -> ColumnElement[bool]:
    """Tag or serial starting with the term, or a model or site whose name contains it."""
    term = term.strip()
    if not term:
        return false()
    models = select(AssetModel.id).where(contains(term, AssetModel.part_number, AssetModel.name))
    sites = select(Site.id).where(
        or_(func.lower(Site.code) == term.lower(), contains(term, Site.name))
    )
    return or_(
        _prefix(Asset.tag, term),
        _prefix(Asset.serial, term),
        Asset.model_id.in_(models.limit(SEARCH_LIMIT).scalar_subquery()),
        Asset.site_id.in_(sites.limit(SEARCH_LIMIT).scalar_subquery()),
    )


def filter_conditions(filters: AssetFilters) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the filters, all on the assets table's own columns."""
    conditions: list[ColumnElement[bool]] = []
    if filters.site_id:
        conditions.append(Asset.site_id == filters.site_id)
    if filters.region_id:
        in_region = select(Site.id).where(Site.region_id == filters.region_id)
        conditions.append(Asset.site_id.in_(in_region))
    if filters.system_id:
        of_system = select(AssetModel.id).where(AssetModel.system_id == filters.system_id)
        conditions.append(Asset.model_id.in_(of_system))
    if filters.model_id:
        conditions.append(Asset.model_id == filters.model_id)
    if filters.status:
        conditions.append(Asset.status == filters.status)
    if filters.end_of_life_fy:
        start, end = fiscal_year_bounds(filters.end_of_life_fy)
        conditions.append((Asset.end_of_life_on >= start) & (Asset.end_of_life_on < end))
    if filters.search.strip():
        # Collect the matches through their own indexes first (each OR branch is an index
        # range), so the page never scans the whole table in tag order looking for them.
        matches = select(Asset.id).where(search_condition(filters.search))
        conditions.append(Asset.id.in_(matches.limit(SEARCH_MATCH_CAP).scalar_subquery()))
    return conditions


def asset_ids_query(user: User, filters: AssetFilters) -> Select:
    """The ids of the assets the user sees under the filters (for counting)."""
    query = select(Asset.id).where(*filter_conditions(filters))
    return scoped(query, user, Asset.site_id)


def assets_query(user: User, filters: AssetFilters) -> Select:
    """The asset list's rows under the filters, sorted, for the user's sites."""
    query = _joined(LIST_COLUMNS).where(*filter_conditions(filters))
    columns = SORTS.get(filters.sort, SORTS["tag"])
    query = query.order_by(*[c.desc() if filters.descending else c for c in columns])
    return scoped(query, user, Asset.site_id)


def _dollars(cents: int | None) -> Decimal | None:
    """Cents as a dollar amount, as the import expects money in files."""
    return None if cents is None else Decimal(cents) / 100


def asset_export_rows(
    session: Session, user: User | None, filters: AssetFilters
) -> Iterator[tuple]:
    """The filtered assets as rows under EXPORT_HEADERS (money in dollars)."""
    query = _joined(EXPORT_COLUMNS).where(*filter_conditions(filters)).order_by(Asset.tag)
    for row in session.execute(scoped(query, user, Asset.site_id)).yield_per(2000):
        values = list(row)
        values[6] = values[6].value
        values[8] = _dollars(values[8])
        yield tuple(values)


def end_of_life_years(today: dt.date, count: int = 6) -> list[int]:
    """The fiscal years offered in the end-of-life filter: this one and the next few."""
    first = today.year + 1 if today.month >= 7 else today.year
    return list(range(first - 1, first + count))
