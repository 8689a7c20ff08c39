"""Plans: record the optimiser's answer as a new version, publish a version as the baseline.

API (keyword data; flush, never commit; failures raise inventory.errors):
    record_plan(session, scenario, *, by, outcome) -> Plan      # version = last + 1
    publish_plan(session, plan, *, by, note=None) -> Plan       # the scenario's new baseline
    baseline_of(session, scenario) -> Plan | None               # the latest published version
    previous_baseline_of(session, scenario) -> Plan | None      # the one published before it
The optimiser's types stay in app/: `outcome` is plain data (PlanOutcome).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.changelog import ChangeLogEntry, object_type_of, set_actor
from inventory.enums import ScenarioStatus
from inventory.errors import InvalidValue, WrongState
from inventory.models import Plan, PlanAssignment, PlanLeftOut, Scenario, User

PLAN_STATUSES = ("optimal", "feasible")


@dataclass(frozen=True)
class PlannedProject:
    """A scheduled project as a plan row: start month and, as planned, length, cost, value."""

    project_id: int
    key: str
    start_month: int
    duration_months: int
    cost_cents: int
    value: int
    is_pinned: bool = False


@dataclass(frozen=True)
class LeftOutProject:
    """A project the plan leaves out, the optimiser's reason and the limit that keeps it out."""

    project_id: int
    key: str
    reason: str
    limit_key: str
    cost_cents: int
    value: int


@dataclass(frozen=True)
class PlanOutcome:
    """Everything a plan version records about one optimiser run."""

    status: str
    value: int
    bound: float | None
    runtime_s: float
    time_limit_s: float
    method: str
    problem: dict[str, Any]
    inputs_revision: int
    assignments: list[PlannedProject]
    left_out: list[LeftOutProject]
    stats: dict[str, Any] = field(default_factory=dict)
    based_on: Plan | None = None
    move_penalty: int = 0
    stopped_early: bool = False
    job_id: int | None = None


def record_plan(
    session: Session, scenario: Scenario, *, by: User | None, outcome: PlanOutcome
) -> Plan:
    """Store the outcome as the scenario's next plan version, with its rows."""
    if outcome.status not in PLAN_STATUSES:
        raise InvalidValue(f"Only a plan that was found can be stored (status {outcome.status}).")
    set_actor(session, by)
    # Lock the scenario's row so two runs finishing together cannot take the same number.
    session.execute(select(Scenario.id).where(Scenario.id == scenario.id).with_for_update())
    last = session.scalar(select(func.max(Plan.version)).where(Plan.scenario_id == scenario.id))
    plan = Plan(
        scenario=scenario,
        version=(last or 0) + 1,
        status=outcome.status,
        value=outcome.value,
        bound=outcome.bound,
        runtime_s=round(outcome.runtime_s, 3),
        time_limit_s=outcome.time_limit_s,
        method=outcome.method[:64],
        stopped_early=outcome.stopped_early,
        based_on=outcome.based_on,
        move_penalty=outcome.move_penalty,
        inputs_revision=outcome.inputs_revision,
        problem=outcome.problem,
        stats=outcome.stats,
        total_cost_cents=sum(item.cost_cents for item in outcome.assignments),
        projects_scheduled=len(outcome.assignments),
        projects_left_out=len(outcome.left_out),
        job_id=outcome.job_id,
        created_by_id=by.id if by is not None else None,
    )
    session.add(plan)
    session.flush()
    if outcome.assignments:  # thousands of rows: one bulk insert each
        session.execute(
            insert(PlanAssignment),
            [{"plan_id": plan.id, **vars(item)} for item in outcome.assignments],
        )
    if outcome.left_out:
        session.execute(
            insert(PlanLeftOut), [{"plan_id": plan.id, **vars(item)} for item in outcome.left_out]
        )
    return plan


def publish_plan(session: Session, plan: Plan, *, by: User | None, note: str | None = None) -> Plan:
    """Make the plan the scenario's baseline: the scenario must be approved and the plan made
    from its current inputs."""
    scenario = plan.scenario
    if plan.published_at is not None:
        raise WrongState(f"Version {plan.version} was already published.")
    if scenario.status is not ScenarioStatus.APPROVED:
        raise WrongState(
            f"{scenario.name} is {scenario.status.label.lower()}: only an approved scenario's "
            "plan can be published. Submit it for approval first."
        )
    if plan.inputs_revision != scenario.inputs_revision:
        raise WrongState(
            f"Version {plan.version} was made before the scenario's inputs last changed; "
            "generate or re-plan, then publish the new version."
        )
    set_actor(session, by)
    # One statement that only succeeds once: two planners publishing together cannot both win.
    claimed = session.execute(
        update(Plan)
        .where(Plan.id == plan.id, Plan.published_at.is_(None))
        .values(
            published_at=utcnow(),
            published_by_id=by.id if by is not None else None,
            note=(note or "").strip()[:2000] or plan.note,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise WrongState(f"Version {plan.version} was already published.")
    session.refresh(plan)
    _record_publication(session, plan, by)
    return plan


def _record_publication(session: Session, plan: Plan, by: User | None) -> None:
    """The change log's entry for a publication (the UPDATE above bypasses the listener)."""
    session.execute(
        insert(ChangeLogEntry),
        [
            {
                "changed_at": plan.published_at,
                "actor_id": by.id if by is not None else None,
                "actor_name": by.username if by is not None else "system",
                "object_type": object_type_of(plan),
                "object_id": plan.id,
                "object_label": plan.audit_label()[:200],
                "action": "update",
                "changes": {"published_at": [None, plan.published_at.isoformat()]},
            }
        ],
    )


def baseline_of(session: Session, scenario: Scenario) -> Plan | None:
    """The scenario's baseline: its most recently published plan, or None."""
    return session.scalar(_published(scenario).limit(1))


def previous_baseline_of(session: Session, scenario: Scenario) -> Plan | None:
    """The plan published before the current baseline, or None."""
    return session.scalar(_published(scenario).offset(1).limit(1))


def _published(scenario: Scenario):
    """The scenario's published plans, newest publication first."""
    return (
        select(Plan)
        .where(Plan.scenario_id == scenario.id, Plan.published_at.is_not(None))
        .order_by(Plan.published_at.desc(), Plan.version.desc())
    )
