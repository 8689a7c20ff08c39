"""Asset lists: filters, sorting and search that read index ranges, scoped to the user; the
list's count, and its export (every match, whatever the list shows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import Session

from inventory.lifecycle import due_in, fiscal_year_of, past_end_of_life
from inventory.models import Asset, AssetModel, AssetStatus, Manufacturer, Site, System, User
from inventory.queries.paging import capped_count, row_count
from inventory.queries.scope import scoped, sees_every_site, site_scope
from inventory.queries.search import contains

SEARCH_LIMIT = 500  # sites or models matched by name before the asset lookup
# A search lists at most this many of the user's matches (and says so); the export has them all.
SEARCH_MATCH_CAP = 10_000

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
    end_of_life_fy: int | None = None  # due in that fiscal year (from `today` on)
    past_end_of_life: bool = False
    search: str = ""
    sort: str = "tag"
    descending: bool = False
    today: dt.date = field(default_factory=dt.date.today)


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


def _plain_conditions(filters: AssetFilters) -> list[ColumnElement[bool]]:
    """The conditions of every filter but the search, on the assets table's own columns."""
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
        conditions.append(due_in(filters.end_of_life_fy, filters.today))
    if filters.past_end_of_life:
        conditions.append(past_end_of_life(filters.today))
    return conditions


def _matches(user: User | None, filters: AssetFilters) -> Select:
    """The ids of the user's assets under every filter, the search included. The search is
    looked up with the scope through its own indexes; other filters then narrow what it found
    (left together, SQLite may walk a filter's index testing the search on every row)."""
    found = scoped(select(Asset.id).where(search_condition(filters.search)), user, Asset.site_id)
    plain = _plain_conditions(filters)
    if not plain:
        return found
    return select(Asset.id).where(Asset.id.in_(found.scalar_subquery()), *plain)


def filter_conditions(
    user: User | None, filters: AssetFilters, *, cap: int | None = SEARCH_MATCH_CAP
) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the filters and the user's scope. A search collects the
    user's matches through their own indexes first (each OR branch is an index range, so a
    page never scans the whole table in tag order looking for them), at most `cap` of them;
    the scope and the other filters apply before the cap, never after it."""
    conditions = _plain_conditions(filters)
    scope = site_scope(user, Asset.site_id)
    if scope is not None:
        conditions.append(scope)
    if not filters.search.strip():
        return conditions
    matches = _matches(user, filters)
    if cap is not None:
        matches = matches.limit(cap)
    return [Asset.id.in_(matches.scalar_subquery()), *conditions]


def count_assets(session: Session, user: User | None, filters: AssetFilters) -> tuple[int, bool]:
    """How many assets the list holds: exact (an index count, as the home page's figures),
    except that a search's matches are counted up to the cap (True: more match)."""
    if filters.search.strip():
        return capped_count(session, _matches(user, filters), SEARCH_MATCH_CAP)
    query = select(Asset.id).where(*filter_conditions(user, filters))
    return row_count(session, query), False


def assets_query(user: User | None, filters: AssetFilters) -> Select:
    """The asset list's rows under the filters, sorted, for the user's sites."""
    query = _joined(LIST_COLUMNS).where(*filter_conditions(user, filters))
    columns = SORTS.get(filters.sort, SORTS["tag"])
    return query.order_by(*[c.desc() if filters.descending else c for c in columns])


def _dollars(cents: int | None) -> Decimal | None:
    """Cents as a dollar amount, as the import expects money in files."""
    return None if cents is None else Decimal(cents) / 100


def asset_export_rows(
    session: Session, user: User | None, filters: AssetFilters
) -> Iterator[tuple]:
    """Every asset under the filters, as rows under EXPORT_HEADERS (money in dollars); a
    search's matches are all exported, however many the list shows."""
    conditions = filter_conditions(user, filters, cap=None)
    query = _joined(EXPORT_COLUMNS).where(*conditions).order_by(Asset.tag)
    for row in session.execute(query).yield_per(2000):
        values = list(row)
        values[6] = values[6].value
        values[8] = _dollars(values[8])
        yield tuple(values)


def end_of_life_years(today: dt.date, count: int = 6) -> list[int]:
    """The fiscal years offered in the end-of-life filter: this one and the next few."""
    first = fiscal_year_of(today)
    return list(range(first, first + count))


def system_options(session: Session, user: User) -> list[tuple[int, str]]:
    """(id, name) of the systems for the filter boxes: every system for district readers; for a
    site administrator only those of the assets at their own sites."""
    query = select(System.id, System.name).order_by(System.name)
    if not sees_every_site(user):
        at_own_sites = scoped(select(Asset.model_id), user, Asset.site_id)
        models = select(AssetModel.system_id).where(AssetModel.id.in_(at_own_sites))
        query = query.where(System.id.in_(models))
    return [(key, name) for key, name in session.execute(query)]


def visible_model(session: Session, user: User, model_id: int) -> AssetModel | None:
    """The model, if the user may see it: district readers see the catalogue; a site
    administrator sees the models of the assets at their own sites."""
    model = session.get(AssetModel, model_id)
    if model is None or sees_every_site(user):
        return model
    own = scoped(select(Asset.id).where(Asset.model_id == model_id), user, Asset.site_id)
    return model if session.scalar(own.limit(1)) is not None else None
