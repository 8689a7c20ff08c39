"""Totals of a plan for review: cost and projects per month and fiscal year, crews and funding
used, and what each limit kept out; and the plan as the optimiser wrote it. Set-based (a plan
can hold 15,000 projects).

Use is measured with each project's crews and funding key as in the plan's `problem` (the
optimiser's input as it was), so it compares with the limits the plan was made under.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventory.models import Plan, PlanAssignment, PlanLeftOut
from inventory.queries.plans import NO_FILTERS, PlanFilters, narrowed


@dataclass
class MonthTotal:
    """One month of a plan: the cost of what starts, how many start, how many are under way."""

    month: int
    cost_cents: int = 0
    starting: int = 0
    under_way: int = 0


@dataclass(frozen=True)
class LimitTotal:
    """The projects one limit keeps out of a plan: how many, their cost and value."""

    limit_key: str
    projects: int
    cost_cents: int
    value: int


def month_totals(
    session: Session, plan_id: int, months: int, filters: PlanFilters = NO_FILTERS
) -> list[MonthTotal]:
    """For each month of the plan: cost starting, projects starting, projects under way."""
    query = (
        select(
            PlanAssignment.start_month,
            PlanAssignment.duration_months,
            func.count(),
            func.sum(PlanAssignment.cost_cents),
        )
        .where(PlanAssignment.plan_id == plan_id)
        .group_by(PlanAssignment.start_month, PlanAssignment.duration_months)
    )
    query = narrowed(query, session, filters, PlanAssignment.project_id)
    totals = [MonthTotal(month) for month in range(months)]
    for start, duration, count, cost in session.execute(query):
        if 0 <= start < months:
            totals[start].starting += count
            totals[start].cost_cents += int(cost or 0)
        for month in range(max(start, 0), min(start + duration, months)):
            totals[month].under_way += count
    return totals


def totals_by_year(totals: list[MonthTotal]) -> list[int]:
    """Cost starting in each fiscal year (12 months each), in cents."""
    years = (len(totals) + 11) // 12
    return [sum(t.cost_cents for t in totals[12 * year : 12 * year + 12]) for year in range(years)]


def _problem_projects(plan: Plan) -> dict[str, Mapping[str, Any]]:
    """The plan's problem's projects by key."""
    return {item["id"]: item for item in (plan.problem or {}).get("projects", [])}


def crew_use(
    session: Session, plan: Plan, filters: PlanFilters = NO_FILTERS
) -> dict[str, list[int]]:
    """Crews busy per trade code per month, from each project's crews in the plan's problem."""
    months = int((plan.problem or {}).get("horizon", 0))
    crews_of = {key: item.get("crews") or {} for key, item in _problem_projects(plan).items()}
    query = select(
        PlanAssignment.key, PlanAssignment.start_month, PlanAssignment.duration_months
    ).where(PlanAssignment.plan_id == plan.id)
    query = narrowed(query, session, filters, PlanAssignment.project_id)
    used: dict[str, list[int]] = {}
    for key, start, duration in session.execute(query):
        for trade, crews in crews_of.get(key, {}).items():
            row = used.setdefault(trade, [0] * months)
            for month in range(max(start, 0), min(start + duration, months)):
                row[month] += int(crews)
    return used


def funding_use(
    session: Session, plan: Plan, filters: PlanFilters = NO_FILTERS
) -> dict[str | None, tuple[int, int]]:
    """(projects, cents) of the scheduled projects per funding key of the plan's problem (None:
    projects no source pays for)."""
    funding_of = {key: item.get("funding") for key, item in _problem_projects(plan).items()}
    query = select(PlanAssignment.key, PlanAssignment.cost_cents).where(
        PlanAssignment.plan_id == plan.id
    )
    query = narrowed(query, session, filters, PlanAssignment.project_id)
    use: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    for key, cost in session.execute(query):
        entry = use[funding_of.get(key)]
        entry[0] += 1
        entry[1] += cost
    return {key: (count, cents) for key, (count, cents) in use.items()}


def assignment_spans(
    session: Session, plan_id: int, filters: PlanFilters = NO_FILTERS
) -> list[tuple[int, str, int, int]]:
    """(project id, key, start month, duration) of the plan's (filtered) scheduled projects."""
    query = select(
        PlanAssignment.project_id,
        PlanAssignment.key,
        PlanAssignment.start_month,
        PlanAssignment.duration_months,
    ).where(PlanAssignment.plan_id == plan_id)
    query = narrowed(query, session, filters, PlanAssignment.project_id)
    return [tuple(row) for row in session.execute(query.order_by(PlanAssignment.id))]


def left_out_by_limit(
    session: Session, plan_id: int, filters: PlanFilters = NO_FILTERS
) -> list[LimitTotal]:
    """The left-out projects grouped by the limit that keeps them out, most value first."""
    value = func.sum(PlanLeftOut.value)
    query = (
        select(PlanLeftOut.limit_key, func.count(), func.sum(PlanLeftOut.cost_cents), value)
        .where(PlanLeftOut.plan_id == plan_id)
        .group_by(PlanLeftOut.limit_key)
    )
    query = narrowed(query, session, filters, PlanLeftOut.project_id)
    totals = [
        LimitTotal(key or "", count, int(cost or 0), int(lost or 0))
        for key, count, cost, lost in session.execute(query)
    ]
    return sorted(totals, key=lambda total: (-total.value, total.limit_key))


def plan_horizon(session: Session, plan_id: int) -> int:
    """How many months a plan covers (its problem's horizon), read without loading the problem."""
    horizon = session.scalar(select(Plan.problem["horizon"].as_integer()).where(Plan.id == plan_id))
    return int(horizon or 0)


def solution_rows(
    session: Session, plan_id: int
) -> tuple[list[tuple[str, int]], list[tuple[str, str, str]]]:
    """The plan as the optimiser wrote it: (key, start) scheduled, (key, reason, limit) left out."""
    starts = session.execute(
        select(PlanAssignment.key, PlanAssignment.start_month)
        .where(PlanAssignment.plan_id == plan_id)
        .order_by(PlanAssignment.start_month, PlanAssignment.key)
    )
    left_out = session.execute(
        select(PlanLeftOut.key, PlanLeftOut.reason, PlanLeftOut.limit_key)
        .where(PlanLeftOut.plan_id == plan_id)
        .order_by(PlanLeftOut.key)
    )
    return [tuple(row) for row in starts], [tuple(row) for row in left_out]
