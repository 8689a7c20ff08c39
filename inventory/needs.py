"""Needs: what the inventory says must be done in a scenario's years, as candidate projects.

Two rules, both per site and upgrade type:
- End of life: in-service and in-repair assets of a site and system whose end of life (the
  earlier of the asset's own and its model's end of support) falls before the end of the
  scenario's last month become one replacement project, of the system's active upgrade type
  that replaces end of life. Assets already past it at the scenario's first month are overdue.
- Coverage: an open school with fewer of a system's assets than the upgrade type's target (the
  larger of a minimum and one per N enrolled students) needs the difference added; merged into
  the end-of-life project when both apply.
Pairs already in the scenario are skipped. Everything is read in a few set-based queries and
created with bulk inserts, so a district of 1,500 sites stays quick.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.database import begin_before_savepoint
from inventory.enums import NeedKind, SiteKind, SiteStatus
from inventory.errors import Duplicate
from inventory.models import (
    Asset,
    AssetModel,
    AssetStatus,
    Project,
    Scenario,
    Site,
    System,
    UpgradeType,
    User,
)
from inventory.needs_store import insert_projects, record_generation
from inventory.operations.project_rules import cost_of, dollars, funding_for, units, value_of
from inventory.operations.scenario_inputs import require_draft

DUE_STATUSES = (AssetStatus.IN_SERVICE, AssetStatus.IN_REPAIR)
SCHOOL_KINDS = (SiteKind.ELEMENTARY, SiteKind.MIDDLE, SiteKind.HIGH, SiteKind.K12)


@dataclass
class ProposedProject:
    """One project that generating needs would create: where, which upgrade, and why."""

    site_id: int
    site_code: str
    site_name: str
    upgrade_type_id: int
    upgrade_type_name: str
    system_name: str
    need_kind: str
    need_summary: str
    asset_ids: list[int]
    assets_replaced: int
    assets_overdue: int
    assets_added: int
    cost_cents: int
    cost_basis: str
    value: int
    name: str = ""
    scope: str | None = None
    duration_months: int = 1
    funding_source_id: int | None = None
    asset_end_of_life: list[dt.date | None] = field(default_factory=list)  # with asset_ids


@dataclass
class NeedsPreview:
    """What generating needs would create, what it skips (already in the scenario), totals."""

    proposed: list[ProposedProject] = field(default_factory=list)
    already_planned: int = 0
    without_upgrade_type: list[str] = field(default_factory=list)  # systems with no type
    assets_without_upgrade_type: dict[str, int] = field(default_factory=dict)  # by system

    @property
    def total_cost_cents(self) -> int:
        """What the proposed projects would cost."""
        return sum(item.cost_cents for item in self.proposed)

    @property
    def by_system(self) -> list[tuple[str, int, int]]:
        """(system, projects, cost in cents) of the proposals, largest cost first."""
        counts: Counter[str] = Counter()
        costs: Counter[str] = Counter()
        for item in self.proposed:
            counts[item.system_name] += 1
            costs[item.system_name] += item.cost_cents
        return sorted(((s, counts[s], costs[s]) for s in counts), key=lambda r: (-r[2], r[0]))


@dataclass
class NeedsResult:
    """What generating needs created."""

    created: int = 0
    assets_linked: int = 0
    skipped: int = 0
    total_cost_cents: int = 0
    created_at: dt.datetime | None = None  # when, the same for every project created


@dataclass
class _Need:
    """A site and upgrade type's need while it is being worked out."""

    asset_ids: list[int] = field(default_factory=list)
    end_of_life: list[dt.date | None] = field(default_factory=list)
    overdue: int = 0
    added: int = 0
    coverage_text: str = ""


def find_needs(session: Session, scenario: Scenario, *, today: dt.date) -> NeedsPreview:
    """The projects the inventory calls for in the scenario's years (nothing is written).

    `today` is when the needs are looked at; what is due is decided by the scenario's months."""
    del today  # the scenario's first and last months decide, whatever the date
    types = list(
        session.scalars(
            select(UpgradeType).where(UpgradeType.is_active.is_(True)).order_by(UpgradeType.id)
        )
    )
    sites = {
        row.id: row
        for row in session.execute(
            select(Site.id, Site.code, Site.name, Site.kind, Site.status, Site.enrollment).where(
                Site.status != SiteStatus.CLOSED
            )
        )
    }
    needs: dict[tuple[int, int], _Need] = defaultdict(_Need)
    preview = NeedsPreview()
    _end_of_life_needs(session, scenario, types, sites, needs, preview)
    _coverage_needs(session, types, sites, needs)
    existing = set(
        session.execute(
            select(Project.site_id, Project.upgrade_type_id).where(
                Project.scenario_id == scenario.id
            )
        ).all()
    )
    by_id = {upgrade.id: upgrade for upgrade in types}
    for (site_id, type_id), need in needs.items():
        if (site_id, type_id) in existing:
            preview.already_planned += 1
            continue
        preview.proposed.append(_proposal(scenario, sites[site_id], by_id[type_id], need))
    preview.proposed.sort(key=lambda item: (item.site_code, item.upgrade_type_name))
    return preview


def effective_end_of_life() -> Any:
    """SQL: the earlier of the asset's end of life and its model's end of support."""
    own, support = Asset.end_of_life_on, AssetModel.end_of_support_on
    return case(
        (support.is_(None), own),
        (own.is_(None), support),
        (support < own, support),
        else_=own,
    )


