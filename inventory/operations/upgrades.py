"""The upgrade catalogue: trades of crews (inventory/operations/trades.py, re-exported here) and
upgrade types (the kinds of project).

API (keyword data; flush, never commit; failures raise inventory.errors with `field`):
    ensure_standard_trades(session) -> list[Trade]          # the migration seeds the same list
    create_trade(session, *, by, code, name, description=None) -> Trade
    update_trade(session, trade, *, by, expected_version=None, **fields) -> bool
    retire_trade(session, trade, *, by) -> Trade            # refused while upgrades need it
    create_upgrade_type(session, *, by, code, name, system, crews, prerequisites=(), **fields)
    update_upgrade_type(session, upgrade_type, *, by, expected_version=None, crews=None,
                        prerequisites=None, **fields) -> bool
    retire_upgrade_type / restore_upgrade_type(session, upgrade_type, *, by) -> UpgradeType
    load_standard_catalogue(session, *, by) -> list[UpgradeType]     # the ones it added
    standard_upgrades_missing(session) -> list[str]                  # what it would add
`crews` maps a Trade (or its code) to crews per month (0 leaves the trade out); `system` is a
System or its code; `prerequisites` are upgrade types that must be done first at the same site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.errors import Duplicate, InvalidValue
from inventory.models import Project, System, Trade, UpgradeType, UpgradeTypeCrew, User
from inventory.models.upgrades import upgrade_type_prerequisites
from inventory.operations.catalog import MAX_COST_CENTS, ensure_standard_systems, find_system
from inventory.operations.fields import Cleaner, apply_changes, clean_fields, code, number, taken
from inventory.operations.fields import text as text_field
from inventory.operations.planning_checks import check_version, cycle_through, flag, flush_or_stale
from inventory.operations.project_rules import project_graph, refuse_loop
from inventory.operations.trades import (
    create_trade,
    ensure_standard_trades,
    find_trade,
    retire_trade,
    update_trade,
)
from inventory.operations.upgrade_catalogue import (
    STANDARD_TRADES,
    STANDARD_UPGRADES,
    fields_of,
    standard_to_add,
    standard_type,
)

MAX_CREWS = 99
__all__ = [
    "STANDARD_TRADES", "STANDARD_UPGRADES", "create_trade", "create_upgrade_type",
    "ensure_standard_trades", "load_standard_catalogue",
    "restore_upgrade_type", "retire_trade", "retire_upgrade_type", "standard_upgrades_missing",
    "update_trade", "update_upgrade_type",
]  # fmt: skip


def _system(session: Session, value: Any) -> System:
    """A System, or the one with this code or name."""
    if isinstance(value, System):
        return value
    found = find_system(session, str(value)) if value not in (None, "") else None
    if found is None:
        raise InvalidValue("Choose the system this upgrade works on.", field="system")
    return found


UPGRADE_FIELDS: dict[str, Cleaner] = {
    "code": code("code", "Upgrade code"),
    "name": text_field("name", "Upgrade name", 120, required=True),
    "system": _system,
    "description": text_field("description", "Description", 2000),
    "duration_months": number("duration_months", "Duration (months)", 1, 36, required=True),
    "fixed_cost_cents": number("fixed_cost_cents", "Fixed cost", 0, MAX_COST_CENTS, required=True),
    "per_asset_cost_cents": number(
        "per_asset_cost_cents", "Cost per asset", 0, MAX_COST_CENTS, required=True
    ),
    "per_student_cost_cents": number(
        "per_student_cost_cents", "Cost per student", 0, MAX_COST_CENTS, required=True
    ),
    "value_weight": number("value_weight", "Value weight", 1, 10_000, required=True),
    "is_disruptive": flag,
    "is_erate_eligible": flag,
    "replaces_end_of_life": flag,
    "coverage_min_assets": number("coverage_min_assets", "Minimum assets", 0, 100_000),
    "coverage_students_per_asset": number(
        "coverage_students_per_asset", "Students per asset", 1, 100_000
    ),
}


def _check_unique(session: Session, values: dict, own_id: int | None) -> None:
    """Upgrade type codes and names are unique (ignoring case)."""
    for name in ("code", "name"):
        if name in values and taken(session, getattr(UpgradeType, name), values[name], own_id):
            raise Duplicate(f"Another upgrade type has the {name} {values[name]}.", field=name)


def _crew_needs(session: Session, crews: Mapping[Any, Any]) -> dict[Trade, int]:
    """Crews per trade (zero or blank left out); at least one trade must be given."""
    needs: dict[Trade, int] = {}
    for key, value in crews.items():
        trade = find_trade(session, key)
        count = number("crews", f"{trade.name} crews", 0, MAX_CREWS)(session, value)
        if count:
            needs[trade] = count
    if not needs:
        raise InvalidValue("Give at least one trade a number of crews.", field="crews")
    return needs


def _set_crews(upgrade_type: UpgradeType, needs: dict[Trade, int]) -> bool:
    """Make the type's crew needs exactly these; True if they changed."""
    current = {need.trade_id: need for need in upgrade_type.crew_needs}
    wanted = {trade.id: count for trade, count in needs.items()}
    if {trade_id: need.crews for trade_id, need in current.items()} == wanted:
        return False
    kept = []
    for trade, count in needs.items():
        need = current.get(trade.id)
        if need is None:
            need = UpgradeTypeCrew(trade=trade)
        need.crews = count
        kept.append(need)
    upgrade_type.crew_needs = kept
    return True


