"""The Strategic Execution Plan document of a published plan, as data: program totals, the
scope of the projects per site, the month-by-month schedule, budgets and costs at program and
project level, who is accountable, crews per month, the measures the PMO tracks, and the
district's systems with their inventory counts.

Set-based: one query for the plan's projects (published.published_projects) and a handful of
grouped queries, whatever the plan's size (1,500 sites, 10,000 projects); the rest is summed
in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventory.models import (
    Asset,
    AssetModel,
    Plan,
    ScenarioTrade,
    System,
    Trade,
    UpgradeType,
    UpgradeTypeCrew,
)
from inventory.models.assets import GONE_STATUSES
from inventory.queries.published import PublishedProject, published_projects
from inventory.queries.sep_figures import (
    MEASURES,
    NO_FUNDING,
    NO_REGION,
    NOT_ASSIGNED,
    ManagerLine,
    Measure,
    MonthLine,
    SiteScope,
    SystemLine,
    Tally,
    TradeLine,
    UpgradeLine,
    YearLine,
)


@dataclass
class SepDocument:
    """Everything the SEP document shows of one published plan."""

    plan: Plan
    projects: list[PublishedProject]
    months: list[MonthLine]
    years: list[YearLine]
    by_funding: list[Tally]
    by_system: list[Tally]
    by_region: list[Tally]
    sites: list[SiteScope]
    upgrades: list[UpgradeLine]
    managers: list[ManagerLine]
    trades: list[TradeLine]
    systems: list[SystemLine]
    measures: tuple[Measure, ...] = MEASURES
    published_by: str | None = None

    @property
    def total_cost_cents(self) -> int:
        """The cost of every scheduled project."""
        return sum(project.cost_cents for project in self.projects)

    @property
    def site_count(self) -> int:
        """How many sites have work in the plan."""
        return len(self.sites)


def sep_document(session: Session, plan: Plan) -> SepDocument:
    """The SEP document of a (published) plan."""
    projects = published_projects(session, plan)
    scenario = plan.scenario
    months = month_lines(plan, projects)
    publisher = plan.published_by
    return SepDocument(
        plan=plan,
        projects=projects,
        months=months,
        years=_years(plan, months),
        by_funding=_tallies(projects, lambda p: p.funding_name or NO_FUNDING),
        by_system=_tallies(projects, lambda p: p.system_name),
        by_region=_tallies(projects, lambda p: p.region_name or NO_REGION),
        sites=sites_of(projects),
        upgrades=_upgrades(projects),
        managers=_managers(projects),
        trades=_trades(session, scenario.id, projects, len(months)),
        systems=_systems(session, projects),
        published_by=(publisher.full_name or publisher.username) if publisher else None,
    )


def plan_months(plan: Plan, projects: Iterable[PublishedProject]) -> int:
    """The months the document covers: the scenario's, longer if a project runs past them."""
    last = max((project.end_month + 1 for project in projects), default=0)
    return max(plan.scenario.months, last)


def month_lines(plan: Plan, projects: list[PublishedProject]) -> list[MonthLine]:
    """Each month: projects and cost starting, projects under way, sites, starts by region."""
    scenario = plan.scenario
    lines = [
        MonthLine(month, scenario.month_label(month), scenario.month_on(month))
        for month in range(plan_months(plan, projects))
    ]
    for project in projects:
        line = lines[project.start_month]
        line.starting += 1
        line.cost_cents += project.cost_cents
        line.sites_starting.add(project.site_id)
        region = project.region_name or NO_REGION
        line.by_region.setdefault(region, Tally(region)).add(project)
        for month in range(project.start_month, project.end_month + 1):
            lines[month].under_way += 1
            lines[month].sites_busy.add(project.site_id)
    for line in lines:
        line.by_region = dict(sorted(line.by_region.items()))
    return lines


def _years(plan: Plan, months: list[MonthLine]) -> list[YearLine]:
    """Each fiscal year of the scenario with its budget and what starts in it."""
    scenario = plan.scenario
    budgets = list(scenario.annual_budgets_cents or [])
    years = []
    for index, year in enumerate(scenario.fiscal_years):
        chosen = months[12 * index : 12 * index + 12]
        budget = budgets[index] if index < len(budgets) else None
        years.append(
            YearLine(
                f"FY{year}",
                None if budget is None else int(budget),
                sum(line.cost_cents for line in chosen),
                sum(line.starting for line in chosen),
            )
        )
    return years


