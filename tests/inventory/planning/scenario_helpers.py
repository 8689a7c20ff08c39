"""Test helpers for scenarios (kept here: tests/factories.py is shared)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from inventory.models import Plan, Scenario, User
from inventory.operations.plans import PlannedProject, PlanOutcome, record_plan
from tests.factories import make_project


def record_simple_plan(
    session: Session, scenario: Scenario, user: User | None, *, value: int = 10
) -> Plan:
    """A one-project plan of the scenario (a new project when it has none), stored as made by
    the optimiser from the scenario's current inputs."""
    project = scenario.projects[0] if scenario.projects else make_project(session, scenario)
    outcome = PlanOutcome(
        status="optimal", value=value, bound=float(value), runtime_s=0.1, time_limit_s=5,
        method="test", problem={"horizon": scenario.months, "projects": []},
        inputs_revision=scenario.inputs_revision,
        assignments=[PlannedProject(project.id, project.key, 0, 1, project.cost_cents, value)],
        left_out=[],
    )  # fmt: skip
    return record_plan(session, scenario, by=user, outcome=outcome)
