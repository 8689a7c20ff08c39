"""Scenarios: create, change and delete them; one import for every scenario operation.

API (keyword data; flush, never commit; failures raise inventory.errors naming the field):
    create_scenario(session, *, by, name, first_year, years=1, start_month, description=None,
                    time_limit_s=None) -> Scenario
    update_scenario(session, scenario, *, by, expected_version=None, **fields) -> int
        # fields: name, description, years, default_max_concurrent, time_limit_s, move_penalty;
        # returns how many months, pins and window or blackout months fell past a new end
    delete_scenario(session, scenario, *, by, expected_version=None) -> None
Budgets, crews and funding sources: inventory/operations/scenario_resources.py; blackouts, work
windows and site rules: scenario_calendar.py; copies: scenario_copies.py; the review (submit,
approve, return to draft): scenario_review.py. Their functions are re-exported here so
callers need one import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.errors import Duplicate, WrongState
from inventory.models import (
    Job,
    Plan,
    PlanAssignment,
    PlanLeftOut,
    Project,
    ProjectAsset,
    Scenario,
    User,
)
from inventory.operations.scenario_calendar import (
    add_work_window,
    remove_site_rule,
    remove_work_window,
    set_blackout_months,
    set_site_rule,
    update_work_window,
)
from inventory.operations.scenario_copies import copy_scenario, scenario_name_taken
from inventory.operations.scenario_fields import (
    bounded,
    check_version,
    repeat_yearly,
    required,
    resized,
    text,
)
from inventory.operations.scenario_inputs import require_draft, touch_inputs
from inventory.operations.scenario_resources import (
    add_funding_source,
    remove_funding_source,
    remove_trade,
    set_budgets,
    set_crews,
    set_trade_crews,
    update_funding_source,
)
from inventory.operations.scenario_review import (
    SubmissionBlocked,
    approve_scenario,
    return_to_draft,
    submit_scenario,
)

__all__ = [
    "SubmissionBlocked",
    "add_funding_source",
    "add_work_window",
    "approve_scenario",
    "copy_scenario",
    "create_scenario",
    "delete_scenario",
    "remove_funding_source",
    "remove_site_rule",
    "remove_trade",
    "remove_work_window",
    "return_to_draft",
    "set_blackout_months",
    "set_budgets",
    "set_crews",
    "set_site_rule",
    "set_trade_crews",
    "submit_scenario",
    "update_funding_source",
    "update_scenario",
    "update_work_window",
]

MAX_YEARS = 5
# Settings that change the optimiser's problem (the name and description do not).
PROBLEM_SETTINGS = ("years", "default_max_concurrent")


def _name(session: Session, value: Any, own_id: int | None) -> str:
    """A scenario name: required, at most 120 characters, used by no other scenario."""
    name = text(value, field="name", label="Name", max_length=120, need=True)
    assert name is not None
    if scenario_name_taken(session, name, own_id):
        raise Duplicate(f"A scenario named {name} exists already.", field="name")
    return name


def create_scenario(
    session: Session,
    *,
    by: User | None,
    name: str,
    first_year: int,
    years: int = 1,
    start_month: int,
    description: str | None = None,
    time_limit_s: int | None = None,
) -> Scenario:
    """A new draft scenario covering `years` fiscal years from FY`first_year` (the fiscal year
    is named by the calendar year it ends in), with no budgets, crews or rules yet."""
    set_actor(session, by)
    years = required(years, 1, MAX_YEARS, field="years", label="Years")
    scenario = Scenario(
        name=_name(session, name, None),
        description=text(description, field="description", label="Description", max_length=5000),
        first_year=required(first_year, 2000, 2100, field="first_year", label="First fiscal year"),
        years=years,
        start_month=required(start_month, 1, 12, field="start_month", label="First month"),
        annual_budgets_cents=[None] * years,
        monthly_caps_cents=None,
        blackout_months=[],
        time_limit_s=bounded(time_limit_s, 1, 3600, field="time_limit_s", label="Time limit") or 60,
        created_by_id=by.id if by is not None else None,
    )
    session.add(scenario)
    session.flush()
    return scenario


def _settings(session: Session, scenario: Scenario, fields: dict[str, Any]) -> dict[str, Any]:
    """The scenario's own settings, checked."""
    cleaners: dict[str, Callable[[Any], Any]] = {
        "name": lambda v: _name(session, v, scenario.id),
        "description": lambda v: text(v, field="description", label="Description", max_length=5000),
        "years": lambda v: required(v, 1, MAX_YEARS, field="years", label="Years"),
        "default_max_concurrent": lambda v: required(
            v, 1, 50, field="default_max_concurrent", label="Projects at once per site"
        ),
        "time_limit_s": lambda v: required(v, 1, 3600, field="time_limit_s", label="Time limit"),
        "move_penalty": lambda v: required(
            v, 0, 1000, field="move_penalty", label="Penalty for moving a project"
        ),
    }
    unknown = set(fields) - set(cleaners)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    return {key: cleaners[key](value) for key, value in fields.items()}


