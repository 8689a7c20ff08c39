"""Authorization entries of the planning projects pages (world.planning holds their objects)."""

from __future__ import annotations

from tests.app.authorization_rules import PLANNING_EDITORS, PLANNING_READERS, Expect, only


def _scenario(world) -> dict:
    """The world's draft scenario."""
    return {"scenario_id": world.planning["scenario"].id}


def _project(world) -> dict:
    """The world's project (plan version 1 has it, so deleting it is refused: a redirect)."""
    return {"project_id": world.planning["project"].id}


TABLE: dict[str, Expect] = {
    "projects.index": only(*PLANNING_READERS, args=_scenario),
    # Readers see what generating needs would create; creating them (POST) is for editors,
    # checked in tests/app/planning/test_project_views.py.
    "projects.needs": only(*PLANNING_READERS, args=_scenario),
    "projects.create": only(*PLANNING_EDITORS, args=_scenario),
    "projects.detail": only(*PLANNING_READERS, args=_project),
    "projects.edit": only(*PLANNING_EDITORS, args=_project),
    "projects.predecessors": only(*PLANNING_EDITORS, args=_project),
    "projects.withdraw": only(*PLANNING_EDITORS, method="POST", args=_project),
    "projects.restore": only(*PLANNING_EDITORS, method="POST", args=_project),
    "projects.delete": only(*PLANNING_EDITORS, method="POST", args=_project),
}
