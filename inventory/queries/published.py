"""The published plan, as everyone outside the planning pages reads it.

Drafts never leave the planning pages: the SEP document, the monthly schedule, the site portal
and the calendar feeds all read a *published* plan through this module. The district's current
Strategic Execution Plan is the most recently published plan of any scenario; the version
published before it in the same scenario is what "what changed" compares against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, defer

from inventory.enums import ProjectPhase
from inventory.models import (
    FundingSource,
    Plan,
    PlanAssignment,
    Project,
    Region,
    Scenario,
    Site,
    System,
    UpgradeType,
    User,
    WorkWindow,
)
from inventory.queries.plans import trade_names

LIGHT = (defer(Plan.problem), defer(Plan.stats))  # a plan's summary without its problem


def current_baseline(session: Session) -> Plan | None:
    """The district's current SEP: the most recently published plan of any scenario."""
    query = (
        select(Plan)
        .where(Plan.published_at.is_not(None))
        .order_by(Plan.published_at.desc(), Plan.id.desc())
        .options(*LIGHT)
        .limit(1)
    )
    return session.scalar(query)


def district_baselines(session: Session) -> list[Plan]:
    """The published plans that make up the district's SEP, earliest fiscal year first: each
    scenario's baseline, where a later publication covering a fiscal year replaces an earlier
    one (a what-if copy published after the original takes over its years; the plan of a
    year under way stays beside next year's)."""
    query = (
        select(Plan)
        .join(Scenario, Scenario.id == Plan.scenario_id)
        .where(Plan.published_at.is_not(None))
        .order_by(Plan.published_at.desc(), Plan.id.desc())
        .options(*LIGHT)
    )
    claimed: set[int] = set()
    seen_scenarios: set[int] = set()
    chosen: list[Plan] = []
    for plan in session.scalars(query):
        if plan.scenario_id in seen_scenarios:
            continue  # an older publication of a scenario already chosen
        seen_scenarios.add(plan.scenario_id)
        years = set(plan.scenario.fiscal_years)
        if years & claimed:
            continue  # replaced by a later publication for the same years
        claimed |= years
        chosen.append(plan)
    return sorted(chosen, key=lambda plan: (plan.scenario.first_year, plan.id))


def published_plan(session: Session, scenario: Scenario, version: int | None = None) -> Plan | None:
    """A scenario's published plan: version N if given and published, else its baseline."""
    query = select(Plan).where(Plan.scenario_id == scenario.id, Plan.published_at.is_not(None))
    if version is not None:
        query = query.where(Plan.version == version)
    return session.scalar(query.order_by(Plan.published_at.desc(), Plan.id.desc()).limit(1))


def previous_published(session: Session, plan: Plan) -> Plan | None:
    """The plan of the same scenario published just before `plan`, or None."""
    if plan.published_at is None:
        return None
    query = (
        select(Plan)
        .where(
            Plan.scenario_id == plan.scenario_id,
            Plan.published_at.is_not(None),
            Plan.id != plan.id,
            Plan.published_at <= plan.published_at,
        )
        .order_by(Plan.published_at.desc(), Plan.id.desc())
        .options(*LIGHT)
        .limit(1)
    )
    return session.scalar(query)


