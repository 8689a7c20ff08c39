"""Explanations: conflicts of infeasible problems, reasons for projects left out of a plan."""

from __future__ import annotations

import json

from scheduler import Problem, Project, Site, check, solve
from scheduler.io import solution_from_dict, solution_to_dict

from .conftest import solve_checked


def infeasible(problem: Problem):
    """Solve, assert infeasibility and a checker-clean answer; return the conflicts."""
    solution = solve(problem, time_limit_s=5, workers=2)
    assert solution.status == "infeasible"
    assert check(problem, solution) == []
    assert solution.assignments == ()
    return solution.conflicts


def test_mandatory_projects_over_the_annual_budget():
    problem = Problem(
        horizon=12,
        annual_budget=2_000_000,
        projects=[
            Project("P1", duration=1, cost=100_000),
            Project("P3", duration=1, cost=1_200_000, mandatory=True),
            Project("P7", duration=1, cost=1_200_000, mandatory=True),
        ],
    )
    [conflict] = infeasible(problem)
    assert conflict.constraint == "annual_budget"
    assert set(conflict.projects) == {"P3", "P7"}
    assert "2.4M" in conflict.message and "annual budget is 2M" in conflict.message


def test_pinned_project_in_a_site_blackout():
    problem = Problem(
        horizon=12,
        sites=[Site("S1", blackout_periods=[9])],
        projects=[Project("P5", duration=1, site="S1", pinned_start=9)],
    )
    [conflict] = infeasible(problem)
    assert conflict.projects == ("P5",)
    assert "pinned to period 9, a blackout at site S1" in conflict.message


def test_conflict_found_by_search_names_only_the_projects_involved():
    problem = Problem(
        horizon=3,
        trades={"network": 1},
        projects=[
            Project("A", duration=2, crews={"network": 1}, mandatory=True),
            Project("B", duration=2, crews={"network": 1}, mandatory=True),
            Project("C", duration=1, crews={"network": 1}, mandatory=True, earliest=2),
            Project("D", duration=1, mandatory=True),
        ],
    )
    conflicts = infeasible(problem)
    assert len(conflicts) == 1
    assert set(conflicts[0].projects) <= {"A", "B", "C"}
    assert "network" in conflicts[0].message


def test_monthly_budget_conflict_between_pinned_projects():
    problem = Problem(
        horizon=4,
        monthly_budget=100,
        projects=[
            Project("A", duration=1, cost=60, pinned_start=2),
            Project("B", duration=1, cost=60, pinned_start=2),
        ],
    )
    [conflict] = infeasible(problem)
    assert set(conflict.projects) == {"A", "B"}
    assert "monthly budget of period 2" in conflict.message


def test_min_makespan_beyond_the_horizon_is_infeasible_and_explained():
    problem = Problem(
        horizon=4,
        objective="min_makespan",
        projects=[Project("A", duration=3), Project("B", duration=2, after=("A",))],
    )
    conflicts = infeasible(problem)
    assert conflicts and conflicts[0].message


def test_reasons_are_true_in_the_plan():
    problem = Problem(
        horizon=2,
        trades={"network": 1},
        annual_budget=150,
        projects=[
            Project("BIG", duration=1, cost=100, value=50),
            Project("MID", duration=1, cost=100, value=10),
            Project("CREW1", duration=2, cost=10, value=30, crews={"network": 1}),
            Project("CREW2", duration=2, cost=10, value=20, crews={"network": 1}),
            Project("NEXT", duration=1, value=5, after=("MID",)),
        ],
    )
    solution = solve_checked(problem)
    reasons = {u.project: u.reason for u in solution.unscheduled}
    assert set(reasons) == {"MID", "CREW2", "NEXT"}
    assert "annual budget exhausted" in reasons["MID"]
    assert "no network crew free" in reasons["CREW2"]
    assert reasons["NEXT"] == "its predecessor MID is unscheduled"


def test_money_conflict_names_the_fewest_required_projects_that_break_the_cap():
    small = [Project(f"Q{i}", duration=1, cost=10_000, mandatory=True) for i in range(8)]
    problem = Problem(
        horizon=12,
        annual_budget=2_000_000,
        funding_caps={"bond": 1_000_000},
        projects=[
            *small,
            Project("P3", duration=1, cost=1_200_000, mandatory=True),
            Project("P7", duration=1, cost=1_100_000, mandatory=True),
            Project("B1", duration=1, cost=900_000, mandatory=True, funding="bond"),
            Project("B2", duration=1, cost=200_000, mandatory=True, funding="bond"),
        ],
    )
    conflicts = {c.constraint: c for c in infeasible(problem)}
    assert set(conflicts["annual_budget"].projects) == {"P3", "P7"}
    assert "2.3M" in conflicts["annual_budget"].message
    assert set(conflicts["funding_cap"].projects) == {"B1", "B2"}


def test_left_out_projects_name_the_limit_that_keeps_them_out():
    """The annual budget, a trade's crews, a funding source, a predecessor, timing: each named."""
    problem = Problem(
        horizon=3,
        annual_budget=450,
        trades={"network": 1},
        funding_caps={"bond": 50},
        sites=[Site("S1", max_concurrent=3)],
        projects=[
            Project("big", duration=1, cost=300, value=100, site="S1"),
            Project("dear", duration=1, cost=200, value=1, site="S1"),
            Project("crew", duration=3, cost=0, value=50, crews={"network": 1}),
            Project("crew2", duration=1, cost=0, value=5, crews={"network": 1}),
            Project("bonded", duration=1, cost=60, value=5, funding="bond"),
            Project("late", duration=4, value=5),
            Project("after", duration=1, value=1, after=("late",)),
        ],
    )
    solution = solve_checked(problem, time_limit_s=5)
    limits = {item.project: item.limit for item in solution.unscheduled}
    assert limits == {
        "dear": "annual_budget",
        "crew2": "crews:network",
        "bonded": "funding_cap:bond",
        "late": "timing",
        "after": "predecessor",
    }
    again = solution_from_dict(json.loads(json.dumps(solution_to_dict(solution))))
    assert {item.project: item.limit for item in again.unscheduled} == limits
