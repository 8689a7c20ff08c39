"""What-if copies of a scenario: every input, every project or only the pinned ones with what
they need first, the budget changed and crews added; plans are not copied."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from inventory.enums import FundingKind, Role, ScenarioStatus
from inventory.errors import Duplicate, InvalidValue
from inventory.models import Plan, Project, ProjectAsset
from inventory.operations.scenarios import (
    add_funding_source,
    add_work_window,
    copy_scenario,
    set_site_rule,
)
from inventory.queries.scenarios import scenario_history
from tests.factories import (
    make_asset,
    make_project,
    make_scenario,
    make_site,
    make_trade,
    make_upgrade_type,
    make_user,
)
from tests.inventory.planning.scenario_helpers import record_simple_plan


@pytest.fixture
def planner(session):
    user = make_user(session, Role.PLANNER)
    session.commit()
    return user


def _district(session, planner):
    """An approved scenario with inputs of every kind, a plan, and four projects at one site:
    cabling (a catalogue prerequisite of Wi-Fi), Wi-Fi pinned, cameras after cabling by hand,
    and a switch refresh nothing depends on."""
    scenario = make_scenario(
        session, annual_budgets_cents=[1_000_000_00], monthly_caps_cents=[100_000_00] * 12
    )
    erate = add_funding_source(
        session, scenario, by=planner, code="erate", name="E-Rate", kind=FundingKind.ERATE_C2,
        erate_per_student_cents=16_700, erate_discount_percent=80,
    )  # fmt: skip
    add_work_window(session, scenario, by=planner, name="Summer break", months=[0, 1, 11])
    site = make_site(session, code="ES1", enrollment=400)
    set_site_rule(session, scenario, site, by=planner, max_concurrent=2, blackout_months=[9])
    cabling = make_upgrade_type(session, code="cabling")
    wifi = make_upgrade_type(session, code="wifi")
    wifi.prerequisites = [cabling]
    first = make_project(session, scenario, site=site, upgrade_type=cabling)
    first.asset_links = [ProjectAsset(asset=make_asset(session, site=site))]
    make_project(
        session, scenario, site=site, upgrade_type=wifi, pinned_month=3, funding_source=erate
    )
    cameras = make_project(
        session, scenario, site=site, upgrade_type=make_upgrade_type(session, code="cameras")
    )
    cameras.predecessors = [first]
    make_project(
        session, scenario, site=site, upgrade_type=make_upgrade_type(session, code="switches")
    )
    record_simple_plan(session, scenario, planner)
    scenario.status = ScenarioStatus.APPROVED
    session.commit()
    return scenario


def _keys(scenario):
    return {project.key for project in scenario.projects}


def test_a_whole_copy_has_every_input_and_project_and_no_plan(session, planner) -> None:
    scenario = _district(session, planner)
    copy = copy_scenario(session, scenario, by=planner, name="What if", pinned_only=False)
    session.commit()
    assert copy.status is ScenarioStatus.DRAFT and copy.copied_from_id == scenario.id
    assert _keys(copy) == _keys(scenario) and len(copy.projects) == 4
    assert [w.months for w in copy.windows] == [[0, 1, 11]]
    assert copy.site_settings[0].blackout_months == [9]
    assert copy.site_settings[0].max_concurrent == 2
    assert copy.annual_budgets_cents == [1_000_000_00]
    wifi = next(p for p in copy.projects if p.key == "ES1:wifi")
    assert wifi.pinned_month == 3
    assert wifi.funding_source.scenario_id == copy.id and wifi.funding_source.code == "erate"
    cameras = next(p for p in copy.projects if p.key == "ES1:cameras")
    assert [p.key for p in cameras.predecessors] == ["ES1:cabling"]
    assert cameras.predecessors[0].scenario_id == copy.id
    cabling = next(p for p in copy.projects if p.key == "ES1:cabling")
    assert len(cabling.asset_links) == 1
    assert session.scalar(select(func.count(Plan.id)).where(Plan.scenario_id == copy.id)) == 0
    assert session.scalar(select(func.count(Project.id))) == 8  # the original's are untouched


def test_a_pinned_only_copy_keeps_the_pins_and_what_they_need(session, planner) -> None:
    scenario = _district(session, planner)
    copy = copy_scenario(session, scenario, by=planner, name="Pinned", pinned_only=True)
    session.commit()
    # Wi-Fi is pinned and the catalogue puts cabling first at the same site; cameras and
    # switches are not needed by a pinned project.
    assert _keys(copy) == {"ES1:wifi", "ES1:cabling"}
    history = scenario_history(session, copy)
    assert any("2 pinned projects" in str(entry.changes) for entry in history)


def test_what_if_the_budget_is_cut_ten_percent_and_a_crew_is_hired(session, planner) -> None:
    scenario = _district(session, planner)
    network = make_trade(session, "network")
    cabling = make_trade(session, "cabling")
    copy = copy_scenario(
        session, scenario, by=planner, name="Leaner", budget_change_percent=-10,
        extra_crews={network.id: 1, cabling.id: 2},
    )  # fmt: skip
    assert copy.annual_budgets_cents == [900_000_00]
    assert copy.monthly_caps_cents == [90_000_00] * 12
    crews = {row.trade.code: row.crews_by_month for row in copy.trades}
    assert crews == {"network": [3] * 12, "cabling": [2] * 12}
    assert scenario.annual_budgets_cents == [1_000_000_00]  # the original is untouched


def test_a_copy_needs_a_new_name_and_a_sensible_change(session, planner) -> None:
    scenario = _district(session, planner)
    with pytest.raises(Duplicate):
        copy_scenario(session, scenario, by=planner, name=scenario.name.upper())
    with pytest.raises(InvalidValue) as error:
        copy_scenario(session, scenario, by=planner, name="Cut", budget_change_percent=-100)
    assert error.value.field == "budget_change_percent"
