"""Projects of a scenario: add by hand, change, order, pin, withdraw, restore, delete.

API (keyword data; flush, never commit; failures raise inventory.errors with `field`):
    create_project(session, scenario, *, by, site, upgrade_type, **fields) -> Project
    update_project(session, project, *, by, expected_version=None, **fields) -> bool
    set_predecessors(session, project, predecessors, *, by, expected_version=None) -> bool
    pin_project(session, project, *, by, month: int | None) -> Project
    withdraw_project / restore_project(session, project, *, by) -> Project
    delete_project(session, project, *, by) -> None     # only if no plan has it
Fields: name, scope, duration_months, cost_cents, cost_basis, value, is_mandatory,
earliest_month, latest_month (the last month it may still be under way), allowed_start_months
(a list; empty means any), funding_source (a FundingSource of the scenario, or None), manager
(a User or None); create_project also takes assets_replaced and assets_added, which price a
project whose cost is not given. Every change needs a draft scenario and counts as a change of
its inputs. Cost and value: inventory/operations/project_rules.py (shared with needs).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.database import begin_before_savepoint
from inventory.enums import SiteStatus
from inventory.errors import Duplicate, InvalidValue, WrongState
from inventory.models import (
    FundingSource,
    Plan,
    PlanAssignment,
    PlanLeftOut,
    Project,
    Scenario,
    Site,
    UpgradeType,
    User,
)
from inventory.operations.catalog import MAX_COST_CENTS
from inventory.operations.fields import Cleaner, apply_changes, clean_fields, number, text
from inventory.operations.planning_checks import check_version, flag, flush_or_stale
from inventory.operations.project_rules import (
    check_month,
    check_timing,
    cost_of,
    funding_for,
    hand_links,
    month_cleaner,
    months_cleaner,
    project_graph,
    refuse_loop,
    value_of,
)
from inventory.operations.scenario_inputs import require_draft, touch_inputs

MAX_VALUE = 10_000_000


def _fields(scenario: Scenario) -> dict[str, Cleaner]:
    """The cleaners of a project's fields; months are checked against the scenario."""
    return {
        "name": text("name", "Project name", 200, required=True),
        "scope": text("scope", "Scope", 5000),
        "duration_months": number(
            "duration_months", "Duration (months)", 1, scenario.months, required=True
        ),
        "cost_cents": number("cost_cents", "Cost", 0, MAX_COST_CENTS, required=True),
        "cost_basis": text("cost_basis", "How the cost was worked out", 500),
        "value": number("value", "Value", 0, MAX_VALUE, required=True),
        "is_mandatory": flag,
        "earliest_month": month_cleaner(scenario, "earliest_month", "The earliest start"),
        "latest_month": month_cleaner(scenario, "latest_month", "The last month"),
        "allowed_start_months": months_cleaner(
            scenario, "allowed_start_months", "Each allowed start"
        ),
        "funding_source": _source_cleaner(scenario),
        "manager": lambda _session, value: value or None,
    }


def _source_cleaner(scenario: Scenario) -> Cleaner:
    """A funding source of this scenario, or None."""

    def clean(_session: Session, value: Any) -> FundingSource | None:
        """The source, checked to be the scenario's."""
        if value is None or value == "":
            return None
        if not isinstance(value, FundingSource) or value.scenario_id != scenario.id:
            raise InvalidValue(
                "Choose one of this scenario's funding sources.", field="funding_source"
            )
        return value

    return clean


def duplicate_message(session: Session, project: Project) -> str:
    """'Wi-Fi refresh at Lincoln Elementary is already in this scenario (added by pat on
    5 Dec 2026)'."""
    who = session.scalar(select(User.username).where(User.id == project.created_by_id))
    how = "generated from needs" if project.is_generated else "added"
    day = project.created_at
    when = f" on {day.day} {day:%b %Y}" if day is not None else ""
    by = f" by {who}" if who else ""
    return f"{project.name} is already in this scenario ({how}{by}{when})."


def _refuse_duplicate(session: Session, scenario: Scenario, site: Site, upgrade: UpgradeType):
    """One project of an upgrade type per site in a scenario: name the first one."""
    first = session.scalar(
        select(Project).where(
            Project.scenario_id == scenario.id,
            Project.site_id == site.id,
            Project.upgrade_type_id == upgrade.id,
        )
    )
    if first is not None:
        raise Duplicate(duplicate_message(session, first), field="upgrade_type")


def _defaults(scenario: Scenario, site: Site, upgrade: UpgradeType, fields: dict) -> dict:
    """What a new project gets unless given: its name, scope, length, cost, value, funding."""
    count = number("assets", "Assets to replace or add", 0, 100_000)
    replaced = count(None, fields.pop("assets_replaced", 0)) or 0
    added = count(None, fields.pop("assets_added", 0)) or 0
    counts = {"assets_replaced": replaced, "assets_added": added}
    cost, basis = cost_of(upgrade, replaced=replaced, added=added, enrollment=site.enrollment)
    value = value_of(upgrade, overdue=0, replaced=replaced, added=added)
    defaults = {
        "name": f"{upgrade.name} at {site.name}"[:200],
        "scope": upgrade.description,
        "duration_months": min(upgrade.duration_months, scenario.months),
        "cost_cents": cost,
        "cost_basis": basis[:500],
        "value": value,
        "funding_source": funding_for(scenario, upgrade, site),
    }
    if fields.get("cost_cents") not in (None, ""):
        defaults["cost_basis"] = "Set by hand."
    given = {key: value for key, value in fields.items() if value not in (None, "")}
    return {**counts, **defaults, **given}


