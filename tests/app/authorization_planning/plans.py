"""Authorization entries of the planning plans pages (world.planning holds their objects)."""

from __future__ import annotations

from typing import Any

from tests.app.authorization_rules import PLANNING_READERS, Expect, only


def _plan(world: Any) -> dict[str, Any]:
    """The stored plan (version 1) of the matrix scenario."""
    return {"plan_id": world.planning["plan"].id}


TABLE: dict[str, Expect] = {
    "plans.overview": only(*PLANNING_READERS, args=_plan),
    "plans.schedule": only(*PLANNING_READERS, args=_plan),
    "plans.timeline": only(*PLANNING_READERS, args=_plan),
    "plans.left_out": only(*PLANNING_READERS, args=_plan),
    "plans.export_json": only(*PLANNING_READERS, args=_plan),
}