def _check_prerequisites(
    session: Session, upgrade_type: UpgradeType, prerequisites: list[UpgradeType]
) -> None:
    """Not itself, and no loop of upgrades each needing the next first."""
    if any(item is upgrade_type for item in prerequisites):
        raise InvalidValue(f"{upgrade_type.name} cannot come before itself.", field="prerequisites")
    graph: dict[int, set[int]] = defaultdict(set)
    for type_id, prerequisite_id in session.execute(select(upgrade_type_prerequisites)):
        graph[type_id].add(prerequisite_id)
    if upgrade_type.id is None:
        return  # a new type: nothing can lead back to it yet
    graph[upgrade_type.id] = {item.id for item in prerequisites}
    loop = cycle_through(graph, upgrade_type.id)
    if loop:
        names = dict(session.execute(select(UpgradeType.id, UpgradeType.name)).all())
        chain = " needs ".join(names[item] for item in loop)
        raise InvalidValue(
            f"That would make a loop: {chain} first. Remove one of these prerequisites.",
            field="prerequisites",
        )


def create_upgrade_type(
    session: Session,
    *,
    by: User | None,
    code: str,
    name: str,
    system: Any,
    crews: Mapping[Any, Any],
    prerequisites: Iterable[UpgradeType] = (),
    **fields: Any,
) -> UpgradeType:
    """Add an upgrade type to the catalogue."""
    set_actor(session, by)
    with session.no_autoflush:
        values = clean_fields(
            session, UPGRADE_FIELDS, {"code": code, "name": name, "system": system, **fields}
        )
        _check_unique(session, values, None)
        needs = _crew_needs(session, crews)
        prerequisites = list(prerequisites)
        upgrade_type = UpgradeType(**values)
        _check_prerequisites(session, upgrade_type, prerequisites)
        _set_crews(upgrade_type, needs)
        upgrade_type.prerequisites = prerequisites
    session.add(upgrade_type)
    session.flush()
    return upgrade_type


def update_upgrade_type(
    session: Session,
    upgrade_type: UpgradeType,
    *,
    by: User | None,
    expected_version: int | None = None,
    crews: Mapping[Any, Any] | None = None,
    prerequisites: Iterable[UpgradeType] | None = None,
    **fields: Any,
) -> bool:
    """Change an upgrade type (projects already made keep their own cost, value and length);
    True if anything changed."""
    set_actor(session, by)
    check_version(upgrade_type, expected_version)
    with session.no_autoflush:
        values = clean_fields(session, UPGRADE_FIELDS, fields)
        _check_unique(session, values, upgrade_type.id)
        changed = apply_changes(upgrade_type, values)
        if crews is not None:
            changed = _set_crews(upgrade_type, _crew_needs(session, crews)) or changed
        if prerequisites is not None:
            prerequisites = list(prerequisites)
            _check_prerequisites(session, upgrade_type, prerequisites)
            if {p.id for p in prerequisites} != {p.id for p in upgrade_type.prerequisites}:
                upgrade_type.prerequisites = prerequisites
                changed = True
    flush_or_stale(session, upgrade_type.name)
    if prerequisites is not None:
        _refuse_project_loops(session, upgrade_type)
    return changed


def _refuse_project_loops(session: Session, upgrade_type: UpgradeType) -> None:
    """The catalogue's new order must not close a loop with an order set by hand between a
    scenario's projects (the view rolls the change back)."""
    rows = session.execute(
        select(Project.scenario_id, Project.id).where(Project.upgrade_type_id == upgrade_type.id)
    ).all()
    by_scenario: dict[int, list[int]] = defaultdict(list)
    for scenario_id, project_id in rows:
        by_scenario[scenario_id].append(project_id)
    for scenario_id, project_ids in by_scenario.items():
        graph = project_graph(session, scenario_id)
        for project_id in project_ids:
            if cycle_through(graph, project_id):
                refuse_loop(session, session.get(Project, project_id), graph)


def retire_upgrade_type(
    session: Session, upgrade_type: UpgradeType, *, by: User | None
) -> UpgradeType:
    """Stop using an upgrade type for new needs; projects that have it keep it."""
    return _set_active(session, upgrade_type, by, False)


def restore_upgrade_type(
    session: Session, upgrade_type: UpgradeType, *, by: User | None
) -> UpgradeType:
    """Offer a retired upgrade type again."""
    return _set_active(session, upgrade_type, by, True)


def _set_active(
    session: Session, upgrade_type: UpgradeType, by: User | None, active: bool
) -> UpgradeType:
    """Retire or restore."""
    set_actor(session, by)
    upgrade_type.is_active = active
    session.flush()
    return upgrade_type


def standard_upgrades_missing(session: Session) -> list[str]:
    """The names of the standard upgrade types load_standard_catalogue would add."""
    return [entry.name for entry in standard_to_add(session)]


def load_standard_catalogue(session: Session, *, by: User | None) -> list[UpgradeType]:
    """Add the standard upgrade types that are missing (never a duplicate); return those added.

    A prerequisite is the standard type of that code, else the active type of its system."""
    ensure_standard_systems(session)
    ensure_standard_trades(session)
    to_add = standard_to_add(session)
    added = [
        create_upgrade_type(session, by=by, replaces_end_of_life=True, **fields_of(entry))
        for entry in to_add
    ]
    systems = {entry.code: entry.system for entry in STANDARD_UPGRADES}
    for entry, upgrade_type in zip(to_add, added, strict=True):
        firsts = [standard_type(session, code, systems[code]) for code in entry.prerequisites]
        upgrade_type.prerequisites = [first for first in firsts if first is not None]
    session.flush()
    return added
