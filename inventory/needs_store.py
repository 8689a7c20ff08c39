"""Writing generated needs: the projects and their assets in bulk, and one change-log entry
on the scenario that says what was created."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from inventory.changelog import ChangeLogEntry
from inventory.enums import NeedKind
from inventory.models import Project, ProjectAsset, Scenario, User

if TYPE_CHECKING:
    from inventory.needs import ProposedProject

# The proposal's fields a project row takes as they are.
COPIED = (
    "site_id", "upgrade_type_id", "name", "scope", "need_summary", "assets_replaced",
    "assets_overdue", "assets_added", "duration_months", "cost_cents", "cost_basis", "value",
    "funding_source_id",
)  # fmt: skip


def insert_projects(
    session: Session,
    scenario: Scenario,
    proposed: list[ProposedProject],
    *,
    by: User | None,
    now: dt.datetime,
) -> int:
    """Bulk-insert the projects (all created at `now`) and their assets; return how many
    assets were linked."""
    common = {
        "scenario_id": scenario.id, "is_generated": True, "version": 1, "created_at": now,
        "updated_at": now, "created_by_id": by.id if by is not None else None,
    }  # fmt: skip
    rows = [
        {**{key: getattr(item, key) for key in COPIED}, **common,
         "need_kind": NeedKind(item.need_kind)}
        for item in proposed
    ]  # fmt: skip
    ids = session.scalars(
        insert(Project).returning(Project.id, sort_by_parameter_order=True), rows
    ).all()
    links = [
        {"project_id": project_id, "asset_id": asset_id, "end_of_life_on": due_on}
        for project_id, item in zip(ids, proposed, strict=True)
        for asset_id, due_on in zip(item.asset_ids, item.asset_end_of_life, strict=True)
    ]
    if links:
        session.execute(insert(ProjectAsset), links)
    return len(links)


def record_generation(
    session: Session, scenario: Scenario, *, by: User | None, summary: str, now: dt.datetime
) -> None:
    """Mark the scenario's needs generated and its inputs changed, with ONE change-log entry
    that says what was created (the projects are bulk-inserted, so they have none of their
    own; the scenario is updated in SQL so the listener does not add a second entry)."""
    before = scenario.needs_generated_at
    revision = scenario.inputs_revision or 0
    session.execute(
        update(Scenario)
        .where(Scenario.id == scenario.id)
        .values(
            needs_generated_at=now,
            inputs_revision=Scenario.inputs_revision + 1,
            version=Scenario.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    changes = {
        "needs_generated_at": [before.isoformat() if before else None, now.isoformat()],
        "inputs_revision": [revision, revision + 1],
        "projects_from_needs": [None, summary],
    }
    entry = dict(
        changed_at=now, actor_id=by.id if by is not None else None,
        actor_name=getattr(by, "username", None) or "system", object_type="scenarios",
        object_id=scenario.id, object_label=scenario.audit_label()[:200], action="update",
        changes=changes,
    )  # fmt: skip
    session.execute(insert(ChangeLogEntry.__table__), [entry])
    session.expire(scenario, ["needs_generated_at", "inputs_revision", "version"])
