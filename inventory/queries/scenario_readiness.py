"""The facts a scenario's submission checks need: projects with no cost, trades with no crews,
E-Rate projects at sites with no students, disruptive projects and their lengths."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from inventory.enums import FundingKind
from inventory.models import (
    FundingSource,
    Project,
    Scenario,
    ScenarioTrade,
    Site,
    Trade,
    UpgradeType,
    UpgradeTypeCrew,
)

CANDIDATE = Project.is_withdrawn.is_(False)


def projects_without_cost(session: Session, scenario: Scenario) -> int:
    """How many candidate projects have no cost."""
    return session.scalar(
        select(func.count(Project.id)).where(
            Project.scenario_id == scenario.id, CANDIDATE, Project.cost_cents <= 0
        )
    )


def candidate_count(session: Session, scenario: Scenario) -> int:
    """How many projects a plan may schedule."""
    return session.scalar(
        select(func.count(Project.id)).where(Project.scenario_id == scenario.id, CANDIDATE)
    )


def required_count(session: Session, scenario: Scenario) -> int:
    """How many candidate projects a plan must include (mandatory or pinned)."""
    return session.scalar(
        select(func.count(Project.id)).where(
            Project.scenario_id == scenario.id,
            CANDIDATE,
            or_(Project.is_mandatory.is_(True), Project.pinned_month.is_not(None)),
        )
    )


def trades_without_crews(session: Session, scenario: Scenario) -> list[tuple[Trade, int]]:
    """Trades the candidate projects need that have no crews in any month, with how many
    projects need each."""
    needed = session.execute(
        select(Trade, func.count(func.distinct(Project.id)))
        .join(UpgradeTypeCrew, UpgradeTypeCrew.trade_id == Trade.id)
        .join(Project, Project.upgrade_type_id == UpgradeTypeCrew.upgrade_type_id)
        .where(Project.scenario_id == scenario.id, CANDIDATE, UpgradeTypeCrew.crews > 0)
        .group_by(Trade.id)
        .order_by(Trade.name)
    ).all()
    crews = {
        trade_id: months
        for trade_id, months in session.execute(
            select(ScenarioTrade.trade_id, ScenarioTrade.crews_by_month).where(
                ScenarioTrade.scenario_id == scenario.id
            )
        )
    }
    return [
        (trade, count)
        for trade, count in needed
        if not any(int(c or 0) > 0 for c in crews.get(trade.id) or [])
    ]


def erate_projects_without_students(session: Session, scenario: Scenario) -> list[Project]:
    """Candidate projects paid by E-Rate (their own source or the default) at a site with no
    enrollment: E-Rate budgets belong to schools, so such a site has none."""
    erate = select(FundingSource.id).where(
        FundingSource.scenario_id == scenario.id, FundingSource.kind == FundingKind.ERATE_C2
    )
    default_is_erate = (
        session.scalar(erate.where(FundingSource.is_default.is_(True)).limit(1)) is not None
    )
    paid_by_erate = Project.funding_source_id.in_(erate)
    if default_is_erate:
        paid_by_erate = or_(paid_by_erate, Project.funding_source_id.is_(None))
    return list(
        session.scalars(
            select(Project)
            .join(Site, Site.id == Project.site_id)
            .where(Project.scenario_id == scenario.id, CANDIDATE, paid_by_erate)
            .where(or_(Site.enrollment.is_(None), Site.enrollment <= 0))
            .options(selectinload(Project.site))
            .order_by(Site.code, Project.id)
        )
    )


def disruptive_projects(session: Session, scenario: Scenario) -> list[Project]:
    """Candidate projects of disruptive upgrades (they must fit inside one work window)."""
    return list(
        session.scalars(
            select(Project)
            .join(UpgradeType, UpgradeType.id == Project.upgrade_type_id)
            .where(Project.scenario_id == scenario.id, CANDIDATE, UpgradeType.is_disruptive)
            .options(selectinload(Project.upgrade_type), selectinload(Project.site))
            .order_by(Project.duration_months.desc(), Project.id)
        )
    )
