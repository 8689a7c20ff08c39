"""Scenario reads: the list with its counts, one scenario's summary, its plan versions, each
school's E-Rate budget, its site rules and the change log of the scenario and its inputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from inventory.changelog import ChangeLogEntry, history_query
from inventory.enums import SiteStatus
from inventory.models import (
    FundingSource,
    Plan,
    Project,
    Scenario,
    ScenarioSite,
    Site,
    Trade,
)

INPUT_TYPES = ("scenario_trades", "funding_sources", "work_windows", "scenario_sites")


@dataclass(frozen=True)
class ScenarioRow:
    """A scenario in the list: its projects (withdrawn ones left out, as in the project list),
    plan versions, baseline and last plan's value."""

    scenario: Scenario
    projects: int
    plans: int
    baseline_version: int | None
    last_plan: Plan | None


def scenario_list(session: Session) -> list[ScenarioRow]:
    """Every scenario, newest fiscal year first, with its counts (a few queries in all)."""
    scenarios = list(
        session.scalars(select(Scenario).order_by(Scenario.first_year.desc(), Scenario.name))
    )
    projects = dict(
        session.execute(
            select(Project.scenario_id, func.count(Project.id))
            .where(Project.is_withdrawn.is_(False))
            .group_by(Project.scenario_id)
        ).all()
    )
    plans = dict(
        session.execute(
            select(Plan.scenario_id, func.count(Plan.id)).group_by(Plan.scenario_id)
        ).all()
    )
    last_ids = select(func.max(Plan.id)).group_by(Plan.scenario_id)
    last = {p.scenario_id: p for p in session.scalars(select(Plan).where(Plan.id.in_(last_ids)))}
    baselines: dict[int, int] = {}
    published = select(Plan.scenario_id, Plan.version).where(Plan.published_at.is_not(None))
    for scenario_id, version in session.execute(
        published.order_by(Plan.published_at, Plan.version)
    ):
        baselines[scenario_id] = version  # the last one published wins
    return [
        ScenarioRow(
            s, projects.get(s.id, 0), plans.get(s.id, 0), baselines.get(s.id), last.get(s.id)
        )
        for s in scenarios
    ]


@dataclass(frozen=True)
class ScenarioSummary:
    """A scenario's projects in numbers, and its budget."""

    projects: int  # every project, withdrawn ones too
    candidates: int  # the projects a plan may schedule (not withdrawn)
    mandatory: int
    pinned: int
    withdrawn: int
    without_cost: int
    candidate_cost_cents: int
    budget_total_cents: int | None  # None when a year has no budget set

    @property
    def budget_left_out_cents(self) -> int | None:
        """How much the candidates cost beyond the budget (0 when they fit)."""
        if self.budget_total_cents is None:
            return None
        return max(0, self.candidate_cost_cents - self.budget_total_cents)


def scenario_summary(session: Session, scenario: Scenario) -> ScenarioSummary:
    """Counts of the scenario's projects and the cost of the candidates, in one query."""
    active = Project.is_withdrawn.is_(False)

    def count_of(condition: Any) -> Any:
        """How many projects meet the condition."""
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = session.execute(
        select(
            func.count(Project.id),
            count_of(active),
            count_of(and_(active, Project.is_mandatory.is_(True))),
            count_of(and_(active, Project.pinned_month.is_not(None))),
            count_of(Project.is_withdrawn.is_(True)),
            count_of(and_(active, Project.cost_cents <= 0)),
            func.coalesce(func.sum(case((active, Project.cost_cents), else_=0)), 0),
        ).where(Project.scenario_id == scenario.id)
    ).one()
    budgets = list(scenario.annual_budgets_cents or [])[: scenario.years]
    total = None
    if len(budgets) == scenario.years and all(b is not None for b in budgets):
        total = sum(int(b) for b in budgets)
    return ScenarioSummary(*(int(value) for value in row), budget_total_cents=total)


def plan_versions(session: Session, scenario: Scenario) -> list[Plan]:
    """The scenario's plans, newest version first, with who made and published them."""
    return list(
        session.scalars(
            select(Plan)
            .where(Plan.scenario_id == scenario.id)
            .options(selectinload(Plan.created_by), selectinload(Plan.published_by))
            .order_by(Plan.version.desc())
        )
    )


