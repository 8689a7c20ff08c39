"""The demo district's planning inputs: the standard upgrade catalogue and trades, and a draft
scenario for the coming fiscal year with budgets, crews, funding (E-Rate Category 2 included),
work windows, blackouts and a few site rules, sized to the district.

Needs are not generated: right after `make run` the planner presses "Generate needs", then
"Generate plan", reviews, pins, re-plans and publishes without typing any data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.enums import FundingKind, SiteKind
from inventory.models import Scenario, Site, Trade
from inventory.operations.scenario_calendar import (
    add_work_window,
    set_blackout_months,
    set_site_rule,
)
from inventory.operations.scenario_resources import add_funding_source, set_budgets, set_crews
from inventory.operations.scenarios import create_scenario
from inventory.operations.trades import ensure_standard_trades
from inventory.operations.upgrades import load_standard_catalogue

# Crews per trade for a district of 150 sites (scaled to the district's size); network crews
# grow by contractors' crews in the summer, everyone is thinner over the winter holidays.
# A crew is busy for a whole month on a project: a district replacing a thousand things a year
# keeps district crews and contractors busy at several schools each month.
CREWS_PER_150_SITES = {
    "cabling": 3,
    "network": 10,
    "voice": 5,
    "security": 6,
    "electrical": 6,
    "vendor": 6,
}
ANNUAL_BUDGET_PER_SITE_CENTS = 5_000_000  # $50,000 a site: about 40 % of the year's needs
# Calendar months (1 = January), placed in the scenario's year whatever month it starts in.
SUMMER_BREAK = (6, 7, 8)
WINTER_BREAK = (12,)
STATE_TESTING = (5,)  # May: no project under way anywhere
GRADUATION = (6,)


def months_of(scenario: Scenario, calendar_months: tuple[int, ...]) -> list[int]:
    """The scenario's month numbers of calendar months (its first year)."""
    return sorted((month - scenario.start_month) % 12 for month in calendar_months)


@dataclass(frozen=True)
class DemoPlanning:
    """What the demo's planning inputs hold, for the demo's summary."""

    scenario: str
    upgrade_types: int
    annual_budget_cents: int


def coming_fiscal_year(today: dt.date, start_month: int = 7) -> int:
    """The fiscal year after the current one (named by the year it ends in): the one a
    district plans now."""
    current = today.year + 1 if start_month > 1 and today.month >= start_month else today.year
    return current + 1


def load_demo_planning(session: Session, *, today: dt.date, start_month: int = 7) -> DemoPlanning:
    """Add the catalogue, trades and the coming fiscal year's draft scenario (caller commits);
    the fiscal year starts in `start_month` (the configuration's)."""
    trades = {trade.code: trade for trade in ensure_standard_trades(session)}
    upgrade_types = load_standard_catalogue(session, by=None)
    first_year = coming_fiscal_year(today, start_month)
    site_count = len(session.scalars(select(Site.id)).all())
    scale = max(1.0, site_count / 150)
    scenario = create_scenario(
        session,
        by=None,
        name=f"FY{first_year} Strategic Execution Plan",
        first_year=first_year,
        start_month=start_month,
        time_limit_s=30,
        description="The district's infrastructure upgrades for the coming school year: "
        "generate the needs from the inventory, then the plan.",
    )
    annual = int(ANNUAL_BUDGET_PER_SITE_CENTS * site_count)
    _money(session, scenario, annual, scale)
    _crews(session, scenario, trades, scale)
    _calendar(session, scenario)
    return DemoPlanning(scenario.name, len(upgrade_types), annual)


def _money(session: Session, scenario: Scenario, annual: int, scale: float) -> None:
    """The annual budget, monthly cash-flow caps (more in the summer), and three sources."""
    summer = months_of(scenario, SUMMER_BREAK)
    monthly = [annual // 4 if m in summer else annual // 10 for m in range(12)]
    set_budgets(session, scenario, by=None, annual_budgets_cents=[annual],
                monthly_caps_cents=monthly)  # fmt: skip
    add_funding_source(session, scenario, by=None, code="general", name="General fund",
                       kind=FundingKind.GENERAL, is_default=True)  # fmt: skip
    add_funding_source(session, scenario, by=None, code="bond", name="2024 Bond program",
                       kind=FundingKind.BOND, cap_cents=int(150_000_000 * scale))  # fmt: skip
    add_funding_source(
        session, scenario, by=None, code="erate", name="E-Rate Category 2",
        kind=FundingKind.ERATE_C2, erate_per_student_cents=16_700,
        erate_floor_cents=2_500_000, erate_discount_percent=60, erate_pooled=False,
    )  # fmt: skip


def _crews(session: Session, scenario: Scenario, trades: dict[str, Trade], scale: float) -> None:
    """Each trade's crews per month: a summer contractor for network, thin over the holidays."""
    crews = {}
    summer, december = months_of(scenario, SUMMER_BREAK), months_of(scenario, WINTER_BREAK)[0]
    for code, count in CREWS_PER_150_SITES.items():
        base = max(1, round(count * scale))
        extra = max(1, base // 5) if code == "network" else 0
        months = [base + (extra if m in summer else 0) for m in range(12)]
        months[december] = max(1, base - 1)
        crews[trades[code]] = months
    set_crews(session, scenario, by=None, crews=crews)


def _calendar(session: Session, scenario: Scenario) -> None:
    """Work windows, state testing, graduation at the high schools, two jobs at a time at the
    data centre."""
    add_work_window(session, scenario, by=None, name="Summer break",
                    months=months_of(scenario, SUMMER_BREAK))  # fmt: skip
    add_work_window(session, scenario, by=None, name="Winter break",
                    months=months_of(scenario, WINTER_BREAK))  # fmt: skip
    set_blackout_months(session, scenario, by=None, months=months_of(scenario, STATE_TESTING))
    high_schools = session.scalars(
        select(Site).where(Site.kind == SiteKind.HIGH).order_by(Site.code).limit(3)
    )
    for site in high_schools:
        set_site_rule(session, scenario, site, by=None,
                      blackout_months=months_of(scenario, GRADUATION),
                      note="Graduation and final exams in June.")  # fmt: skip
    data_centres = session.scalars(select(Site).where(Site.kind == SiteKind.DATA_CENTER))
    for site in data_centres:
        set_site_rule(session, scenario, site, by=None, max_concurrent=2,
                      note="Two crews can work in separate halls.")  # fmt: skip
