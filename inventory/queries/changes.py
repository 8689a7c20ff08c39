"""What changed between plans: a version against another of its scenario (moved, added,
dropped), and two plans of any scenarios side by side.

Set-based: each list is one query over the plans' rows (15,000 projects stay fast); the optimiser's
reasons are returned as stored (the app puts them in planners' words).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, aliased, defer

from inventory.models import (
    Plan,
    PlanAssignment,
    PlanLeftOut,
    Project,
    Region,
    Scenario,
    Site,
    System,
    UpgradeType,
)
from inventory.queries.search import contains

LIGHT = (defer(Plan.problem), defer(Plan.stats))  # a plan's summary without its problem


@dataclass(frozen=True)
class ChangeFilters:
    """What the changes are narrowed to: a region, a site (code or name), a system."""

    region_id: int | None = None
    site: str = ""
    system_id: int | None = None


class ChangedProject(NamedTuple):
    """A project that moved, was added or was dropped: where, and its months in both plans."""

    project_id: int
    name: str
    site_code: str
    site_name: str
    region_name: str | None
    system_name: str
    old_month: int | None
    new_month: int | None
    duration_months: int
    cost_cents: int
    value: int
    reason: str | None = None  # why the newer plan leaves a dropped project out
    is_withdrawn: bool = False


@dataclass
class PlanChanges:
    """A plan against an earlier one: what moved, was added, was dropped, and what stayed."""

    plan: Plan
    against: Plan
    moved: list[ChangedProject] = field(default_factory=list)
    added: list[ChangedProject] = field(default_factory=list)
    dropped: list[ChangedProject] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> int:
        """How many projects moved, were added or were dropped."""
        return len(self.moved) + len(self.added) + len(self.dropped)


def _joined(query: Select, project_id, filters: ChangeFilters) -> Select:
    """Join a project's site, region and system to a query, and apply the filters."""
    query = (
        query.join(Project, Project.id == project_id)
        .join(Site, Site.id == Project.site_id)
        .outerjoin(Region, Region.id == Site.region_id)
        .join(UpgradeType, UpgradeType.id == Project.upgrade_type_id)
        .join(System, System.id == UpgradeType.system_id)
    )
    if filters.region_id:
        query = query.where(Site.region_id == filters.region_id)
    if filters.system_id:
        query = query.where(UpgradeType.system_id == filters.system_id)
    if filters.site.strip():
        query = query.where(contains(filters.site, Site.code, Site.name))
    return query


def _changes(plan: Plan, against: Plan, filters: ChangeFilters, kind: str) -> Select:
    """One kind of change ("moved", "added", "dropped", or "same" for a count) as a query:
    one row per project, joined to its rows in both plans and to why `plan` leaves it out."""
    new, old, left = aliased(PlanAssignment), aliased(PlanAssignment), aliased(PlanLeftOut)
    anchor, other = (old, new) if kind == "dropped" else (new, old)
    columns = (
        Project.id, Project.name, Site.code, Site.name, Region.name, System.name,
        old.start_month, new.start_month,
        func.coalesce(new.duration_months, old.duration_months),
        func.coalesce(new.cost_cents, old.cost_cents), func.coalesce(new.value, old.value),
        left.reason, Project.is_withdrawn,
    )  # fmt: skip
    query = (
        select(*columns)
        .select_from(anchor)
        .outerjoin(other, and_(other.project_id == anchor.project_id,
                               other.plan_id == (plan.id if other is new else against.id)))
        .outerjoin(left, and_(left.project_id == anchor.project_id, left.plan_id == plan.id))
        .where(anchor.plan_id == (against.id if anchor is old else plan.id))
    )  # fmt: skip
    if kind in ("added", "dropped"):
        query = query.where(other.id.is_(None))
    elif kind == "moved":
        query = query.where(other.id.is_not(None), new.start_month != old.start_month)
    else:
        query = query.where(other.id.is_not(None), new.start_month == old.start_month)
    return _joined(query, anchor.project_id, filters)