def published_versions(session: Session, scenario_id: int) -> list[Plan]:
    """A scenario's published plans, newest publication first (without their problems)."""
    query = (
        select(Plan)
        .where(Plan.scenario_id == scenario_id, Plan.published_at.is_not(None))
        .order_by(Plan.published_at.desc(), Plan.id.desc())
        .options(*LIGHT)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class PublishedProject:
    """A scheduled project of a published plan, with everything its readers are told: where,
    what, when (calendar dates), how much, from which money, who is accountable."""

    project_id: int
    name: str
    scope: str | None
    need_summary: str | None
    assets_replaced: int
    site_id: int
    site_code: str
    site_name: str
    region_name: str | None
    system_name: str
    upgrade_code: str
    upgrade_name: str
    upgrade_description: str | None
    is_disruptive: bool
    window_name: str | None  # the work window its start month falls in (disruptive work)
    trades: tuple[str, ...]
    start_month: int  # the scenario's month number
    duration_months: int
    starts_on: dt.date  # the first day of its first month
    ends_on: dt.date  # the last day of its last month
    cost_cents: int
    funding_name: str | None
    phase: ProjectPhase
    manager_name: str | None
    manager_email: str | None
    manager_phone: str | None
    actual_start_on: dt.date | None
    actual_finish_on: dt.date | None

    @property
    def end_month(self) -> int:
        """The last month of the scenario the project is under way."""
        return self.start_month + self.duration_months - 1


def last_day(first: dt.date) -> dt.date:
    """The last day of the month that starts on `first`."""
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def published_projects(
    session: Session, plan: Plan, site_ids: Collection[int] | None = None
) -> list[PublishedProject]:
    """A plan's scheduled projects (optionally only at some sites), by start month, site and
    name. One query for the rows and one for the trades, whatever the plan's size."""
    scenario = plan.scenario
    manager = aliased(User)
    columns = (
        PlanAssignment.project_id, Project.name, Project.scope, Project.need_summary,
        Project.assets_replaced, Site.id, Site.code, Site.name, Region.name, System.name,
        UpgradeType.id, UpgradeType.code, UpgradeType.name, UpgradeType.description,
        UpgradeType.is_disruptive, PlanAssignment.start_month,
        PlanAssignment.duration_months, PlanAssignment.cost_cents, FundingSource.name,
        Project.phase, manager.full_name, manager.username, manager.email, manager.phone,
        Project.actual_start_on, Project.actual_finish_on,
    )  # fmt: skip
    query = (
        select(*columns)
        .select_from(PlanAssignment)
        .join(Project, Project.id == PlanAssignment.project_id)
        .join(Site, Site.id == Project.site_id)
        .outerjoin(Region, Region.id == Site.region_id)
        .join(UpgradeType, UpgradeType.id == Project.upgrade_type_id)
        .join(System, System.id == UpgradeType.system_id)
        .outerjoin(FundingSource, FundingSource.id == Project.funding_source_id)
        .outerjoin(manager, manager.id == Project.manager_id)
        .where(PlanAssignment.plan_id == plan.id)
        .order_by(PlanAssignment.start_month, Site.code, Project.name, Project.id)
    )
    if site_ids is not None:
        query = query.where(Project.site_id.in_(list(site_ids)))
    rows = session.execute(query).all()
    trades = trade_names(session, [row[10] for row in rows])
    windows = session.execute(
        select(WorkWindow.name, WorkWindow.months).where(WorkWindow.scenario_id == scenario.id)
    ).all()
    window_of = {int(month): name for name, months in windows for month in months or ()}
    found = []
    for row in rows:
        (project_id, name, scope, need, replaced, site_id, site_code, site_name, region,
         system, type_id, type_code, type_name, description, disruptive, start, duration,
         cost, funding, phase, full_name, username, email, phone, actual_start,
         actual_finish) = row  # fmt: skip
        starts_on = scenario.month_on(start)
        found.append(
            PublishedProject(
                project_id=project_id,
                name=name,
                scope=scope,
                need_summary=need,
                assets_replaced=replaced,
                site_id=site_id,
                site_code=site_code,
                site_name=site_name,
                region_name=region,
                system_name=system,
                upgrade_code=type_code,
                upgrade_name=type_name,
                upgrade_description=description,
                is_disruptive=disruptive,
                window_name=window_of.get(start) if disruptive else None,
                trades=trades.get(type_id, ()),
                start_month=start,
                duration_months=duration,
                starts_on=starts_on,
                ends_on=last_day(scenario.month_on(start + duration - 1)),
                cost_cents=cost,
                funding_name=funding,
                phase=phase,
                manager_name=(full_name or username) if username else None,
                manager_email=email,
                manager_phone=phone,
                actual_start_on=actual_start,
                actual_finish_on=actual_finish,
            )
        )
    return found


def all_published(session: Session) -> list[Plan]:
    """Every published plan of every scenario, newest publication first (without problems)."""
    query = (
        select(Plan)
        .where(Plan.published_at.is_not(None))
        .order_by(Plan.published_at.desc(), Plan.id.desc())
        .options(*LIGHT)
    )
    return list(session.scalars(query))


def site_places(session: Session, site_ids: Collection[int]) -> dict[int, str]:
    """Each site's name and, when known, its postal address on one line ("Lincoln Elementary,
    12 Oak St, Springfield, IL 62701"), for calendar events' locations."""
    columns = (Site.id, Site.name, Site.address, Site.city, Site.state, Site.postal_code)
    query = select(*columns).where(Site.id.in_(list(site_ids)))
    places = {}
    for site_id, name, address, city, state, postal_code in session.execute(query):
        region = " ".join(part for part in (state, postal_code) if part)
        parts = [name, *(part for part in (address, city, region) if part)]
        places[site_id] = ", ".join(parts)
    return places
