"""Authorization entries of the planning scenarios pages (world.planning holds their objects).

Readers (administrators, planners, the PMO viewer, infrastructure staff) see the scenario pages;
planners and administrators change them; site administrators get 403. The POST buttons are
tried without their form, so they change nothing (the page says the form was incomplete).
"""

from __future__ import annotations

from typing import Any

from tests.app.authorization_rules import PLANNING_EDITORS, PLANNING_READERS, Expect, only


def _scenario(world: Any) -> dict[str, int]:
    return {"scenario_id": world.planning["scenario"].id}


def _source(world: Any) -> dict[str, int]:
    return {**_scenario(world), "source_id": world.planning["funding_source"].id}


def _window(world: Any) -> dict[str, int]:
    return {**_scenario(world), "window_id": world.planning["window"].id}


def _site(world: Any) -> dict[str, int]:
    return {**_scenario(world), "site_id": world.planning["site"].id}


TABLE: dict[str, Expect] = {
    "scenarios.index": only(*PLANNING_READERS),
    "scenarios.create": only(*PLANNING_EDITORS),
    "scenarios.detail": only(*PLANNING_READERS, args=_scenario),
    "scenarios.edit": only(*PLANNING_EDITORS, args=_scenario),
    "scenarios.budget": only(*PLANNING_READERS, args=_scenario),
    "scenarios.crews": only(*PLANNING_READERS, args=_scenario),
    "scenarios.funding": only(*PLANNING_READERS, args=_scenario),
    "scenarios.funding_edit": only(*PLANNING_EDITORS, args=_source),
    "scenarios.funding_delete": only(*PLANNING_EDITORS, method="POST", args=_source),
    "scenarios.calendar": only(*PLANNING_READERS, args=_scenario),
    "scenarios.window_create": only(*PLANNING_EDITORS, args=_scenario),
    "scenarios.window_edit": only(*PLANNING_EDITORS, args=_window),
    "scenarios.window_delete": only(*PLANNING_EDITORS, method="POST", args=_window),
    "scenarios.sites": only(*PLANNING_READERS, args=_scenario),
    "scenarios.site_edit": only(*PLANNING_EDITORS, args=_site),
    "scenarios.site_remove": only(*PLANNING_EDITORS, method="POST", args=_site),
    "scenarios.copy": only(*PLANNING_EDITORS, args=_scenario),
    "scenarios.status": only(*PLANNING_EDITORS, method="POST", args=_scenario),
    "scenarios.delete": only(*PLANNING_EDITORS, method="POST", args=_scenario),
    "scenarios.history": only(*PLANNING_READERS, args=_scenario),
}
