"""Authorization entries of the planning runs pages (world.planning holds their objects).

Starting, re-planning and cancelling are for planners and administrators; everyone who reads
plans may watch a run (the matrix's job is the planner's run of the matrix scenario).
"""

from __future__ import annotations

from tests.app.authorization_rules import PLANNING_EDITORS, PLANNING_READERS, Expect, only


def _scenario(world) -> dict:
    return {"scenario_id": world.planning["scenario"].id}


def _plan(world) -> dict:
    return {"plan_id": world.planning["plan"].id}


def _job(world) -> dict:
    return {"job_id": world.planning["job"].id}


TABLE: dict[str, Expect] = {
    "runs.start": only(*PLANNING_EDITORS, method="POST", args=_scenario),
    "runs.replan": only(*PLANNING_EDITORS, method="POST", args=_plan),
    "runs.detail": only(*PLANNING_READERS, args=_job),
    "runs.status": only(*PLANNING_READERS, args=_job),
    "runs.cancel": only(*PLANNING_EDITORS, method="POST", args=_job),
}
