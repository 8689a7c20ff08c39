"""Projects of a scenario: the filtered list with totals, counts by system, a project's assets,
its predecessors and the plans it is in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from inventory.enums import NeedKind, Role, SiteStatus
from inventory.models import (
    Asset,
    AssetModel,
    Manufacturer,
    Plan,
    PlanAssignment,
    PlanLeftOut,
    Project,
    ProjectAsset,
    Region,
    Scenario,
    Site,
    System,
    UpgradeType,
    User,
    project_predecessors,
    upgrade_type_prerequisites,
)
from inventory.queries.paging import Page
from inventory.queries.search import contains

SORTS: dict[str, tuple[Any, ...]] = {
    "site": (Site.code, UpgradeType.name, Project.id),
    "name": (Project.name, Project.id),
    "cost": (Project.cost_cents.desc(), Project.id),
    "value": (Project.value.desc(), Project.id),
    "system": (System.name, Site.code, Project.id),
}
SEARCH_LIMIT = 30


@dataclass(frozen=True)
class ProjectFilters:
    """What the project list is narrowed to (None: either way). Withdrawn projects are left
    out unless asked for."""

    region_id: int | None = None
    site_id: int | None = None
    system_id: int | None = None
    upgrade_type_id: int | None = None
    need_kind: NeedKind | None = None
    mandatory: bool | None = None
    pinned: bool | None = None
    withdrawn: bool | None = False
    no_cost: bool = False
    created_since: dt.datetime | None = None  # generated from needs at or after this time
    search: str = ""
    sort: str = "site"


@dataclass(frozen=True)
class Totals:
    """How many projects match, what they cost and are worth."""

    count: int
    cost_cents: int
    value: int


def _filtered(query: Select, scenario: Scenario, filters: ProjectFilters) -> Select:
    """The query narrowed to the scenario's projects that pass the filters (it must already
    join Site and UpgradeType)."""
    query = query.where(Project.scenario_id == scenario.id)
    conditions = {
        "region_id": Site.region_id == filters.region_id,
        "site_id": Project.site_id == filters.site_id,
        "system_id": UpgradeType.system_id == filters.system_id,
        "upgrade_type_id": Project.upgrade_type_id == filters.upgrade_type_id,
        "need_kind": Project.need_kind == filters.need_kind,
    }
    for name, condition in conditions.items():
        if getattr(filters, name) is not None:
            query = query.where(condition)
    if filters.mandatory is not None:
        query = query.where(Project.is_mandatory.is_(filters.mandatory))
    if filters.pinned is not None:
        pinned = Project.pinned_month.is_not(None)
        query = query.where(pinned if filters.pinned else ~pinned)
    if filters.withdrawn is not None:
        query = query.where(Project.is_withdrawn.is_(filters.withdrawn))
    if filters.no_cost:
        query = query.where(Project.cost_cents <= 0)
    if filters.created_since is not None:
        query = query.where(
            Project.is_generated.is_(True), Project.created_at >= filters.created_since
        )
    if filters.search.strip():
        query = query.where(contains(filters.search, Project.name, Site.code, Site.name))
    return query


def _joined(*columns: Any) -> Select:
    """Projects joined with their site and upgrade type (and the type's system)."""
    return (
        select(*columns)
        .select_from(Project)
        .join(Site, Site.id == Project.site_id)
        .join(UpgradeType, UpgradeType.id == Project.upgrade_type_id)
        .join(System, System.id == UpgradeType.system_id)
    )


def projects_query(scenario: Scenario, filters: ProjectFilters) -> Select:
    """Rows of (Project, site code, site name, region name, upgrade name, system name)."""
    query = _joined(
        Project, Site.code.label("site_code"), Site.name.label("site_name"),
        Region.name.label("region_name"), UpgradeType.name.label("upgrade_name"),
        System.name.label("system_name"),
    ).outerjoin(Region, Region.id == Site.region_id)  # fmt: skip
    query = _filtered(query, scenario, filters)
    return query.order_by(*SORTS.get(filters.sort, SORTS["site"]))


def project_totals(session: Session, scenario: Scenario, filters: ProjectFilters) -> Totals:
    """The count, cost and value of every project the filters let through."""
    query = _filtered(
        _joined(func.count(Project.id), func.coalesce(func.sum(Project.cost_cents), 0),
                func.coalesce(func.sum(Project.value), 0)),
        scenario, filters,
    )  # fmt: skip
    count, cost, value = session.execute(query).one()
    return Totals(int(count), int(cost), int(value))


def project_page(
    session: Session, scenario: Scenario, filters: ProjectFilters, number: int, per_page: int
) -> tuple[Page, Totals]:
    """One page of the list and the totals of all of it (the page's count is exact)."""
    number = max(1, number)
    query = projects_query(scenario, filters).offset((number - 1) * per_page).limit(per_page)
    totals = project_totals(session, scenario, filters)
    rows = list(session.execute(query))
    page = Page(rows=rows, number=number, per_page=per_page,
                has_next=number * per_page < totals.count, total=totals.count,
                total_is_capped=False)  # fmt: skip
    return page, totals


def counts_by_system(
    session: Session, scenario: Scenario, filters: ProjectFilters
) -> list[tuple[int, str, int, int]]:
    """(system id, name, projects, cost) of the filtered projects, by system name."""
    query = _filtered(
        _joined(System.id, System.name, func.count(Project.id), func.sum(Project.cost_cents)),
        scenario, filters,
    ).group_by(System.id, System.name).order_by(System.name)  # fmt: skip
    return [(sid, name, int(count), int(cost or 0)) for sid, name, count, cost in
            session.execute(query)]  # fmt: skip


def project_assets(session: Session, project: Project) -> list[Any]:
    """The assets behind a project: tag, model, location, status and end of life (as when the
    need was found, and now)."""
    query = (
        select(
            Asset.id, Asset.tag, Asset.location, Asset.status, Asset.end_of_life_on,
            AssetModel.name.label("model_name"), Manufacturer.name.label("manufacturer"),
            AssetModel.end_of_support_on, ProjectAsset.end_of_life_on.label("due_on"),
        )
        .join(ProjectAsset, ProjectAsset.asset_id == Asset.id)
        .join(AssetModel, AssetModel.id == Asset.model_id)
        .join(Manufacturer, Manufacturer.id == AssetModel.manufacturer_id)
        .where(ProjectAsset.project_id == project.id)
        .order_by(ProjectAsset.end_of_life_on, Asset.tag)
    )  # fmt: skip
    return list(session.execute(query))


def project_plans(session: Session, project: Project) -> list[Any]:
    """The plan versions the project is in: (plan id, version, published at, start month or
    None, reason left out or None), newest first."""
    scheduled = (
        select(Plan.id, Plan.version, Plan.published_at, PlanAssignment.start_month,
               literal(None).label("reason"))
        .join(PlanAssignment, PlanAssignment.plan_id == Plan.id)
        .where(PlanAssignment.project_id == project.id)
    )  # fmt: skip
    left_out = (
        select(Plan.id, Plan.version, Plan.published_at, literal(None), PlanLeftOut.reason)
        .join(PlanLeftOut, PlanLeftOut.plan_id == Plan.id)
        .where(PlanLeftOut.project_id == project.id)
    )
    rows = session.execute(union_all(scheduled, left_out)).all()
    return sorted(rows, key=lambda row: -row[1])


def catalogue_predecessors(session: Session, project: Project) -> list[Project]:
    """The projects at the same site whose upgrade type the catalogue says comes first."""
    firsts = select(upgrade_type_prerequisites.c.prerequisite_id).where(
        upgrade_type_prerequisites.c.upgrade_type_id == project.upgrade_type_id
    )
    query = select(Project).where(
        Project.scenario_id == project.scenario_id,
        Project.site_id == project.site_id,
        Project.upgrade_type_id.in_(firsts),
    )
    return list(session.scalars(query.order_by(Project.name)))


def successors(session: Session, project: Project) -> list[Project]:
    """The projects set by hand to follow this one."""
    query = (
        select(Project)
        .join(project_predecessors, project_predecessors.c.project_id == Project.id)
        .where(project_predecessors.c.predecessor_id == project.id)
    )
    return list(session.scalars(query.order_by(Project.name)))


def predecessor_choices(session: Session, project: Project, search: str = "") -> list[Any]:
    """Projects the project may follow: those at its site, those it follows already, and up
    to SEARCH_LIMIT matching the search (by key or name) anywhere in the scenario."""
    base = _joined(
        Project.id, Project.name, Site.code.label("site_code"),
        UpgradeType.code.label("type_code"), Project.is_withdrawn,
    )  # fmt: skip
    base = base.where(Project.scenario_id == project.scenario_id, Project.id != project.id)
    chosen = [item.id for item in project.predecessors]
    near = base.where(or_(Project.site_id == project.site_id, Project.id.in_(chosen)))
    rows = {row[0]: row for row in session.execute(near.order_by(Project.name))}
    if search.strip():
        key = Site.code + literal(":") + UpgradeType.code
        found = base.where(contains(search, key, Project.name))
        for row in session.execute(found.order_by(Site.code, Project.name).limit(SEARCH_LIMIT)):
            rows.setdefault(row[0], row)
    return list(rows.values())


def manager_options(session: Session) -> list[tuple[int, str]]:
    """(id, name) of the active users who may manage a project (everyone but site
    administrators), by name."""
    query = (
        select(User.id, User.username, User.full_name)
        .where(User.is_active.is_(True), User.role != Role.SITE_ADMIN)
        .order_by(User.full_name, User.username)
    )
    return [(uid, f"{full} ({name})" if full else name) for uid, name, full in
            session.execute(query)]  # fmt: skip


def upgrade_type_options(session: Session) -> list[tuple[int, str]]:
    """(id, 'Wi-Fi refresh (Wi-Fi)') of the active upgrade types, by name."""
    query = (
        select(UpgradeType.id, UpgradeType.name, System.name)
        .join(System, System.id == UpgradeType.system_id)
        .where(UpgradeType.is_active.is_(True))
        .order_by(UpgradeType.name)
    )
    return [(tid, f"{name} ({system})") for tid, name, system in session.execute(query)]


def site_options(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the sites that are not closed, for a type-ahead list."""
    query = select(Site.code, Site.name).where(Site.status != SiteStatus.CLOSED)
    return [(code, name) for code, name in session.execute(query.order_by(Site.code))]
