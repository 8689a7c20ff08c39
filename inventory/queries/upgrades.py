"""The upgrade catalogue as the pages list it: upgrade types with their crews and
prerequisites, trades with how many upgrade types need them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from inventory.models import Project, System, Trade, UpgradeType, UpgradeTypeCrew


def upgrade_types(session: Session, *, active: bool | None = None) -> list[UpgradeType]:
    """Upgrade types by system and name, with system, crews and prerequisites loaded."""
    query = (
        select(UpgradeType)
        .join(System, System.id == UpgradeType.system_id)
        .options(
            selectinload(UpgradeType.system),
            selectinload(UpgradeType.crew_needs).selectinload(UpgradeTypeCrew.trade),
            selectinload(UpgradeType.prerequisites),
        )
        .order_by(System.name, UpgradeType.name)
    )
    if active is not None:
        query = query.where(UpgradeType.is_active.is_(active))
    return list(session.scalars(query))


def projects_by_upgrade_type(session: Session) -> dict[int, int]:
    """How many projects (in every scenario) each upgrade type has."""
    query = select(Project.upgrade_type_id, func.count(Project.id)).group_by(
        Project.upgrade_type_id
    )
    return {type_id: int(count) for type_id, count in session.execute(query)}


def trades_in_use(session: Session) -> list[tuple[Trade, int]]:
    """Every trade by name, with how many active upgrade types need its crews."""
    users = (
        select(UpgradeTypeCrew.trade_id, func.count(UpgradeType.id).label("uses"))
        .join(UpgradeType, UpgradeType.id == UpgradeTypeCrew.upgrade_type_id)
        .where(UpgradeType.is_active.is_(True))
        .group_by(UpgradeTypeCrew.trade_id)
        .subquery()
    )
    query = (
        select(Trade, func.coalesce(users.c.uses, 0))
        .outerjoin(users, users.c.trade_id == Trade.id)
        .order_by(Trade.is_active.desc(), Trade.name)
    )
    return [(trade, int(uses)) for trade, uses in session.execute(query)]


def active_trades(session: Session) -> list[Trade]:
    """The trades offered for crews, in the order they were added."""
    return list(session.scalars(select(Trade).where(Trade.is_active.is_(True)).order_by(Trade.id)))


def system_options(session: Session) -> list[tuple[int, str]]:
    """(id, name) of the active systems, for select boxes."""
    query = select(System.id, System.name).where(System.is_active.is_(True)).order_by(System.name)
    return [(system_id, name) for system_id, name in session.execute(query)]
