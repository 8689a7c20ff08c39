"""What each plan page shows, gathered from the queries and drawn: the overview's figures and
charts, the timelines, and the left-out reasons in a planner's words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.planning.charts import budget_svg, funding_svg
from app.planning.charts_crews import TradeUse, crews_svg
from app.planning.charts_figures import (
    BudgetMonth,
    BudgetYear,
    FundingRow,
    LimitGroup,
    PlanCaps,
    budget_months,
    budget_years,
    caps_of,
    funding_rows,
    group_words,
    limit_groups,
)
from app.planning.charts_gantt import (
    Gantt,
    crew_lanes,
    site_gantt,
    system_colours,
    trade_gantt,
)
from app.planning.common import money_short
from app.planning.wording import Vocabulary, in_words, keys_in
from inventory.models import Plan, Project, Scenario, Site, System, UpgradeType
from inventory.queries.plan_totals import (
    assignment_spans,
    crew_use,
    funding_use,
    left_out_by_limit,
    month_totals,
    plan_horizon,
)
from inventory.queries.plans import (
    PlanFilters,
    PlanRow,
    plan_sites,
    schedule_rows,
    trades_by_code,
)

Links = Mapping[str, Callable[..., str | None]]


def month_labels(scenario: Scenario, months: int) -> list[str]:
    """'Jul 2027' for each month of a plan."""
    return [scenario.month_label(month) for month in range(months)]


def horizon_of(session: Session, plan: Plan) -> int:
    """How many months the plan covers (its problem's horizon)."""
    return plan_horizon(session, plan.id) or plan.scenario.months


@dataclass
class Overview:
    """The overview's numbers, tables and charts."""

    months: list[BudgetMonth]
    years: list[BudgetYear]
    funding: list[FundingRow]
    groups: list[LimitGroup]
    scheduled: int
    cost_cents: int
    left_out: int
    left_out_value: int
    left_out_cost_cents: int
    caption: str
    budget_chart: Markup
    funding_chart: Markup
    crews_chart: Markup


def _caption(plan: Plan, years: list[BudgetYear], caps: PlanCaps, spent: int) -> str:
    """The annual total against the annual budget, in one sentence."""
    name = plan.scenario.years_label
    if caps.annual_cents is None:
        return f"{name}: {money_short(spent)} in all; no annual budget"
    share = f" ({100 * spent / caps.annual_cents:.0f}%)" if caps.annual_cents else ""
    budget = "annual budget" if len(years) == 1 else f"budget of its {len(years)} years"
    return f"{name}: {money_short(spent)} of the {money_short(caps.annual_cents)} {budget}{share}"


def trade_uses(
    session: Session, plan: Plan, caps: PlanCaps, filters: PlanFilters
) -> list[TradeUse]:
    """Each trade of the plan's problem: crews busy (of the filtered projects) and available."""
    used = crew_use(session, plan, filters)
    trades = trades_by_code(session)
    rows = []
    for code, available in caps.trades.items():
        trade_id, name = trades.get(code, (None, code))
        if filters.trade_id and trade_id != filters.trade_id:
            continue
        rows.append(TradeUse(code, name, used.get(code, [0] * len(available)), available))
    return rows


def overview_of(session: Session, plan: Plan, filters: PlanFilters, links: Links) -> Overview:
    """The overview of a plan (of its projects matching the filters, against its caps)."""
    scenario, caps = plan.scenario, caps_of(plan.problem or {})
    totals = month_totals(session, plan.id, horizon_of(session, plan), filters)
    months = budget_months(scenario, totals, caps)
    years = budget_years(scenario, totals, caps)
    funding = funding_rows(scenario, funding_use(session, plan, filters), caps)
    groups = limit_groups(
        left_out_by_limit(session, plan.id, filters), group_words(session, scenario)
    )
    spent = sum(t.cost_cents for t in totals)
    caption = _caption(plan, years, caps, spent)
    labels = [m.label for m in months]
    return Overview(
        months=months,
        years=years,
        funding=funding,
        groups=groups,
        scheduled=sum(t.starting for t in totals),
        cost_cents=spent,
        left_out=sum(g.projects for g in groups),
        left_out_value=sum(g.value for g in groups),
        left_out_cost_cents=sum(g.cost_cents for g in groups),
        caption=caption,
        budget_chart=budget_svg(months, caption),
        funding_chart=funding_svg(funding),
        crews_chart=crews_svg(trade_uses(session, plan, caps, filters), labels, links["crews"]),
    )


def colours(session: Session) -> dict[str, str]:
    """A colour per system name, the same on every page."""
    return system_colours(list(session.scalars(select(System.name).order_by(System.id))))


@dataclass
class Timeline:
    """One page of a timeline and how many rows (sites or crews) there are in all."""

    chart: Gantt
    total: int


def sites_timeline(
    session: Session, plan: Plan, filters: PlanFilters, page: int, per_page: int, links: Links
) -> Timeline:
    """A page of the per-site timeline: `per_page` sites by code."""
    sites, total = plan_sites(
        session, plan.id, filters, offset=(page - 1) * per_page, limit=per_page
    )
    rows = schedule_rows(session, plan.id, filters, site_ids=[s.site_id for s in sites])
    labels = month_labels(plan.scenario, horizon_of(session, plan))
    return Timeline(site_gantt(sites, rows, labels, colours(session), links), total)


def trades_timeline(
    session: Session, plan: Plan, filters: PlanFilters, page: int, per_page: int, links: Links
) -> Timeline:
    """A page of the per-trade timeline: `per_page` crews, trades in the problem's order."""
    problem = plan.problem or {}
    known = trades_by_code(session)
    trades = [
        (code, known.get(code, (None, code))[1])
        for code in problem.get("trades", {})
        if not filters.trade_id or known.get(code, (None,))[0] == filters.trade_id
    ]
    crews_of = {item["id"]: item.get("crews") or {} for item in problem.get("projects", [])}
    spans = assignment_spans(session, plan.id, filters)
    lanes = crew_lanes(trades, [(key, start, dur) for _id, key, start, dur in spans], crews_of)
    shown = lanes[(page - 1) * per_page : page * per_page]
    keys = {key for lane in shown for key in lane.keys}
    project_ids = [project_id for project_id, key, _s, _d in spans if key in keys]
    rows = {row.key: row for row in schedule_rows(session, plan.id, project_ids=project_ids)}
    labels = month_labels(plan.scenario, horizon_of(session, plan))
    return Timeline(trade_gantt(shown, rows, labels, colours(session), links), len(lanes))


def reason_words(session: Session, scenario: Scenario, rows: list[PlanRow]) -> Vocabulary:
    """The names the rows' reasons mention: projects, sites, trades, funding sources."""
    words = group_words(session, scenario)
    keys = keys_in(row.reason for row in rows)
    codes = {key.partition(":")[0] for key in keys} | {row.site_code for row in rows}
    found = session.execute(
        select(Site.code, Site.name, UpgradeType.code, Project.name)
        .join(Project, Project.site_id == Site.id)
        .join(UpgradeType, UpgradeType.id == Project.upgrade_type_id)
        .where(Project.scenario_id == scenario.id, Site.code.in_(sorted(codes)))
    )
    for site_code, site_name, type_code, project_name in found:
        words.sites[site_code] = site_name
        if f"{site_code}:{type_code}" in keys:
            words.projects[f"{site_code}:{type_code}"] = project_name
    return words


def reasons_in_words(session: Session, scenario: Scenario, rows: list[PlanRow]) -> dict[int, str]:
    """Each left-out row's reason in a planner's words, by project id."""
    words = reason_words(session, scenario, rows)
    reasons = {row.project_id: in_words(row.reason, words) for row in rows}
    return {key: text[:1].upper() + text[1:] for key, text in reasons.items()}
