"""Catalogue lists: systems, manufacturers and asset models, and the models' export rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from inventory.models import Asset, AssetModel, Manufacturer, System
from inventory.queries.search import contains

EXPORT_HEADERS = (
    "manufacturer", "part_number", "name", "system", "useful_life_years", "end_of_sale_on",
    "end_of_support_on", "unit_cost",
)  # fmt: skip


@dataclass(frozen=True)
class ModelFilters:
    """What the model list is narrowed to."""

    manufacturer_id: int | None = None
    system_id: int | None = None
    search: str = ""


def models_query(filters: ModelFilters) -> Select:
    """Asset models with manufacturer and system names, filtered, by manufacturer and part."""
    query = (
        select(AssetModel, Manufacturer.name.label("manufacturer"), System.name.label("system"))
        .join(Manufacturer, Manufacturer.id == AssetModel.manufacturer_id)
        .join(System, System.id == AssetModel.system_id)
        .order_by(Manufacturer.name, AssetModel.part_number)
    )
    if filters.manufacturer_id:
        query = query.where(AssetModel.manufacturer_id == filters.manufacturer_id)
    if filters.system_id:
        query = query.where(AssetModel.system_id == filters.system_id)
    if filters.search.strip():
        columns = (AssetModel.part_number, AssetModel.name, Manufacturer.name)
        query = query.where(contains(filters.search, *columns))
    return query


def model_export_rows(session: Session, filters: ModelFilters) -> Iterator[tuple]:
    """The filtered models as rows under EXPORT_HEADERS (money in dollars)."""
    for model, manufacturer, _system in session.execute(models_query(filters)):
        cost = model.unit_cost_cents
        yield (
            manufacturer, model.part_number, model.name, model.system.code,
            model.useful_life_years, model.end_of_sale_on, model.end_of_support_on,
            None if cost is None else Decimal(cost) / 100,
        )  # fmt: skip


def systems_query() -> Select:
    """Every system with its number of models."""
    return (
        select(System, func.count(AssetModel.id).label("model_count"))
        .outerjoin(AssetModel, AssetModel.system_id == System.id)
        .group_by(System.id)
        .order_by(System.name)
    )


def manufacturers_query() -> Select:
    """Every manufacturer with its number of models."""
    return (
        select(Manufacturer, func.count(AssetModel.id).label("model_count"))
        .outerjoin(AssetModel, AssetModel.manufacturer_id == Manufacturer.id)
        .group_by(Manufacturer.id)
        .order_by(Manufacturer.name)
    )


def model_asset_count(session: Session, model_id: int) -> int:
    """How many assets are of this model."""
    return session.scalar(select(func.count(Asset.id)).where(Asset.model_id == model_id)) or 0


def options(session: Session, entity: type, label_column: object) -> list[tuple[int, str]]:
    """(id, label) of every system or manufacturer, retired ones too, for filter boxes."""
    query = select(entity.id, label_column).order_by(label_column)  # type: ignore[attr-defined]
    return list(session.execute(query))


def form_options(
    session: Session, entity: type[System] | type[Manufacturer], *, keep: int | None = None
) -> list[tuple[int, str]]:
    """(id, name) of the active systems or manufacturers, for a form's select box; `keep` (the
    edited model's current one) is offered even when retired, marked so."""
    wanted = entity.is_active if keep is None else entity.is_active | (entity.id == keep)
    query = select(entity.id, entity.name, entity.is_active).where(wanted).order_by(entity.name)
    return [
        (key, name if active else f"{name} (retired)")
        for key, name, active in session.execute(query)
    ]
