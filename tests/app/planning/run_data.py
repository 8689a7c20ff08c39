"""Scenarios for the plan-run tests: one the optimiser solves at once, one that keeps it busy
until its time limit (a tight budget over crews and months), and one that cannot be planned."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from inventory.models import Scenario, ScenarioTrade
from tests.factories import make_project, make_scenario, make_site, make_trade, make_upgrade_type


def small_scenario(session: Session, **fields: object) -> Scenario:
    """Four one-month projects at four schools; 2 network crews and $1M: all fit."""
    scenario = make_scenario(session, **fields)
    upgrade = make_upgrade_type(session)
    for value in (10, 20, 30, 40):
        make_project(session, scenario, upgrade_type=upgrade, value=value)
    session.flush()
    return scenario


def busy_scenario(session: Session, *, projects: int = 240, seed: int = 7) -> Scenario:
    """Many projects of one to four months over network and cabling crews, with a budget for a
    fifth of them: the optimiser improves for a long time and does not prove the best quickly."""
    rnd = random.Random(seed)
    scenario = make_scenario(session)
    cabling = make_trade(session, "cabling")
    scenario.trades[0].crews_by_month = [4] * 12
    scenario.trades.append(ScenarioTrade(trade=cabling, crews_by_month=[3] * 12))
    types = [
        make_upgrade_type(session, trade=make_trade(session, "network")),
        make_upgrade_type(session, trade=cabling),
        make_upgrade_type(session, trade=make_trade(session, "network")),
        make_upgrade_type(session, trade=cabling),
    ]
    sites = [make_site(session) for _ in range(projects // len(types))]
    total = 0
    for index in range(len(sites) * len(types)):
        cost = rnd.randint(10, 100) * 1000
        total += cost
        make_project(
            session, scenario, site=sites[index % len(sites)],
            upgrade_type=types[index // len(sites)], duration_months=rnd.randint(1, 4),
            cost_cents=cost * 100, value=max(1, cost // 1000 + rnd.randint(-20, 20)),
        )  # fmt: skip
    scenario.annual_budgets_cents = [total * 100 // 5]
    scenario.monthly_caps_cents = [total * 100 // 40] * 12
    session.flush()
    return scenario


def infeasible_scenario(session: Session) -> Scenario:
    """A mandatory project that costs more than the whole budget, and one pinned into a
    district blackout month."""
    scenario = make_scenario(session, annual_budgets_cents=[1_000_000], blackout_months=[5])
    make_project(session, scenario, cost_cents=5_000_000, is_mandatory=True, value=5)
    make_project(session, scenario, pinned_month=5, value=5, cost_cents=100_000)
    session.flush()
    return scenario
