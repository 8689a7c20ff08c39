"""Trades of crews: the standard list, and adding, renaming and retiring them (part of the
upgrade catalogue; inventory.operations.upgrades re-exports these)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.errors import Duplicate, NotFound, WrongState
from inventory.models import Trade, UpgradeType, UpgradeTypeCrew, User
from inventory.operations.fields import Cleaner, apply_changes, clean_fields, code, taken
from inventory.operations.fields import text as text_field
from inventory.operations.planning_checks import check_version, flush_or_stale
from inventory.operations.upgrade_catalogue import STANDARD_TRADES

TRADE_FIELDS: dict[str, Cleaner] = {
    "code": code("code", "Trade code"),
    "name": text_field("name", "Trade name", 120, required=True),
    "description": text_field("description", "Description", 2000),
}


def ensure_standard_trades(session: Session) -> list[Trade]:
    """Add any standard trade that is missing (by code); return all trades."""
    existing = set(session.scalars(select(Trade.code)))
    for trade_code, name in STANDARD_TRADES:
        if trade_code not in existing and not taken(session, Trade.name, name, None):
            session.add(Trade(code=trade_code, name=name))
    session.flush()
    return list(session.scalars(select(Trade).order_by(Trade.id)))


def _check_unique(session: Session, values: dict, own_id: int | None) -> None:
    """Trade codes and names are unique (ignoring case)."""
    for name in ("code", "name"):
        if name in values and taken(session, getattr(Trade, name), values[name], own_id):
            raise Duplicate(f"Another trade has the {name} {values[name]}.", field=name)


def create_trade(
    session: Session, *, by: User | None, code: str, name: str, description: str | None = None
) -> Trade:
    """Add a trade of crews."""
    set_actor(session, by)
    values = clean_fields(
        session, TRADE_FIELDS, {"code": code, "name": name, "description": description}
    )
    _check_unique(session, values, None)
    trade = Trade(**values)
    session.add(trade)
    session.flush()
    return trade


def update_trade(
    session: Session,
    trade: Trade,
    *,
    by: User | None,
    expected_version: int | None = None,
    **fields: Any,
) -> bool:
    """Rename a trade or change its description; True if anything changed."""
    set_actor(session, by)
    check_version(trade, expected_version)
    values = clean_fields(session, TRADE_FIELDS, fields)
    _check_unique(session, values, trade.id)
    changed = apply_changes(trade, values)
    flush_or_stale(session, trade.name)
    return changed


def retire_trade(session: Session, trade: Trade, *, by: User | None) -> Trade:
    """Stop offering a trade; refused while active upgrade types need its crews."""
    users = session.scalars(
        select(UpgradeType.name)
        .join(UpgradeTypeCrew, UpgradeTypeCrew.upgrade_type_id == UpgradeType.id)
        .where(UpgradeTypeCrew.trade_id == trade.id, UpgradeType.is_active.is_(True))
        .order_by(UpgradeType.name)
    ).all()
    if users:
        raise WrongState(
            f"{trade.name} crews are needed by {', '.join(users)}; change those upgrades first."
        )
    set_actor(session, by)
    trade.is_active = False
    session.flush()
    return trade


def find_trade(session: Session, key: Trade | str | int) -> Trade:
    """A Trade, or the one with this code (or id)."""
    if isinstance(key, Trade):
        return key
    column = Trade.id if isinstance(key, int) else Trade.code
    found = session.scalar(select(Trade).where(column == key))
    if found is None:
        raise NotFound(f"There is no trade {key}.", field="crews")
    return found
