"""Scenario inputs: budgets, crews, funding sources (E-Rate per school), work windows,
blackouts and site rules; drafts only, and every change counted in the inputs revision."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from inventory.enums import FundingKind, Role, ScenarioStatus
from inventory.errors import Duplicate, InvalidValue, WrongState
from inventory.models import ScenarioTrade
from inventory.operations.scenarios import (
    add_funding_source,
    add_work_window,
    remove_funding_source,
    remove_site_rule,
    remove_trade,
    remove_work_window,
    set_blackout_months,
    set_budgets,
    set_site_rule,
    set_trade_crews,
    update_funding_source,
    update_work_window,
)
from inventory.queries.scenarios import erate_schools, scenario_history
from tests.factories import make_project, make_scenario, make_site, make_trade, make_user


@pytest.fixture
def planner(session):
    user = make_user(session, Role.PLANNER)
    session.commit()
    return user


INPUT_CHANGES = {
    "budgets": lambda s, sc, by: set_budgets(s, sc, by=by, annual_budgets_cents=[5]),
    "crews": lambda s, sc, by: set_trade_crews(
        s, sc, make_trade(s, "voice"), by=by, crews_by_month=[1] * 12
    ),
    "funding": lambda s, sc, by: add_funding_source(s, sc, by=by, code="bond", name="Bond"),
    "window": lambda s, sc, by: add_work_window(s, sc, by=by, name="Summer", months=[0]),
    "blackouts": lambda s, sc, by: set_blackout_months(s, sc, by=by, months=[3]),
    "site rule": lambda s, sc, by: set_site_rule(s, sc, make_site(s), by=by, max_concurrent=2),
}


@pytest.mark.parametrize("change", sorted(INPUT_CHANGES))
def test_every_input_change_is_counted_and_only_drafts_change(session, planner, change) -> None:
    scenario = make_scenario(session)
    revision = scenario.inputs_revision
    INPUT_CHANGES[change](session, scenario, planner)
    assert scenario.inputs_revision == revision + 1
    scenario.status = ScenarioStatus.APPROVED
    with pytest.raises(WrongState, match="return it to draft"):
        INPUT_CHANGES[change](session, scenario, planner)


def test_budgets_take_no_negatives_but_zero_saves(session, planner) -> None:
    scenario = make_scenario(session)
    with pytest.raises(InvalidValue) as error:
        set_budgets(session, scenario, by=planner, annual_budgets_cents=[-1])
    assert "FY2028" in error.value.message
    with pytest.raises(InvalidValue) as error:
        set_budgets(
            session, scenario, by=planner, annual_budgets_cents=[1], monthly_caps_cents=[None] * 11
        )
    assert error.value.field == "monthly_caps"
    revision = scenario.inputs_revision
    set_budgets(
        session, scenario, by=planner, annual_budgets_cents=[0], monthly_caps_cents=[None] * 12
    )
    assert scenario.annual_budgets_cents == [0]
    assert scenario.monthly_caps_cents is None  # no cap in any month is no caps at all
    assert scenario.inputs_revision == revision + 1
    caps = [None] * 11 + [25_000_00]
    set_budgets(session, scenario, by=planner, annual_budgets_cents=[9], monthly_caps_cents=caps)
    assert scenario.monthly_caps_cents == caps


def test_crews_are_set_per_month_and_a_trade_can_be_added_and_removed(session, planner) -> None:
    scenario = make_scenario(session)
    cabling = make_trade(session, "cabling")
    set_trade_crews(session, scenario, cabling, by=planner, crews_by_month=[2] * 6 + [0] * 6)
    assert {row.trade.code for row in scenario.trades} == {"network", "cabling"}
    with pytest.raises(InvalidValue, match="Cabling crews in Aug 2027"):
        set_trade_crews(session, scenario, cabling, by=planner, crews_by_month=[1, 1000] + [0] * 10)
    with pytest.raises(InvalidValue, match="12 numbers"):
        set_trade_crews(session, scenario, cabling, by=planner, crews_by_month=[1])
    remove_trade(session, scenario, cabling, by=planner)
    session.flush()
    assert session.scalar(select(func.count(ScenarioTrade.id))) == 1


def test_funding_sources_keep_one_default_and_unique_codes(session, planner) -> None:
    scenario = make_scenario(session)
    general = add_funding_source(
        session, scenario, by=planner, code="general", name="General fund", is_default=True
    )
    bond = add_funding_source(
        session, scenario, by=planner, code="bond", name="Bond", kind="bond",
        cap_cents=3_000_000_00, is_default=True,
    )  # fmt: skip
    assert bond.is_default and not general.is_default
    with pytest.raises(Duplicate) as error:
        add_funding_source(session, scenario, by=planner, code="BOND", name="Again")
    assert error.value.field == "code"
    with pytest.raises(InvalidValue) as error:
        update_funding_source(session, bond, by=planner, cap_cents=-5)
    assert error.value.field == "cap_cents"


def test_an_erate_source_needs_its_settings(session, planner) -> None:
    scenario = make_scenario(session)
    with pytest.raises(InvalidValue) as error:
        add_funding_source(session, scenario, by=planner, code="erate", name="E", kind="erate_c2")
    assert error.value.field == "erate_per_student_cents"
    with pytest.raises(InvalidValue) as error:
        add_funding_source(
            session, scenario, by=planner, code="erate", name="E", kind=FundingKind.ERATE_C2,
            erate_per_student_cents=16_700, erate_discount_percent=95,
        )  # fmt: skip
    assert error.value.field == "erate_discount_percent"
    source = add_funding_source(
        session, scenario, by=planner, code="erate", name="E", kind=FundingKind.ERATE_C2,
        erate_per_student_cents=16_700, erate_discount_percent=80, erate_floor_cents=2_500_000,
    )  # fmt: skip
    update_funding_source(session, source, by=planner, kind="grant")
    assert source.erate_per_student_cents is None and source.erate_discount_percent is None


def test_each_schools_erate_budget_committed_and_remaining(session, planner) -> None:
    scenario = make_scenario(session)
    source = add_funding_source(
        session, scenario, by=planner, code="erate", name="E-Rate", kind=FundingKind.ERATE_C2,
        erate_per_student_cents=16_700, erate_floor_cents=2_500_000, erate_discount_percent=80,
    )  # fmt: skip
    big = make_site(session, code="BIG", enrollment=600)  # 600 x $167 = $100,200
    small = make_site(session, code="SMALL", enrollment=100)  # $16,700: the floor, $25,000
    make_site(session, code="OFFICE", enrollment=0)
    set_site_rule(session, scenario, big, by=planner, erate_committed_cents=2_000_000)
    make_project(session, scenario, site=big, funding_source=source, cost_cents=9_000_000)
    make_project(session, scenario, site=small, funding_source=source, cost_cents=1_000_000)
    rows = {row.site.code: row for row in erate_schools(session, scenario, source)}
    assert set(rows) == {"BIG", "SMALL"}
    assert (rows["BIG"].budget_cents, rows["BIG"].remaining_cents) == (10_020_000, 8_020_000)
    assert rows["BIG"].erate_pays_cents == 8_020_000 * 80 // 100  # capped by what remains
    assert (rows["SMALL"].budget_cents, rows["SMALL"].committed_cents) == (2_500_000, 0)
    assert rows["SMALL"].erate_pays_cents == 800_000


def test_removing_a_source_sends_its_projects_to_the_default(session, planner) -> None:
    scenario = make_scenario(session)
    bond = add_funding_source(session, scenario, by=planner, code="bond", name="Bond")
    project = make_project(session, scenario, funding_source=bond)
    assert remove_funding_source(session, bond, by=planner) == 1
    assert project.funding_source is None and scenario.funding_sources == []


def test_work_windows_and_blackouts_stay_inside_the_scenario(session, planner) -> None:
    scenario = make_scenario(session)
    with pytest.raises(InvalidValue, match="outside the scenario"):
        add_work_window(session, scenario, by=planner, name="Later", months=[12])
    with pytest.raises(InvalidValue) as error:
        add_work_window(session, scenario, by=planner, name="Empty", months=[])
    assert error.value.field == "months"
    window = add_work_window(session, scenario, by=planner, name="Winter break", months=[5])
    with pytest.raises(Duplicate):
        add_work_window(session, scenario, by=planner, name="winter BREAK", months=[6])
    update_work_window(session, window, by=planner, months=[5, 6])
    assert window.months == [5, 6] and window.name == "Winter break"
    set_blackout_months(session, scenario, by=planner, months=[9, 9, 3])
    assert scenario.blackout_months == [3, 9]
    remove_work_window(session, window, by=planner)
    assert scenario.windows == []
    names = {entry.object_label for entry in scenario_history(session, scenario)}
    assert "Winter break" in names  # a removed window's history stays with the scenario


def test_site_rules_are_created_then_updated_then_removed(session, planner) -> None:
    scenario = make_scenario(session)
    site = make_site(session)
    rule = set_site_rule(session, scenario, site, by=planner, max_concurrent=2, note="Testing")
    again = set_site_rule(session, scenario, site, by=planner, blackout_months=[9])
    assert again is rule and rule.max_concurrent is None and rule.blackout_months == [9]
    with pytest.raises(InvalidValue) as error:
        set_site_rule(session, scenario, site, by=planner, max_concurrent=0)
    assert error.value.field == "max_concurrent"
    remove_site_rule(session, rule, by=planner)
    assert scenario.site_settings == []


def test_saving_unchanged_inputs_leaves_the_plans_up_to_date(session, planner) -> None:
    scenario = make_scenario(session, annual_budgets_cents=[7])
    network = make_trade(session, "network")
    revision = scenario.inputs_revision
    set_budgets(session, scenario, by=planner, annual_budgets_cents=[7])
    set_trade_crews(session, scenario, network, by=planner, crews_by_month=[2] * 12)
    set_blackout_months(session, scenario, by=planner, months=[])
    assert scenario.inputs_revision == revision
    set_trade_crews(session, scenario, network, by=planner, crews_by_month=[3] * 12)
    assert scenario.inputs_revision == revision + 1
