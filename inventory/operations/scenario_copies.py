"""What-if copies of a scenario: every input, and every project or only the pinned ones (with
the projects they need first), with the budget changed by a percentage and crews added.

API (flush, never commit; failures raise inventory.errors naming the field):
    copy_scenario(session, scenario, *, by, name, pinned_only=False, budget_change_percent=0,
                  extra_crews=None) -> Scenario       # extra_crews: {trade id: crews to add}
    scenario_name_taken(session, name, own_id) -> bool
The copy is a draft whose `copied_from` is the original; plans are not copied. Projects, their
predecessors and their asset links are written in bulk, and one change-log entry on the copy
says how many were copied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.changelog import ChangeLogEntry, set_actor
from inventory.errors import Duplicate, NotFound
from inventory.models import (
    FundingSource,
    Project,
    ProjectAsset,
    Scenario,
    ScenarioSite,
    ScenarioTrade,
    Trade,
    User,
    WorkWindow,
    project_predecessors,
    upgrade_type_prerequisites,
)
from inventory.operations.scenario_fields import bounded, required, text

NOT_COPIED = {"id", "scenario_id", "version", "created_at", "updated_at", "created_by_id"}
SOURCE_COLUMNS = (
    "code", "name", "kind", "cap_cents", "is_default", "erate_per_student_cents",
    "erate_floor_cents", "erate_discount_percent", "erate_pooled",
)  # fmt: skip
BATCH = 2_000


def scenario_name_taken(session: Session, name: str, own_id: int | None) -> bool:
    """True if another scenario has this name (case-insensitive)."""
    query = select(Scenario.id).where(func.lower(Scenario.name) == name.lower())
    if own_id is not None:
        query = query.where(Scenario.id != own_id)
    return session.scalar(query.limit(1)) is not None


def _scaled(amount: int | None, percent: int) -> int | None:
    """An amount changed by a whole percentage, to the nearest cent (None stays no limit)."""
    return None if amount is None else (int(amount) * (100 + percent) + 50) // 100


def _extra_crews(session: Session, extra: Mapping[Any, Any] | None) -> dict[int, int]:
    """Crews to add per trade id (a negative number removes crews, never below none)."""
    added: dict[int, int] = {}
    for trade_id, count in (extra or {}).items():
        trade = session.get(Trade, int(trade_id))
        if trade is None:
            raise NotFound(f"There is no trade {trade_id}.", field="extra_crews")
        number = bounded(count, -999, 999, field="extra_crews", label=f"Extra {trade.name} crews")
        if number:
            added[trade.id] = number
    return added


def copy_scenario(
    session: Session,
    scenario: Scenario,
    *,
    by: User | None,
    name: str,
    pinned_only: bool = False,
    budget_change_percent: int = 0,
    extra_crews: Mapping[Any, Any] | None = None,
) -> Scenario:
    """A draft copy to ask "what if": the budgets (annual and monthly) changed by a percentage,
    crews added per trade, and every project or only the pinned ones and their predecessors."""
    set_actor(session, by)
    new_name = text(name, field="name", label="Name", max_length=120, need=True)
    assert new_name is not None
    if scenario_name_taken(session, new_name, None):
        raise Duplicate(f"A scenario named {new_name} exists already.", field="name")
    percent = required(
        budget_change_percent, -90, 200, field="budget_change_percent", label="Budget change"
    )
    copy = _copy_inputs(scenario, new_name, percent, _extra_crews(session, extra_crews))
    copy.needs_generated_at = None if pinned_only else scenario.needs_generated_at
    copy.created_by_id = by.id if by is not None else None
    session.add(copy)
    session.flush()
    sources = {
        old.id: new.id
        for old, new in zip(scenario.funding_sources, copy.funding_sources, strict=True)
    }
    count = _copy_projects(session, scenario, copy, sources, pinned_only=pinned_only, by=by)
    _note_copy(session, scenario, copy, count, pinned_only=pinned_only, by=by)
    session.flush()
    return copy


def _note_copy(
    session: Session, scenario: Scenario, copy: Scenario, count: int, *, pinned_only: bool, by: Any
) -> None:
    """One change-log entry on the copy for the projects written in bulk."""
    what = "pinned projects and the projects they need first" if pinned_only else "projects"
    session.add(
        ChangeLogEntry(
            actor_id=getattr(by, "id", None),
            actor_name=getattr(by, "username", None) or "system",
            object_type="scenarios",
            object_id=copy.id,
            object_label=copy.name[:200],
            action="update",
            changes={"projects": [None, f"{count:,} {what} copied from {scenario.name}"]},
        )
    )


def _copy_inputs(scenario: Scenario, name: str, percent: int, extra: dict[int, int]) -> Scenario:
    """A new draft with the scenario's settings, budgets, trades, sources, windows and rules."""
    caps = scenario.monthly_caps_cents
    copy = Scenario(
        name=name,
        description=scenario.description,
        first_year=scenario.first_year,
        years=scenario.years,
        start_month=scenario.start_month,
        annual_budgets_cents=[_scaled(b, percent) for b in scenario.annual_budgets_cents or []],
        monthly_caps_cents=None if caps is None else [_scaled(c, percent) for c in caps],
        blackout_months=list(scenario.blackout_months or []),
        default_max_concurrent=scenario.default_max_concurrent,
        time_limit_s=scenario.time_limit_s,
        move_penalty=scenario.move_penalty,
        copied_from_id=scenario.id,
    )
    copy.trades = _copied_trades(scenario, extra)
    for source in scenario.funding_sources:
        copy.funding_sources.append(
            FundingSource(**{key: getattr(source, key) for key in SOURCE_COLUMNS})
        )
    for window in scenario.windows:
        copy.windows.append(WorkWindow(name=window.name, months=list(window.months or [])))
    for rule in scenario.site_settings:
        copy.site_settings.append(
            ScenarioSite(
                site_id=rule.site_id,
                max_concurrent=rule.max_concurrent,
                blackout_months=list(rule.blackout_months or []),
                erate_committed_cents=rule.erate_committed_cents,
                note=rule.note,
            )
        )
    return copy


