"""The demo's planning inputs: ready for the planner's journey right after `make run`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.planning.checks import submission_checks
from inventory.demo import DemoOptions, load_demo
from inventory.demo_planning import coming_fiscal_year
from inventory.enums import FundingKind, ScenarioStatus
from inventory.models import Scenario, UpgradeType
from inventory.needs import create_needs
from inventory.operations.catalog import STANDARD_SYSTEMS
from tests.factories import PASSWORD


def test_the_demo_has_a_catalogue_and_a_scenario_ready_for_needs_and_plans(app, session) -> None:
    load_demo(session, DemoOptions(sites=20, seed=3, password=PASSWORD))
    session.commit()
    scenario = session.scalars(select(Scenario)).one()
    assert scenario.status is ScenarioStatus.DRAFT
    assert scenario.first_year == coming_fiscal_year(dt.date.today())
    assert scenario.month_label(0).startswith("Jul ")
    systems = {upgrade.system.code for upgrade in session.scalars(select(UpgradeType))}
    assert systems == {code for code, _name, _life in STANDARD_SYSTEMS}  # every system
    assert scenario.annual_budgets_cents == [20 * 5_000_000]
    assert len(scenario.monthly_caps_cents) == 12
    assert {row.trade.code for row in scenario.trades} == {
        "cabling", "network", "voice", "security", "electrical", "vendor",
    }  # fmt: skip
    kinds = {source.kind for source in scenario.funding_sources}
    assert FundingKind.ERATE_C2 in kinds and FundingKind.GENERAL in kinds
    windows = {window.name: window.months for window in scenario.windows}
    assert windows == {"Summer break": [0, 1, 11], "Winter break": [5]}
    assert scenario.blackout_months == [10]  # May, state testing

    result = create_needs(session, scenario, by=None, today=dt.date.today())
    session.commit()
    assert result.created > 20
    with app.test_request_context():
        assert submission_checks(session, scenario) == []  # the planner can submit it as it is


def test_the_demo_follows_the_configured_fiscal_year(session) -> None:
    options = DemoOptions(sites=5, seed=3, password=PASSWORD, fiscal_year_start_month=1)
    load_demo(session, options)
    scenario = session.scalars(select(Scenario)).one()
    assert scenario.month_label(0) == f"Jan {scenario.first_year}"
    windows = {window.name: window.months for window in scenario.windows}
    assert windows == {"Summer break": [5, 6, 7], "Winter break": [11]}
