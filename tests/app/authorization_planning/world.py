"""The planning objects the authorization matrix's routes point at."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.planning.adapter import problem_for
from inventory.enums import FundingKind, Role
from inventory.models import FundingSource, ScenarioSite, User, WorkWindow
from inventory.operations.jobs import enqueue_job
from inventory.operations.plans import PlannedProject, PlanOutcome, record_plan
from scheduler.io import problem_to_dict
from tests.factories import make_project, make_scenario, make_site, make_trade, make_upgrade_type


def planning_world(session: Session, users: dict[Role, User]) -> dict[str, Any]:
    """A draft scenario with a project, a funding source, a work window, a site rule, a
    stored plan (version 1) and the planner's run job that made it."""
    trade = make_trade(session)
    upgrade_type = make_upgrade_type(session, trade=trade)
    scenario = make_scenario(session, name="Matrix scenario")
    site = make_site(session, name="Matrix planning school")
    source = FundingSource(scenario=scenario, code="general", name="General fund",
                           kind=FundingKind.GENERAL, is_default=True)  # fmt: skip
    window = WorkWindow(scenario=scenario, name="Summer break", months=[0, 1])
    site_rule = ScenarioSite(scenario=scenario, site=site, blackout_months=[9])
    session.add_all([source, window, site_rule])
    project = make_project(session, scenario, site=site, upgrade_type=upgrade_type)
    problem, _ids = problem_for(session, scenario)
    job = enqueue_job(
        session, by=users[Role.PLANNER], kind="plan", title="Plan Matrix scenario",
        params={"scenario_id": scenario.id, "time_limit_s": 5},
    )  # fmt: skip
    outcome = PlanOutcome(
        status="optimal", value=project.value, bound=float(project.value), runtime_s=0.1,
        time_limit_s=5, method="test", problem=problem_to_dict(problem),
        inputs_revision=scenario.inputs_revision,
        assignments=[PlannedProject(project.id, project.key, 2, 1, project.cost_cents,
                                    project.value)],
        left_out=[], job_id=job.id,
    )  # fmt: skip
    plan = record_plan(session, scenario, by=users[Role.PLANNER], outcome=outcome)
    return {
        "trade": trade,
        "upgrade_type": upgrade_type,
        "scenario": scenario,
        "site": site,
        "funding_source": source,
        "window": window,
        "site_rule": site_rule,
        "project": project,
        "plan": plan,
        "job": job,
    }
