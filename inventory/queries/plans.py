"""Reading a plan for review: its scheduled and left-out projects with their site, region,
system and trades, filtered by region, site, system and trade (totals: plan_totals.py).
Set-based: a plan can hold 15,000 projects at 1,500 sites.

Months are the scenario's (0 = its first month). A project is under way from its start month to
start + duration - 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from inventory.models import (
    PlanAssignment,
    PlanLeftOut,
    Project,
    Region,
    Site,
    System,
    Trade,
    UpgradeType,
    UpgradeTypeCrew,
)


@dataclass(frozen=True)
class PlanFilters:
    """What a plan's pages are narrowed to: a region, a site (code, or part of a code or name),
    a system, a trade."""

    region_id: int | None = None
    site: str = ""
    system_id: int | None = None
    trade_id: int | None = None

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not (self.region_id or self.site.strip() or self.system_id or self.trade_id)


NO_FILTERS = PlanFilters()


@dataclass(frozen=True)
class PlanRow:
    """A project of a plan with where and what it is (scheduled or left out)."""

    project_id: int
    name: str
    key: str
    site_id: int
    site_code: str
    site_name: str
    region_name: str | None
    system_name: str
    upgrade_type_name: str
    trades: tuple[str, ...]
    cost_cents: int
    value: int
    start_month: int = 0
    duration_months: int = 0
    is_pinned: bool = False
    reason: str = ""
    limit_key: str = ""

    @property
    def end_month(self) -> int:
        """The last month the project is under way."""
        return self.start_month + self.duration_months - 1


@dataclass(frozen=True)
class SiteLine:
    """A site as a row of a timeline."""

    site_id: int
    code: str
    name: str
    region_name: str | None


def _site_condition(session: Session, term: str) -> ColumnElement[bool]:
    """Projects at the site with this code, or else at sites whose code or name contains it."""
    exact = session.scalar(select(Site.id).where(func.lower(Site.code) == term).limit(1))
    if exact is not None:
        return Project.site_id == exact
    matching = select(Site.id).where(
        func.lower(Site.code).contains(term, autoescape=True)
        | func.lower(Site.name).contains(term, autoescape=True)
    )
    return Project.site_id.in_(matching)


def filter_conditions(session: Session, filters: PlanFilters) -> list[ColumnElement[bool]]:
    """The filters as conditions on Project (no join needed beyond Project)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.region_id:
        conditions.append(
            Project.site_id.in_(select(Site.id).where(Site.region_id == filters.region_id))
        )
    if filters.system_id:
        conditions.append(
            Project.upgrade_type_id.in_(
                select(UpgradeType.id).where(UpgradeType.system_id == filters.system_id)
            )
        )
    if filters.trade_id:
        conditions.append(
            Project.upgrade_type_id.in_(
                select(UpgradeTypeCrew.upgrade_type_id).where(
                    UpgradeTypeCrew.trade_id == filters.trade_id
                )
            )
        )
    term = filters.site.strip().lower()[:100]
    if term:
        conditions.append(_site_condition(session, term))
    return conditions


def narrowed(query: Select, session: Session, filters: PlanFilters, project_id: Any) -> Select:
    """The query joined to Project and filtered, or unchanged when nothing is filtered."""
    if filters.is_empty:
        return query
    return query.join(Project, Project.id == project_id).where(*filter_conditions(session, filters))


def _under_way_in(month: int) -> ColumnElement[bool]:
    """Assignments under way in the month (started then or earlier, not yet finished)."""
    return (PlanAssignment.start_month <= month) & (
        PlanAssignment.start_month + PlanAssignment.duration_months > month
    )