def plan_changes(
    session: Session, plan: Plan, against: Plan, filters: ChangeFilters | None = None
) -> PlanChanges:
    """`plan` against `against` (two versions of one scenario), matched by project."""
    filters = filters or ChangeFilters()
    changes = PlanChanges(plan=plan, against=against)
    for kind in ("moved", "added", "dropped"):
        query = _changes(plan, against, filters, kind).order_by(Site.code, Project.name)
        setattr(changes, kind, [ChangedProject(*row) for row in session.execute(query)])
    same = _changes(plan, against, filters, "same").subquery()
    changes.unchanged = session.scalar(select(func.count()).select_from(same)) or 0
    return changes


def plan_versions(session: Session, scenario_id: int) -> list[Plan]:
    """A scenario's plan versions, newest first (without their rows)."""
    query = select(Plan).where(Plan.scenario_id == scenario_id).order_by(Plan.version.desc())
    return list(session.scalars(query.options(*LIGHT)))


def plans_by_scenario(session: Session) -> list[tuple[Scenario, list[Plan]]]:
    """Every scenario that has plans, with its versions newest first (for picking two)."""
    grouped: dict[int, list[Plan]] = defaultdict(list)
    query = select(Plan).order_by(Plan.scenario_id, Plan.version.desc()).options(*LIGHT)
    for plan in session.scalars(query):
        grouped[plan.scenario_id].append(plan)
    scenarios = session.scalars(
        select(Scenario).where(Scenario.id.in_(grouped)).order_by(Scenario.name)
    )
    return [(scenario, grouped[scenario.id]) for scenario in scenarios]


class Difference(NamedTuple):
    """An upgrade at a site that only one plan does, or that both do in different months."""

    site_id: int
    site_code: str
    site_name: str
    upgrade_name: str
    a_month: dt.date | None
    b_month: dt.date | None
    cost_cents: int


@dataclass(frozen=True)
class Side:
    """Projects done, their cost and value, in one plan (for a site or a month)."""

    projects: int = 0
    cost_cents: int = 0
    value: int = 0


@dataclass(frozen=True)
class SiteSides:
    """A site's work in plan A and in plan B."""

    site_id: int
    code: str
    name: str
    a: Side
    b: Side
    differs: bool


@dataclass(frozen=True)
class MonthSides:
    """A calendar month's starts in plan A and in plan B."""

    month: dt.date
    a: Side
    b: Side


@dataclass
class PlanComparison:
    """Two plans side by side, matched by site and upgrade type."""

    a: Plan
    b: Plan
    sites: list[SiteSides] = field(default_factory=list)
    months: list[MonthSides] = field(default_factory=list)
    only_a: list[Difference] = field(default_factory=list)
    only_b: list[Difference] = field(default_factory=list)
    moved: list[Difference] = field(default_factory=list)
    same: int = 0


def _first(plan: Plan) -> int:
    """The plan's month 0 as a count of calendar months (to match months across scenarios)."""
    first = plan.scenario.first_month_on
    return first.year * 12 + first.month - 1


def compare_plans(session: Session, a: Plan, b: Plan) -> PlanComparison:
    """Plans A and B (of any scenarios; copies share sites and upgrade types) side by side."""
    result = PlanComparison(a=a, b=b)
    result.only_a = _differences(session, a, b, "only")
    result.only_b = [
        d._replace(a_month=None, b_month=d.a_month) for d in _differences(session, b, a, "only")
    ]
    result.moved = _differences(session, a, b, "moved")
    matched = _matched(a, b, "both").with_only_columns(func.count()).order_by(None)
    result.same = (session.scalar(matched) or 0) - len(result.moved)
    differing = {d.site_id for d in (*result.only_a, *result.only_b, *result.moved)}
    result.sites = _by_site(session, a, b, differing)
    result.months = _by_month(session, a, b)
    return result