def create_project(
    session: Session,
    scenario: Scenario,
    *,
    by: User | None,
    site: Site,
    upgrade_type: UpgradeType,
    **fields: Any,
) -> Project:
    """Add a project by hand; a second one of the same upgrade at the same site is refused."""
    require_draft(scenario)
    set_actor(session, by)
    if site.status is SiteStatus.CLOSED:
        raise InvalidValue(f"{site.name} is closed.", field="site")
    if not upgrade_type.is_active:
        raise InvalidValue(
            f"{upgrade_type.name} is retired from the catalogue.", field="upgrade_type"
        )
    _refuse_duplicate(session, scenario, site, upgrade_type)
    values = _defaults(scenario, site, upgrade_type, dict(fields))
    counts = {key: values.pop(key) for key in ("assets_replaced", "assets_added")}
    with session.no_autoflush:
        cleaned = clean_fields(session, _fields(scenario), values)
        check_timing(scenario, cleaned)
    begin_before_savepoint(session)
    try:
        with session.begin_nested():  # someone else's project may have won the race
            project = Project(
                scenario=scenario, site=site, upgrade_type=upgrade_type, created_by_id=_id(by),
                **counts, **cleaned,
            )  # fmt: skip
            session.add(project)
            session.flush()
    except IntegrityError:
        _refuse_duplicate(session, scenario, site, upgrade_type)
        raise
    refuse_loop(session, project)
    touch_inputs(scenario)
    session.flush()
    return project


def _id(user: User | None) -> int | None:
    """The user's id, or None for the system."""
    return user.id if user is not None else None


def update_project(
    session: Session,
    project: Project,
    *,
    by: User | None,
    expected_version: int | None = None,
    **fields: Any,
) -> bool:
    """Change a project's details; True if anything changed."""
    scenario = project.scenario
    require_draft(scenario)
    set_actor(session, by)
    check_version(project, expected_version)
    with session.no_autoflush:
        values = clean_fields(session, _fields(scenario), fields)
        if "cost_cents" in values and values["cost_cents"] != project.cost_cents:
            values.setdefault("cost_basis", "Set by hand.")
        current = {key: getattr(project, key) for key in _fields(scenario)}
        check_timing(scenario, {**current, **values})
        changed = apply_changes(project, values)
    if changed:
        touch_inputs(scenario)
    flush_or_stale(session, project.name)
    return changed


def set_predecessors(
    session: Session,
    project: Project,
    predecessors: Iterable[Project],
    *,
    by: User | None,
    expected_version: int | None = None,
) -> bool:
    """The projects this one must follow (same scenario, not itself, no loop, counting the
    catalogue's prerequisites); True if they changed."""
    require_draft(project.scenario)
    check_version(project, expected_version)
    chosen = {item.id: item for item in predecessors}
    for item in chosen.values():
        if item.scenario_id != project.scenario_id:
            raise InvalidValue(f"{item.name} is in another scenario.", field="predecessors")
        if item.id == project.id:
            raise InvalidValue("A project cannot follow itself.", field="predecessors")
    if set(chosen) == {item.id for item in project.predecessors}:
        return False
    hand = hand_links(session, project.scenario_id)
    hand[project.id] = set(chosen)
    refuse_loop(session, project, project_graph(session, project.scenario_id, hand=hand))
    set_actor(session, by)
    project.predecessors = sorted(chosen.values(), key=lambda item: item.id)
    touch_inputs(project.scenario)
    flush_or_stale(session, project.name)
    return True


def pin_project(
    session: Session, project: Project, *, by: User | None, month: int | None
) -> Project:
    """Fix the project's start month (None: unpin). The rule checks against crews and budgets
    are the pin page's; this checks only that the month is in the scenario."""
    scenario = project.scenario
    require_draft(scenario)
    if month is not None:
        month = check_month(scenario, month, "month", "The pinned month")
        if project.is_withdrawn:
            raise WrongState(f"{project.name} is withdrawn; restore it before pinning it.")
    set_actor(session, by)
    if project.pinned_month != month:
        project.pinned_month = month
        touch_inputs(scenario)
    session.flush()
    return project


def withdraw_project(session: Session, project: Project, *, by: User | None) -> Project:
    """Take a project out of future plans, keeping it on record (its pin is cleared)."""
    return _set_withdrawn(session, project, by, True)


def restore_project(session: Session, project: Project, *, by: User | None) -> Project:
    """Bring a withdrawn project back as a candidate."""
    return _set_withdrawn(session, project, by, False)


def _set_withdrawn(session: Session, project: Project, by: User | None, withdrawn: bool):
    """Withdraw or restore."""
    require_draft(project.scenario)
    set_actor(session, by)
    if project.is_withdrawn != withdrawn:
        project.is_withdrawn = withdrawn
        project.pinned_month = None
        touch_inputs(project.scenario)
    session.flush()
    return project


def delete_project(session: Session, project: Project, *, by: User | None) -> None:
    """Delete a project no plan has (one that a plan has must be withdrawn instead)."""
    require_draft(project.scenario)
    in_plans = select(Plan.version).join(PlanAssignment, PlanAssignment.plan_id == Plan.id)
    left_out = select(Plan.version).join(PlanLeftOut, PlanLeftOut.plan_id == Plan.id)
    query = in_plans.where(PlanAssignment.project_id == project.id).union(
        left_out.where(PlanLeftOut.project_id == project.id)
    )
    versions = sorted(set(session.scalars(query)))
    if versions:
        listed = ", ".join(str(v) for v in versions)
        noun = "version" if len(versions) == 1 else "versions"
        raise WrongState(
            f"{project.name} is in plan {noun} {listed}, so it stays on record: withdraw it "
            "instead (it leaves future plans)."
        )
    set_actor(session, by)
    scenario = project.scenario
    session.delete(project)
    touch_inputs(scenario)
    session.flush()