def trade_names(session: Session, upgrade_type_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The names of the trades each upgrade type needs, by upgrade type id."""
    ids = sorted(set(upgrade_type_ids))
    if not ids:
        return {}
    query = (
        select(UpgradeTypeCrew.upgrade_type_id, Trade.name)
        .join(Trade, Trade.id == UpgradeTypeCrew.trade_id)
        .where(UpgradeTypeCrew.upgrade_type_id.in_(ids))
        .order_by(Trade.name)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for type_id, name in session.execute(query):
        names[type_id].append(name)
    return {type_id: tuple(found) for type_id, found in names.items()}


def _row_columns(entity: type) -> tuple[Any, ...]:
    """A plan row's columns named as PlanRow's fields, from PlanAssignment or PlanLeftOut and
    the joined tables (and the upgrade type, for its trades)."""
    return (
        entity.project_id, Project.name, entity.key, Project.site_id,
        Site.code.label("site_code"), Site.name.label("site_name"),
        Region.name.label("region_name"), System.name.label("system_name"),
        UpgradeType.id.label("upgrade_type_id"), UpgradeType.name.label("upgrade_type_name"),
        entity.cost_cents, entity.value,
    )  # fmt: skip


def _joined_rows(entity: type, *extra: Any) -> Select:
    """A plan's rows joined with project, site, region, upgrade type and system."""
    return (
        select(*_row_columns(entity), *extra)
        .select_from(entity)
        .join(Project, Project.id == entity.project_id)
        .join(Site, Site.id == Project.site_id)
        .outerjoin(Region, Region.id == Site.region_id)
        .join(UpgradeType, UpgradeType.id == Project.upgrade_type_id)
        .join(System, System.id == UpgradeType.system_id)
    )


def _rows(session: Session, query: Select) -> list[PlanRow]:
    """PlanRow objects from a joined query, each with the trades its upgrade type needs."""
    found = [dict(row._mapping) for row in session.execute(query)]
    type_ids = [row.pop("upgrade_type_id") for row in found]
    trades = trade_names(session, type_ids)
    return [
        PlanRow(**row, trades=trades.get(type_id, ()))
        for row, type_id in zip(found, type_ids, strict=True)
    ]


REGION_ORDER = (Region.name.is_(None), Region.name)  # sites without a region last


def schedule_rows(
    session: Session,
    plan_id: int,
    filters: PlanFilters = NO_FILTERS,
    *,
    month: int | None = None,
    site_ids: list[int] | None = None,
    project_ids: list[int] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[PlanRow]:
    """A plan's scheduled projects: all (by start month, region, site), or those under way in
    one month (by region, site, start month); optionally at some sites or of some projects."""
    query = _joined_rows(
        PlanAssignment,
        PlanAssignment.start_month,
        PlanAssignment.duration_months,
        PlanAssignment.is_pinned,
    ).where(PlanAssignment.plan_id == plan_id, *filter_conditions(session, filters))
    if site_ids is not None:
        query = query.where(Project.site_id.in_(site_ids))
    if project_ids is not None:
        query = query.where(PlanAssignment.project_id.in_(project_ids))
    places = (*REGION_ORDER, Site.code)
    if month is None:
        query = query.order_by(PlanAssignment.start_month, *places, Project.name, Project.id)
    else:
        query = query.where(_under_way_in(month))
        query = query.order_by(*places, PlanAssignment.start_month, Project.name, Project.id)
    return _rows(session, query.offset(offset).limit(limit))


def left_out_rows(
    session: Session,
    plan_id: int,
    filters: PlanFilters = NO_FILTERS,
    *,
    limit_keys: list[str] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[PlanRow]:
    """A plan's left-out projects with their reason and limit, by region, site and name;
    optionally only those kept out by some limits."""
    query = _joined_rows(PlanLeftOut, PlanLeftOut.reason, PlanLeftOut.limit_key).where(
        PlanLeftOut.plan_id == plan_id, *filter_conditions(session, filters)
    )
    if limit_keys is not None:
        query = query.where(PlanLeftOut.limit_key.in_(limit_keys))
    query = query.order_by(*REGION_ORDER, Site.code, Project.name, Project.id)
    return _rows(session, query.offset(offset).limit(limit))


def plan_sites(
    session: Session,
    plan_id: int,
    filters: PlanFilters = NO_FILTERS,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[SiteLine], int]:
    """One page of the sites where the plan schedules (filtered) projects, by code, and how
    many such sites there are."""
    with_projects = (
        select(Project.site_id)
        .select_from(PlanAssignment)
        .join(Project, Project.id == PlanAssignment.project_id)
        .where(PlanAssignment.plan_id == plan_id, *filter_conditions(session, filters))
        .distinct()
    )
    count = session.scalar(select(func.count()).select_from(with_projects.subquery())) or 0
    query = (
        select(Site.id, Site.code, Site.name, Region.name)
        .outerjoin(Region, Region.id == Site.region_id)
        .where(Site.id.in_(with_projects))
        .order_by(Site.code)
        .offset(offset)
        .limit(limit)
    )
    return [SiteLine(*row) for row in session.execute(query)], count


def filter_options(session: Session) -> dict[str, list[tuple[int, str]]]:
    """(id, name) of the regions, systems and trades to filter by."""
    return {
        "regions": list(session.execute(select(Region.id, Region.name).order_by(Region.name))),
        "systems": list(session.execute(select(System.id, System.name).order_by(System.name))),
        "trades": list(session.execute(select(Trade.id, Trade.name).order_by(Trade.name))),
    }


def trades_by_code(session: Session) -> dict[str, tuple[int, str]]:
    """(id, name) of every trade by its code (the optimiser's name for it)."""
    found = session.execute(select(Trade.code, Trade.id, Trade.name))
    return {code: (trade_id, name) for code, trade_id, name in found}
