"""Plan versions written without the optimiser, and the flashed messages, for the deciding
pages' tests."""

from __future__ import annotations

from inventory.models import Plan, Scenario
from inventory.operations.plans import LeftOutProject, PlannedProject, PlanOutcome, record_plan


def record(session, scenario: Scenario, starts: dict, left_out: dict | None = None) -> Plan:
    """A plan version of the scenario scheduling `starts` and leaving out `left_out`."""
    outcome = PlanOutcome(
        status="feasible", value=sum(p.value for p in starts), bound=100.0, runtime_s=0.1,
        time_limit_s=1, method="test", problem={}, inputs_revision=scenario.inputs_revision,
        assignments=[
            PlannedProject(p.id, p.key, month, p.duration_months, p.cost_cents, p.value)
            for p, month in starts.items()
        ],
        left_out=[
            LeftOutProject(p.id, p.key, reason, "monthly_budget", p.cost_cents, p.value)
            for p, reason in (left_out or {}).items()
        ],
    )  # fmt: skip
    return record_plan(session, scenario, by=None, outcome=outcome)


def flashes(client) -> list[tuple[str, str]]:
    """The messages flashed to the client so far (and not yet shown)."""
    with client.session_transaction() as flask_session:
        return list(flask_session.get("_flashes", []))
