"""Authorization entries of the planning upgrades pages (world.planning holds their objects)."""

from __future__ import annotations

from tests.app.authorization_rules import PLANNING_EDITORS, PLANNING_READERS, Expect, only


def _type(world) -> dict:
    """The world's upgrade type."""
    return {"upgrade_type_id": world.planning["upgrade_type"].id}


def _trade(world) -> dict:
    """The world's trade (its upgrade type needs it, so retiring it is refused: a redirect)."""
    return {"trade_id": world.planning["trade"].id}


TABLE: dict[str, Expect] = {
    "upgrades.index": only(*PLANNING_READERS),
    "upgrades.standard": only(*PLANNING_EDITORS, method="POST"),
    "upgrades.create": only(*PLANNING_EDITORS),
    "upgrades.edit": only(*PLANNING_EDITORS, args=_type),
    "upgrades.retire": only(*PLANNING_EDITORS, method="POST", args=_type),
    "upgrades.restore": only(*PLANNING_EDITORS, method="POST", args=_type),
    "upgrades.trades": only(*PLANNING_EDITORS),
    "upgrades.trade_create": only(*PLANNING_EDITORS),
    "upgrades.trade_edit": only(*PLANNING_EDITORS, args=_trade),
    "upgrades.trade_retire": only(*PLANNING_EDITORS, method="POST", args=_trade),
}