def _tallies(projects: list[PublishedProject], key: object) -> list[Tally]:
    """Projects grouped by a key, most cost first."""
    groups: dict[str, Tally] = {}
    for project in projects:
        name = key(project)  # type: ignore[operator]
        groups.setdefault(name, Tally(name)).add(project)
    return sorted(groups.values(), key=lambda tally: (-tally.cost_cents, tally.name))


def sites_of(projects: list[PublishedProject]) -> list[SiteScope]:
    """The sites with work, by region then site name, each with its projects by start month."""
    sites: dict[int, SiteScope] = {}
    for project in projects:
        site = sites.get(project.site_id)
        if site is None:
            site = SiteScope(project.site_id, project.site_code, project.site_name,
                             project.region_name or NO_REGION)  # fmt: skip
            sites[project.site_id] = site
        site.projects.append(project)
    return sorted(sites.values(), key=lambda s: (s.region_name, s.name.lower(), s.code))


def _upgrades(projects: list[PublishedProject]) -> list[UpgradeLine]:
    """The kinds of work the plan does, by system and name."""
    upgrades: dict[str, UpgradeLine] = {}
    for project in projects:
        line = upgrades.get(project.upgrade_code)
        if line is None:
            line = UpgradeLine(project.upgrade_name, project.system_name,
                               project.upgrade_description, project.is_disruptive,
                               project.trades)  # fmt: skip
            upgrades[project.upgrade_code] = line
        line.projects += 1
        line.cost_cents += project.cost_cents
    return sorted(upgrades.values(), key=lambda u: (u.system_name.lower(), u.name.lower()))


def _managers(projects: list[PublishedProject]) -> list[ManagerLine]:
    """Accountable managers with their projects; nobody assigned last."""
    managers: dict[str, ManagerLine] = {}
    for project in projects:
        name = project.manager_name or NOT_ASSIGNED
        line = managers.get(name)
        if line is None:
            line = ManagerLine(name, project.manager_email, project.manager_phone)
            managers[name] = line
        line.projects += 1
        line.cost_cents += project.cost_cents
        line.site_ids.add(project.site_id)
    return sorted(managers.values(), key=lambda m: (m.name == NOT_ASSIGNED, m.name.lower()))


def _trades(
    session: Session, scenario_id: int, projects: list[PublishedProject], months: int
) -> list[TradeLine]:
    """Each trade's crews available (the scenario's) and busy (the plan's projects) per month."""
    crews: dict[str, dict[str, int]] = defaultdict(dict)  # upgrade code -> trade name -> crews
    query = (
        select(UpgradeType.code, Trade.name, UpgradeTypeCrew.crews)
        .join(UpgradeTypeCrew, UpgradeTypeCrew.upgrade_type_id == UpgradeType.id)
        .join(Trade, Trade.id == UpgradeTypeCrew.trade_id)
    )
    for code, trade, count in session.execute(query):
        crews[code][trade] = int(count)
    busy: dict[str, list[int]] = defaultdict(lambda: [0] * months)
    for project in projects:
        for trade, count in crews.get(project.upgrade_code, {}).items():
            row = busy[trade]
            for month in range(project.start_month, project.end_month + 1):
                row[month] += count
    available: dict[str, list[int]] = {}
    rows = session.execute(
        select(Trade.name, ScenarioTrade.crews_by_month)
        .join(Trade, Trade.id == ScenarioTrade.trade_id)
        .where(ScenarioTrade.scenario_id == scenario_id)
    )
    for name, by_month in rows:
        values = [int(value or 0) for value in (by_month or [])]
        available[name] = (values + [values[-1] if values else 0] * months)[:months]
    names = sorted(set(available) | set(busy))
    return [TradeLine(name, available.get(name, [0] * months), busy[name]) for name in names]


def _systems(session: Session, projects: list[PublishedProject]) -> list[SystemLine]:
    """Every active system with its assets in service (not retired or disposed), the sites
    that have them, and the plan's projects on it."""
    counts = session.execute(
        select(System.name, func.count(Asset.id), func.count(func.distinct(Asset.site_id)))
        .select_from(System)
        .outerjoin(AssetModel, AssetModel.system_id == System.id)
        .outerjoin(Asset, (Asset.model_id == AssetModel.id) & Asset.status.not_in(GONE_STATUSES))
        .where(System.is_active.is_(True))
        .group_by(System.name)
    ).all()
    planned = {tally.name: tally for tally in _tallies(projects, lambda p: p.system_name)}
    lines = [
        SystemLine(name, int(assets), int(sites), planned[name].projects if name in planned
                   else 0, planned[name].cost_cents if name in planned else 0)
        for name, assets, sites in counts
    ]  # fmt: skip
    return sorted(lines, key=lambda line: line.name.lower())