def plan_options(session: Session, limit: int = 500) -> list[tuple[int, str]]:
    """(plan id, 'FY2028 plan, version 3') for every scenario's plans, newest first."""
    rows = session.execute(
        select(Plan.id, Scenario.name, Plan.version)
        .join(Scenario, Scenario.id == Plan.scenario_id)
        .order_by(Scenario.name, Plan.version.desc())
        .limit(limit)
    )
    return [(plan_id, f"{name}, version {version}") for plan_id, name, version in rows]


def scenario_history(session: Session, scenario: Scenario, limit: int = 500) -> list:
    """The change log of the scenario and of its inputs (crews, funding sources, windows, site
    rules, including removed ones), newest first."""
    created_here = or_(
        ChangeLogEntry.changes[("scenario_id", 1)].as_integer() == scenario.id,
        ChangeLogEntry.changes[("scenario_id", 0)].as_integer() == scenario.id,
    )
    inputs = (
        select(ChangeLogEntry.object_type, ChangeLogEntry.object_id)
        .where(ChangeLogEntry.object_type.in_(INPUT_TYPES), ChangeLogEntry.action != "update")
        .where(created_here)
    )
    pairs = {(kind, object_id) for kind, object_id in session.execute(inputs)}
    conditions = [
        and_(ChangeLogEntry.object_type == "scenarios", ChangeLogEntry.object_id == scenario.id)
    ]
    by_type: dict[str, list[int]] = {}
    for kind, object_id in pairs:
        by_type.setdefault(kind, []).append(object_id)
    for kind, ids in by_type.items():
        conditions.append(
            and_(ChangeLogEntry.object_type == kind, ChangeLogEntry.object_id.in_(ids))
        )
    return list(
        session.scalars(
            select(ChangeLogEntry)
            .where(or_(*conditions))
            .order_by(ChangeLogEntry.changed_at.desc(), ChangeLogEntry.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class ErateSchool:
    """One school's E-Rate Category 2 budget in a scenario, and what its projects would use."""

    site: Site
    budget_cents: int
    committed_cents: int
    remaining_cents: int
    projects_cost_cents: int
    erate_pays_cents: int  # the discount of what the projects can claim from what remains


def erate_schools(session: Session, scenario: Scenario, source: FundingSource) -> list:
    """Each open school's five-year budget (per student x enrollment, at least the floor),
    what it committed already, what remains, and what E-Rate would pay of the scenario's
    candidate projects funded by this source there."""
    committed = dict(
        session.execute(
            select(ScenarioSite.site_id, ScenarioSite.erate_committed_cents).where(
                ScenarioSite.scenario_id == scenario.id
            )
        ).all()
    )
    paid_here = Project.funding_source_id == source.id
    if source.is_default:
        paid_here = or_(paid_here, Project.funding_source_id.is_(None))
    costs = dict(
        session.execute(
            select(Project.site_id, func.sum(Project.cost_cents))
            .where(Project.scenario_id == scenario.id, Project.is_withdrawn.is_(False), paid_here)
            .group_by(Project.site_id)
        ).all()
    )
    schools = session.scalars(
        select(Site)
        .where(or_(and_(Site.status != SiteStatus.CLOSED, Site.enrollment > 0), Site.id.in_(costs)))
        .order_by(Site.code)
    )
    discount = source.erate_discount_percent or 0
    rows = []
    for site in schools:
        budget = source.erate_budget_cents(site.enrollment) if site.enrollment else 0
        used = int(committed.get(site.id, 0) or 0)
        remaining = max(0, budget - used)
        cost = int(costs.get(site.id, 0) or 0)
        pays = min(cost, remaining) * discount // 100
        rows.append(ErateSchool(site, budget, used, remaining, cost, pays))
    return rows


def active_trades(session: Session) -> list[Trade]:
    """The trades crews can be hired in, by name."""
    return list(session.scalars(select(Trade).where(Trade.is_active).order_by(Trade.name)))


def site_rules_query(scenario: Scenario) -> Select:
    """The scenario's site rules with their sites, by site code (for paging)."""
    return (
        select(ScenarioSite)
        .join(Site, Site.id == ScenarioSite.site_id)
        .where(ScenarioSite.scenario_id == scenario.id)
        .options(selectinload(ScenarioSite.site))
        .order_by(Site.code)
    )


def last_status_change(session: Session, scenario: Scenario) -> ChangeLogEntry | None:
    """The change log entry of the scenario's last change of status (who and when)."""
    entries = session.scalars(
        history_query("scenarios", scenario.id).where(ChangeLogEntry.action == "update").limit(200)
    )
    return next((entry for entry in entries if "status" in (entry.changes or {})), None)
