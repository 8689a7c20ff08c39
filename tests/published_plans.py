"""Published plans for tests: a plan version recorded from chosen start months and published,
without running the optimiser (the placements are the test's, checked by no one)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.planning.adapter import problem_for
from inventory.base import utcnow
from inventory.enums import ScenarioStatus
from inventory.models import Plan, Project, Scenario, User
from inventory.operations.plans import PlannedProject, PlanOutcome, record_plan
from scheduler.io import problem_to_dict


def make_plan(
    session: Session,
    scenario: Scenario,
    placements: list[tuple[Project, int]],
    *,
    by: User | None = None,
    published_at: dt.datetime | None = None,
    publish: bool = True,
) -> Plan:
    """A new plan version of the scenario starting each project in its month; published (and
    the scenario approved) unless `publish` is False."""
    problem, _ids = problem_for(session, scenario)
    assignments = [
        PlannedProject(project.id, project.key, month, project.duration_months,
                       project.cost_cents, project.value)
        for project, month in placements
    ]  # fmt: skip
    outcome = PlanOutcome(
        status="feasible", value=sum(item.value for item in assignments), bound=None,
        runtime_s=0.1, time_limit_s=5, method="test", problem=problem_to_dict(problem),
        inputs_revision=scenario.inputs_revision, assignments=assignments, left_out=[],
    )  # fmt: skip
    plan = record_plan(session, scenario, by=by, outcome=outcome)
    if publish:
        scenario.status = ScenarioStatus.APPROVED
        plan.published_at = published_at or utcnow()
        plan.published_by_id = by.id if by is not None else None
    session.flush()
    return plan
