"""The planning adapter: scenario rows -> problem -> solution -> plan rows, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.planning.adapter import hint_from, problem_for, store_plan
from inventory.enums import FundingKind
from inventory.errors import InvalidValue
from inventory.models import FundingSource, Plan, PlanAssignment, ScenarioSite, WorkWindow
from scheduler import Assignment, Solution, check, solve
from scheduler.io import problem_from_dict, solution_from_dict
from tests.factories import (
    make_project,
    make_scenario,
    make_site,
    make_trade,
    make_upgrade_type,
)


def _district(session):
    """Two sites, cabling before Wi-Fi at one of them, a disruptive camera job, E-Rate."""
    scenario = make_scenario(session, monthly_caps_cents=[None] * 11 + [5_000_000])
    erate = FundingSource(
        scenario=scenario, code="erate", name="E-Rate", kind=FundingKind.ERATE_C2,
        erate_per_student_cents=16_700, erate_floor_cents=2_500_000, erate_discount_percent=80,
    )  # fmt: skip
    session.add(erate)
    scenario.windows = [WorkWindow(name="Summer break", months=[0, 1, 11])]
    cabling = make_upgrade_type(session, code="cabling", name="Cabling refresh")
    wifi = make_upgrade_type(
        session, code="wifi", name="Wi-Fi refresh", is_erate_eligible=True, duration_months=2
    )
    wifi.prerequisites = [cabling]
    cameras = make_upgrade_type(
        session,
        code="cameras",
        name="Cameras",
        is_disruptive=True,
        trade=make_trade(session, "security"),
    )
    north, south = make_site(session, code="N1", enrollment=600), make_site(session, code="S1")
    scenario.site_settings = [ScenarioSite(site=south, blackout_months=[3], max_concurrent=2)]
    first = make_project(session, scenario, site=north, upgrade_type=cabling, value=30)
    second = make_project(
        session, scenario, site=north, upgrade_type=wifi, value=50, funding_source=erate,
        duration_months=2,
    )  # fmt: skip
    make_project(session, scenario, site=south, upgrade_type=cameras, value=20, is_mandatory=True)
    make_project(session, scenario, site=south, upgrade_type=wifi, pinned_month=4, value=5)
    session.flush()
    return scenario, first, second


def test_rows_become_the_problem_the_rules_describe(session) -> None:
    scenario, first, second = _district(session)
    problem, ids = problem_for(session, scenario)
    projects = problem.project_by_id
    assert set(projects) == {"N1:cabling", "N1:wifi", "S1:cameras", "S1:wifi"}
    assert projects["N1:wifi"].after == ("N1:cabling",)  # the catalogue's prerequisite
    assert projects["N1:wifi"].funding == "erate@N1"
    assert problem.funding_caps["erate@N1"] == 600 * 167  # per student x enrollment, in dollars
    # Disruptive work only where every month is inside a window: Jul-Aug (0, 1), Jun (11).
    assert projects["S1:cameras"].allowed_start_periods == frozenset({0, 1, 11})
    assert projects["S1:wifi"].pinned_start == 4
    assert problem.site_by_id["S1"].blackout_periods == frozenset({3})
    assert problem.site_by_id["S1"].max_concurrent == 2
    assert problem.trades["security"] == (0,) * 12  # needed, but the scenario has no crews
    assert problem.annual_budget == 1_000_000
    assert problem.monthly_budget[11] == 50_000 and problem.monthly_budget[0] > 50_000
    assert ids.projects["N1:cabling"] == first.id and ids.projects["N1:wifi"] == second.id


def test_a_stored_plan_round_trips_and_passes_the_checker(session, users) -> None:
    scenario, _first, _second = _district(session)
    scenario.trades[0].crews_by_month = [1] * 12
    security = make_trade(session, "security")
    from inventory.models import ScenarioTrade

    scenario.trades.append(ScenarioTrade(trade=security, crews_by_month=[1] * 12))
    session.flush()
    problem, ids = problem_for(session, scenario)
    solution = solve(problem, time_limit_s=5, seed=1)
    assert solution.has_plan
    plan = store_plan(
        session, scenario, problem, ids, solution, by=next(iter(users.values())), time_limit_s=5
    )
    session.commit()

    stored = session.get(Plan, plan.id)
    assert stored.version == 1
    rows = session.scalars(select(PlanAssignment).where(PlanAssignment.plan_id == plan.id)).all()
    assert {(row.key, row.start_month) for row in rows} == {
        (a.project, a.start) for a in solution.assignments
    }
    assert stored.projects_scheduled + stored.projects_left_out == 4
    assert stored.total_cost_cents == sum(row.cost_cents for row in rows)
    # The stored problem, read back, re-checks the stored rows with no violation.
    again = problem_from_dict(stored.problem)
    replay = solution_from_dict(
        {
            "status": stored.status,
            "objective": stored.value,
            "assignments": [{"project": r.key, "start": r.start_month} for r in rows],
            "unscheduled": [{"project": r.key, "reason": r.reason} for r in stored.left_out],
        }
    )
    assert check(again, replay) == []
    # A re-plan starts from the stored plan.
    hint = hint_from(stored, ids)
    assert hint.starts == {r.key: r.start_month for r in rows}
    second = store_plan(session, scenario, problem, ids, solution, by=None, time_limit_s=5)
    assert second.version == 2
    assert session.scalar(select(func.count(Plan.id))) == 2


def test_a_plan_that_breaks_a_rule_is_never_stored(session) -> None:
    scenario, _first, _second = _district(session)
    problem, ids = problem_for(session, scenario)
    # The Wi-Fi at North before its cabling is done, and nothing else: the checker says no.
    wrong = Solution("feasible", objective=50, assignments=(Assignment("N1:wifi", 0),))
    with pytest.raises(InvalidValue, match="was not stored"):
        store_plan(session, scenario, problem, ids, wrong, by=None, time_limit_s=1)
    session.rollback()
    assert session.scalar(select(func.count(Plan.id))) == 0


def test_district_sized_money_fits_the_columns(session) -> None:
    """Cents of a large program exceed 32 bits: a $60M project and a $120M plan store whole."""
    scenario = make_scenario(session, annual_budgets_cents=[20_000_000_000])
    big = make_project(session, scenario, cost_cents=6_000_000_000, value=90)
    make_project(session, scenario, cost_cents=6_000_000_000, value=80)
    session.add(FundingSource(scenario=scenario, code="bond", name="Bond",
                              kind=FundingKind.BOND, cap_cents=15_000_000_000))  # fmt: skip
    session.flush()
    problem, ids = problem_for(session, scenario)
    plan = store_plan(session, scenario, problem, ids, solve(problem, time_limit_s=2), by=None,
                      time_limit_s=2)  # fmt: skip
    session.commit()
    session.expire_all()
    stored = session.get(Plan, plan.id)
    assert stored.total_cost_cents == 12_000_000_000
    assert session.get(type(big), big.id).cost_cents == 6_000_000_000