def _copied_trades(scenario: Scenario, extra: dict[int, int]) -> list[ScenarioTrade]:
    """The scenario's crews per trade with the extra crews added (new trades for the rest)."""
    trades = []
    for row in scenario.trades:
        add = extra.get(row.trade_id, 0)
        crews = [max(0, int(c or 0) + add) for c in row.crews_by_month or []]
        trades.append(ScenarioTrade(trade_id=row.trade_id, crews_by_month=crews))
    have = {row.trade_id for row in scenario.trades}
    for trade_id, add in sorted(extra.items()):
        if trade_id not in have:
            crews = [max(0, add)] * scenario.months
            trades.append(ScenarioTrade(trade_id=trade_id, crews_by_month=crews))
    return trades


def _copy_projects(
    session: Session,
    scenario: Scenario,
    copy: Scenario,
    sources: dict[int, int],
    *,
    pinned_only: bool,
    by: User | None,
) -> int:
    """Insert the chosen projects into the copy with their predecessor and asset links."""
    table = Project.__table__
    rows = [dict(row) for row in session.execute(
        select(table).where(table.c.scenario_id == scenario.id).order_by(table.c.id)
    ).mappings()]  # fmt: skip
    links = session.execute(
        select(project_predecessors.c.project_id, project_predecessors.c.predecessor_id)
        .join(table, table.c.id == project_predecessors.c.project_id)
        .where(table.c.scenario_id == scenario.id)
    ).all()
    if pinned_only:
        keep = _pinned_and_needed(session, rows, links)
        rows = [row for row in rows if row["id"] in keep]
    if not rows:
        return 0
    new_rows = _new_rows(rows, copy, sources, by)
    new_ids = session.scalars(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), new_rows
    ).all()
    new_id = {row["id"]: made for row, made in zip(rows, new_ids, strict=True)}
    pairs = [
        {"project_id": new_id[a], "predecessor_id": new_id[b]}
        for a, b in links
        if a in new_id and b in new_id
    ]
    _insert_in_batches(session, project_predecessors, pairs)
    _copy_asset_links(session, new_id)
    return len(new_rows)


def _new_rows(
    rows: list[dict[str, Any]], copy: Scenario, sources: dict[int, int], by: User | None
) -> list[dict[str, Any]]:
    """The copied projects' rows: in the copy, paid by the copy's sources, version 1."""
    now = utcnow()
    new_rows = []
    for row in rows:
        values = {key: value for key, value in row.items() if key not in NOT_COPIED}
        values["funding_source_id"] = sources.get(row["funding_source_id"])
        values.update(scenario_id=copy.id, version=1, created_at=now, updated_at=now,
                      created_by_id=getattr(by, "id", None))  # fmt: skip
        new_rows.append(values)
    return new_rows


def _pinned_and_needed(session: Session, rows: list[dict], links: list[Any]) -> set[int]:
    """The pinned projects and, transitively, the projects they need first: predecessors set by
    hand and, at the same site, the catalogue's prerequisite upgrades."""
    needs: dict[int, set[int]] = defaultdict(set)
    for project_id, predecessor_id in links:
        needs[project_id].add(predecessor_id)
    prerequisites: dict[int, set[int]] = defaultdict(set)
    for type_id, prerequisite_id in session.execute(select(upgrade_type_prerequisites)):
        prerequisites[type_id].add(prerequisite_id)
    by_site_and_type = {(row["site_id"], row["upgrade_type_id"]): row["id"] for row in rows}
    for row in rows:
        for prerequisite_id in prerequisites.get(row["upgrade_type_id"], ()):
            first = by_site_and_type.get((row["site_id"], prerequisite_id))
            if first is not None:
                needs[row["id"]].add(first)
    stack = [row["id"] for row in rows if row["pinned_month"] is not None]
    keep: set[int] = set()
    while stack:
        project_id = stack.pop()
        if project_id not in keep:
            keep.add(project_id)
            stack.extend(needs.get(project_id, ()))
    return keep


def _copy_asset_links(session: Session, new_id: dict[int, int]) -> None:
    """The assets behind each copied project, with their end of life as found."""
    links = ProjectAsset.__table__
    old_ids = list(new_id)
    for start in range(0, len(old_ids), BATCH):
        chunk = old_ids[start : start + BATCH]
        rows = session.execute(
            select(links.c.project_id, links.c.asset_id, links.c.end_of_life_on).where(
                links.c.project_id.in_(chunk)
            )
        ).all()
        _insert_in_batches(
            session,
            links,
            [{"project_id": new_id[p], "asset_id": a, "end_of_life_on": eol} for p, a, eol in rows],
        )


def _insert_in_batches(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """A bulk insert in batches (one round trip per batch)."""
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start : start + BATCH])