def _matched(a: Plan, b: Plan, kind: str) -> Select:
    """A's scheduled projects, each with B's project of the same site and upgrade type and its
    row in B: "only" keeps those B does not schedule, "both" those it does, "moved" those it
    schedules in another calendar month. Every join follows a unique index."""
    in_a, in_b = aliased(PlanAssignment), aliased(PlanAssignment)
    project_a, project_b = aliased(Project), aliased(Project)
    same_upgrade = and_(project_b.scenario_id == b.scenario_id,
                        project_b.site_id == project_a.site_id,
                        project_b.upgrade_type_id == project_a.upgrade_type_id)  # fmt: skip
    scheduled_in_b = and_(in_b.plan_id == b.id, in_b.project_id == project_b.id)
    query = (
        select(Site.id, Site.code, Site.name, UpgradeType.name, in_a.start_month,
               in_b.start_month, in_a.cost_cents)
        .select_from(in_a)
        .join(project_a, project_a.id == in_a.project_id)
        .join(Site, Site.id == project_a.site_id)
        .join(UpgradeType, UpgradeType.id == project_a.upgrade_type_id)
        .where(in_a.plan_id == a.id)
        .order_by(Site.code, UpgradeType.name)
    )  # fmt: skip
    if kind == "only":
        query = query.outerjoin(project_b, same_upgrade).outerjoin(in_b, scheduled_in_b)
        return query.where(in_b.id.is_(None))
    query = query.join(project_b, same_upgrade).join(in_b, scheduled_in_b)
    if kind == "moved":
        query = query.where(in_a.start_month + (_first(a) - _first(b)) != in_b.start_month)
    return query


def _differences(session: Session, a: Plan, b: Plan, kind: str) -> list[Difference]:
    """Upgrades in A that B does not do ("only") or does in another month ("moved")."""
    days_a, days_b = _days(a), _days(b)
    return [
        Difference(
            site_id, code, name, upgrade, _day(days_a, a, month_a), _day(days_b, b, month_b), cost
        )
        for site_id, code, name, upgrade, month_a, month_b, cost in session.execute(
            _matched(a, b, kind)
        )
    ]


def _day(days: dict[int, dt.date], plan: Plan, month: int | None) -> dt.date | None:
    """A month number as its first day (None stays None)."""
    if month is None:
        return None
    return days[month] if month in days else plan.scenario.month_on(month)


def _days(plan: Plan) -> dict[int, dt.date]:
    """The plan's month numbers as the first day of each calendar month."""
    scenario = plan.scenario
    return {month: scenario.month_on(month) for month in range(scenario.months)}


def _totals(session: Session, plan: Plan, key) -> dict:
    """Projects, cost and value of a plan's scheduled projects grouped by a column."""
    query = (
        select(key, func.count(), func.sum(PlanAssignment.cost_cents),
               func.sum(PlanAssignment.value))
        .join(Project, Project.id == PlanAssignment.project_id)
        .where(PlanAssignment.plan_id == plan.id)
        .group_by(key)
    )  # fmt: skip
    return {group: Side(count, int(cost or 0), int(value or 0))
            for group, count, cost, value in session.execute(query)}  # fmt: skip


def _by_site(session: Session, a: Plan, b: Plan, differing: set[int]) -> list[SiteSides]:
    """Each site's work in both plans, the sites where they differ first."""
    in_a, in_b = _totals(session, a, Project.site_id), _totals(session, b, Project.site_id)
    names = session.execute(
        select(Site.id, Site.code, Site.name).where(Site.id.in_(set(in_a) | set(in_b)))
    )
    sites = [
        SiteSides(site_id, code, name, in_a.get(site_id, Side()), in_b.get(site_id, Side()),
                  site_id in differing)
        for site_id, code, name in names
    ]  # fmt: skip
    return sorted(sites, key=lambda s: (not s.differs, s.code))


def _by_month(session: Session, a: Plan, b: Plan) -> list[MonthSides]:
    """Starts and spending in each calendar month either plan covers."""
    sides = []
    for plan in (a, b):
        starts = _totals(session, plan, PlanAssignment.start_month)
        sides.append({plan.scenario.month_on(month): side for month, side in starts.items()})
    covered = {day for plan in (a, b) for day in _days(plan).values()}
    return [
        MonthSides(month, sides[0].get(month, Side()), sides[1].get(month, Side()))
        for month in sorted(covered | set(sides[0]) | set(sides[1]))
    ]
