"""Authorization entries of the planning decisions pages (world.planning holds their objects)."""

from __future__ import annotations

from tests.app.authorization_rules import PLANNING_EDITORS, PLANNING_READERS, Expect, only

TABLE: dict[str, Expect] = {
    # Pinning checks the rules and goes back (a redirect, whatever the outcome): editors only.
    "decisions.pin": only(
        *PLANNING_EDITORS,
        method="POST",
        args=lambda w: {"project_id": w.planning["project"].id},
        data={"month": "3", "next": "/planning/scenarios/"},
    ),
    # The world's scenario is a draft, so publishing is refused with a message and a redirect.
    "decisions.publish": only(
        *PLANNING_EDITORS, method="POST", args=lambda w: {"plan_id": w.planning["plan"].id}
    ),
    "decisions.changes": only(*PLANNING_READERS, args=lambda w: {"plan_id": w.planning["plan"].id}),
    "decisions.compare": only(*PLANNING_READERS),
}