def _end_of_life_needs(session, scenario, types, sites, needs, preview) -> None:
    """Group the assets due by the end of the scenario by site and upgrade type; count those
    of systems with no upgrade type."""
    replacing: dict[int, int] = {}
    for upgrade in types:
        if upgrade.replaces_end_of_life:
            replacing.setdefault(upgrade.system_id, upgrade.id)
    end_of_life = effective_end_of_life().label("end_of_life")
    rows = session.execute(
        select(Asset.id, Asset.site_id, AssetModel.system_id, end_of_life)
        .join(AssetModel, AssetModel.id == Asset.model_id)
        .where(
            Asset.status.in_(DUE_STATUSES),
            end_of_life < scenario.month_on(scenario.months),
        )
        .order_by(Asset.site_id, Asset.tag)
    )
    first_day = scenario.first_month_on
    unserved: Counter[int] = Counter()
    for asset_id, site_id, system_id, due_on in rows:
        if site_id not in sites:
            continue  # a closed site needs nothing
        type_id = replacing.get(system_id)
        if type_id is None:
            unserved[system_id] += 1
            continue
        need = needs[site_id, type_id]
        need.asset_ids.append(asset_id)
        need.end_of_life.append(due_on)
        need.overdue += due_on < first_day
    if unserved:
        names = dict(session.execute(select(System.id, System.name)).all())
        preview.assets_without_upgrade_type = {names[k]: v for k, v in unserved.items()}
        preview.without_upgrade_type = sorted(preview.assets_without_upgrade_type)


def _coverage_needs(session, types, sites, needs) -> None:
    """Open schools with fewer of a system's assets in service than the type's target."""
    rules = [t for t in types if t.coverage_min_assets or t.coverage_students_per_asset]
    if not rules:
        return
    counts = dict(
        ((site_id, system_id), count)
        for site_id, system_id, count in session.execute(
            select(Asset.site_id, AssetModel.system_id, func.count(Asset.id))
            .join(AssetModel, AssetModel.id == Asset.model_id)
            .where(
                Asset.status.in_(DUE_STATUSES),
                AssetModel.system_id.in_({t.system_id for t in rules}),
            )
            .group_by(Asset.site_id, AssetModel.system_id)
        )
    )
    for site in sites.values():
        if site.status is not SiteStatus.ACTIVE or site.kind not in SCHOOL_KINDS:
            continue
        for upgrade in rules:
            have = counts.get((site.id, upgrade.system_id), 0)
            target, reason = coverage_target(upgrade, site.enrollment)
            if have < target:
                need = needs[site.id, upgrade.id]
                need.added = target - have
                more = units(upgrade.system.code, need.added)
                need.coverage_text = (
                    f"{more} needed {reason} (none in service)"
                    if have == 0
                    else f"{target - have:,} more needed {reason}"
                )


def coverage_target(upgrade: UpgradeType, enrollment: int | None) -> tuple[int, str]:
    """How many of the system's assets a school should have, and the rule that says so."""
    minimum = upgrade.coverage_min_assets or 0
    per = upgrade.coverage_students_per_asset
    by_students = math.ceil(enrollment / per) if per and enrollment else 0
    if by_students > minimum:
        return by_students, f"for one per {per} students"
    return minimum, f"for at least {minimum}"


def _proposal(scenario: Scenario, site: Any, upgrade: UpgradeType, need: _Need):
    """The project a need becomes: its summary, cost, value and funding."""
    replaced = len(need.asset_ids)
    code = upgrade.system.code
    parts = []
    if replaced:
        verb = "reaches" if replaced == 1 else "reach"
        last = scenario.month_label(scenario.months - 1)
        text = f"{units(code, replaced)} {verb} end of life by {last}"
        if need.overdue:
            text += f" ({need.overdue:,} already past it before {scenario.month_label(0)})"
        parts.append(text)
    if need.coverage_text:
        parts.append(need.coverage_text)
    cost, basis = cost_of(upgrade, replaced=replaced, added=need.added, enrollment=site.enrollment)
    source = funding_for(scenario, upgrade, site)
    return ProposedProject(
        site_id=site.id, site_code=site.code, site_name=site.name, upgrade_type_id=upgrade.id,
        upgrade_type_name=upgrade.name, system_name=upgrade.system.name,
        need_kind=(NeedKind.END_OF_LIFE if replaced else NeedKind.COVERAGE).value,
        need_summary="; ".join(parts), asset_ids=need.asset_ids, assets_replaced=replaced,
        assets_overdue=need.overdue, assets_added=need.added, cost_cents=cost,
        cost_basis=basis[:500],
        value=value_of(upgrade, overdue=need.overdue, replaced=replaced, added=need.added),
        name=f"{upgrade.name} at {site.name}"[:200], scope=upgrade.description,
        duration_months=min(upgrade.duration_months, scenario.months),
        funding_source_id=source.id if source is not None else None,
        asset_end_of_life=need.end_of_life,
    )  # fmt: skip


def create_needs(
    session: Session, scenario: Scenario, *, by: User | None, today: dt.date
) -> NeedsResult:
    """Create the proposed projects (flushes, never commits); a draft scenario only."""
    require_draft(scenario)
    preview = find_needs(session, scenario, today=today)
    result = NeedsResult(skipped=preview.already_planned, created_at=utcnow())
    if preview.proposed:
        begin_before_savepoint(session)
        try:
            with session.begin_nested():
                result.assets_linked = insert_projects(
                    session, scenario, preview.proposed, by=by, now=result.created_at
                )
        except IntegrityError:
            raise Duplicate(
                "Projects were added to this scenario while its needs were being generated; "
                "generate the needs again."
            ) from None
        session.expire(scenario, ["projects"])
    result.created = len(preview.proposed)
    result.total_cost_cents = preview.total_cost_cents
    summary = (
        f"{result.created:,} projects created ({dollars(result.total_cost_cents)}) with "
        f"{result.assets_linked:,} assets; {result.skipped:,} already in the scenario skipped"
    )
    record_generation(session, scenario, by=by, summary=summary, now=result.created_at)
    return result