def update_scenario(
    session: Session,
    scenario: Scenario,
    *,
    by: User | None,
    expected_version: int | None = None,
    **fields: Any,
) -> int:
    """Change a draft scenario's settings. A new number of years resizes every per-month list
    (added years repeat the last year's crews, windows and blackouts); returns how many months,
    pins and allowed start months fell past a new end and were dropped."""
    require_draft(scenario)
    check_version(scenario, expected_version)
    set_actor(session, by)
    values = _settings(session, scenario, fields)
    changes_problem = any(
        key in values and values[key] != getattr(scenario, key) for key in PROBLEM_SETTINGS
    )
    dropped = 0
    if "years" in values and values["years"] != scenario.years:
        dropped = _resize(session, scenario, values["years"])
    for key, value in values.items():
        if getattr(scenario, key) != value:
            setattr(scenario, key, value)
    if changes_problem:
        touch_inputs(scenario)
    session.flush()
    return dropped


def _resize(session: Session, scenario: Scenario, years: int) -> int:
    """Fit every per-year and per-month input to `years`; count what fell past the end."""
    old, months = scenario.years, 12 * years
    dropped = 0
    scenario.annual_budgets_cents = resized(scenario.annual_budgets_cents, years, None)
    if scenario.monthly_caps_cents is not None:
        scenario.monthly_caps_cents = resized(scenario.monthly_caps_cents, months, None)
    for row in scenario.trades:
        crews = list(row.crews_by_month or [])
        row.crews_by_month = resized(crews, months, crews[-1] if crews else 0)
    owners = [(scenario, "blackout_months"), *((w, "months") for w in scenario.windows)]
    owners += [(rule, "blackout_months") for rule in scenario.site_settings]
    for owner, key in owners:
        current = list(getattr(owner, key) or [])
        dropped += sum(1 for m in current if m >= months)
        setattr(owner, key, repeat_yearly(current, old, years))
    if years < old:
        dropped += _drop_project_months(session, scenario, months)
    return dropped


def _drop_project_months(session: Session, scenario: Scenario, months: int) -> int:
    """Clear pins and allowed start months past a new end of the scenario; count them."""
    dropped = 0
    projects = session.scalars(select(Project).where(Project.scenario_id == scenario.id))
    for project in projects:
        if project.pinned_month is not None and project.pinned_month >= months:
            project.pinned_month = None
            dropped += 1
        allowed = project.allowed_start_months
        if allowed is not None and any(m >= months for m in allowed):
            project.allowed_start_months = [m for m in allowed if m < months]
            dropped += sum(1 for m in allowed if m >= months)
    return dropped


def delete_scenario(
    session: Session, scenario: Scenario, *, by: User | None, expected_version: int | None = None
) -> None:
    """Delete a draft scenario that never had a plan published, with its inputs, projects and
    plans; not while a plan is being generated."""
    require_draft(scenario)
    check_version(scenario, expected_version)
    published = session.scalar(
        select(Plan.version)
        .where(Plan.scenario_id == scenario.id, Plan.published_at.is_not(None))
        .limit(1)
    )
    if published is not None:
        raise WrongState(
            f"{scenario.name} has a published plan (version {published}); it is kept as a "
            "record and cannot be deleted."
        )
    if scenario.running_job_id is not None:
        job = session.get(Job, scenario.running_job_id)
        if job is not None and not job.status.is_finished:
            raise WrongState(f"A plan is being generated for {scenario.name}; wait or cancel it.")
    set_actor(session, by)
    _delete_plans_and_projects(session, scenario)
    session.delete(scenario)
    session.flush()


def _delete_plans_and_projects(session: Session, scenario: Scenario) -> None:
    """Delete the scenario's plans, then its projects, one statement each (thousands of rows;
    the database removes their assignments, asset links and predecessors with them)."""
    plan_ids = set(session.scalars(select(Plan.id).where(Plan.scenario_id == scenario.id)))
    project_ids = set(session.scalars(select(Project.id).where(Project.scenario_id == scenario.id)))
    for obj in list(session.identity_map.values()):  # rows about to go: forget them first
        if (
            (isinstance(obj, Plan) and obj.id in plan_ids)
            or (isinstance(obj, Project) and obj.id in project_ids)
            or (isinstance(obj, PlanAssignment | PlanLeftOut) and obj.plan_id in plan_ids)
            or (isinstance(obj, ProjectAsset) and obj.project_id in project_ids)
        ):
            session.expunge(obj)
    session.execute(delete(Plan).where(Plan.scenario_id == scenario.id))
    session.execute(delete(Project).where(Project.scenario_id == scenario.id))
    session.expire(scenario, ["plans", "projects"])
